// Parses the stack's raw `platform:*` config into the one validated object the program runs on.
// Pure apart from wrapping supplied secret values as Pulumi secrets; index.ts does the reading.
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "./catalog";
import {
  CI_DEFAULTS,
  GENERATE_DEFAULTS,
  GENERATED_SECRET_DEFAULTS,
  HEALTHCHECK_DEFAULTS,
  REDIS_DEFAULTS,
  SERVICE_DEFAULTS,
  SUPABASE_DEFAULTS,
  TOP_LEVEL_DEFAULTS,
  tierFromStackName,
  withDefaults,
} from "./defaults";
import { ConfigError, closest, keyPath, quote, type ConfigProblem } from "./errors";
import { REGISTRY_SECRET } from "./names";
import { RULES, type RuleInput } from "./rules";
import { isObject, setCommand } from "./rules/rule";
import { warnAbout } from "./warnings";
import { Checker, PREFIX, STACK_NAME, checkRawInput } from "./checker";
import type { ImageSource, ParseContext, ParsedRepoSource, ParsedService, PlatformConfig, SecretConfig } from "./types";
import { TOP_LEVEL_KEYS, TOP_LEVEL_SCHEMAS, secretSchema, serviceSchema, tierSchema, type ServiceInput } from "./schema";

export { ConfigError } from "./errors";
export type { ConfigProblem } from "./errors";

export type { ImageSource, ParseContext, ParsedService, PlatformConfig, RepoSource, SecretConfig, ServiceConfig } from "./types";
export type { GeneratedSecretConfig, SuppliedSecretConfig } from "./types";

/**
 * Picks the `platform:*` keys out of the whole config map Pulumi hands the program (values are
 * strings; structured ones are JSON) and notes which keys are secret.
 */
export function rawPlatformConfig(
  all: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  // Objects without prototypes, all the way down: a key named __proto__ stays a key (and is
  // refused by name) instead of changing what every other key reads as.
  const raw: Record<string, unknown> = Object.create(null);
  const secretKeys = new Set<string>();
  const bare = (_key: string, value: unknown) => (isObject(value) ? Object.assign(Object.create(null), value) : value);
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(PREFIX)) continue;
    const key = fullKey.slice(PREFIX.length);
    let value: unknown;
    try {
      value = JSON.parse(text, bare);
    } catch {
      value = text;
    }
    Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
    if (isSecret(fullKey)) secretKeys.add(key);
  }
  return { raw, secretKeys };
}

/**
 * The stack file's `secure:` leaves of `platform:*`, if they sit in exactly the top-level keys
 * Pulumi reports secret; otherwise (the file was edited since, or the config lives elsewhere)
 * nothing, and the top-level keys alone decide.
 */
export function secureLeavesAgreeing(leaves: ReadonlySet<string> | undefined, secretKeys: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (!leaves) return undefined;
  const ours = [...leaves].filter((l) => l.startsWith(PREFIX));
  const keys = new Set(ours.map((l) => l.slice(PREFIX.length).split(/[.[]/)[0]!));
  const agree = keys.size === secretKeys.size && [...keys].every((k) => secretKeys.has(k));
  return agree ? new Set(ours) : undefined;
}

export { ADOPTED_DB_PASSWORD, ADOPTED_REDIS_PASSWORD, REGISTRY_SECRET, looksSecret } from "./names";

/**
 * Validates `raw` (the `platform:*` keys without their prefix, values already JSON-parsed) and
 * fills tier defaults, in steps: what no key may hold (checker.ts) → the tier → each key with its
 * defaults → every cross-key rule (rules/) → the resolved config. Throws one ConfigError listing
 * every problem.
 */
export function parsePlatformConfig(raw: Readonly<Record<string, unknown>>, ctx: ParseContext): PlatformConfig {
  const c = new Checker(ctx);
  checkRawInput(raw, c);
  checkTopLevel(raw, ctx.stack, c);
  const tier = settleTier(raw, ctx.stack, c);
  if (!tier) throw new ConfigError(ctx.stack, c.problems);
  const keys = parseKeys(raw, tier, c);
  const input: RuleInput = { raw, stack: ctx.stack, tier, ...keys, sensitive: (path) => c.sensitive(path), show: (path, value) => c.show(path, value) };
  for (const rule of RULES) for (const p of rule.check(input)) c.problems.push({ key: keyPath(p.path), message: p.message, rule: rule.name });
  warnAbout(input, ctx.warn);
  if (raw.github === undefined) {
    // One message for the missing key, the one that says what it holds.
    const generic = c.problems.findIndex((p) => p.key === "platform:github" && /^is required \(/.test(p.message));
    if (generic >= 0) c.problems.splice(generic, 1);
    c.add(["github"], "is required: { owner, repository } of the application's GitHub repository.");
  }
  const { budget, railway, github, redis, supabase } = keys;
  if (c.problems.length > 0 || !budget || !railway || !github || (raw.redis !== undefined && !redis) || (raw.supabase !== undefined && !supabase)) {
    throw new ConfigError(ctx.stack, c.problems);
  }
  return resolve({ ...keys, budget, railway, github }, tier, ctx);
}

/** The stack's name, and keys that are not platform's. */
function checkTopLevel(raw: Readonly<Record<string, unknown>>, stack: string, c: Checker): void {
  if (!STACK_NAME.test(stack)) {
    c.problems.push({
      key: "stack name",
      message: `${quote(stack)} is not a valid Pulumi stack name (letters, digits, '-', '_' and '.', at most 100 characters).`,
    });
  }
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as string[]).includes(key)) {
      const guess = closest(key, TOP_LEVEL_KEYS);
      c.add([key], `unknown key${guess ? `; did you mean 'platform:${guess}'?` : "."} Known keys: ${TOP_LEVEL_KEYS.map((k) => `platform:${k}`).join(", ")}.`);
    }
  }
}

/** The tier, which decides every default: `platform:tier`, else the one the stack's name implies. */
function settleTier(raw: Readonly<Record<string, unknown>>, stack: string, c: Checker): Tier | undefined {
  if (raw.tier !== undefined) return c.parse(tierSchema, raw.tier, ["tier"]);
  const tier = tierFromStackName(stack);
  if (!tier) {
    c.add(
      ["tier"],
      `is not set, and the stack name ${quote(stack)} does not imply one (dev, staging, production, pr, pr-<n>, pr-pulumi-<org>-<project>-<n>). ` +
        `Set it: pulumi config set platform:tier staging`,
    );
  }
  return tier;
}

/** Each key on its own, with the tier's defaults filled in: undefined where it does not parse (its problems collected). */
function parseKeys(raw: Readonly<Record<string, unknown>>, tier: Tier, c: Checker) {
  const top = TOP_LEVEL_DEFAULTS[tier];
  return {
    budget: c.parse(TOP_LEVEL_SCHEMAS.budget, withDefaults(raw.budget, top.budget), ["budget"]),
    railway: c.parse(TOP_LEVEL_SCHEMAS.railway, withDefaults(raw.railway, top.railway), ["railway"]),
    github: c.parse(TOP_LEVEL_SCHEMAS.github, raw.github === undefined ? undefined : githubWithDefaults(raw.github, tier), ["github"]),
    redis: raw.redis === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.redis, withDefaults(raw.redis, REDIS_DEFAULTS[tier]), ["redis"]),
    supabase: raw.supabase === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.supabase, withDefaults(raw.supabase, SUPABASE_DEFAULTS[tier]), ["supabase"]),
    adopt: raw.adopt === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.adopt, raw.adopt, ["adopt"]),
    confirmDestructive:
      raw.confirmDestructive === undefined ? [] : (c.parse(TOP_LEVEL_SCHEMAS.confirmDestructive, raw.confirmDestructive, ["confirmDestructive"]) ?? []),
    secrets: parseSecrets(raw.secrets, c),
    declaredSecrets: new Set(Object.keys(isObject(raw.secrets) ? raw.secrets : {})) as ReadonlySet<string>,
    services: parseServices(raw.services, tier, c),
  };
}

type ParsedKeys = ReturnType<typeof parseKeys>;

/** The validated config: names derived from the repository and the stack, each repo service's branch, built images' registry login. */
function resolve(
  keys: ParsedKeys & { budget: NonNullable<ParsedKeys["budget"]>; railway: NonNullable<ParsedKeys["railway"]>; github: NonNullable<ParsedKeys["github"]> },
  tier: Tier,
  ctx: ParseContext,
): PlatformConfig {
  const { budget, railway, github, redis, supabase, adopt, secrets, services, confirmDestructive } = keys;
  return {
    project: ctx.project,
    stack: ctx.stack,
    tier,
    budget,
    github,
    railway: { ...railway, project: railway.project ?? github.repository, environment: railway.environment ?? ctx.stack },
    services: services.map((s) => ({
      ...s,
      source:
        s.source.kind === "repo"
          ? { ...s.source, branch: s.source.branch ?? github.branch }
          : s.source.build && !s.source.registryCredentials
            ? { ...s.source, registryCredentials: { username: github.owner, secret: REGISTRY_SECRET } }
            : s.source,
    })),
    ...(redis ? { redis } : {}),
    ...(supabase
      ? {
          supabase: {
            ...supabase,
            project: supabase.project ?? `${github.repository}-${ctx.stack}`,
            ...(adopt?.supabase ? { projectRef: adopt.supabase.project } : {}),
            ...(tier === "preview" ? { parentProject: supabase.parentProject ?? `${github.repository}-staging` } : {}),
            ...(tier === "preview" && (supabase.gitBranch ?? ctx.headBranch) ? { gitBranch: supabase.gitBranch ?? ctx.headBranch } : {}),
          },
        }
      : {}),
    secrets,
    ...(adopt ? { adopt } : {}),
    confirmDestructive,
  };
}

function githubWithDefaults(rawGithub: unknown, tier: Tier): unknown {
  const filled = withDefaults(rawGithub, TOP_LEVEL_DEFAULTS[tier].github);
  if (!isObject(filled)) return filled;
  const ci = isObject(filled.ci) ? filled.ci : filled.ci === undefined ? {} : filled.ci;
  const runtime = isObject(ci) && (ci.runtime === "node" || ci.runtime === "python") ? ci.runtime : "node";
  return { ...filled, ci: withDefaults(ci, CI_DEFAULTS[runtime]) };
}

function parseServices(rawServices: unknown, tier: Tier, c: Checker): ParsedService[] {
  const problems = c.problems;
  const map = c.parse(TOP_LEVEL_SCHEMAS.services, rawServices ?? {}, ["services"]);
  if (!map) return [];
  const services: ParsedService[] = [];
  for (const [name, value] of Object.entries(map)) {
    const base = ["services", name];
    let filled = withDefaults(value, SERVICE_DEFAULTS[tier]);
    if (isObject(filled) && isObject(filled.healthcheck)) {
      filled = { ...filled, healthcheck: withDefaults(filled.healthcheck, HEALTHCHECK_DEFAULTS) };
    }
    const parsed = c.parse(serviceSchema, filled, base);
    if (!parsed) continue;
    const source = parseSource(parsed.source, [...base, "source"], problems);
    let replicas = parsed.replicas;
    if (parsed.regions) {
      const total = Object.values(parsed.regions).reduce((a, b) => a + (b ?? 0), 0);
      const own = isObject(value) ? value.replicas : undefined;
      if (own !== undefined && own !== total) {
        problems.push({
          key: keyPath([...base, "replicas"]),
          message: `${c.show(base, own)} disagrees with regions, which add up to ${total}; remove replicas (regions set the count) or make them agree.`,
        });
        continue;
      }
      replicas = total;
    }
    if (source) services.push({ ...parsed, replicas, name, source });
  }
  return services;
}

function parseSource(source: ServiceInput["source"], base: readonly PropertyKey[], problems: ConfigProblem[]): ParsedRepoSource | ImageSource | undefined {
  const start = problems.length;
  const add = (path: readonly PropertyKey[], message: string): void => {
    problems.push({ key: keyPath(path), message });
  };
  if (source.repo !== undefined && source.image !== undefined) {
    add(base, "has both 'repo' and 'image'; a service is built from a repository or runs an image, not both. Keep one.");
  } else if (source.repo === undefined && source.image === undefined) {
    add(base, "has neither 'repo' nor 'image'; set repo (owner/name, built by Railway) or image (a container image).");
  }
  if (source.image !== undefined) {
    for (const key of ["branch", "rootDirectory", "dockerfile"] as const) {
      if (source[key] !== undefined) add([...base, key], `applies to repo sources only; for an image, build settings go in ${keyPath([...base, "build"])}.`);
    }
  }
  if (source.repo !== undefined && source.build !== undefined) {
    add([...base, "build"], "applies to image sources only; Railway builds a repo source itself (set rootDirectory and dockerfile instead).");
  }
  if (source.repo !== undefined && source.registryCredentials !== undefined) {
    add([...base, "registryCredentials"], "applies to image sources only; Railway reaches a repository through its GitHub app.");
  }
  if (problems.length > start) return undefined;
  if (source.repo !== undefined) {
    return {
      kind: "repo",
      repo: source.repo,
      ...(source.branch !== undefined ? { branch: source.branch } : {}),
      ...(source.rootDirectory !== undefined ? { rootDirectory: source.rootDirectory } : {}),
      ...(source.dockerfile !== undefined ? { dockerfile: source.dockerfile } : {}),
    };
  }
  return {
    kind: "image",
    image: source.image!,
    ...(source.build ? { build: source.build } : {}),
    ...(source.registryCredentials ? { registryCredentials: source.registryCredentials } : {}),
  };
}

function parseSecrets(rawSecrets: unknown, c: Checker): SecretConfig[] {
  const ctx = c.ctx;
  const add = (path: readonly PropertyKey[], message: string): void => c.add(path, message);
  // Encrypted is judged per value when the stack file says where its secure: values are.
  const isEncrypted = (name: string) => (ctx.secureLeaves ? ctx.secureLeaves.has(`${PREFIX}secrets.${name}.value`) : ctx.secretKeys.has("secrets"));
  const map = c.parse(TOP_LEVEL_SCHEMAS.secrets, rawSecrets ?? {}, ["secrets"]);
  if (!map) return [];
  const secrets: SecretConfig[] = [];
  const missing: string[] = [];
  for (const [name, value] of Object.entries(map)) {
    const base = ["secrets", name];
    let filled = value;
    if (isObject(value) && value.generate !== undefined) {
      filled = withDefaults(value, GENERATED_SECRET_DEFAULTS);
      if (isObject(value.generate)) filled = { ...(filled as object), generate: withDefaults(value.generate, GENERATE_DEFAULTS) };
    }
    const parsed = c.parse(secretSchema, filled, base);
    if (!parsed) continue;
    const isGenerated = parsed.generate !== undefined;
    const isSupplied = parsed.supplied === true;
    if (isGenerated === isSupplied) {
      add(base, `must be either { generate: { bytes } } (the program makes it) or { supplied: true } (you set it with ${setCommand(name)}).`);
      continue;
    }
    if (isGenerated) {
      if (parsed.value !== undefined) add([...base, "value"], "is set, but this secret is generated; remove the value.");
      secrets.push({ kind: "generated", name, bytes: parsed.generate!.bytes, rotateDays: parsed.rotateDays! });
      continue;
    }
    if (parsed.rotateDays !== undefined) {
      add([...base, "rotateDays"], "applies to generated secrets only; a supplied secret is rotated by setting a new value.");
    }
    if (parsed.value === undefined) {
      missing.push(name);
      secrets.push({ kind: "supplied", name, value: pulumi.secret(pulumi.output(pulumi.unknown as unknown as string)) });
    } else if (!isEncrypted(name)) {
      add([...base, "value"], `is stored in plain text in the stack file. Remove it from Pulumi.${ctx.stack}.yaml and set it encrypted: ${setCommand(name)}`);
    } else if (typeof parsed.value !== "string" || parsed.value.length === 0) {
      add([...base, "value"], `must be a non-empty string; set it with ${setCommand(name)}`);
    } else {
      secrets.push({ kind: "supplied", name, value: pulumi.secret(parsed.value) });
    }
  }
  if (missing.length > 0) {
    const commands = missing.map(setCommand).join("\n    ");
    if (ctx.dryRun) {
      ctx.warn?.(
        `Supplied secrets not set yet (shown as unknown in this preview; 'pulumi up' will refuse): ${missing.join(", ")}. Set them with:\n    ${commands}`,
      );
    } else {
      for (const name of missing) add(["secrets", name, "value"], `is not set; set it with ${setCommand(name)}`);
    }
  }
  return secrets;
}
