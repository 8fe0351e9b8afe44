// The program's side of the `platform` provider: a resource class per kind, built from the kind
// (its token, its outputs, its secret outputs), and the provider resource the resources go through.
import * as pulumi from "@pulumi/pulumi";
import type { In, Kind } from "./kind";

/** A kind's resource: its outputs as Pulumi outputs. */
export type ResourceOf<O> = pulumi.CustomResource & { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

export interface ResourceClass<I, O> {
  new (name: string, args: In<I>, opts?: pulumi.CustomResourceOptions): ResourceOf<O>;
}

/** The resource class of a kind: registered with its token, its outputs unknown until it exists, its secret outputs marked. */
export function resourceClass<I, O>(kind: Kind<I, O>): ResourceClass<I, O> {
  class KindResource extends pulumi.CustomResource {
    constructor(name: string, args: In<I>, opts?: pulumi.CustomResourceOptions) {
      const outputs = Object.fromEntries(kind.outputs.map((k) => [k, undefined]));
      super(kind.token, name, { ...outputs, ...args }, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...kind.secretOutputs] });
    }
  }
  Object.defineProperty(KindResource, "name", { value: kind.token.split(":").at(-1) });
  return KindResource as unknown as ResourceClass<I, O>;
}

export interface PlatformProviderArgs {
  /** Railway's GraphQL endpoint; the plugin's RAILWAY_API_URL, else Railway's. */
  readonly railwayApiUrl?: pulumi.Input<string>;
  /** A Railway account or workspace token; the plugin's RAILWAY_API_TOKEN when left out. Kept a secret. */
  readonly railwayApiToken?: pulumi.Input<string>;
  /** Supabase's Management API; the plugin's SUPABASE_API_URL, else Supabase's. */
  readonly supabaseApiUrl?: pulumi.Input<string>;
  /** A Supabase personal access token; the plugin's SUPABASE_ACCESS_TOKEN when left out. Kept a secret. */
  readonly supabaseAccessToken?: pulumi.Input<string>;
}

/**
 * The `platform` provider plugin (provider/, named in Pulumi.yaml), as an explicit provider: its
 * resources go through it rather than a default provider, which would be handed every `platform:`
 * key of the stack's config as its own. Tokens given here are kept secrets; left out, the plugin
 * reads them from its environment at each call, and they never reach the state.
 */
export class PlatformProvider extends pulumi.ProviderResource {
  constructor(name: string, args: PlatformProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    const secret = (value: pulumi.Input<string> | undefined) => (value === undefined ? undefined : pulumi.secret(value));
    super("platform", name, { ...args, railwayApiToken: secret(args.railwayApiToken), supabaseAccessToken: secret(args.supabaseAccessToken) }, opts);
  }
}
