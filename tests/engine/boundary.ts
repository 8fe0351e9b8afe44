// What the engine-boundary tests compare: a stack previewed by the SDK's real `cmd/run` (against
// the stand-in engine, with the real analyzer serving the policy pack) and the same stack planned
// offline. Registrations, URNs included, and the analyzer's findings must be the plan's.
import * as path from "node:path";
import { expect } from "vitest";
import { POLICIES } from "../../policies/all";
import { policyConfigFor } from "../../plan/policy-config";
import { PROVIDER_CODE, policyResources, runStack, secretDigest, toPlanValue, type StackRun } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";
import { evaluatePolicies } from "../../policies/evaluate";
import { ROOT, STAND_IN } from "../helpers";
import { Engine, type RunResult } from "./engine";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export { COMPILED_PROGRAM } from "./stacks";

/** Data sources answer offline as the plan's do: the value a lookup would return is not known. */
const offlineInvoke = (_token: string, args: Record<string, unknown>) => ({ ...args, id: unknownValue, nodeId: unknownValue });

export interface Compared {
  readonly preview: RunResult;
  readonly plan: StackRun;
}

const engines = new Map<string, Promise<Engine>>();

/** One stand-in engine (and one analyzer) per project directory and program, shared by a file's tests. */
function engineFor(dir: string, project: string, program: string): Promise<Engine> {
  const key = `${dir}|${program}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = Engine.start({ project, dir, program, providerEnv: {}, policyPack: path.join(ROOT, "policies"), invoke: offlineInvoke });
    engines.set(key, engine);
  }
  return engine;
}

/** Stops every engine this file started, and the hosts they started. */
export async function stopEngines(): Promise<void> {
  const started = [...engines.values()];
  engines.clear();
  for (const engine of started) await (await engine).stop();
}

/** Previews `stack` of project `dir` through the SDK's hosts and plans it offline, with its policy config. */
export async function previewAndPlan(dir: string, stackName: string, program: string): Promise<Compared> {
  const project = readProjectDir(dir, STAND_IN, stackName);
  const stack = project.stacks[0]!;
  const plan = await runStack({ program: project.program, dir, project: project.project, stack: stack.name, config: stack.config, secretKeys: stack.secretKeys });
  const tier = String(plan.outputs.tier);
  const { config } = policyConfigFor(dir, stack.name, tier, POLICIES);
  const engine = await engineFor(dir, project.project, program);
  const preview = await engine.run({ stack: stack.name, config: stack.config, secretKeys: stack.secretKeys, dryRun: true, policyConfig: config });
  expect(preview.exitCode, preview.stderr).toBe(0);
  return { preview, plan };
}

/** The engine's registrations in the plan's form (secrets "[secret]", unknowns "[unknown]", provider code elided). */
function registrationsAsPlanned(preview: RunResult) {
  return preview.registrations.map((r) => {
    const { __provider: _code, ...inputs } = r.inputs as Record<string, unknown>;
    const digest = secretDigest(inputs, r.additionalSecretOutputs);
    return asPlanned(r, digest);
  });
}

function asPlanned(r: RunResult["registrations"][number], digest: string | undefined) {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent || null,
    custom: r.custom,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    dependencies: [...r.dependencies].sort(),
    inputs: toPlanValue("__provider" in r.inputs ? { ...r.inputs, __provider: PROVIDER_CODE } : r.inputs, r.additionalSecretOutputs),
    // The same digest of its secret values as the plan's: what a rotation diff compares.
    ...(digest !== undefined ? { secretDigest: digest } : {}),
  };
}

const byUrn = <T extends { urn: string }>(list: readonly T[]) => [...list].sort((a, b) => a.urn.localeCompare(b.urn));

/** Every registration of the preview is the plan's, and no other; the stack outputs and warnings too. */
export function expectSameRegistrations({ preview, plan }: Compared): void {
  const planned = plan.resources.map(({ policyProps: _p, ...r }) => r);
  expect(byUrn(registrationsAsPlanned(preview))).toEqual(byUrn(planned));
  expect(toPlanValue(preview.outputs)).toEqual(plan.outputs);
  expect(preview.logs.filter((l) => l.severity === "warning").map((l) => l.message)).toEqual(plan.warnings);
}

/** What the real analyzer reported is what the plan's evaluator reports, finding for finding. */
export async function expectSameFindings({ preview, plan }: Compared, dir: string): Promise<void> {
  const { config } = policyConfigFor(dir, plan.stack, String(plan.outputs.tier), POLICIES);
  const planned = await evaluatePolicies(POLICIES, policyResources(plan), config);
  const key = (v: { policy: string; enforcementLevel: string; urn?: string; message: string }) => `${v.policy}|${v.enforcementLevel}|${v.urn ?? ""}|${v.message}`;
  expect(preview.diagnostics.map(key).sort()).toEqual(planned.map(key).sort());
}
