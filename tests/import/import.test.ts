// `npm run import` against a Railway environment and a Supabase project set up by hand, shaped like
// Founderhouse's staging (./founderhouse.ts). The command runs as a user runs it (a subprocess
// reaching the doubles); the stack it writes holds what runs and the ids it takes over, no secret,
// and passes the offline plan. What the first `pulumi up` of such a stack does (takes everything
// over, writes only what the report announced, then exactly what the file changes) is shown through
// the real CLI in tests/cli/readme.test.ts (the README's adoption walk); an environment this program
// set up itself, imported back, is taken over with no write at all in tests/cli/lifecycle.test.ts.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as load, stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStartCommand } from "../../components/railway/redis";
import { redisSettings, serviceKey } from "../../plan/import";
import { ROOT, planInProcess } from "../helpers";
import { RailwayDouble } from "../railway/double";
import { SupabaseDouble } from "../supabase/double";
import { SEEDED, seedFounderhouseStaging, type FounderhouseIds } from "./founderhouse";

const railway = new RailwayDouble();
const supabaseDouble = new SupabaseDouble();
let dir: string;
let ids: FounderhouseIds;

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

beforeAll(async () => {
  await railway.start();
  await supabaseDouble.start();
  dir = mkdtempSync(path.join(tmpdir(), "import-test-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "platform", runtime: "nodejs", main: path.relative(dir, ROOT) }));
  mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
  for (const tier of ["dev", "staging", "production", "preview"]) copyFileSync(path.join(ROOT, "policies/config", `${tier}.json`), path.join(dir, "policies/config", `${tier}.json`));
  ids = seedFounderhouseStaging(railway, supabaseDouble);
}, 60_000);

afterAll(async () => {
  await railway.stop();
  await supabaseDouble.stop();
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

  it("sets the budget to the plan's estimate rounded up, and the stack, its App named as the import asks, passes `npm run plan` with advisory findings at most", async () => {
    expect(stdout).toContain("  - platform:github.app: staging runs `pulumi up` as a GitHub App");
    const file = path.join(dir, "Pulumi.fh-staging.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^ {2}platform:github:\n/m, (line) => `${line}    app: { id: 1163529, installationId: 61730218 }\n`));
    expect((load(readFileSync(file, "utf8")) as { config: Record<string, any> }).config["platform:github"].app).toEqual({ id: 1163529, installationId: 61730218 });
    const r = await planInProcess(["--dir", dir, "--stack", "fh-staging", "--json"]);
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
});

describe("importing a production environment", () => {
  it("writes everything it can carry over, exits 4, and names the one key it cannot fill; the plan then refuses only that key", async () => {
    // Production, as a team set it up by hand: two replicas of the API behind its domain, Redis
    // from the template, a Supabase project with PITR and a restricted network.
    supabaseDouble.organizations.set("acme", "pro");
    const db = supabaseDouble.seedProject({ name: "shop-production", organization: "acme", region: "us-west-2", computeSize: "small", password: "Hand-Made-Production-Password-1" });
    db.ssl = true;
    db.addons.pitr = "pitr_7";
    db.cidrs = { v4: ["203.0.113.10/32"], v6: [] };
    const seeded = railway.seedProject("shop", ["production"]);
    const production = seeded.environments.production!;
    railway.seedService(seeded.projectId, production, "Redis", {
      source: { image: "redis:8.2" },
      settings: { startCommand: "redis-server --requirepass $REDIS_PASSWORD --appendonly yes --maxmemory 512mb --maxmemory-policy noeviction" },
      limits: { vCPUs: 1, memoryGB: 1 },
      variables: { REDIS_PASSWORD: "Template-Redis-Password-0001", REDISUSER: "default", REDISPORT: "6379" },
      volume: "/data",
    });
    railway.seedService(seeded.projectId, production, "api", {
      source: { repo: "acme/shop" },
      settings: { numReplicas: 2, healthcheckPath: "/health", healthcheckTimeout: 60, restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10, rootDirectory: "api" },
      limits: { vCPUs: 2, memoryGB: 2 },
      variables: { PORT: "3000", NODE_ENV: "production", JWT_SECRET: "production-jwt-secret-from-the-dashboard", REDIS_URL: "${{Redis.REDIS_URL}}" },
      railwayDomain: { targetPort: 3000 },
      customDomains: ["api.shop.example.com"],
    });
    const r = await runImport(["--stack", "production", "--railway-project", "shop", "--railway-environment", "production", "--supabase-project", db.ref]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(4);
    const config = (load(readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8")) as { config: Record<string, any> }).config;
    expect(config["platform:tier"]).toBe("production");
    expect(config["platform:github"].app).toBeUndefined();
    expect(config["platform:services"].api).toMatchObject({ replicas: 2, domains: ["api.shop.example.com"], resources: { vcpu: 2, memoryGb: 2 } });
    expect(config["platform:supabase"]).toMatchObject({ pitrDays: 7, allowedCidrs: ["203.0.113.10/32"] });
    expect(r.stdout).toContain("  - platform:github.app: production runs `pulumi up` as a GitHub App");
    expect(r.stdout).toContain("app: { id: <the App ID, on the App's settings page>, installationId: <the id at the end of the installation's settings URL> }");

    const planned = await planInProcess(["--dir", dir, "--stack", "production"]);
    expect(planned.code).toBe(2);
    const problems = planned.stderr.split("\n").filter((l) => l.startsWith("  - "));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ {2}- platform:github\.app: /);
  }, 60_000);
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
