// Runs the real program for one stack under Pulumi's mock runtime, as `pulumi preview` would run it
// (preview mode: computed values are unknown), and records every resource it registers.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
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
/** What a dynamic resource's `__provider` input (its serialized provider module) shows as in the plan. */
export const PROVIDER_CODE = "[provider code]";

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** Inputs as JSON; every secret is "[secret]" and every value unknown at preview is "[unknown]". */
  readonly inputs: Record<string, unknown>;
  /**
   * Inputs as a policy sees them at preview: secrets unwrapped (offline they are only stand-ins),
   * unknown values as the engine's unknown marker. Never printed.
   */
  readonly policyProps: Record<string, unknown>;
}

/** A run's resources as the policy pack and the cost model see them. */
export function policyResources(run: Pick<StackRun, "resources">): Array<{ type: string; urn: string; name: string; props: Record<string, unknown>; parent: string | null; protect: boolean }> {
  return run.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.policyProps, parent: r.parent, protect: r.protect }));
}

export interface StackRun {
  readonly stack: string;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
  readonly warnings: string[];
  /**
   * Each dynamic resource's serialized provider (its `__provider` input), by URN: the module text
   * Pulumi's dynamic-provider host loads. A secret input; never part of the printed plan.
   */
  readonly providerSources: Readonly<Record<string, string>>;
  /** Set when the program failed (for example, invalid config). */
  readonly error?: unknown;
}

export interface RunOptions {
  readonly program: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** The value secret outputs and `secure:` config stand in as; it must never be printed. */
  readonly secretStandIn: string;
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

/** Serialized values as plan JSON: every secret "[secret]", every unknown "[unknown]". */
export function toPlanValue(value: unknown): unknown {
  return convert(value, { secret: () => SECRET, unknown: UNKNOWN });
}

/** Serialized values as a policy receives them: secrets unwrapped, unknowns as the engine's marker. */
export function toPolicyValue(value: unknown): unknown {
  const on = { secret: (inner: unknown): unknown => convert(inner, on), unknown: unknownValue };
  return convert(value, on);
}

/**
 * Does what the engine does and the SDK's mock monitor does not: marks the outputs a resource lists
 * in `additionalSecretOutputs` as secrets before the program sees them.
 */
function markSecretOutputs(response: { getObject(): { toJavaScript(): Record<string, unknown> } | undefined; setObject(s: unknown): void }, keys: readonly string[]): void {
  const state = response.getObject()?.toJavaScript();
  if (!state || keys.length === 0) return;
  let changed = false;
  for (const key of keys) {
    if (key in state && !(typeof state[key] === "object" && state[key] !== null && (state[key] as Record<string, unknown>)[specialSigKey] === specialSecretSig)) {
      state[key] = { [specialSigKey]: specialSecretSig, value: state[key] };
      changed = true;
    }
  }
  if (changed) response.setObject(Struct.fromJavaScript(state as never));
}

function withoutProvider(raw: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _code, ...rest } = raw;
  return rest;
}

class RecordingMonitor extends MockMonitor {
  readonly recorded: PlannedResource[] = [];
  readonly providerSources: Record<string, string> = {};
  stackOutputs: Record<string, unknown> = {};

  override registerResourceOutputs(req: any, callback: (err: any, response: any) => void): void {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      this.stackOutputs = toPlanValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    super.registerResourceOutputs(req, callback);
  }

  override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    await super.registerResource(req, (err: unknown, response: any) => {
      if (!err && response) {
        markSecretOutputs(response, req.getAdditionalsecretoutputsList());
        const raw = req.getObject()?.toJavaScript() ?? {};
        const provider = raw.__provider;
        if (provider !== undefined) {
          this.providerSources[response.getUrn()] = typeof provider === "string" ? provider : provider.value;
        }
        this.recorded.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || null,
          custom: req.getCustom(),
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          inputs: toPlanValue(provider === undefined ? raw : { ...raw, __provider: PROVIDER_CODE }) as Record<string, unknown>,
          policyProps: toPolicyValue(withoutProvider(raw)) as Record<string, unknown>,
        });
      }
      callback(err, response);
    });
  }
}

/**
 * Outputs that providers mark secret. The plan fills them with the run's stand-in so that values
 * derived from them (a connection URL, say) stay marked secret, and so that any path by which one
 * could reach the output unmasked is caught: the CLI refuses to print a plan holding the stand-in.
 */
const SECRET_OUTPUTS: Record<string, readonly string[]> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
  "random:index/randomBytes:RandomBytes": ["hex", "base64"],
};

function mocksFor(secretStandIn: string): pulumi.runtime.Mocks {
  return {
    // As in a preview of a create: the engine knows the inputs and nothing it would compute,
    // except that a secret stays a secret.
    newResource: (args) => ({
      id: undefined,
      state: Object.fromEntries((SECRET_OUTPUTS[args.type] ?? []).map((key) => [key, secretStandIn])),
    }),
    // Data sources (a GitHub team's id, say) are looked up for real at preview time; offline,
    // what they would return is unknown.
    call: (args) => ({ ...args.inputs, id: unknownValue, nodeId: unknownValue }),
  };
}

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
  const mocks = mocksFor(options.secretStandIn);
  const monitor = new RecordingMonitor(mocks);
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
  }
  return {
    stack: options.stack,
    resources: monitor.recorded,
    outputs: monitor.stackOutputs,
    warnings,
    providerSources: monitor.providerSources, ...(error !== undefined ? { error } : {}) };
}
