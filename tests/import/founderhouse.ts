// Founderhouse's staging as its team set it up by hand (its infrastructure document), in the Railway and Supabase
// doubles: an API built from the repository (deploying main, waiting for CI) with a health check, a
// restart policy, a pre-deploy migration and secret variables; Redis from Railway's template with a
// volume; a worker with a cron schedule; a Supabase project in a Pro organization with pgvector and
// SSL enforced. What `npm run import` is shown in its tests and in the README's adoption walk.
import type { RailwayDouble } from "../railway/double";
import type { SupabaseDouble } from "../supabase/double";

/** The values of the seeded secrets: none of them may appear in what the import writes or prints. */
export const SEEDED = {
  SECRET_KEY: "9f1c2e7a4b8d6f0e3a5c7b9d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e",
  JWT_SECRET_KEY: "jwt-4d2c8e6a0b9f7d5c3a1e9b7d5f3a1c9e7b5d3f1a9c7e5b3d1f9a7c5e3b1d9f",
  OPENAI_API_KEY: "sk-proj-ZyXwVuTsRqPoNmLkJiHgFeDcBa0987654321",
  REDIS_PASSWORD: "TemplateRedisPasswordFromRailway0123",
  SUPABASE_DB_PASSWORD: "HandMadeSupabasePassword-2024!",
};
export const TEMPLATE_REDIS_COMMAND =
  '/bin/sh -c "rm -rf $RAILWAY_VOLUME_MOUNT_PATH/lost+found/ && exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --save 60 1 --dir $RAILWAY_VOLUME_MOUNT_PATH"';

export interface FounderhouseIds {
  readonly project: string;
  readonly staging: string;
  readonly api: string;
  readonly redis: string;
  readonly ref: string;
}

/** Sets Founderhouse's staging up in the doubles, as its team did in the dashboards; `ref` names the Supabase project's ref. */
export function seedFounderhouseStaging(railway: RailwayDouble, supabase: SupabaseDouble, ref?: string): FounderhouseIds {
  // Supabase, as made in the dashboard: Pro organization, small compute, SSL enforced, pgvector.
  supabase.organizations.set("founderhouse", "pro");
  const project = supabase.seedProject({
    name: "founderhouse-staging",
    organization: "founderhouse",
    region: "us-east-1",
    computeSize: "small",
    password: SEEDED.SUPABASE_DB_PASSWORD,
    ...(ref ? { ref } : {}),
  });
  project.ssl = true;
  project.pooler = { mode: "transaction", poolSize: 20 };
  project.extensions.push("vector");
  project.poolerAt = 0;

  // Railway, as made in the dashboard: the API from the repository (deploying main, waiting for CI),
  // Redis from the template.
  const seeded = railway.seedProject("founderhouse", ["production", "staging"]);
  const staging = seeded.environments.staging!;
  const redis = railway.seedService(seeded.projectId, staging, "Redis", {
    source: { image: "redis:8.2" },
    settings: { startCommand: TEMPLATE_REDIS_COMMAND },
    limits: { vCPUs: 0.5, memoryGB: 0.5 },
    variables: {
      REDIS_PASSWORD: SEEDED.REDIS_PASSWORD,
      REDISUSER: "default",
      REDISPORT: "6379",
      REDISHOST: "${{RAILWAY_PRIVATE_DOMAIN}}",
      REDIS_URL: "redis://${{REDISUSER}}:${{REDIS_PASSWORD}}@${{REDISHOST}}:${{REDISPORT}}",
    },
    volume: "/data",
  });
  const api = railway.seedService(seeded.projectId, staging, "founderhouse-api", {
    source: { repo: "founderhouse/founderhouse" },
    trigger: { branch: "main", checkSuites: true },
    settings: {
      healthcheckPath: "/health",
      healthcheckTimeout: 60,
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 10,
      dockerfilePath: "Dockerfile",
      preDeployCommand: ["alembic upgrade head"],
    },
    limits: { vCPUs: 0.5, memoryGB: 0.5 },
    variables: {
      PORT: "8000",
      API_ENV: "staging",
      ALLOWED_ORIGINS: "https://staging.founderhouse.ai",
      SECRET_KEY: SEEDED.SECRET_KEY,
      JWT_SECRET_KEY: SEEDED.JWT_SECRET_KEY,
      OPENAI_API_KEY: SEEDED.OPENAI_API_KEY,
      REDIS_URL: "${{Redis.REDIS_URL}}",
      // As copied from Supabase's dashboard: the pooler, without the program's TLS and PgBouncer flags.
      DATABASE_URL: `postgresql://postgres.${project.ref}:${encodeURIComponent(SEEDED.SUPABASE_DB_PASSWORD)}@aws-0-us-east-1.pooler.supabase.com:6543/postgres`,
    },
    railwayDomain: { targetPort: 8000 },
    customDomains: ["api-staging.founderhouse.ai"],
  });
  // A worker with a cron schedule: something the config has no key for.
  railway.seedService(seeded.projectId, staging, "digest-cron", {
    source: { repo: "founderhouse/founderhouse" },
    trigger: { branch: "main", checkSuites: true },
    settings: { startCommand: "python -m app.jobs.digest", cronSchedule: "0 7 * * *", restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 3 },
    limits: { vCPUs: 0.5, memoryGB: 0.5 },
    variables: { PORT: "8000", SECRET_KEY: SEEDED.SECRET_KEY },
    railwayDomain: { targetPort: 8000 },
  });
  return { project: seeded.projectId, staging, api, redis, ref: project.ref };
}
