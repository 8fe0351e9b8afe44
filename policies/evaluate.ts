// Runs the pack's policies in process over a stack's resources, the way the policy analyzer does
// during `pulumi preview` (enforcement levels from the stack's policy config, resource policies on
// each resource, stack policies on all, unknown values behind the same checking proxy), without
// the analyzer's gRPC server, which a process can start only once.
import { unknownCheckingProxy, UnknownValueError, type EnforcementLevel, type PolicyResource } from "@pulumi/policy";
import { PACK } from "./all";
import type { PlatformPolicy } from "./policy";

export interface EvaluatedResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** Inputs as the analyzer sees them at preview (unknowns as the engine's unknown marker). */
  readonly props: Record<string, unknown>;
  readonly parent: string | null;
  readonly protect: boolean;
}

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn?: string;
  /** As the analyzer words it: the policy's description, what is wrong, and why it matters, a line each. */
  readonly message: string;
}

/** What is wrong and why it matters, from a violation's message (its description line left out). */
export function violationDetail(v: Violation): { what: string; why?: string } {
  const lines = v.message.split("\n");
  const detail = lines.length >= 3 ? lines.slice(1) : lines;
  return { what: detail[0]!, ...(detail[1] !== undefined ? { why: detail[1] } : {}) };
}

/** A stack's policy config, as `--policy-pack-config` takes it: per policy a level or `{ enforcementLevel, …settings }`, and `all`. */
export type PolicyPackConfig = Readonly<Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>>;

function settingsOf(config: PolicyPackConfig, name: string): { level?: EnforcementLevel; settings: Record<string, unknown> } {
  const entry = config[name];
  if (entry === undefined) return { settings: {} };
  if (typeof entry === "string") return { level: entry, settings: {} };
  const { enforcementLevel, ...settings } = entry;
  return { ...(enforcementLevel ? { level: enforcementLevel } : {}), settings };
}

class NotApplicable extends Error {}

function notApplicable(): never {
  throw new NotApplicable();
}

function pulumiTypeOf(fn: unknown): string | undefined {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = pulumiTypeOf(resourceClass);
  return t !== undefined && t === type;
}

/** Evaluates every policy on the resources; returns what they report, as the analyzer would. */
export async function evaluatePolicies(
  policies: readonly PlatformPolicy[],
  resources: readonly EvaluatedResource[],
  config: PolicyPackConfig,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const all = settingsOf(config, "all").level;
  const stackTags = new Map<string, string>();
  // Stack policies see resources linked to their parents, as the analyzer builds them.
  let stackResources: PolicyResource[] | undefined;
  const linked = (): PolicyResource[] => {
    if (stackResources) return stackResources;
    const byUrn = new Map<string, PolicyResource & { parent?: PolicyResource }>();
    for (const r of resources) {
      const props = unknownCheckingProxy(r.props);
      byUrn.set(r.urn, {
        type: r.type,
        urn: r.urn,
        name: r.name,
        props,
        opts: { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] } as never,
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
      } as never);
    }
    for (const r of resources) if (r.parent && byUrn.has(r.parent)) byUrn.get(r.urn)!.parent = byUrn.get(r.parent);
    stackResources = [...byUrn.values()];
    return stackResources;
  };

  for (const policy of policies) {
    const { level: configured, settings } = settingsOf(config, policy.name);
    const level = configured ?? all ?? policy.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    // As the analyzer reports it: the policy's description, then what the policy said.
    const report = (message: string, urn?: string) =>
      violations.push({
        policy: policy.name,
        enforcementLevel: level === "remediate" ? "mandatory" : level,
        ...(urn ? { urn } : {}),
        message: message ? `${policy.description}\n${message}` : policy.description,
      });
    const cannotRun = (err: UnknownValueError, urn?: string) =>
      violations.push({
        policy: policy.name,
        enforcementLevel: "advisory",
        ...(urn ? { urn } : {}),
        message: `can't run policy '${policy.name}' from policy pack '${PACK.name}@v${PACK.version}' during preview: ${err.message}`,
      });
    const getConfig = <T>() => settings as T;

    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      const onlyType = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
      for (const r of resources) {
        if (onlyType && r.type !== onlyType) continue;
        const props = unknownCheckingProxy(r.props);
        const args = {
          type: r.type,
          props,
          urn: r.urn,
          name: r.name,
          opts: { protect: r.protect } as never,
          stackTags,
          isType: (cls: unknown) => isTypeOf(r.type, cls),
          asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
          getConfig,
          notApplicable,
        };
        for (const validate of validations) {
          try {
            await validate(args as never, (message: string) => report(message, r.urn));
          } catch (err) {
            if (err instanceof UnknownValueError) cannotRun(err, r.urn);
            else if (!(err instanceof NotApplicable)) throw err;
          }
        }
      }
    } else if ("validateStack" in policy && policy.validateStack) {
      try {
        await policy.validateStack({ resources: linked(), getConfig, stackTags, notApplicable } as never, (message: string, urn?: string) =>
          report(message, urn),
        );
      } catch (err) {
        if (err instanceof UnknownValueError) cannotRun(err);
        else if (!(err instanceof NotApplicable)) throw err;
      }
    }
  }
  return violations;
}
