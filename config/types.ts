// The shapes parsing produces: the one validated config object the program runs on, and what the
// parser is given. Types only.
import type * as pulumi from "@pulumi/pulumi";
import type { Tier } from "./catalog";
import type { AdoptConfig, BudgetConfig, GithubConfig, RailwayConfig, RedisConfig, ServiceInput, SupabaseConfig } from "./schema";

export interface RepoSource {
  readonly kind: "repo";
  readonly repo: string;
  /** The branch Railway deploys; defaults to `platform:github.branch`. */
  readonly branch: string;
  readonly rootDirectory?: string;
  readonly dockerfile?: string;
}

/** A repo source before the stack's branch is known. */
export type ParsedRepoSource = Omit<RepoSource, "branch"> & { readonly branch?: string };

export interface ImageSource {
  readonly kind: "image";
  readonly image: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  /** How Railway pulls a private image: a user and the secret holding the token (built images: the owner and GHCR_TOKEN). */
  readonly registryCredentials?: { readonly username: string; readonly secret: string };
}

export interface ServiceConfig extends Omit<ServiceInput, "source"> {
  readonly name: string;
  readonly source: RepoSource | ImageSource;
}

export interface GeneratedSecretConfig {
  readonly kind: "generated";
  readonly name: string;
  readonly bytes: number;
  readonly rotateDays: number;
}

export interface SuppliedSecretConfig {
  readonly kind: "supplied";
  readonly name: string;
  /** Always a Pulumi secret; unknown during a preview when the value has not been set yet. */
  readonly value: pulumi.Output<string>;
}

export type SecretConfig = GeneratedSecretConfig | SuppliedSecretConfig;

/** The stack's whole configuration, validated, with tier defaults filled in. */
export interface PlatformConfig {
  readonly project: string;
  readonly stack: string;
  readonly tier: Tier;
  readonly budget: BudgetConfig;
  readonly github: GithubConfig;
  readonly railway: RailwayConfig & { readonly project: string; readonly environment: string };
  readonly services: readonly ServiceConfig[];
  readonly redis?: RedisConfig;
  readonly supabase?: SupabaseConfig & {
    /** The Supabase project's name. */
    readonly project: string;
    /** Preview stacks: the project whose branch they get. */
    readonly parentProject?: string;
  };
  readonly secrets: readonly SecretConfig[];
  /** What the stack takes over by id instead of creating (`platform:adopt`, written by `npm run import`). */
  readonly adopt?: AdoptConfig;
  /** Resources (by name) this change may delete or replace though they hold data (`platform:confirmDestructive`). */
  readonly confirmDestructive: readonly string[];
}

export interface ParseContext {
  readonly project: string;
  readonly stack: string;
  /** Top-level keys (without `platform:`) that Pulumi marks secret because they hold a `secure:` leaf. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Where exactly the `secure:` leaves are (`platform:secrets.X.value`), when the stack file could be
   * read; Pulumi itself says only which top-level keys hold one. Without it, a whole secret key counts.
   */
  readonly secureLeaves?: ReadonlySet<string>;
  /** True during `pulumi preview`: a supplied secret that is not set yet is a warning, not an error. */
  readonly dryRun: boolean;
  readonly warn?: (message: string) => void;
  /**
   * A preview stack's pull-request head branch, from the environment (PLATFORM_GIT_BRANCH, or
   * GITHUB_HEAD_REF in a pull-request workflow); `platform:supabase.gitBranch` takes precedence.
   */
  readonly headBranch?: string;
}

/** A service as its keys parse, before the stack's branch is filled into a repo source. */
export type ParsedService = Omit<ServiceConfig, "source"> & { readonly source: ParsedRepoSource | ImageSource };
