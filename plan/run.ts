// Runs the real program for one stack under Pulumi's mock runtime, answered the way the engine
// answers a preview of a new stack (engine URNs; computed and generated values unknown; declared
// secrets marked), and records every resource it registers.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { unknownValue, specialSigKey, specialSecretSig, specialResourceSig } from "@pulumi/pulumi/runtime/rpc";
import * as sdkSettings from "@pulumi/pulumi/runtime/settings";
import * as sdkState from "@pulumi/pulumi/runtime/state";

// Two SDK internals the mock runtime needs and the SDK's typings leave out: the store that holds
// the monitor, and the wait for outstanding registrations.
const { getStore } = sdkState as unknown as { getStore(): { settings: { monitor: unknown } } };
const { waitForRPCs } = sdkSettings as unknown as { waitForRPCs(): Promise<void> };

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** The URNs it waits for (explicit dependsOn and the resources its inputs come from). */
  readonly dependencies: readonly string[];
  /** Inputs as JSON; every secret is "[secret]" and every value unknown at preview is "[unknown]". */
  readonly inputs: Record<string, unknown>;
  /**
   * Inputs as a policy sees them at preview: secrets unwrapped (offline they are only stand-ins),
   * unknown values as the engine's unknown marker. Never printed.
   */
  readonly policyProps: Record<string, unknown>;
  /**
   * A digest of its secret values (offline, the stand-ins of the stack file's ciphertexts), so a
   * rotated secret shows as a change without its value; absent when it holds no known secret.
   */
  readonly secretDigest?: string;
}

/** A run's resources as the policy pack and the cost model see them. */
export function policyResources(
  run: Pick<StackRun, "resources">,
): Array<{ type: string; urn: string; name: string; props: Record<string, unknown>; parent: string | null; protect: boolean }> {
  return run.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.policyProps, parent: r.parent, protect: r.protect }));
}

export interface StackRun {
  readonly stack: string;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
  readonly warnings: string[];
  /** Set when the program failed (for example, invalid config). */
  readonly error?: unknown;
}

export interface RunOptions {
  readonly program: string;
  /** The stand-in of secure values this run was given, left out of secret digests (it differs from run to run). */
  readonly standIn?: string;
  /** The project directory, where Pulumi runs the program (and where it finds the stack file); default: as it is. */
  readonly dir?: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
}

/** Walks serialized property values, turning secrets, resource references and unknowns as told. */
function convert(value: unknown, on: { secret: (inner: unknown) => unknown; unknown: unknown }): unknown {
  if (value === unknownValue) return on.unknown;
  if (Array.isArray(value)) return value.map((v) => convert(v, on));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const sig = record[specialSigKey];
    if (sig === specialSecretSig) return on.secret(record.value);
    if (sig === specialResourceSig) return record.urn ?? on.unknown;
    if (sig !== undefined) return on.unknown;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = convert(v, on);
    return out;
  }
  return value;
}

/**
 * A digest of the secret values in `value` (and of its properties declared secret), with the
 * run's stand-in taken out; undefined when it holds no secret.
 */
export function secretDigest(value: unknown, secretProperties: readonly string[], standIn?: string): string | undefined {
  const found: unknown[] = [];
  const plainOn = { secret: (inner: unknown): unknown => convert(inner, plainOn), unknown: UNKNOWN };
  convert(value, { secret: (inner) => (found.push(convert(inner, plainOn)), SECRET), unknown: UNKNOWN });
  if (typeof value === "object" && value !== null)
    for (const key of secretProperties) if (key in value) found.push(convert((value as Record<string, unknown>)[key], plainOn));
  if (found.length === 0) return undefined;
  let text = JSON.stringify(found);
  if (standIn) text = text.split(standIn).join("");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Every leaf of a value as "[secret]", its shape (the names in a map of secrets) kept. */
function secretLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(secretLeaves);
  if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === undefined) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretLeaves(v)]));
  }
  return SECRET;
}

/**
 * Serialized inputs as plan JSON: every secret "[secret]", known or not, and every unknown
 * "[unknown]". An unknown value carries no secret mark on the wire, so the properties a resource
 * declares secret (`additionalSecretOutputs`) show "[secret]" in every leaf whatever they hold.
 */
export function toPlanValue(value: unknown, secretProperties: readonly string[] = []): unknown {
  const converted = convert(value, { secret: () => SECRET, unknown: UNKNOWN });
  if (secretProperties.length === 0 || typeof converted !== "object" || converted === null || Array.isArray(converted)) return converted;
  const out = { ...(converted as Record<string, unknown>) };
  for (const key of secretProperties) if (key in out) out[key] = secretLeaves((value as Record<string, unknown>)[key]);
  return out;
}

/** Serialized values as a policy receives them: secrets unwrapped, unknowns as the engine's unknown marker. */
export function toPolicyValue(value: unknown): unknown {
  const on = { secret: (inner: unknown): unknown => convert(inner, on), unknown: unknownValue };
  return convert(value, on);
}

/**
 * The engine's URN for a resource: its type qualified by its parents' whole type chain (the root
 * stack's type left out), `urn:pulumi:<stack>::<project>::A$B$<type>::<name>`.
 */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Marks the listed top-level properties of a serialized object secret, as the engine does with `additionalSecretOutputs`. */
function markSecret(state: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...state };
  for (const key of keys) {
    const v = out[key];
    if (key in out && !(typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig)) {
      out[key] = { [specialSigKey]: specialSecretSig, value: v };
    }
  }
  return out;
}

/**
 * A resource monitor that answers as the engine does during a preview of a new stack: every
 * resource gets the engine's URN; a custom resource's outputs are its inputs (what a provider that
 * cannot preview returns), with what it declares secret marked, and everything it would compute
 * unknown (a generated password included); a component's are empty until it registers them.
 */
class RecordingMonitor extends MockMonitor {
  readonly recorded: PlannedResource[] = [];
  stackOutputs: Record<string, unknown> = {};
  private readonly known = new Set<string>();
  /** The run's stand-in of secure values, left out of secret digests. */
  standIn?: string;

  private urnOf(parent: string, type: string, name: string): string {
    return engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
  }

  override registerResourceOutputs(req: any, callback: (err: any, response: any) => void): void {
    if (!this.known.has(req.getUrn())) return callback(new Error(`unknown resource ${req.getUrn()}`), undefined);
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      this.stackOutputs = toPlanValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    callback(null, new Empty());
  }

  override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    try {
      const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
      if (this.known.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      this.known.add(urn);
      const raw: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
      const custom: boolean = req.getCustom();
      const secretOutputs: string[] = req.getAdditionalsecretoutputsList();
      const digest = secretDigest(raw, secretOutputs, this.standIn);
      this.recorded.push({
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || null,
        custom,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        dependencies: [...(req.getDependenciesList() as string[])].sort(),
        inputs: toPlanValue(raw, secretOutputs) as Record<string, unknown>,
        policyProps: toPolicyValue(raw) as Record<string, unknown>,
        ...(digest !== undefined ? { secretDigest: digest } : {}),
      });
      const response = new RegisterResourceResponse();
      response.setUrn(urn);
      response.setId("");
      response.setObject(Struct.fromJavaScript((custom ? markSecret(raw, secretOutputs) : {}) as never));
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }
}

/** Data sources (a GitHub team's id, say) are looked up for real at preview time; offline, what they would return is unknown. */
const mocks: pulumi.runtime.Mocks = {
  newResource: () => ({ id: undefined, state: {} }),
  call: (args) => ({ ...args.inputs, id: unknownValue, nodeId: unknownValue }),
};

let loaderReady = false;

/**
 * When the plan itself runs compiled (from `dist/`, as `npm run plan` runs it), the program's
 * compiled twin in the same build: `<root>/index.ts` → `<root>/dist/index.js`.
 */
export function compiledProgram(program: string, planDir: string = __dirname): string | undefined {
  if (!program.endsWith(".ts") || !__filename.endsWith(".js")) return undefined;
  const dist = path.resolve(planDir, "..");
  const root = path.resolve(dist, "..");
  const relative = path.relative(root, program);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  const candidate = path.join(dist, relative.replace(/\.ts$/, ".js"));
  return existsSync(candidate) ? candidate : undefined;
}

/** Loads the program the way `pulumi up` does: plain Node CommonJS, no test-runner transform. */
function loadProgram(source: string): unknown {
  const program = compiledProgram(source) ?? source;
  const req = createRequire(program);
  if (!loaderReady && program.endsWith(".ts") && !req.extensions[".ts"]) {
    // Transpile-only, as Pulumi's runtime does with `noCheck`; types are checked by `tsc`.
    (req("tsx/cjs/api") as { register(): void }).register();
    loaderReady = true;
  }
  delete req.cache[req.resolve(program)];
  return req(program);
}

/** Runs the program once for one stack. Not re-entrant: stacks run one after another. */
export async function runStack(options: RunOptions): Promise<StackRun> {
  const monitor = new RecordingMonitor(mocks);
  if (options.standIn) monitor.standIn = options.standIn;
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, true);
  getStore().settings.monitor = monitor;
  pulumi.runtime.setAllConfig(options.config, [...options.secretKeys]);

  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    warnings.push(text.replace(/^warning: \[runtime\] /, ""));
  };
  let error: unknown;
  const cwd = process.cwd();
  if (options.dir) process.chdir(options.dir);
  // The plan needs no credential and never holds one: a GitHub token in the environment would reach
  // the program, which hands it to the provider (as a secret, but still a value the plan would see).
  const githubToken = process.env.GITHUB_TOKEN;
  delete process.env.GITHUB_TOKEN;
  try {
    // The program's own failure (a ConfigError, say) is caught inside the stack's init, so the
    // stack still completes and no promise is left rejected behind it.
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return loadProgram(options.program) as Record<string, unknown>;
      } catch (err) {
        error = err;
        return {};
      }
    });
    await waitForRPCs();
  } catch (err) {
    error ??= err;
  } finally {
    console.warn = originalWarn;
    process.chdir(cwd);
    if (githubToken !== undefined) process.env.GITHUB_TOKEN = githubToken;
  }
  return {
    stack: options.stack,
    resources: monitor.recorded,
    outputs: monitor.stackOutputs,
    warnings,
    ...(error !== undefined ? { error } : {}),
  };
}
