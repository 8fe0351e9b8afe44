// Tier defaults: what a stack file may leave out. Each value here is documented in README.md's
// reference table; tests/config/readme.test.ts keeps the two in step.
import type { Tier } from "./catalog";

/**
 * A review stack's name: `pr` (the template), `pr-<n>`, or the name Pulumi Deployments gives the
 * review stack it makes from the template, `pr-pulumi-<org>-<project>-<n>`.
 */
export const REVIEW_STACK_NAME = /^pr(?:-\d+|-pulumi-[A-Za-z0-9_.-]+-\d+)?$/;

/** The tier a stack name implies: `dev`, `staging`, `production`, and review stack names for previews. */
export function tierFromStackName(stack: string): Tier | undefined {
  if (stack === "dev" || stack === "staging" || stack === "production") return stack;
  if (REVIEW_STACK_NAME.test(stack)) return "preview";
  return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Defaults = { [key: string]: Json };

const GITHUB_BASE: Defaults = { reviewers: [], requiredChecks: [], manageRepository: false, secrets: [], variables: {}, bypassActors: [], deploy: {} };
const RAILWAY_BASE: Defaults = { plan: "hobby", region: "us-west2", prEnvironments: false };

/** Each tier's defaults of the top-level keys that have them. */
export interface TierDefaults {
  readonly budget: Defaults;
  readonly github: Defaults;
  readonly railway: Defaults;
  readonly services: Defaults;
  readonly secrets: Defaults;
}

export const TOP_LEVEL_DEFAULTS: Record<Tier, TierDefaults> = {
  dev: { budget: { monthlyUsd: 50 }, github: { ...GITHUB_BASE, branch: "develop" }, railway: RAILWAY_BASE, services: {}, secrets: {} },
  staging: { budget: { monthlyUsd: 100 }, github: { ...GITHUB_BASE, branch: "staging" }, railway: RAILWAY_BASE, services: {}, secrets: {} },
  production: {
    budget: { monthlyUsd: 300 },
    github: { ...GITHUB_BASE, branch: "main", manageRepository: true },
    railway: { ...RAILWAY_BASE, plan: "pro" },
    services: {},
    secrets: {},
  },
  preview: {
    budget: { monthlyUsd: 20 },
    github: { ...GITHUB_BASE, branch: "main" },
    railway: { ...RAILWAY_BASE, sourceEnvironment: "staging" },
    services: {},
    secrets: {},
  },
};

/** Filled into `platform:github.ci`, by `runtime`. */
export const CI_DEFAULTS: Record<"node" | "python", Defaults> = {
  node: {
    runtime: "node",
    version: "26",
    install: "npm ci",
    lint: "npm run lint --if-present",
    test: "npm test",
    audit: "npm audit --audit-level=high --omit=dev",
    services: [],
  },
  python: {
    runtime: "python",
    version: "3.12",
    install: "pip install -r requirements.txt",
    lint: "python -m pip install flake8 && flake8 .",
    test: "python -m pytest",
    audit: "python -m pip install pip-audit && pip-audit -r requirements.txt",
    services: [],
  },
};

/** Filled into `platform:redis` when the key is present. */
export const REDIS_DEFAULTS: Record<Tier, Defaults> = {
  dev: { memoryMb: 256, evictionPolicy: "allkeys-lru", persistence: "rdb" },
  staging: { memoryMb: 256, evictionPolicy: "allkeys-lru", persistence: "rdb+aof" },
  production: { memoryMb: 512, evictionPolicy: "allkeys-lru", persistence: "rdb+aof" },
  preview: { memoryMb: 128, evictionPolicy: "allkeys-lru", persistence: "none" },
};

/** Filled into `platform:supabase` when the key is present: sizes, PITR and pool per tier. */
const SUPABASE_BASE: Defaults = {
  adopt: false,
  resetPassword: false,
  restrictToServices: false,
  region: "us-east-1",
  sslEnforcement: true,
  allowedCidrs: [],
  extensions: [],
};

export const SUPABASE_DEFAULTS: Record<Tier, Defaults> = {
  // dev: no size, so Supabase gives the smallest the organization allows (nano only in free ones).
  dev: { ...SUPABASE_BASE, pitrDays: 0, pooler: { mode: "transaction", poolSize: 15 } },
  staging: { ...SUPABASE_BASE, computeSize: "micro", pitrDays: 0, pooler: { mode: "transaction", poolSize: 15 } },
  production: { ...SUPABASE_BASE, restrictToServices: true, computeSize: "small", pitrDays: 7, pooler: { mode: "transaction", poolSize: 30 } },
  preview: { ...SUPABASE_BASE, computeSize: "micro", pitrDays: 0, pooler: { mode: "transaction", poolSize: 15 } },
};

/** Filled into each entry of `platform:services`: the same everywhere but for size and count. */
const SERVICE_BASE: Defaults = { restart: { policy: "ON_FAILURE", maxRetries: 10 }, domains: [], variables: {}, secrets: [], uses: [], autoDeploy: false };

export const SERVICE_DEFAULTS: Record<Tier, Defaults> = {
  dev: { ...SERVICE_BASE, replicas: 1, resources: { vcpu: 1, memoryGb: 1 } },
  staging: { ...SERVICE_BASE, replicas: 1, resources: { vcpu: 1, memoryGb: 1 } },
  production: { ...SERVICE_BASE, replicas: 2, resources: { vcpu: 2, memoryGb: 2 } },
  preview: { ...SERVICE_BASE, replicas: 1, resources: { vcpu: 0.5, memoryGb: 0.5 } },
};

/** Filled into a service's `healthcheck` when it has one. */
export const HEALTHCHECK_DEFAULTS: Defaults = { timeoutSeconds: 60 };

/** Filled into a generated secret: `generate: {}` means 32 bytes, rotated every 90 days. */
export const GENERATED_SECRET_DEFAULTS: Defaults = { rotateDays: 90 };
export const GENERATE_DEFAULTS: Defaults = { bytes: 32 };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Fills `defaults` beneath `value`: the user's keys win, objects merge key by key, arrays and
 * scalars are taken whole. A value of the wrong type is kept as it is, so the schema reports it.
 */
export function withDefaults(value: unknown, defaults: Defaults): unknown {
  if (value === undefined) return structuredClone(defaults);
  if (!isPlainObject(value)) return value;
  const merged: Record<string, unknown> = { ...value };
  for (const [key, fallback] of Object.entries(defaults)) {
    const own = value[key];
    if (own === undefined) merged[key] = structuredClone(fallback);
    else if (isPlainObject(own) && isPlainObject(fallback)) merged[key] = withDefaults(own, fallback as Defaults);
  }
  return merged;
}
