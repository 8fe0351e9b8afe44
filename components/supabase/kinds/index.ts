// The registry of Supabase resource kinds: the one list of them. The provider that dispatches to
// each kind, the type tokens the policy pack and the plan tell resources apart by, and the test
// tables all come from here. Import kinds from this module, not from their files.
import type * as pulumi from "@pulumi/pulumi";
import { providerForKinds } from "../../provider-kit";
import * as branch from "./branch";
import * as network from "./network";
import * as project from "./project";
import * as settings from "./settings";

/** A resource's inputs, each of which may come from another resource. */
export type In<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** Each kind: its provider, and the class name in its type token `pulumi-nodejs:dynamic/supabase-<kind>:<Class>`. */
export const SUPABASE_KINDS = {
  project: { provider: project.provider, className: "Project" },
  settings: { provider: settings.provider, className: "Settings" },
  network: { provider: network.provider, className: "NetworkRestrictions" },
  branch: { provider: branch.provider, className: "Branch" },
} as const satisfies Record<string, { provider: pulumi.dynamic.ResourceProvider; className: string }>;

export type SupabaseKind = keyof typeof SUPABASE_KINDS;

/** The type token a kind's resources are registered with. */
export function supabaseType(kind: SupabaseKind): string {
  return `pulumi-nodejs:dynamic/supabase-${kind}:${SUPABASE_KINDS[kind].className}`;
}

/** One provider for every kind: Pulumi serializes it once for the whole program. */
export const supabaseProvider = providerForKinds(
  "Supabase",
  Object.fromEntries(Object.entries(SUPABASE_KINDS).map(([kind, k]) => [kind, k.provider])),
);

export { Branch } from "./branch";
export { effectiveCidrs, NetworkRestrictions, normalizeCidr } from "./network";
export { Project } from "./project";
export { extensionsSql, Settings } from "./settings";
