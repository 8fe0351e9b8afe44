// The config contract: one zod schema per `platform:*` key, after tier defaults have been filled in.
// Field-level rules live here; rules that span keys (references, plan limits) live in rules/.
import { BlockList, isIP } from "node:net";
import { z } from "zod";
import {
  MIN_GENERATED_SECRET_BYTES,
  RAILWAY_PLANS,
  RAILWAY_REGIONS,
  REDIS_EVICTION_POLICIES,
  REDIS_PERSISTENCE,
  RESTART_POLICIES,
  SERVICE_USES,
  SUPABASE_COMPUTE_SIZES,
  SUPABASE_PITR_DAYS,
  SUPABASE_POOL_MODES,
  SUPABASE_REGIONS,
  TIERS,
} from "./catalog";

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REVIEWER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(\/[a-z0-9][a-z0-9_-]{0,99})?$/;
// GitHub's rules for a repository's name: letters, digits, '.', '_' and '-', at most 100, and
// never '.' or '..' (GitHub refuses both).
const REPO_NAME = "(?!\\.\\.?(?:$|\\/))[A-Za-z0-9._-]{1,100}";
const GITHUB_REPO = new RegExp(`^${REPO_NAME}$`);
const GITHUB_REPO_PATH = new RegExp(`^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\\/${REPO_NAME}$`);
// git check-ref-format, reduced to what a branch name in a config file needs.
const GIT_BRANCH = /^(?!\/|.*\/\/|.*\/$|.*\.\.|.*@\{|.*\.lock$|.*\.$)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0]*$/;

/** True for `address/prefix` with a valid IPv4 or IPv6 address and a prefix in range. */
/** The address ranges reserved for documentation (RFC 5737, RFC 3849): placeholders, never real clients. */
const DOCUMENTATION_RANGES = new BlockList();
DOCUMENTATION_RANGES.addSubnet("192.0.2.0", 24, "ipv4");
DOCUMENTATION_RANGES.addSubnet("198.51.100.0", 24, "ipv4");
DOCUMENTATION_RANGES.addSubnet("203.0.113.0", 24, "ipv4");
DOCUMENTATION_RANGES.addSubnet("2001:db8::", 32, "ipv6");

export function isDocumentationRange(cidr: string): boolean {
  const address = cidr.slice(0, cidr.indexOf("/"));
  return DOCUMENTATION_RANGES.check(address, address.includes(":") ? "ipv6" : "ipv4");
}

export function isCidr(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return false;
  const prefix = Number(prefixText);
  const family = isIP(address);
  if (family === 4) return prefix <= 32;
  if (family === 6) return prefix <= 128;
  return false;
}

const nonEmpty = z.string().trim().min(1);

export const budgetSchema = z.strictObject({
  monthlyUsd: z.number().positive().max(1_000_000),
});

const COMMAND = z.string().trim().min(1).max(2000);

export const ciSchema = z.strictObject({
  runtime: z.enum(["node", "python"]),
  version: z.string().regex(/^\d+(\.\d+){0,2}$/, "is not a version such as 20 or 3.12"),
  install: COMMAND,
  lint: COMMAND,
  test: COMMAND,
  audit: COMMAND,
  /** Service containers the tests need. */
  services: z.array(z.enum(["postgres", "redis"])),
});

export const deploySchema = z.strictObject({
  /** Removed: migrations run inside Railway as a service's preDeployCommand. Accepted here so validation can say so. */
  migrate: z.unknown().optional(),
  /** Runs on the runner once every deployment is SUCCESS and healthy, with each service's `<NAME>_URL` set. */
  smoke: COMMAND.optional(),
});

export const githubSchema = z.strictObject({
  owner: z.string().regex(GITHUB_LOGIN, "is not a GitHub user or organization name (letters, digits and single hyphens)"),
  repository: z
    .string()
    .regex(
      GITHUB_REPO,
      "is not a GitHub repository name (letters, digits, '.', '_' and '-', at most 100 characters, and not '.' or '..', which GitHub refuses)",
    ),
  branch: z.string().regex(GIT_BRANCH, "is not a valid git branch name"),
  reviewers: z
    .array(z.string().regex(GITHUB_REVIEWER, "is not a GitHub user login or an org/team slug"))
    .max(6, "GitHub environments accept at most 6 required reviewers"),
  requiredChecks: z.array(nonEmpty),
  /** Own the repository-wide settings and the CI workflow (one stack should). */
  manageRepository: z.boolean(),
  /**
   * The stack whose ruleset protects `branch`, when another stack deploys from it too. Exactly one
   * stack protects a branch (every active ruleset on it applies); this one then makes no ruleset.
   */
  branchOwner: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, "is not a stack name (letters, digits, '_', '.' and '-')")
    .optional(),
  /** Names from platform:secrets to put in this environment's GitHub Actions secrets. */
  secrets: z.array(z.string().regex(SECRET_NAME, "is not a secret name (upper case, digits and '_')")),
  /** Plain GitHub Actions variables for this environment. */
  variables: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, "is not a variable name (upper case, digits and '_')"), z.string()),
  /**
   * The GitHub App whose installation runs `pulumi up` (its App ID and the installation's id): the
   * provider's credential (with the App's private key from GITHUB_APP_PEM_FILE or github:appAuth),
   * and a bypass actor of every ruleset the program makes.
   */
  app: z
    .strictObject({
      id: z.int().min(1),
      installationId: z.int().min(1),
    })
    .optional(),
  /** Who else may bypass the branch ruleset. */
  bypassActors: z.array(
    z.strictObject({
      type: z.enum(["Integration", "Team", "RepositoryRole", "OrganizationAdmin", "DeployKey"]),
      id: z.int().min(1).optional(),
    }),
  ),
  ci: ciSchema,
  deploy: deploySchema,
});

/** A Railway project or environment name. */
export const RAILWAY_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

export const railwaySchema = z.strictObject({
  plan: z.enum(RAILWAY_PLANS),
  region: z.enum(RAILWAY_REGIONS),
  project: z.string().regex(RAILWAY_NAME, "is not a Railway project name (letters, digits, spaces, '.', '_' and '-')").optional(),
  environment: z.string().regex(RAILWAY_NAME, "is not a Railway environment name (letters, digits, spaces, '.', '_' and '-')").optional(),
  sourceEnvironment: z.string().regex(RAILWAY_NAME, "is not a Railway environment name").optional(),
  prEnvironments: z.boolean(),
  /** The Railway workspace (name or id) the project belongs in; needed when the token sees several. */
  workspace: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _.'&-]{0,99}$/, "is not a Railway workspace name or id")
    .optional(),
});

const sourceSchema = z.strictObject({
  repo: z.string().regex(GITHUB_REPO_PATH, "is not a GitHub repository in the form owner/name").optional(),
  branch: z.string().regex(GIT_BRANCH, "is not a valid git branch name").optional(),
  rootDirectory: z.string().regex(RELATIVE_PATH, "must be a path inside the repository (relative, no '..')").optional(),
  dockerfile: z.string().regex(RELATIVE_PATH, "must be a path inside the repository (relative, no '..')").optional(),
  image: z
    .string()
    .regex(/^[a-z0-9]+([._\/:@-][A-Za-z0-9_.-]+)*$/, "is not a container image reference such as redis:8.2 or ghcr.io/owner/app")
    .optional(),
  build: z
    .strictObject({
      context: z.string().regex(RELATIVE_PATH, "must be a path inside the repository (relative, no '..')"),
      dockerfile: z.string().regex(RELATIVE_PATH, "must be a path inside the repository (relative, no '..')"),
    })
    .optional(),
  /** Credentials Railway pulls a private image with: a user name and the name of a secret holding the password or token. */
  registryCredentials: z
    .strictObject({
      username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, "is not a registry user name"),
      secret: z.string().regex(SECRET_NAME, "is not a secret name (upper case, digits and '_')"),
    })
    .optional(),
});

export const serviceSchema = z.strictObject({
  source: sourceSchema,
  port: z.int().min(1).max(65535),
  startCommand: nonEmpty.optional(),
  /** Runs inside Railway, with the service's variables, before a new deployment takes traffic: migrations. */
  preDeployCommand: COMMAND.optional(),
  /** Let Railway deploy each push to the branch itself (waiting for its checks), instead of the deploy workflow. */
  autoDeploy: z.boolean(),
  healthcheck: z
    .strictObject({
      path: z.string().regex(/^\/[^\s]*$/, "must be an HTTP path starting with '/'"),
      timeoutSeconds: z.int().min(1).max(3600),
    })
    .optional(),
  replicas: z.int().min(1),
  regions: z
    .partialRecord(z.enum(RAILWAY_REGIONS), z.int().min(1))
    .refine((regions) => Object.keys(regions).length > 0, "names no region; give each region its replicas, e.g. { us-west2: 2 }, or remove regions")
    .optional(),
  resources: z.strictObject({
    vcpu: z.number().positive(),
    memoryGb: z.number().positive(),
  }),
  restart: z.strictObject({
    policy: z.enum(RESTART_POLICIES),
    maxRetries: z.int().min(0).max(1000),
  }),
  domains: z.array(z.string().regex(HOSTNAME, "is not a valid domain name (lower-case labels separated by dots)")),
  variables: z.record(z.string().regex(ENV_NAME, "is not an environment variable name"), z.string()),
  secrets: z.array(z.string().regex(SECRET_NAME, "is not a secret name (upper case, digits and '_')")),
  uses: z.array(z.enum(SERVICE_USES)),
  volume: z
    .strictObject({
      mountPath: z.string().regex(/^\/[^\s]*$/, "must be an absolute path such as /data"),
    })
    .optional(),
});

export const servicesSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "is not a service name (lower case, digits and '-', 2 to 32 characters)"),
  z.unknown(),
);

export const redisSchema = z.strictObject({
  memoryMb: z.int().min(16).max(65536),
  evictionPolicy: z.enum(REDIS_EVICTION_POLICIES),
  persistence: z.enum(REDIS_PERSISTENCE),
});

/** A Supabase project name. */
export const SUPABASE_PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

export const supabaseSchema = z.strictObject({
  project: z.string().regex(SUPABASE_PROJECT_NAME, "is not a Supabase project name (letters, digits, spaces, '.', '_' and '-')").optional(),
  parentProject: z.string().regex(SUPABASE_PROJECT_NAME, "is not a Supabase project name").optional(),
  adopt: z.boolean(),
  projectRef: z
    .string()
    .regex(/^[a-z]{20}$/, "is not a Supabase project ref (20 lower-case letters, the last part of the dashboard URL)")
    .optional(),
  resetPassword: z.boolean(),
  restrictToServices: z.boolean(),
  gitBranch: z
    .string()
    .regex(/^(?!\/|.*(?:\.\.|\/\/|@\{|\.lock$|\/$))[\w./-]{1,255}$/, "is not a git branch name")
    .optional(),
  organization: z.string().regex(/^[\w-]+$/, "is not a Supabase organization slug (letters, digits, '_' and '-')"),
  region: z.enum(SUPABASE_REGIONS as [string, ...string[]]),
  computeSize: z.enum(SUPABASE_COMPUTE_SIZES as [string, ...string[]]).optional(),
  pitrDays: z.literal(SUPABASE_PITR_DAYS),
  sslEnforcement: z.boolean(),
  allowedCidrs: z.array(z.string().refine(isCidr, "is not a CIDR block such as 203.0.113.0/24 or 2001:db8::/32")),
  extensions: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/, "is not a Postgres extension name")),
  pooler: z.strictObject({
    mode: z.enum(SUPABASE_POOL_MODES),
    poolSize: z.int().min(1).max(1000),
  }),
});

export const secretSchema = z.strictObject({
  generate: z
    .strictObject({
      bytes: z
        .int()
        .min(
          MIN_GENERATED_SECRET_BYTES,
          `a generated secret needs at least ${MIN_GENERATED_SECRET_BYTES} random bytes (RFC 7518 §3.2: an HMAC key as long as its hash)`,
        )
        .max(1024),
    })
    .optional(),
  rotateDays: z.int().min(1).max(3650).optional(),
  supplied: z.literal(true).optional(),
  value: z.unknown().optional(),
});

export const secretsSchema = z.record(z.string().regex(SECRET_NAME, "is not a secret name (upper case, digits and '_')"), z.unknown());

export const tierSchema = z.enum(TIERS);

const RAILWAY_ID = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "is not a Railway id (a UUID, as in the dashboard's URLs)");

/**
 * What the stack takes over instead of creating (written by `npm run import`): the Railway
 * project, environment and services by id, keyed by the config's service names (`redis` for
 * platform:redis), and the Supabase project by ref.
 */
export const adoptSchema = z.strictObject({
  railway: z
    .strictObject({
      project: RAILWAY_ID,
      environment: RAILWAY_ID,
      services: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "is not a service name of platform:services (or redis)"), RAILWAY_ID),
    })
    .optional(),
  supabase: z
    .strictObject({
      project: z.string().regex(/^[a-z]{20}$/, "is not a Supabase project ref (20 lower-case letters, the last part of the dashboard URL)"),
    })
    .optional(),
});

/**
 * The resources a change may delete or replace though they hold data, by the name the plan and
 * `pulumi preview` print (components/destructive.ts): part of the change under review.
 */
export const confirmDestructiveSchema = z
  .array(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, "is not a resource name as the plan and `pulumi preview` print it (e.g. platform-supabase-project)"),
  )
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: [i], input: name, message: "is listed a second time" });
    });
  });

/** The schema of each top-level key; the names are the users' interface (`platform:<key>`). */
export const TOP_LEVEL_SCHEMAS = {
  tier: tierSchema,
  budget: budgetSchema,
  github: githubSchema,
  railway: railwaySchema,
  services: servicesSchema,
  redis: redisSchema,
  supabase: supabaseSchema,
  secrets: secretsSchema,
  adopt: adoptSchema,
  confirmDestructive: confirmDestructiveSchema,
} as const;

export type TopLevelKey = keyof typeof TOP_LEVEL_SCHEMAS;
export const TOP_LEVEL_KEYS = Object.keys(TOP_LEVEL_SCHEMAS) as TopLevelKey[];

export type ServiceInput = z.infer<typeof serviceSchema>;
export type RedisConfig = z.infer<typeof redisSchema>;
export type SupabaseConfig = z.infer<typeof supabaseSchema>;
export type GithubConfig = z.infer<typeof githubSchema>;
export type RailwayConfig = z.infer<typeof railwaySchema>;
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type AdoptConfig = z.infer<typeof adoptSchema>;
