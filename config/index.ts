// Parses the stack's raw `platform:*` config into the one validated object the program runs on.
// Pure apart from wrapping supplied secret values as Pulumi secrets; index.ts does the reading.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { MIN_NODE_MAJOR, RAILWAY_PLAN_LIMITS, WIRED_VARIABLES, type ServiceUse, type Tier } from "./catalog";
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
import { ConfigError, closest, isSensitivePath, keyPath, problemsFromIssues, quote, type ConfigProblem } from "./errors";
import { domainResourceName, platformGithubVariables } from "./names";
import { CONTROL_CHARACTER } from "./stack-file";
import {
  RAILWAY_NAME,
  isDocumentationRange,
  SUPABASE_PROJECT_NAME,
  TOP_LEVEL_KEYS,
  TOP_LEVEL_SCHEMAS,
  secretSchema,
  serviceSchema,
  tierSchema,
  type AdoptConfig,
  type BudgetConfig,
  type GithubConfig,
  type RailwayConfig,
  type RedisConfig,
  type ServiceInput,
  type SupabaseConfig,
} from "./schema";

export { ConfigError } from "./errors";
export type { ConfigProblem } from "./errors";

export interface RepoSource {
  readonly kind: "repo";
  readonly repo: string;
  /** The branch Railway deploys; defaults to `platform:github.branch`. */
  readonly branch: string;
  readonly rootDirectory?: string;
  readonly dockerfile?: string;
}

/** A repo source before the stack's branch is known. */
type ParsedRepoSource = Omit<RepoSource, "branch"> & { readonly branch?: string };

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

const PREFIX = "platform:";

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

/** The supplied secret that lets `pulumi up` push built images to GHCR. */
export const REGISTRY_SECRET = "GHCR_TOKEN";
/** The supplied database password of a Supabase project the stack takes over without resetting it. */
export const ADOPTED_DB_PASSWORD = "SUPABASE_DB_PASSWORD";

/** The Railway service platform:redis runs as. */
const REDIS_SERVICE = "redis";

/** The supplied password of a Redis the stack takes over (platform:adopt.railway.services.redis): kept, not regenerated. */
export const ADOPTED_REDIS_PASSWORD = "REDIS_PASSWORD";

/** A name that looks like it holds a secret: such a variable must be a secret, not a plain variable. */
const SECRET_PART = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SERVICE_?KEY|CREDENTIAL|DSN)/i;
const SECRET_WORDS = new Set(["PASS", "PWD", "PASSPHRASE", "CREDENTIALS", "AUTH"]);

/**
 * Whether a variable's name says it holds a secret, in any case and position: a part such as
 * SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY or CREDENTIAL anywhere in it, or one of the words
 * PASS, PWD, PASSPHRASE, CREDENTIALS, AUTH as a whole word (`DB_PASS`, `smtpPwd`, `X-Auth`), not
 * inside another (`PASSENGERS`, `AUTHOR`).
 */
export function looksSecret(name: string): boolean {
  if (SECRET_PART.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toUpperCase());
  return words.some((w) => SECRET_WORDS.has(w));
}

/** Pulumi's own rule for stack names. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects problems; knows which paths hold values that must never be quoted. */
class Checker {
  readonly problems: ConfigProblem[] = [];
  readonly ctx: ParseContext;

  constructor(ctx: ParseContext) {
    this.ctx = ctx;
  }

  /** A value at `path` may be a secret: under platform:secrets, a variable, or under any key that held a `secure:` value. */
  sensitive(path: readonly PropertyKey[]): boolean {
    return isSensitivePath(path) || this.ctx.secretKeys.has(String(path[0]));
  }

  add(path: readonly PropertyKey[], message: string): void {
    this.problems.push({ key: keyPath(path), message });
  }

  /** The value at `path` quoted for a message, or "the value" where it may be a secret. */
  show(path: readonly PropertyKey[], value: unknown): string {
    return this.sensitive(path) ? "the value" : quote(value);
  }

  parse<S extends z.ZodType>(schema: S, value: unknown, base: readonly PropertyKey[]): z.infer<S> | undefined {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    this.problems.push(...problemsFromIssues(result.error.issues, base, schema, (path) => this.sensitive(path)));
    return undefined;
  }
}

/** Every value of `value` with its path, depth first; `visit` returning true skips what is under it. */
function walk(
  value: unknown,
  path: readonly PropertyKey[],
  visit: (value: unknown, path: readonly PropertyKey[], key: PropertyKey | undefined) => boolean,
): void {
  if (visit(value, path, path[path.length - 1])) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (isObject(value)) for (const k of Object.keys(value)) walk(value[k], [...path, k], visit);
}

/** Text that came from bytes that were not UTF-8 (decoded to U+FFFD) or holds half a surrogate pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function isBrokenText(text: string): boolean {
  return text.includes("\uFFFD") || LONE_SURROGATE.test(text);
}

/**
 * What no key may hold, checked before any schema: a key named __proto__, text that is not UTF-8,
 * and an encrypted (`secure:`) value anywhere but platform:secrets.<NAME>.value.
 */
function checkRawInput(raw: Readonly<Record<string, unknown>>, c: Checker): void {
  for (const key of Object.keys(raw)) {
    walk(raw[key], [key], (value, path, last) => {
      if (last === "__proto__") {
        c.add(path, "is not allowed as a key: it would change how the rest of the configuration is read. Remove it.");
        return true;
      }
      if (typeof value === "string" && isBrokenText(value))
        c.add(path, "is not valid UTF-8 text (bytes that are not UTF-8, or half of a character); save the stack file as UTF-8.");
      else if (typeof value === "string" && CONTROL_CHARACTER.test(value)) {
        c.add(
          path,
          `holds a control character${isSensitivePath(path) ? "" : ` (${quote(value)})`}: it could rewrite what a reader of the plan or the logs sees, and a NUL fails only at deploy. Remove it.`,
        );
      }
      if (typeof last === "string" && path.length > 1 && CONTROL_CHARACTER.test(last))
        c.add(path.slice(0, -1), `has a key holding a control character (${quote(last)}); write it without.`);
      return false;
    });
    if (typeof key === "string" && isBrokenText(key)) c.add([key], "is a key that is not valid UTF-8 text.");
  }
  const secureHere = /^platform:secrets\.[A-Za-z0-9_]+\.value$/;
  const { secureLeaves, secretKeys } = c.ctx;
  if (secureLeaves) {
    for (const leaf of secureLeaves) {
      if (!leaf.startsWith(PREFIX) || secureHere.test(leaf)) continue;
      c.problems.push({
        key: leaf,
        message: `holds an encrypted (secure:) value, but only a supplied secret's value may: declare it under platform:secrets and set it with ${setCommand("<NAME>")}.`,
      });
    }
  }
  for (const key of secretKeys) {
    if (key === "secrets" || (secureLeaves && [...secureLeaves].some((l) => l.startsWith(`${PREFIX}${key}`)))) continue;
    c.add(
      [key],
      `holds an encrypted (secure:) value, but only a supplied secret's value may (platform:secrets.<NAME>.value): declare it under platform:secrets, set it with ${setCommand("<NAME>")}, and refer to it by name.`,
    );
  }
}

function setCommand(name: string): string {
  return `pulumi config set --secret --path 'platform:secrets.${name}.value' <value>`;
}

/**
 * Validates `raw` (the `platform:*` keys without their prefix, values already JSON-parsed) and
 * fills tier defaults. Throws one ConfigError listing every problem.
 */
export function parsePlatformConfig(raw: Readonly<Record<string, unknown>>, ctx: ParseContext): PlatformConfig {
  const c = new Checker(ctx);
  const problems = c.problems;
  const add = (path: readonly PropertyKey[], message: string): void => c.add(path, message);
  checkRawInput(raw, c);
  if (!STACK_NAME.test(ctx.stack)) {
    problems.push({
      key: "stack name",
      message: `${quote(ctx.stack)} is not a valid Pulumi stack name (letters, digits, '-', '_' and '.', at most 100 characters).`,
    });
  }

  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as string[]).includes(key)) {
      const guess = closest(key, TOP_LEVEL_KEYS);
      add([key], `unknown key${guess ? `; did you mean 'platform:${guess}'?` : "."} Known keys: ${TOP_LEVEL_KEYS.map((k) => `platform:${k}`).join(", ")}.`);
    }
  }

  // The tier decides every default, so it is settled first.
  let tier: Tier | undefined;
  if (raw.tier !== undefined) {
    tier = c.parse(tierSchema, raw.tier, ["tier"]);
  } else {
    tier = tierFromStackName(ctx.stack);
    if (!tier) {
      add(
        ["tier"],
        `is not set, and the stack name ${quote(ctx.stack)} does not imply one (dev, staging, production, pr, pr-<n>, pr-pulumi-<org>-<project>-<n>). ` +
          `Set it: pulumi config set platform:tier staging`,
      );
    }
  }
  if (!tier) throw new ConfigError(ctx.stack, problems);

  const top = TOP_LEVEL_DEFAULTS[tier];
  const budget = c.parse(TOP_LEVEL_SCHEMAS.budget, withDefaults(raw.budget, top.budget as never), ["budget"]);
  const railway = c.parse(TOP_LEVEL_SCHEMAS.railway, withDefaults(raw.railway, top.railway as never), ["railway"]);
  const github = c.parse(TOP_LEVEL_SCHEMAS.github, raw.github === undefined ? undefined : githubWithDefaults(raw.github, tier), ["github"]);
  const redis = raw.redis === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.redis, withDefaults(raw.redis, REDIS_DEFAULTS[tier]), ["redis"]);
  const supabase =
    raw.supabase === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.supabase, withDefaults(raw.supabase, SUPABASE_DEFAULTS[tier]), ["supabase"]);

  const adopt = raw.adopt === undefined ? undefined : c.parse(TOP_LEVEL_SCHEMAS.adopt, raw.adopt, ["adopt"]);
  const secrets = parseSecrets(raw.secrets, c);
  const declaredSecrets = new Set(Object.keys(isObject(raw.secrets) ? raw.secrets : {}));
  const services = parseServices(raw.services, tier, c);

  // Rules that span keys.
  const declared: Record<ServiceUse, boolean> = { redis: raw.redis !== undefined, supabase: raw.supabase !== undefined };
  const domainOwners = new Map<string, string>();
  for (const service of services) {
    const base = ["services", service.name];
    if (service.name === "redis" && declared.redis) {
      add(base, `the name 'redis' is taken by the Redis service that platform:redis creates; rename this service.`);
    }
    service.secrets.forEach((name, i) => {
      if (!declaredSecrets.has(name)) {
        const guess = closest(name, [...declaredSecrets]);
        add(
          [...base, "secrets", i],
          `names the secret ${c.show([...base, "secrets", i], name)}, which platform:secrets does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it under platform:secrets (generate or supplied) or remove it here.`,
        );
      }
      if (name in service.variables) {
        add([...base, "variables", name], `is also listed in secrets; a name is either a plain variable or a secret. Remove it from variables.`);
      }
    });
    service.uses.forEach((use, i) => {
      if (!declared[use]) {
        add([...base, "uses", i], `uses ${c.show([...base, "uses", i], use)}, but platform:${use} is not configured. Add platform:${use} or remove it here.`);
      }
    });
    const wired = [...WIRED_VARIABLES.always, ...service.uses.flatMap((use) => WIRED_VARIABLES[use])];
    for (const [list, names] of [
      ["variables", Object.keys(service.variables)],
      ["secrets", service.secrets],
    ] as const) {
      names.forEach((name, i) => {
        if (wired.includes(name)) {
          add(
            [...base, list, list === "variables" ? name : i],
            `${c.show([...base, list], name)} is set by the platform for this service (${wired.join(", ")}); remove it here.`,
          );
        }
      });
    }
    for (const name of Object.keys(service.variables)) {
      if (looksSecret(name)) {
        add(
          [...base, "variables", name],
          `looks like a secret, and variables are stored in plain text. Declare it under platform:secrets and list it in ${keyPath([...base, "secrets"])}.`,
        );
      }
      if (/^RAILWAY_/i.test(name)) add([...base, "variables", name], "is a name Railway sets itself (RAILWAY_*); use another name.");
    }
    const derived = new Map<string, string>();
    service.domains.forEach((domain, i) => {
      const owner = domainOwners.get(domain);
      if (owner) add([...base, "domains", i], `${c.show(base, domain)} is already a domain of service '${owner}'; a domain routes to one service.`);
      else domainOwners.set(domain, service.name);
      const name = domainResourceName(domain);
      const twin = derived.get(name);
      if (twin !== undefined && twin !== domain)
        add(
          [...base, "domains", i],
          `${c.show(base, domain)} and ${c.show(base, twin)} would both be the resource '${c.sensitive(base) ? "…" : name}'; keep one.`,
        );
      else derived.set(name, domain);
    });
    if (railway) {
      const limits = RAILWAY_PLAN_LIMITS[railway.plan];
      const other = railway.plan === "hobby" ? " or set platform:railway.plan to pro" : "";
      if (service.replicas > limits.replicas) {
        add(
          [...base, "replicas"],
          `${service.replicas} is above the Railway ${railway.plan} plan's limit of ${limits.replicas} replicas per service; lower it${other}.`,
        );
      }
      if (service.resources.vcpu > limits.vcpu) {
        add(
          [...base, "resources", "vcpu"],
          `${service.resources.vcpu} is above the Railway ${railway.plan} plan's limit of ${limits.vcpu} vCPU per replica; lower it${other}.`,
        );
      }
      if (service.resources.memoryGb > limits.memoryGb) {
        add(
          [...base, "resources", "memoryGb"],
          `${service.resources.memoryGb} is above the Railway ${railway.plan} plan's limit of ${limits.memoryGb} GB per replica; lower it${other}.`,
        );
      }
    }
    if (service.autoDeploy && service.source.kind !== "repo") {
      add([...base, "autoDeploy"], "applies to services built from a repository; an image is deployed by the deploy workflow, by digest.");
    }
    if (service.autoDeploy && tier === "production") {
      add(
        [...base, "autoDeploy"],
        "is true in a production stack: production deploys only through its deploy workflow, after its reviewers approve. Remove it.",
      );
    }
    if (service.source.kind === "image" && service.source.registryCredentials && !declaredSecrets.has(service.source.registryCredentials.secret)) {
      add(
        [...base, "source", "registryCredentials", "secret"],
        `names the secret ${c.show(base, service.source.registryCredentials.secret)}, which platform:secrets does not declare. Declare it ({ supplied: true }).`,
      );
    }
    if (service.volume && service.replicas > 1) {
      add(
        [...base, "replicas"],
        `${service.replicas} replicas with a volume: Railway cannot replicate a service that has a volume. Use 1 replica or remove the volume.`,
      );
    }
  }

  if (supabase) {
    if (supabase.parentProject !== undefined && tier !== "preview") {
      add(["supabase", "parentProject"], `applies to preview stacks only (they get a branch of that project); this stack's tier is ${tier}. Remove it.`);
    }
    if (supabase.gitBranch !== undefined && tier !== "preview") {
      add(
        ["supabase", "gitBranch"],
        `applies to preview stacks only (their branch follows the pull request's head branch); this stack's tier is ${tier}. Remove it.`,
      );
    }
    if (tier === "preview" && (supabase.adopt || supabase.projectRef !== undefined)) {
      add(
        ["supabase", supabase.projectRef !== undefined ? "projectRef" : "adopt"],
        "applies to projects; a preview stack gets a branch of platform:supabase.parentProject. Remove it.",
      );
    }
    const adopting = supabase.adopt || supabase.projectRef !== undefined || (isObject(raw.adopt) && isObject(raw.adopt.supabase));
    if (adopting && !supabase.resetPassword && !declaredSecrets.has(ADOPTED_DB_PASSWORD)) {
      add(
        isObject(raw.adopt) && isObject(raw.adopt.supabase) ? ["adopt", "supabase"] : ["supabase", supabase.projectRef !== undefined ? "projectRef" : "adopt"],
        `takes over an existing project, whose database password is kept: declare it as platform:secrets.${ADOPTED_DB_PASSWORD} ({ supplied: true }, then 'pulumi config set --secret --path platform:secrets.${ADOPTED_DB_PASSWORD}.value ...'), or set platform:supabase.resetPassword to true to replace it with a generated one.`,
      );
    }
    if (supabase.restrictToServices && railway && railway.plan !== "pro") {
      add(
        ["supabase", "restrictToServices"],
        `needs static outbound IPs for the services, which Railway gives on the Pro plan only; platform:railway.plan is ${c.show(["railway"], railway.plan)}. Set the plan to pro, or set restrictToServices to false and list platform:supabase.allowedCidrs.`,
      );
    }
    const placeholders = supabase.allowedCidrs.filter(isDocumentationRange);
    // In production the policy security-supabase-network-restricted refuses such a list outright.
    if (placeholders.length > 0 && tier !== "production") {
      const shown = c.sensitive(["supabase"]) ? "" : ` (${placeholders.join(", ")})`;
      ctx.warn?.(
        `platform:supabase.allowedCidrs holds documentation-only ranges${shown}: nothing real connects from them. Replace them with your Railway environment's static outbound IPs before 'pulumi up'.`,
      );
    }
    if (supabase.allowReplace) {
      ctx.warn?.(
        `platform:supabase.allowReplace is true: a change of the Supabase project's name, organization or region will REPLACE it with a new, EMPTY database` +
          (tier === "production" ? " (the old production project is retained, not deleted, but services move to the new one)." : " and DELETE the old one.") +
          " Set it back to false once the change is done.",
      );
    }
  }

  if (github) {
    github.secrets.forEach((name, i) => {
      if (!declaredSecrets.has(name)) {
        const guess = closest(name, [...declaredSecrets]);
        add(
          ["github", "secrets", i],
          `names the secret ${c.show(["github"], name)}, which platform:secrets does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it (usually { supplied: true }) or remove it here.`,
        );
      }
    });
    const reserved = platformGithubVariables(Object.keys(isObject(raw.services) ? raw.services : {}));
    for (const name of Object.keys(github.variables)) {
      if (reserved.includes(name))
        add(["github", "variables", name], `is set by the platform in every environment (${reserved.join(", ")}); use another name.`);
      if (looksSecret(name))
        add(
          ["github", "variables", name],
          "looks like a secret, and Actions variables are stored in plain text. Declare it under platform:secrets and list it in platform:github.secrets.",
        );
    }
    github.reviewers.forEach((reviewer, i) => {
      const org = reviewer.includes("/") ? reviewer.split("/")[0]! : undefined;
      // GitHub looks a team up in the repository owner's organization; another org's team is not one GitHub can take.
      if (org !== undefined && org.toLowerCase() !== github.owner.toLowerCase()) {
        add(
          ["github", "reviewers", i],
          `names ${c.show(["github", "reviewers"], reviewer)}, a team of the organization '${org}', but the repository belongs to ${c.show(["github"], github.owner)}: a reviewer team must be one of ${c.show(["github"], github.owner)}'s teams (write '${github.owner}/${reviewer.split("/")[1]}').`,
        );
      }
    });
    if (github.deploy.migrate !== undefined) {
      add(
        ["github", "deploy", "migrate"],
        "is no longer supported: migrations run inside Railway, before a new deployment takes traffic, with the service's own DIRECT_URL. " +
          "Move the command to platform:services.<name>.preDeployCommand (e.g. preDeployCommand: npx prisma migrate deploy) and remove github.deploy.migrate.",
      );
    }
    if (github.ci.runtime === "node" && Number(github.ci.version.split(".")[0]) < MIN_NODE_MAJOR) {
      add(
        ["github", "ci", "version"],
        `${c.show(["github", "ci"], github.ci.version)} is a Node.js release past its end of life; use ${MIN_NODE_MAJOR} or newer (the default is ${String(CI_DEFAULTS.node.version)}).`,
      );
    }
    // One ruleset per branch: every active ruleset on a branch applies to each write there, so a
    // stack that leaves the protection of its branch to another has no checks of its own to require,
    // and production's branch is protected by production, whose ruleset exempts only the App.
    if (github.branchOwner !== undefined && tier === "production") {
      add(
        ["github", "branchOwner"],
        `names ${c.show(["github"], github.branchOwner)}, but production protects the branch it deploys from (${c.show(["github"], github.branch)}) itself: its ruleset lets nobody but the App and bypassActors past. Name production as branchOwner in the other stacks that deploy from that branch instead.`,
      );
    } else if (github.branchOwner === ctx.stack) {
      add(["github", "branchOwner"], `names this stack itself; leave it out (a stack protects its own branch unless it names another stack that does).`);
    } else if (github.branchOwner !== undefined && github.requiredChecks.length > 0) {
      add(
        ["github", "requiredChecks"],
        `is set, but the ruleset on ${c.show(["github"], github.branch)} is the stack ${c.show(["github"], github.branchOwner)}'s (branchOwner), and this stack makes none to require them. List them in that stack, or remove them here.`,
      );
    }
    // The stack commits its workflow files to the branch its ruleset protects with pull requests:
    // whoever runs `pulumi up` must be able to bypass that ruleset, or a workflow change fails with
    // "Repository rule violations found". Staging and production run as a GitHub App, the bypass
    // actor of every ruleset the program makes (rulesets stack: each one on a branch applies to
    // every write there). Dev may run with a personal token instead, as a repository admin.
    if ((tier === "production" || tier === "staging") && github.app === undefined) {
      add(
        ["github", "app"],
        `is required in a ${tier} stack: its \`pulumi up\` runs as a GitHub App, which commits the workflow files to ${c.show(["github"], github.branch)} past the rulesets. ` +
          "Write { id: <the App ID, on the App's settings page>, installationId: <the id at the end of the installation's settings URL> }, and give the App's private key in GITHUB_APP_PEM_FILE.",
      );
    }
  }
  checkWorkflowText(raw, c);
  const deployedByWorkflow = services.filter((s) => (s.source.kind === "repo" && !s.autoDeploy) || (s.source.kind === "image" && s.source.build));
  for (const service of services.filter((s) => s.autoDeploy && s.source.kind === "repo")) {
    if (deployedByWorkflow.length > 0) {
      add(
        ["services", service.name, "autoDeploy"],
        `is true while the deploy workflow deploys ${deployedByWorkflow.map((s) => s.name).join(", ")}: an environment has one deploy authority. Set autoDeploy on every service built from the repository, or on none.`,
      );
    }
  }
  const built = services.filter((s) => s.source.kind === "image" && s.source.build);
  if (built.length > 0 && !declaredSecrets.has(REGISTRY_SECRET)) {
    add(
      ["secrets"],
      `needs ${REGISTRY_SECRET} (a token that may push to ghcr.io, { supplied: true }): services ${built.map((s) => s.name).join(", ")} build an image.`,
    );
  }

  if (adopt) checkAdopt(c, adopt, { tier, services: services.map((s) => s.name), redis: redis !== undefined, supabase, declaredSecrets });

  if (raw.github === undefined) {
    // One message for the missing key, the one that says what it holds.
    const generic = problems.findIndex((p) => p.key === "platform:github" && /^is required \(/.test(p.message));
    if (generic >= 0) problems.splice(generic, 1);
    add(["github"], "is required: { owner, repository } of the application's GitHub repository.");
  }
  if (github && railway) checkDerivedNames(c, ctx.stack, tier, github, railway, supabase);

  if (problems.length > 0 || !budget || !railway || !github) throw new ConfigError(ctx.stack, problems);
  if ((raw.redis !== undefined && !redis) || (raw.supabase !== undefined && !supabase)) {
    throw new ConfigError(ctx.stack, problems);
  }

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
  };
}

/** `platform:adopt` against the rest: only what the stack declares can be taken over, and what keeps a password needs it supplied. */
function checkAdopt(
  c: Checker,
  adopt: AdoptConfig,
  s: { tier: Tier; services: string[]; redis: boolean; supabase: SupabaseConfig | undefined; declaredSecrets: ReadonlySet<string> },
): void {
  if (s.tier === "preview") {
    c.add(["adopt"], "applies to stacks that take over what already runs; a preview stack makes its own copy. Remove it.");
    return;
  }
  for (const name of Object.keys(adopt.railway?.services ?? {})) {
    const declared = name === REDIS_SERVICE ? s.redis : s.services.includes(name);
    if (!declared) {
      const guess = closest(name, [...s.services, ...(s.redis ? [REDIS_SERVICE] : [])]);
      c.add(
        ["adopt", "railway", "services", name],
        `names a service this stack does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it under platform:services (or platform:redis for redis), or remove it here.`,
      );
    }
  }
  if (adopt.railway?.services[REDIS_SERVICE] !== undefined && s.redis && !s.declaredSecrets.has(ADOPTED_REDIS_PASSWORD)) {
    c.add(
      ["adopt", "railway", "services", REDIS_SERVICE],
      `takes over a running Redis, whose password is kept: declare it as platform:secrets.${ADOPTED_REDIS_PASSWORD} ({ supplied: true }, then ${setCommand(ADOPTED_REDIS_PASSWORD)}).`,
    );
  }
  if (adopt.supabase) {
    if (!s.supabase)
      c.add(["adopt", "supabase"], "names a Supabase project, but platform:supabase is not configured. Add platform:supabase or remove it here.");
    else if (s.supabase.projectRef !== undefined && s.supabase.projectRef !== adopt.supabase.project) {
      c.add(
        ["adopt", "supabase", "project"],
        `is ${quote(adopt.supabase.project)}, but platform:supabase.projectRef is ${quote(s.supabase.projectRef)}; a stack takes over one project. Keep one of them.`,
      );
    }
  }
}

type ParsedService = Omit<ServiceConfig, "source"> & { readonly source: ParsedRepoSource | ImageSource };

/**
 * Names the program derives from the stack's name and the repository's, which Railway and Supabase
 * must accept: a derived name that they would refuse is refused here, naming the key that sets it.
 */
function checkDerivedNames(c: Checker, stack: string, tier: Tier, github: GithubConfig, railway: RailwayConfig, supabase: SupabaseConfig | undefined): void {
  const allowed = "letters, digits, spaces, '.', '_' and '-', at most 63 characters, starting with a letter or digit";
  if (railway.environment === undefined && !RAILWAY_NAME.test(stack)) {
    c.add(["railway", "environment"], `is not set, and the stack name ${quote(stack)} is not a Railway environment name (${allowed}); set it.`);
  }
  if (railway.project === undefined && !RAILWAY_NAME.test(github.repository)) {
    c.add(
      ["railway", "project"],
      `is not set, and the repository name ${c.show(["github"], github.repository)} is not a Railway project name (${allowed}); set it.`,
    );
  }
  if (supabase && supabase.project === undefined && !SUPABASE_PROJECT_NAME.test(`${github.repository}-${stack}`)) {
    c.add(
      ["supabase", "project"],
      `is not set, and ${c.show(["github"], `${github.repository}-${stack}`)} (repository and stack) is not a Supabase project name (${allowed}); set it.`,
    );
  }
  if (supabase && tier === "preview" && supabase.parentProject === undefined && !SUPABASE_PROJECT_NAME.test(`${github.repository}-staging`)) {
    c.add(
      ["supabase", "parentProject"],
      `is not set, and ${c.show(["github"], `${github.repository}-staging`)} is not a Supabase project name (${allowed}); set it.`,
    );
  }
}

/** `platform:github` with the tier's defaults, and the CI defaults of the runtime it names (node unless set). */
/**
 * The config text the generated workflows carry (as data in `env:`, matrices and action inputs),
 * and beside it the check names they report and the pre-deploy commands that replaced their migrations.
 */
const WORKFLOW_TEXT: readonly (readonly string[])[] = [
  ["github", "branch"],
  ["github", "ci"],
  ["github", "deploy"],
  ["github", "requiredChecks"],
  ["railway", "environment"],
];
const SERVICE_WORKFLOW_TEXT: readonly string[] = ["source", "healthcheck", "preDeployCommand"];

/**
 * GitHub evaluates `${{ … }}` anywhere in a workflow before any shell sees it, so no config text
 * that reaches a workflow may hold one, on any tier: not even as data.
 */
function checkWorkflowText(raw: Readonly<Record<string, unknown>>, c: Checker): void {
  const roots: { value: unknown; path: PropertyKey[] }[] = [];
  for (const path of WORKFLOW_TEXT) {
    let value: unknown = raw;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    if (value !== undefined) roots.push({ value, path: [...path] });
  }
  if (isObject(raw.services)) {
    for (const [name, service] of Object.entries(raw.services)) {
      if (!isObject(service)) continue;
      for (const key of SERVICE_WORKFLOW_TEXT) if (service[key] !== undefined) roots.push({ value: service[key], path: ["services", name, key] });
    }
  }
  for (const root of roots) {
    walk(root.value, root.path, (value, path) => {
      if (typeof value === "string" && value.includes("${{")) {
        c.add(
          path,
          "holds '${{', which GitHub Actions would evaluate as an expression in the generated workflows. Remove it; values reach workflows as plain data.",
        );
      }
      return false;
    });
  }
}

function githubWithDefaults(rawGithub: unknown, tier: Tier): unknown {
  const filled = withDefaults(rawGithub, TOP_LEVEL_DEFAULTS[tier].github as never);
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
