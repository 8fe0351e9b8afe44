// `npm run import` against a Railway environment and a Supabase project set up by hand, shaped like
// Founderhouse's staging: an API built from the repository with a health check, a restart policy,
// a pre-deploy migration and secret variables; Redis from Railway's template with a volume; a
// Supabase project with pgvector. The command runs as a user runs it (a subprocess reaching the
// doubles); the stack it writes is planned, then run through the SDK's real hosts: it takes over
// everything without creating or deleting anything, writes only what its report announced, then
// nothing; a change made in the file afterwards reaches Railway as exactly that change. Last, an
// environment this program set up itself comes back as a stack whose first `up` writes nothing.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { dump as toYaml, load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSettings, serviceKey } from "../../plan/import";
import { redisStartCommand } from "../../components/railway/redis";
import { plain, type StackState } from "../engine/engine";
import { startPlatforms, stackWithSecrets, type Platforms } from "../engine/stacks";
import { ROOT, runPlanCli } from "../helpers";
import { FULL_REALISM as SUPABASE_REALISM, type SupabaseDouble } from "../supabase/double";
import type { RailwayDouble } from "../railway/double";

let platforms: Platforms;
let railway: RailwayDouble;
let supabaseDouble: SupabaseDouble;
let dir: string;

/** The values of the seeded secrets: none of them may appear in what the import writes or prints. */
const SEEDED = {
  SECRET_KEY: "9f1c2e7a4b8d6f0e3a5c7b9d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e",
  JWT_SECRET_KEY: "jwt-4d2c8e6a0b9f7d5c3a1e9b7d5f3a1c9e7b5d3f1a9c7e5b3d1f9a7c5e3b1d9f",
  OPENAI_API_KEY: "sk-proj-ZyXwVuTsRqPoNmLkJiHgFeDcBa0987654321",
  REDIS_PASSWORD: "TemplateRedisPasswordFromRailway0123",
  SUPABASE_DB_PASSWORD: "HandMadeSupabasePassword-2024!",
};
const TEMPLATE_REDIS_COMMAND = '/bin/sh -c "rm -rf $RAILWAY_VOLUME_MOUNT_PATH/lost+found/ && exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --save 60 1 --dir $RAILWAY_VOLUME_MOUNT_PATH"';

let ids: { project: string; staging: string; api: string; redis: string; ref: string };

function runImport(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "dist/plan/import.js"), ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? "", ...railway.env(), ...supabaseDouble.env(), ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every write the doubles received: Railway mutations by name, Supabase requests that change something. */
function writes(): { railway: string[]; supabase: string[] } {
  return {
    railway: railway.requests.filter((r) => r.type === "mutation").map((r) => r.operation),
    supabase: supabaseDouble.requests
      .filter((r) => r.method !== "GET" && !(r.operation === "v1-run-a-query" && /^\s*select/i.test(String((r.body as { query?: string })?.query))))
      .map((r) => r.operation),
  };
}

function resetCounts(): void {
  railway.resetCounts();
  supabaseDouble.requests.length = 0;
}

/** The imported stack as `pulumi up` gets it, with each supplied secret set to the value it has now (as the printed commands ask). */
function importedStack(file: string, edit: (config: Record<string, any>) => void = () => {}) {
  return stackWithSecrets(file, file, dir, (config) => {
    for (const [name, secret] of Object.entries(config["platform:secrets"] as Record<string, { value?: string }>)) secret.value = SEEDED[name as keyof typeof SEEDED];
    edit(config);
  });
}

beforeAll(async () => {
  platforms = await startPlatforms({ ...SUPABASE_REALISM, comingUpMs: 20, unhealthyMs: 10, sslApplyMs: 10, resizeMs: 10, goingDownMs: 10, poolerMissingMs: 20, rateLimit: 0 });
  ({ railway, supabase: supabaseDouble } = platforms);
  dir = mkdtempSync(path.join(tmpdir(), "import-test-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "platform", runtime: "nodejs", main: path.relative(dir, ROOT) }));
  mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
  for (const tier of ["dev", "staging", "production", "preview"]) copyFileSync(path.join(ROOT, "policies/config", `${tier}.json`), path.join(dir, "policies/config", `${tier}.json`));

  // Supabase, as made in the dashboard: Pro organization, small compute, SSL enforced, pgvector.
  supabaseDouble.organizations.set("founderhouse", "pro");
  const project = supabaseDouble.seedProject({ name: "founderhouse-staging", organization: "founderhouse", region: "us-east-1", computeSize: "small", password: SEEDED.SUPABASE_DB_PASSWORD });
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
    settings: { healthcheckPath: "/health", healthcheckTimeout: 60, restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10, dockerfilePath: "Dockerfile", preDeployCommand: ["alembic upgrade head"] },
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
  ids = { project: seeded.projectId, staging, api, redis, ref: project.ref };
}, 60_000);

afterAll(async () => {
  await platforms?.stop();
});

describe("importing Founderhouse's staging, set up by hand", () => {
  let stdout = "";
  let config: Record<string, any>;

  it("writes a stack of what runs, with the ids it takes over and no secret value, and exits 4 listing what it could not carry over", async () => {
    const r = await runImport(["--stack", "fh-staging", "--railway-project", "founderhouse", "--railway-environment", "staging", "--supabase-project", ids.ref]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(4);
    stdout = r.stdout;
    const text = readFileSync(path.join(dir, "Pulumi.fh-staging.yaml"), "utf8");
    for (const value of Object.values(SEEDED)) {
      expect(text).not.toContain(value);
      expect(r.stdout).not.toContain(value);
    }
    expect(text).not.toContain(encodeURIComponent(SEEDED.SUPABASE_DB_PASSWORD));
    config = (load(text) as { config: Record<string, any> }).config;

    expect(config["platform:tier"]).toBe("staging");
    expect(config["platform:github"]).toEqual({ owner: "founderhouse", repository: "founderhouse", branch: "main", requiredChecks: expect.arrayContaining([expect.stringMatching(/^Test/)]) });
    expect(r.stdout).toContain("GitHub is not read: platform:github.requiredChecks lists the checks of the CI workflow the program generates");
    expect(config["platform:railway"]).toEqual({ project: "founderhouse", environment: "staging" });
    expect(config["platform:services"]["founderhouse-api"]).toEqual({
      source: { repo: "founderhouse/founderhouse", dockerfile: "Dockerfile" },
      port: 8000,
      preDeployCommand: "alembic upgrade head",
      healthcheck: { path: "/health", timeoutSeconds: 60 },
      restart: { policy: "ON_FAILURE", maxRetries: 10 },
      replicas: 1,
      resources: { vcpu: 0.5, memoryGb: 0.5 },
      domains: ["api-staging.founderhouse.ai"],
      variables: { API_ENV: "staging", ALLOWED_ORIGINS: "https://staging.founderhouse.ai" },
      secrets: ["SECRET_KEY", "JWT_SECRET_KEY", "OPENAI_API_KEY"],
      uses: ["redis", "supabase"],
      autoDeploy: true,
    });
    // Redis from the template's command line: no maxmemory (half the container), Redis's default eviction, RDB snapshots.
    expect(config["platform:redis"]).toEqual({ memoryMb: 256, evictionPolicy: "noeviction", persistence: "rdb" });
    expect(config["platform:supabase"]).toEqual({
      project: "founderhouse-staging",
      organization: "founderhouse",
      region: "us-east-1",
      computeSize: "small",
      pitrDays: 0,
      sslEnforcement: true,
      restrictToServices: false,
      allowedCidrs: [],
      pooler: { mode: "transaction", poolSize: 20 },
      extensions: ["vector"],
    });
    expect(config["platform:secrets"]).toEqual(Object.fromEntries(["JWT_SECRET_KEY", "OPENAI_API_KEY", "REDIS_PASSWORD", "SECRET_KEY", "SUPABASE_DB_PASSWORD"].map((n) => [n, { supplied: true }])));
    expect(config["platform:adopt"]).toEqual({
      railway: { project: ids.project, environment: ids.staging, services: { "founderhouse-api": ids.api, redis: ids.redis, "digest-cron": expect.any(String) } },
      supabase: { project: ids.ref },
    });

    // One command per supplied secret, prompting for its value.
    for (const name of Object.keys(config["platform:secrets"])) expect(r.stdout).toContain(`pulumi config set --secret --path 'platform:secrets.${name}.value' --stack fh-staging\n`);
    // The report: each item with where it lives.
    expect(r.stdout).toContain('Railway service "digest-cron", cron schedule "0 7 * * *": the config has no cron schedules');
    expect(r.stdout).toContain('Railway service "Redis", start command: the program runs Redis with its own command line');
    expect(r.stdout).toContain('Railway service "Redis", variables REDISHOST: are not the program\'s');
    expect(r.stdout).toContain('Railway service "founderhouse-api", variables DATABASE_URL, DIRECT_URL, SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY: are set by the program');
  }, 60_000);

  it("sets the budget to the plan's estimate rounded up, and the stack passes `npm run plan` with advisory findings at most", async () => {
    const r = await runPlanCli(["--dir", dir, "--stack", "fh-staging", "--json"]);
    const planned = JSON.parse(r.stdout).stacks[0];
    expect(r.stderr, JSON.stringify(planned.violations)).toBe("");
    expect(r.code, JSON.stringify(planned.violations)).toBe(0);
    expect(planned.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(config["platform:budget"].monthlyUsd).toBe(Math.ceil(planned.cost.monthlyUsd));
    expect(stdout).toContain(`budget $${config["platform:budget"].monthlyUsd}/month (the plan's estimate, $${planned.cost.monthlyUsd.toFixed(2)}, rounded up)`);
  }, 60_000);

  it("never overwrites the stack file without --force, and refuses bad arguments naming each", async () => {
    const before = readFileSync(path.join(dir, "Pulumi.fh-staging.yaml"), "utf8");
    const again = await runImport(["--stack", "fh-staging", "--railway-project", "founderhouse", "--railway-environment", "staging"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("Pulumi.fh-staging.yaml exists; it is never overwritten without --force.");
    expect(readFileSync(path.join(dir, "Pulumi.fh-staging.yaml"), "utf8")).toBe(before);
    const bad = await runImport(["--stack", "x y", "--railway-project", "founderhouse", "--railway-environment", "qa", "--supabase-project", "NOT-A-REF"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stack "x y" is not a Pulumi stack name');
    expect(bad.stderr).toContain('--supabase-project "NOT-A-REF" is not a Supabase project ref');
    expect(bad.stderr).toContain('the tier does not follow from the environment "qa"');
    const missing = await runImport(["--stack", "fh-qa", "--railway-project", "founderhouse", "--railway-environment", "qa", "--tier", "dev"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--railway-environment "qa": project "founderhouse" has no such environment; it has "production", "staging".');
    expect(existsSync(path.join(dir, "Pulumi.fh-qa.yaml"))).toBe(false);
    const noToken = await runImport(["--stack", "fh-other", "--railway-project", "founderhouse", "--railway-environment", "staging"], { RAILWAY_API_TOKEN: "" });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain("RAILWAY_API_TOKEN");
  }, 60_000);

  let state: StackState;

  it("the first `pulumi up` takes everything over: no create, no delete, no password reset, only the writes the report announced", async () => {
    const before = { api: structuredClone(railway.instance(ids.api, ids.staging)!), deployments: railway.deployments.size, supabaseProjects: supabaseDouble.projects.size };
    resetCounts();
    const result = await platforms.engine.run({ ...importedStack("fh-staging"), dryRun: false });
    expect(result.exitCode, result.stderr).toBe(0);
    state = result.state;
    expect(railway.rejected).toEqual([]);
    const w = writes();
    expect(w.railway.filter((op) => /Create$|Delete$/.test(op))).toEqual([]);
    expect(w.supabase).toEqual([]);
    expect(supabaseDouble.projects.size).toBe(before.supabaseProjects);
    expect(supabaseDouble.projectNamed("founderhouse-staging")[0]!.passwordResets).toBe(0);
    expect([...railway.services.values()].filter((s) => s.projectId === ids.project)).toHaveLength(3);
    expect([...railway.environments.values()].filter((e) => e.projectId === ids.project)).toHaveLength(2);
    // What was written is what the report said the first up changes: Redis's command line and
    // variables (so Redis redeploys), and the API's Supabase variables (so the API redeploys).
    const redis = railway.instance(ids.redis, ids.staging)!;
    expect(redis.settings.startCommand).toBe(redisStartCommand({ memoryMb: 256, evictionPolicy: "noeviction", persistence: "rdb" }));
    expect(Object.keys(redis.variables).sort()).toEqual(["REDISPORT", "REDISUSER", "REDIS_PASSWORD", "REDIS_URL"]);
    expect(redis.variables.REDIS_PASSWORD).toBe(SEEDED.REDIS_PASSWORD);
    const api = railway.instance(ids.api, ids.staging)!;
    expect(api.settings).toEqual(before.api.settings);
    expect(api.limits).toEqual(before.api.limits);
    expect(api.variables.REDIS_URL).toBe(`redis://default:${SEEDED.REDIS_PASSWORD}@redis.railway.internal:6379`);
    expect(api.variables.DATABASE_URL).toMatch(/\?sslmode=require&pgbouncer=true$/);
    expect(api.variables.SECRET_KEY).toBe(SEEDED.SECRET_KEY);
    expect(railway.deploymentsOf(ids.api, ids.staging).map((d) => d.cause)).toEqual(["dashboard", "redeploy"]);
    expect(railway.deploymentsOf(ids.redis, ids.staging).map((d) => d.cause)).toEqual(["dashboard", "redeploy"]);
    // The volume Redis keeps its data on is the one it had.
    expect(railway.volumeInstanceOf(ids.redis, ids.staging)?.mountPath).toBe("/data");
    expect([...railway.volumes.values()].filter((v) => v.projectId === ids.project)).toHaveLength(1);
  }, 120_000);

  it("the next `pulumi up` writes nothing, and a refresh finds nothing changed", async () => {
    resetCounts();
    const again = await platforms.engine.run({ ...importedStack("fh-staging"), dryRun: false, state });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(writes()).toEqual({ railway: [], supabase: [] });
    const refreshed = await platforms.engine.refresh(again.state);
    expect(refreshed.steps.filter((s) => s.op !== "same" && s.op !== "refresh").map((s) => `${s.op} ${s.urn}`)).toEqual([]);
    state = again.state;
  }, 120_000);

  it("a change made in the file afterwards reaches Railway as exactly that change", async () => {
    const settingsBefore = structuredClone(railway.settingsOf(ids.api, ids.staging));
    const variablesBefore = structuredClone(railway.instance(ids.api, ids.staging)!.variables);
    const deploymentsBefore = new Map([...railway.services.keys()].map((id) => [id, railway.deploymentsOf(id, ids.staging).length]));
    resetCounts();
    const changed = await platforms.engine.run({
      ...importedStack("fh-staging", (c) => {
        c["platform:services"]["founderhouse-api"].healthcheck.timeoutSeconds = 120;
      }),
      dryRun: false,
      state,
    });
    expect(changed.exitCode, changed.stderr).toBe(0);
    expect(writes().supabase).toEqual([]);
    // Two mutations, both to the API: its settings with the new timeout, then one deployment that runs with it.
    const mutations = railway.requests.filter((r) => r.type === "mutation");
    expect(mutations.map((m) => m.variables.serviceId)).toEqual([ids.api, ids.api]);
    expect(railway.settingsOf(ids.api, ids.staging)).toEqual({ ...settingsBefore, healthcheckTimeout: 120 });
    expect(railway.instance(ids.api, ids.staging)!.variables).toEqual(variablesBefore);
    for (const [id, count] of deploymentsBefore) expect(railway.deploymentsOf(id, ids.staging).length, railway.services.get(id)!.name).toBe(count + (id === ids.api ? 1 : 0));
    expect(railway.deploymentsOf(ids.api, ids.staging).at(-1)!.snapshot.settings.healthcheckTimeout).toBe(120);
  }, 120_000);
});

describe("importing an environment this program set up", () => {
  it("gives a stack whose first `pulumi up` writes nothing at all, and exits 0", async () => {
    // Converge-NPS's staging, set up by `pulumi up` of the shipped stack.
    const shipped = stackWithSecrets("staging");
    const up = await platforms.engine.run({ ...shipped, dryRun: false });
    expect(up.exitCode, up.stderr).toBe(0);
    const ref = supabaseDouble.projectNamed("converge-nps-staging")[0]!.ref;
    const r = await runImport(["--stack", "cv-staging", "--railway-project", "converge-nps", "--railway-environment", "staging", "--supabase-project", ref], { });
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toContain("Not carried over");
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, "Pulumi.cv-staging.yaml"), "utf8");
    const imported = (load(text) as { config: Record<string, any> }).config;
    expect(Object.keys(imported["platform:services"]).sort()).toEqual(["api", "web"]);

    // The user sets each supplied secret to the value Railway and Supabase hold now.
    const values: Record<string, string> = {};
    const projectId = [...railway.projects.values()].find((p) => p.name === "converge-nps")!.id;
    const env = railway.environmentNamed(projectId, "staging")!.id;
    for (const name of Object.keys(imported["platform:secrets"])) {
      if (name === "SUPABASE_DB_PASSWORD") values[name] = supabaseDouble.projectNamed("converge-nps-staging")[0]!.password;
      else {
        const holder = [...railway.instances.values()].find((i) => i.environmentId === env && i.variables[name] !== undefined)!;
        values[name] = holder.variables[name]!;
      }
      expect(text).not.toContain(values[name]);
    }
    resetCounts();
    const adopted = await platforms.engine.run({
      ...stackWithSecrets("cv-staging", "cv-staging", dir, (c) => {
        for (const [name, secret] of Object.entries(c["platform:secrets"] as Record<string, { value?: string }>)) secret.value = values[name];
      }),
      dryRun: false,
    });
    expect(adopted.exitCode, adopted.stderr).toBe(0);
    expect(writes()).toEqual({ railway: [], supabase: [] });
    expect(plain(adopted.outputs).tier).toBe("staging");
  }, 180_000);
});

describe("reading what runs", () => {
  it("takes Redis's memory, eviction and persistence from its command line, in any unit and wrapper", () => {
    expect(redisSettings('/bin/sh -c "exec redis-server --port $REDISPORT --maxmemory 512mb --maxmemory-policy allkeys-lru --save 3600 1 --appendonly yes"', 2)).toEqual({ memoryMb: 512, evictionPolicy: "allkeys-lru", persistence: "rdb+aof" });
    expect(redisSettings("redis-server --maxmemory 1gb --save '' --appendonly no", undefined)).toEqual({ memoryMb: 1024, evictionPolicy: "noeviction", persistence: "none" });
    expect(redisSettings("redis-server --maxmemory 268435456 --save \"\" --appendonly yes", undefined)).toEqual({ memoryMb: 256, evictionPolicy: "noeviction", persistence: "aof" });
    // No flags at all: Redis's own defaults (snapshots on), memory from the container's limit.
    expect(redisSettings(null, 1)).toEqual({ memoryMb: 512, evictionPolicy: "noeviction", persistence: "rdb" });
    // What the program itself runs reads back as the settings it came from.
    const settings = { memoryMb: 384, evictionPolicy: "volatile-lru", persistence: "rdb+aof" } as const;
    expect(redisSettings(redisStartCommand(settings), undefined)).toEqual(settings);
  });

  it("names services the way the config accepts them", () => {
    expect(serviceKey("founderhouse-api")).toBe("founderhouse-api");
    expect(serviceKey("Redis")).toBe("redis");
    expect(serviceKey("My API_v2")).toBe("my-api-v2");
    expect(serviceKey("2fa")).toBe("fa");
  });
});
