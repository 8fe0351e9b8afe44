// A cross-key rule: a pure function from the parsed config to the problems it finds, each at the
// path of the key to change. The rules of each area are listed in its file, and all of them in
// ./index.ts, which the parser runs once every key has parsed on its own.
import type { AdoptConfig, GithubConfig, RailwayConfig, RedisConfig, SupabaseConfig } from "../schema";
import type { Tier } from "../catalog";
import type { ParsedService } from "../types";

export interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** What the rules read: every key that parsed (undefined when it did not), and how to quote a value. */
export interface RuleInput {
  /** The raw `platform:*` keys, for rules about what was written rather than what it means. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly stack: string;
  readonly tier: Tier;
  readonly railway: RailwayConfig | undefined;
  readonly github: GithubConfig | undefined;
  readonly redis: RedisConfig | undefined;
  readonly supabase: SupabaseConfig | undefined;
  readonly adopt: AdoptConfig | undefined;
  readonly services: readonly ParsedService[];
  /** `platform:confirmDestructive`: resources the change may delete or replace though they hold data. */
  readonly confirmDestructive: readonly string[];
  /** The names platform:secrets declares, valid or not. */
  readonly declaredSecrets: ReadonlySet<string>;
  /** Whether a value at `path` may be a secret, which is then never quoted. */
  sensitive(path: readonly PropertyKey[]): boolean;
  /** The value at `path` quoted for a message, or "the value" where it may be a secret. */
  show(path: readonly PropertyKey[], value: unknown): string;
}

export interface Rule {
  /** Kebab-case, unique: how tests and problems name it. */
  readonly name: string;
  check(input: RuleInput): Problem[];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `pulumi config set` command that sets a supplied secret's value. */
export function setCommand(name: string): string {
  return `pulumi config set --secret --path 'platform:secrets.${name}.value' <value>`;
}

/** Visits every value under `value` (depth first, `path` its key path) until `visit` returns true for it. */
export function walk(
  value: unknown,
  path: readonly PropertyKey[],
  visit: (value: unknown, path: readonly PropertyKey[], key: PropertyKey | undefined) => boolean,
): void {
  if (visit(value, path, path[path.length - 1])) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (isObject(value)) for (const k of Object.keys(value)) walk(value[k], [...path, k], visit);
}
