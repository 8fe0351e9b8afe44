// How a policy here is written: a name, a one-sentence description, the check, and, kept apart
// from what is wrong, a line on why it matters. Messages never echo a value that could be secret.
// Every policy is mandatory, and its settings are at production strength, unless a stack's policy
// config says otherwise: with no config at all the pack fails closed.
import {
  validateResourceOfType,
  type PolicyResource,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { typeRef } from "./types";

export type Area = "cost" | "security" | "reliability";

/** One setting of a policy, as JSON Schema; `default` is its production-strength value. */
export interface Setting {
  readonly type: "number" | "integer" | "boolean" | "array";
  readonly items?: { readonly type: "string" };
  readonly minimum?: number;
  readonly default?: unknown;
  readonly description: string;
}

interface Meta<S extends Record<string, Setting> = Record<string, Setting>> {
  /** kebab-case, `<area>-<resource>-<verb>-<noun>`. */
  readonly name: string;
  /** One sentence: what the policy holds every stack to. */
  readonly description: string;
  /** One sentence: why it matters, printed on its own line after what is wrong. */
  readonly why: string;
  /** What a stack's policy config may set, each with its production default. */
  readonly settings?: S;
}

/** The settings a policy runs with: its defaults, overridden by the stack's policy config. */
export type SettingsOf<S> = { readonly [K in keyof S]: any };

export type PlatformResourcePolicy = ResourceValidationPolicy & { readonly why: string; readonly area: Area };
export type PlatformStackPolicy = StackValidationPolicy & { readonly why: string; readonly area: Area };
export type PlatformPolicy = PlatformResourcePolicy | PlatformStackPolicy;

type Props = Record<string, any>;

function areaOf(name: string): Area {
  const area = name.split("-")[0];
  if (area !== "cost" && area !== "security" && area !== "reliability") throw new Error(`Policy ${name} must start with cost-, security- or reliability-.`);
  return area;
}

/** What every policy carries: its names, the why, its area, mandatory, and the schema of its settings. */
function common(meta: Meta) {
  return {
    name: meta.name,
    description: meta.description,
    why: meta.why,
    area: areaOf(meta.name),
    enforcementLevel: "mandatory" as const,
    // Unknown settings are refused (by the CLI and by the plan), so a misspelt one cannot silently do nothing.
    configSchema: { properties: { ...(meta.settings ?? {}) }, additionalProperties: false } as never,
  };
}

function settingsOf<S extends Record<string, Setting>>(meta: Meta<S>, getConfig: () => unknown): SettingsOf<S> {
  const defaults = Object.fromEntries(
    Object.entries(meta.settings ?? {})
      .filter(([, s]) => s.default !== undefined)
      .map(([k, s]) => [k, s.default]),
  );
  return { ...defaults, ...(getConfig() as object) } as SettingsOf<S>;
}

/** A policy over each resource of one type. `violate(what)` reports what is wrong; the why is added. */
export function resourcePolicy<S extends Record<string, Setting>>(
  meta: Meta<S> & { readonly type: string },
  check: (props: Props, violate: (what: string) => void, settings: SettingsOf<S>, args: ResourceValidationArgs) => void,
): PlatformResourcePolicy {
  return {
    ...common(meta),
    validateResource: validateResourceOfType(typeRef(meta.type), (props, args, report) =>
      check(props as Props, (what) => report(`${what}\n${meta.why}`), settingsOf(meta, args.getConfig), args),
    ),
  };
}

/** A policy over the whole stack. `violate(what, resource?)` reports what is wrong, on a resource if given. */
export function stackPolicy<S extends Record<string, Setting>>(
  meta: Meta<S>,
  check: (
    resources: readonly PolicyResource[],
    violate: (what: string, resource?: PolicyResource) => void,
    settings: SettingsOf<S>,
    args: StackValidationArgs,
  ) => void,
): PlatformStackPolicy {
  return {
    ...common(meta),
    validateStack: (args, report) =>
      check(args.resources, (what, resource) => report(`${what}\n${meta.why}`, resource?.urn), settingsOf(meta, args.getConfig), args),
  };
}

/** The resources of one type. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

const childrenCache = new WeakMap<readonly PolicyResource[], Map<PolicyResource | undefined, PolicyResource[]>>();

/** Resources with the same parent component as `resource` (its siblings); indexed once per stack. */
export function siblings(resources: readonly PolicyResource[], resource: PolicyResource): PolicyResource[] {
  let byParent = childrenCache.get(resources);
  if (!byParent) {
    byParent = new Map();
    for (const r of resources) {
      const list = byParent.get(r.parent) ?? [];
      list.push(r);
      byParent.set(r.parent, list);
    }
    childrenCache.set(resources, byParent);
  }
  if (resource.parent === undefined) return [];
  return (byParent.get(resource.parent) ?? []).filter((r) => r !== resource);
}

/** Whether `resource` sits somewhere under a component of type `type`. */
export function isUnder(resource: PolicyResource, type: string): boolean {
  for (let p = resource.parent; p; p = p.parent) if (p.type === type) return true;
  return false;
}
