// `npm run import` against a Railway environment and a Supabase project set up by hand, shaped like
// Founderhouse's staging (./founderhouse.ts). The command runs as a user runs it (a subprocess
// reaching the doubles); the stack it writes holds what runs and the ids it takes over, no secret,
// and passes the offline plan. What the first `pulumi up` of such a stack does (takes everything
// over, writes only what the report announced, then exactly what the file changes) is shown through
// the real CLI in tests/cli/readme.test.ts (the README's adoption walk); an environment this program
// set up itself, imported back, is taken over with no write at all in tests/cli/lifecycle.test.ts.
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as load, stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStartCommand } from "../../components/railway/redis";
import { redisSettings, serviceKey } from "../../plan/import/map";
import { ROOT, planInProcess } from "../helpers";
import { GithubDouble } from "../github/double";
import { RailwayDouble } from "../railway/double";
import { SupabaseDouble } from "../supabase/double";
import { SEEDED, seedFounderhouseStaging, type FounderhouseIds } from "./founderhouse";

const railway = new RailwayDouble();
const supabaseDouble = new SupabaseDouble();
const github = new GithubDouble();
const APP = { id: 2202, installationId: 3303 };
const appKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
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
  await github.start();
  github.installApp(APP.id, APP.installationId, appKey.publicKey, { login: "shop-platform[bot]", id: 9_100_001, admin: true });
  dir = mkdtempSync(path.join(tmpdir(), "import-test-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "platform", runtime: "nodejs", main: path.relative(dir, ROOT) }));
  mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
  for (const tier of ["dev", "staging", "production", "preview"])
    copyFileSync(path.join(ROOT, "policies/config", `${tier}.json`), path.join(dir, "policies/config", `${tier}.json`));
  ids = seedFounderhouseStaging(railway, supabaseDouble);
}, 60_000);

afterAll(async () => {
  await railway.stop();
  await supabaseDouble.stop();
  await github.stop();
});

describe("importing Founderhouse's staging, set up by hand", () => {
  let stdout = "";
  let config: Record<string, any>;

  it("writes a stack of what runs, with the ids it takes over and no secret value, and exits 4 listing what it could not carry over", async () => {
    const r = await runImport([
      "--stack",
      "fh-staging",
      "--railway-project",
      "founderhouse",
      "--railway-environment",
      "staging",
      "--supabase-project",
      ids.ref,
    ]);
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
    expect(config["platform:github"]).toEqual({
      owner: "founderhouse",
      repository: "founderhouse",
      branch: "main",
      requiredChecks: expect.arrayContaining([expect.stringMatching(/^Test/)]),
    });
    expect(r.stdout).toContain(
      "GitHub is not read (no GitHub credential given): platform:github.requiredChecks lists the checks of the CI workflow the program generates",
    );
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
    expect(config["platform:secrets"]).toEqual(
      Object.fromEntries(["JWT_SECRET_KEY", "OPENAI_API_KEY", "REDIS_PASSWORD", "SECRET_KEY", "SUPABASE_DB_PASSWORD"].map((n) => [n, { supplied: true }])),
    );
    expect(config["platform:adopt"]).toEqual({
      railway: {
        project: ids.project,
        environment: ids.staging,
        services: { "founderhouse-api": ids.api, redis: ids.redis, "digest-cron": expect.any(String) },
      },
      supabase: { project: ids.ref },
    });

    // One command per supplied secret, prompting for its value.
    for (const name of Object.keys(config["platform:secrets"]))
      expect(r.stdout).toContain(`pulumi config set --secret --path 'platform:secrets.${name}.value' --stack fh-staging\n`);
    // The report: each item with where it lives.
    expect(r.stdout).toContain('Railway service "digest-cron", cron schedule "0 7 * * *": the config has no cron schedules');
    expect(r.stdout).toContain('Railway service "Redis", start command: the program runs Redis with its own command line');
    expect(r.stdout).toContain('Railway service "Redis", variables REDISHOST: are not the program\'s');
    expect(r.stdout).toContain(
      'Railway service "founderhouse-api", variables DATABASE_URL, DIRECT_URL, SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY: are set by the program',
    );
  }, 60_000);

  it("sets the budget to the plan's estimate rounded up, and the stack, its App named as the import asks, passes `npm run plan` with advisory findings at most", async () => {
    expect(stdout).toContain("  - platform:github.app: staging runs `pulumi up` as a GitHub App");
    const file = path.join(dir, "Pulumi.fh-staging.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^ {2}platform:github:\n/m, (line) => `${line}    app: { id: 1163529, installationId: 61730218 }\n`),
    );
    expect((load(readFileSync(file, "utf8")) as { config: Record<string, any> }).config["platform:github"].app).toEqual({
      id: 1163529,
      installationId: 61730218,
    });
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
    const noToken = await runImport(["--stack", "fh-other", "--railway-project", "founderhouse", "--railway-environment", "staging"], {
      RAILWAY_API_TOKEN: "",
    });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain("RAILWAY_API_TOKEN");
  }, 60_000);
});

describe("importing a production environment", () => {
  it("writes everything it can carry over, exits 4, and names the one key it cannot fill; the plan then refuses only that key", async () => {
    // Production, as a team set it up by hand: two replicas of the API behind its domain, Redis
    // from the template, a Supabase project with PITR and a restricted network.
    supabaseDouble.organizations.set("acme", "pro");
    const db = supabaseDouble.seedProject({
      name: "shop-production",
      organization: "acme",
      region: "us-west-2",
      computeSize: "small",
      password: "Hand-Made-Production-Password-1",
    });
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
      settings: {
        numReplicas: 2,
        healthcheckPath: "/health",
        healthcheckTimeout: 60,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
        rootDirectory: "api",
      },
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

describe("importing a production environment with GitHub access", () => {
  it("as the App that runs `up`, carries over the ruleset, reviewers, secrets and variables, leaves no key to fill, and reads only", async () => {
    // The shop's repository as the team set it up by hand: its own ruleset on main (its CI's checks;
    // the App and organization admins may bypass it), and a production environment with a reviewer
    // team, a branch policy, two secrets and twelve variables (GitHub lists ten to a page unless asked).
    const repo = github.seedRepository("acme", "shop", ["main"]);
    github.organizations.set("acme", "enterprise");
    github.teams.set("acme/ops", 77);
    github.users.set("dana", 78);
    repo.rulesets.set(1, {
      id: 1,
      name: "Protect main",
      target: "branch",
      enforcement: "active",
      conditions: { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
      bypass_actors: [
        { actor_id: APP.id, actor_type: "Integration", bypass_mode: "always" },
        { actor_id: null, actor_type: "OrganizationAdmin", bypass_mode: "always" },
      ],
      rules: [
        { type: "pull_request" },
        { type: "required_status_checks", parameters: { required_status_checks: [{ context: "build" }, { context: "test", integration_id: 15368 }] } },
      ],
    });
    const variables = new Map([
      ["RAILWAY_ENVIRONMENT", "production"],
      ["API_URL", "https://api.shop.example.com"],
      ["STRIPE_SECRET", "sk_live_in_a_variable"],
      ...Array.from({ length: 9 }, (_, i) => [`FEATURE_${i}`, `on-${i}`] as [string, string]),
    ]);
    repo.environments.set("production", {
      name: "production",
      wait_timer: 0,
      prevent_self_review: true,
      can_admins_bypass: false,
      reviewers: [
        { type: "Team", id: 77 },
        { type: "User", id: 78 },
      ],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      policies: new Map([[5, { id: 5, name: "main", type: "branch" }]]),
      secrets: new Map([
        ["RAILWAY_TOKEN", "sealed"],
        ["SENTRY_DSN", "sealed"],
      ]),
      variables,
    });
    const writes = github.writes();
    const asApp = {
      GITHUB_APP_ID: String(APP.id),
      GITHUB_APP_INSTALLATION_ID: String(APP.installationId),
      GITHUB_APP_PEM_FILE: appKey.privateKey,
      GITHUB_BASE_URL: github.url,
    };
    const r = await runImport(
      [
        "--stack",
        "production",
        "--railway-project",
        "shop",
        "--railway-environment",
        "production",
        "--supabase-project",
        supabaseDouble.projectNamed("shop-production")[0]!.ref,
        "--force",
      ],
      asApp,
    );
    expect(r.stderr).toBe("");
    const config = (load(readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8")) as { config: Record<string, any> }).config;
    expect(config["platform:github"]).toEqual({
      owner: "acme",
      repository: "shop",
      branch: "main",
      app: APP,
      requiredChecks: ["build", "test"],
      bypassActors: [{ type: "OrganizationAdmin" }],
      reviewers: ["acme/ops", "dana"],
      secrets: ["RAILWAY_TOKEN", "SENTRY_DSN"],
      variables: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`FEATURE_${i}`, `on-${i}`])),
    });
    expect(config["platform:secrets"]).toMatchObject({ RAILWAY_TOKEN: { supplied: true }, SENTRY_DSN: { supplied: true } });
    expect(r.stdout).not.toContain("platform:github.app");
    expect(r.stdout).not.toContain("sk_live_in_a_variable");
    // What the first `up` changes on GitHub, each where it lives.
    expect(r.stdout).toContain(
      '  - GitHub ruleset "Protect main" on main: is not the program\'s; its checks and bypass actors are carried over, and the first `pulumi up` adds the ruleset "production: protect main".',
    );
    expect(r.stdout).toContain(
      "  - GitHub environment production, variable STRIPE_SECRET: looks like a secret, and Actions variables are plain text: the stack leaves it out.",
    );
    expect(r.stdout).toContain(
      `  - GitHub environment production, variables API_URL, ${Array.from({ length: 9 }, (_, i) => `FEATURE_${i}`).join(", ")}, RAILWAY_ENVIRONMENT: exist, and the first \`pulumi up\` creates each`,
    );
    expect(r.stdout).toContain("  - GitHub environment production, deployment branch main: exists");
    expect(r.stdout).toContain(`pulumi config set --secret --path 'platform:secrets.SENTRY_DSN.value' --stack production`);
    // Read only: an installation token minted, nothing written.
    expect(github.writes()).toBe(writes);
    expect(github.minted.length).toBeGreaterThan(0);
    // Nothing left to fill: the plan finds no configuration problem.
    const planned = await planInProcess(["--dir", dir, "--stack", "production"]);
    expect(planned.stderr).not.toMatch(/invalid configuration/);
    expect(planned.code).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe("reading what runs", () => {
  it("takes Redis's memory, eviction and persistence from its command line, in any unit and wrapper", () => {
    expect(
      redisSettings('/bin/sh -c "exec redis-server --port $REDISPORT --maxmemory 512mb --maxmemory-policy allkeys-lru --save 3600 1 --appendonly yes"', 2),
    ).toEqual({ memoryMb: 512, evictionPolicy: "allkeys-lru", persistence: "rdb+aof" });
    expect(redisSettings("redis-server --maxmemory 1gb --save '' --appendonly no", undefined)).toEqual({
      memoryMb: 1024,
      evictionPolicy: "noeviction",
      persistence: "none",
    });
    expect(redisSettings('redis-server --maxmemory 268435456 --save "" --appendonly yes', undefined)).toEqual({
      memoryMb: 256,
      evictionPolicy: "noeviction",
      persistence: "aof",
    });
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
