// The closed lists and limits the config contract checks against, each from its owner's documentation.
import supabaseCatalog from "./supabase-catalog.json";

export const TIERS = ["dev", "staging", "production", "preview"] as const;
export type Tier = (typeof TIERS)[number];

/** Railway region ids (docs.railway.com/reference/deployment-regions, 2026-08). */
export const RAILWAY_REGIONS = ["us-west2", "us-east4-eqdc4a", "europe-west4-drams3a", "asia-southeast1-eqsg3a"] as const;

export const RAILWAY_PLANS = ["hobby", "pro"] as const;
export type RailwayPlan = (typeof RAILWAY_PLANS)[number];

/** Per-plan limits (docs.railway.com pricing/plans, 2026-08): per replica, and replicas per service. */
export const RAILWAY_PLAN_LIMITS: Record<RailwayPlan, { vcpu: number; memoryGb: number; replicas: number }> = {
  hobby: { vcpu: 8, memoryGb: 8, replicas: 6 },
  pro: { vcpu: 24, memoryGb: 24, replicas: 42 },
};

export const RESTART_POLICIES = ["ON_FAILURE", "ALWAYS", "NEVER"] as const;

/** Redis's own maxmemory-policy names (redis.io/docs/latest/develop/reference/eviction). */
export const REDIS_EVICTION_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
] as const;

export const REDIS_PERSISTENCE = ["none", "rdb", "aof", "rdb+aof"] as const;
export type RedisPersistence = (typeof REDIS_PERSISTENCE)[number];

/** Supabase's region codes and compute sizes, copied from its Management API spec. */
export const SUPABASE_REGIONS = supabaseCatalog.regions as readonly string[];
export const SUPABASE_COMPUTE_SIZES = supabaseCatalog.computeSizes as readonly string[];
export const SUPABASE_PITR_DAYS = [0, 7, 14, 28] as const;
export const SUPABASE_POOL_MODES = ["transaction", "session"] as const;
/** The extensions every new Supabase project has installed: not worth declaring. */
export const SUPABASE_DEFAULT_EXTENSIONS = ["pg_graphql", "pg_stat_statements", "pgcrypto", "plpgsql", "supabase_vault", "uuid-ossp"] as const;

export const SERVICE_USES = ["redis", "supabase"] as const;
export type ServiceUse = (typeof SERVICE_USES)[number];

/** HS256 and friends need a key at least as long as the hash (RFC 7518 §3.2). */
export const MIN_GENERATED_SECRET_BYTES = 32;

/** Variables the platform sets on a service itself: always, and for each of its `uses`. */
/** What a service that uses Supabase gets from the program. */
export const SUPABASE_VARIABLES = ["DATABASE_URL", "DIRECT_URL", "SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY", "SUPABASE_SECRET_KEY"] as const;

export const WIRED_VARIABLES: { readonly always: readonly string[] } & Record<ServiceUse, readonly string[]> = {
  always: ["PORT"],
  redis: ["REDIS_URL"],
  supabase: SUPABASE_VARIABLES,
};

/** The oldest Node.js major release still supported upstream (20 reached end of life on 2026-04-30). */
export const MIN_NODE_MAJOR = 22;
