// `npm run plan`: the offline plan. Runs the real program (the directory's Pulumi.yaml `main`) for
// each stack under Pulumi's mock runtime, with no credentials and no cloud, then the policy pack
// and the cost model over what it declares (with `<dir>/policies/config/<stack>.json`, else the
// stack's tier's file), and prints what `pulumi up` would create, its monthly cost against the
// budget, and what the policies report. Exit 0: fine; 1: a mandatory policy fails; 2: invalid
// configuration, stack files or policy config; 3: the program failed for another reason.
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { POLICIES } from "../policies/all";
import { estimateCost } from "../policies/cost/model";
import { evaluatePolicies, type PolicyPackConfig, type Violation } from "../policies/evaluate";
import { ConfigError, UserError } from "../config/errors";
import { urnType } from "../components/urn";
import { diffStack, readBase, type JsonStack } from "./diff";
import { DESTRUCTIVE_CHANGE_POLICY, confirmationOf, declaredAs, gate, offlineChanges } from "./gate";
import { EXIT, runAsCli } from "./exit";
import { ownershipProblems } from "./ownership";
import { policyConfigFor } from "./policy-config";
import { renderMarkdown, renderText, toJson, type StackPlan } from "./render";
import { policyResources, runStack, type StackRun } from "./run";
import { readProjectDir } from "./stacks";

const USAGE = `Usage: npm run plan -- [--dir DIR] [--stack NAME] [--base FILE] [--max-increase-usd N] [--json | --markdown]

  --dir DIR               a Pulumi project directory (default: .); its Pulumi.yaml 'main' names the program
  --stack NAME            plan only Pulumi.NAME.yaml, or several: dev,staging (default: every Pulumi.<stack>.yaml in DIR)
  --base FILE             compare with an earlier plan (its --json output, e.g. of the base commit): what each
                          stack creates, updates and deletes, and what its monthly cost changes by
  --max-increase-usd N    with --base: a stack whose monthly cost rises by more than N USD breaks the mandatory
                          policy cost-increase-within-limit (exit 1)
  --json                  print {"format","stacks":[{"stack","tier","resources":[{"urn","type","name","parent","inputs"}],"diff"}]}
  --markdown              print Markdown for a pull-request comment or a job summary`;

/** The cost gate, reported among the policies: a stack's monthly cost may rise by at most the limit. */
export const COST_INCREASE_POLICY = {
  name: "cost-increase-within-limit",
  description: "A change raises no stack's estimated monthly cost by more than the limit set for it (--max-increase-usd).",
  why: "Cost arrives in small diffs (a replica here, a larger size there); over the limit, someone decides on purpose.",
} as const;

export { EXIT };

const TIER_ORDER = ["dev", "staging", "production"];

function stackOrder(name: string): [number, string] {
  const i = TIER_ORDER.indexOf(name);
  return [i >= 0 ? i : name === "pr" || name.startsWith("pr-") ? 3 : 4, name];
}

interface ConfigErrorLike {
  name: string;
  message: string;
  problems: { key: string; message: string }[];
}

function isConfigError(err: unknown): err is ConfigErrorLike {
  return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as Partial<ConfigErrorLike>).problems);
}

/** The stack's cost and what the policy pack reports, from the same resources `pulumi preview` would see. */
async function checkStack(run: StackRun, config: PolicyPackConfig) {
  const resources = policyResources(run);
  const cost = estimateCost(resources);
  const violations = await evaluatePolicies(POLICIES, resources, config);
  return { cost, violations };
}

/** The budget the policy config holds, else the stack's own `platform:budget`. */
function budgetOf(config: PolicyPackConfig, run: StackRun): number | null {
  const entry = config["cost-stack-within-budget"];
  if (entry && typeof entry === "object" && typeof entry.budgetUsd === "number") return entry.budgetUsd;
  return typeof run.outputs.budgetUsd === "number" ? run.outputs.budgetUsd : null;
}

/** The stack's policy config, or the problems that keep it from being planned. */
function policyConfig(dir: string, stack: string, tier: string | null): { file: string; config: PolicyPackConfig } | { problems: readonly string[] } {
  if (tier === null) return { problems: [`Stack '${stack}': its tier is unknown, so no policy config can be chosen.`] };
  try {
    return policyConfigFor(dir, stack, tier, POLICIES);
  } catch (err) {
    if (err instanceof UserError) return { problems: err.problems };
    throw err;
  }
}

/** Text for stderr, held until the plan is done so the leak check covers it like stdout. */
class HeldOutput {
  private readonly parts: string[] = [];
  write(text: string): void {
    this.parts.push(text);
  }
  text(): string {
    return this.parts.join("");
  }
}

/** The plan of `argv`: its exit code and what it prints on stdout and stderr. Not re-entrant (see runStack). */
export async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stderr = new HeldOutput();
  const { code, stdout, standIn } = await plan(argv, stderr);
  if (standIn !== undefined && (stdout.includes(standIn) || stderr.text().includes(standIn))) {
    // A secret's stand-in reached the plan, a warning or an error unmarked: a bug in the program or the plan.
    return {
      code: EXIT.failure,
      stdout: "",
      stderr: "Refusing to print the plan: a secret value would appear in it unmasked. This is a bug; please report it.\n",
    };
  }
  return { code, stdout, stderr: stderr.text() };
}

export async function main(argv: string[]): Promise<number> {
  const { code, stdout, stderr } = await run(argv);
  process.stderr.write(stderr);
  process.stdout.write(stdout);
  return code;
}

/**
 * Each planned stack with its diff against the base, the base's other stacks as removed (when every
 * stack is planned), the cost gate's violation where a stack's cost rises over the limit, and the
 * destructive-change gate's for each resource holding data the change deletes or replaces unconfirmed.
 */
async function compareWithBase(
  plans: readonly StackPlan[],
  base: readonly JsonStack[],
  o: { project: string; file: string; everyStack: boolean; limit?: number },
): Promise<StackPlan[]> {
  const compared: StackPlan[] = [];
  for (const p of plans) {
    const before = base.find((b) => b.stack === p.stack);
    compared.push(p.errors.length > 0 ? p : { ...p, diff: diffStack(before, p), violations: [...(p.violations ?? []), ...(await destructive(before, p))] });
  }
  if (o.everyStack) {
    for (const b of base.filter((b) => !plans.some((p) => p.stack === b.stack))) {
      compared.push({
        stack: b.stack,
        project: o.project,
        file: o.file,
        tier: b.tier ?? null,
        resources: [],
        outputs: {},
        warnings: [],
        errors: [],
        removed: true,
        diff: diffStack(b, undefined),
      });
    }
  }
  return compared.map((p) => {
    if (o.limit === undefined || !p.diff || p.diff.costDeltaUsd <= o.limit) return p;
    const message = `${COST_INCREASE_POLICY.description}\nThe estimated monthly cost rises by $${p.diff.costDeltaUsd.toFixed(2)}, over the limit of $${o.limit.toFixed(2)}.\n${COST_INCREASE_POLICY.why}`;
    return { ...p, violations: [...(p.violations ?? []), { policy: COST_INCREASE_POLICY.name, enforcementLevel: "mandatory" as const, message }] };
  });
}

/** The destructive-change gate over the stack's change from its base: one mandatory violation per unconfirmed loss. */
async function destructive(before: JsonStack | undefined, p: StackPlan): Promise<Violation[]> {
  const confirmation = confirmationOf(p.resources.find((r) => r.type === "platform:index:Platform")?.inputs);
  if (!before || !confirmation) return [];
  const { changes, refused } = await offlineChanges(before.resources, p.resources);
  const declared = [...before.resources, ...p.resources].map((r) => declaredAs(r.urn, r.type ?? urnType(r.urn), r.parent));
  const { blocked } = gate(changes, declared, confirmation);
  return [...refused, ...blocked].map(({ urn, message }) => ({
    policy: DESTRUCTIVE_CHANGE_POLICY.name,
    enforcementLevel: "mandatory" as const,
    urn,
    message: `${DESTRUCTIVE_CHANGE_POLICY.description}\n${message}\n${DESTRUCTIVE_CHANGE_POLICY.why}`,
  }));
}

async function plan(argv: string[], stderr: HeldOutput): Promise<{ code: number; stdout: string; standIn?: string }> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        dir: { type: "string", default: "." },
        stack: { type: "string" },
        json: { type: "boolean", default: false },
        markdown: { type: "boolean", default: false },
        base: { type: "string" },
        "max-increase-usd": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return { code: EXIT.config, stdout: "" };
  }
  if (args.help) return { code: EXIT.ok, stdout: `${USAGE}\n` };
  if (args.json && args.markdown) {
    stderr.write(`--json and --markdown cannot be combined.\n${USAGE}\n`);
    return { code: EXIT.config, stdout: "" };
  }

  let limit: number | undefined;
  if (args["max-increase-usd"] !== undefined) {
    limit = Number(args["max-increase-usd"]);
    if (args["max-increase-usd"].trim() === "" || !Number.isFinite(limit) || limit < 0) {
      stderr.write(
        `--max-increase-usd ${JSON.stringify(args["max-increase-usd"])} is not an amount of USD; give a number of 0 or more, e.g. --max-increase-usd 25.\n`,
      );
      return { code: EXIT.config, stdout: "" };
    }
    if (args.base === undefined) {
      stderr.write(`--max-increase-usd needs --base FILE: the plan the increase is measured from.\n${USAGE}\n`);
      return { code: EXIT.config, stdout: "" };
    }
  }
  let base: readonly JsonStack[] | undefined;
  if (args.base !== undefined) {
    try {
      base = readBase(path.resolve(args.base));
    } catch (err) {
      if (err instanceof UserError) {
        stderr.write(`--base ${err.message}\n`);
        return { code: EXIT.config, stdout: "" };
      }
      throw err;
    }
  }

  // Secure values are never decrypted: each stands in as this token, which must never be printed.
  const standIn = `plan-stand-in-${randomBytes(12).toString("hex")}`;
  const dir = path.resolve(args.dir);
  let project;
  try {
    project = readProjectDir(dir, standIn, args.stack);
  } catch (err) {
    if (err instanceof UserError) {
      stderr.write(`${err.message}\n`);
      return { code: EXIT.config, stdout: "", standIn };
    }
    throw err;
  }

  const plans: StackPlan[] = [];
  let exit: number = EXIT.ok;
  const stacks = [...project.stacks].sort((a, b) => {
    const [x, y] = [stackOrder(a.name), stackOrder(b.name)];
    return x[0] - y[0] || x[1].localeCompare(y[1]);
  });
  for (const stack of stacks) {
    const run = await runStack({
      program: project.program,
      dir,
      project: project.project,
      stack: stack.name,
      config: stack.config,
      secretKeys: stack.secretKeys,
      standIn,
    });
    const errors: string[] = [];
    if (run.error !== undefined) {
      if (isConfigError(run.error)) {
        errors.push(...run.error.problems.map((p) => `${p.key}: ${p.message}`));
        stderr.write(`${run.error.message}\n\n`);
        exit = Math.max(exit, EXIT.config);
      } else {
        const message = run.error instanceof Error ? run.error.message : String(run.error);
        errors.push(message);
        stderr.write(`Stack '${stack.name}': the program failed: ${message}\n\n`);
        exit = Math.max(exit, EXIT.failure);
      }
    }
    const tier = typeof run.outputs.tier === "string" ? run.outputs.tier : null;
    let chosen: { file: string; config: PolicyPackConfig } | undefined;
    if (errors.length === 0) {
      const resolved = policyConfig(dir, stack.name, tier);
      if ("problems" in resolved) {
        errors.push(...resolved.problems);
        stderr.write(`${resolved.problems.join("\n")}\n\n`);
        exit = Math.max(exit, EXIT.config);
      } else chosen = resolved;
    }
    const checked = chosen ? await checkStack(run, chosen.config) : undefined;
    if (checked?.violations.some((v) => v.enforcementLevel === "mandatory")) exit = Math.max(exit, EXIT.policy);
    plans.push({
      stack: stack.name,
      project: project.project,
      file: path.relative(process.cwd(), stack.file) || stack.file,
      tier,
      resources: errors.length > 0 ? [] : run.resources,
      outputs: run.outputs,
      warnings: run.warnings,
      errors,
      ...(checked && chosen
        ? {
            cost: { ...checked.cost, budgetUsd: budgetOf(chosen.config, run) },
            violations: checked.violations,
            policyConfig: path.relative(process.cwd(), path.join(dir, chosen.file)),
          }
        : {}),
    });
  }

  // What two planned stacks would both own on GitHub refuses both, as invalid configuration.
  const shared = ownershipProblems(
    plans.filter((p) => p.errors.length === 0),
    args.stack === undefined ? stacks.map((s) => s.name) : undefined,
  );
  for (const [i, p] of plans.entries()) {
    const problems = shared.get(p.stack);
    if (!problems) continue;
    stderr.write(`${new ConfigError(p.stack, problems).message}\n\n`);
    exit = Math.max(exit, EXIT.config);
    const { cost: _cost, violations: _violations, policyConfig: _policyConfig, ...rest } = p;
    plans[i] = { ...rest, resources: [], errors: problems.map((q) => `${q.key}: ${q.message}`) };
  }

  const shown = base ? await compareWithBase(plans, base, { project: project.project, file: args.base!, everyStack: args.stack === undefined, limit }) : plans;
  const gates: string[] = [COST_INCREASE_POLICY.name, DESTRUCTIVE_CHANGE_POLICY.name];
  if (shown.some((p) => p.violations?.some((v) => gates.includes(v.policy)))) exit = Math.max(exit, EXIT.policy);

  const output = args.json ? `${JSON.stringify(toJson(shown), null, 2)}\n` : args.markdown ? renderMarkdown(shown) : shown.map(renderText).join("\n");
  return { code: exit, stdout: output, standIn };
}

runAsCli(module, main, true);
