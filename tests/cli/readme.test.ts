// The README's real path, walked as a new user walks it: each marked command block of the deploy,
// review-stack, adoption, service, environment and rotation sections runs in order through the
// real CLI against the doubles (tests/cli/walk.ts says how a command is run), and what each block
// promises is checked where it lands: on Railway, Supabase and GitHub. The program runs as shipped
// (Pulumi.yaml, index.ts through Pulumi's TypeScript loader); what the README leaves to a dashboard
// (a Railway environment and its project token, a branch on GitHub) the test does in the doubles.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as load } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStartCommand } from "../../components/railway/redis";
import { SEEDED, seedFounderhouseStaging, type FounderhouseIds } from "../import/founderhouse";
import { POLICY_PACK, PROGRAM_SOURCES, Workspace } from "./pulumi";
import { commandsOf, runReadmeCommand, walkBlocks, type WalkBlock } from "./walk";
import { readOnlyQuery } from "./platforms";
import { worldForFile } from "./world";

const world = worldForFile();
const { railway, supabase, github } = world;
const BLOCKS = walkBlocks();
const blocksOf = (section: string) => BLOCKS.filter((b) => b.section === section);

/** The values a user types at each secret's prompt. */
const typed: Record<string, string> = {
  SENDGRID_API_KEY: "SG.walk-sendgrid-key-0001",
  SMARTSHEET_API_KEY: "walk-smartsheet-key-0001",
  SENTRY_DSN: "https://walk0001@o1.ingest.sentry.io/1",
};

let ws: Workspace;

/** Runs every command of a block in order; each must exit with the code given (0 unless told), else the test fails with its output. */
async function runBlock(block: WalkBlock, secrets: Record<string, string>, codes: Record<number, number> = {}): Promise<string[]> {
  const outputs: string[] = [];
  const commands = commandsOf(block);
  for (const [i, command] of commands.entries()) {
    const result = await runReadmeCommand(ws, command, secrets);
    if (!result) continue;
    expect(result.code, `${command}\n${result.output}`).toBe(codes[i] ?? 0);
    outputs.push(result.output);
  }
  return outputs;
}

const project = () => [...railway.projects.values()].find((p) => p.name === "converge-nps")!;
const envNamed = (name: string) => railway.environmentNamed(project().id, name);
const apiVariables = (env: string) => railway.instance(railway.serviceNamed(project().id, "api")!.id, envNamed(env)!.id)!.variables;

beforeAll(() => {
  ws = Workspace.create({ ownProgram: { copy: PROGRAM_SOURCES }, stackFiles: ["dev", "pr"], env: world.env() });
});
afterAll(() => ws?.remove());

describe("the README, walked", () => {
  it("marks the blocks of every walked section", () => {
    expect(Object.fromEntries(["deploy", "review", "adopt", "service", "environment", "rotation"].map((s) => [s, blocksOf(s).length]))).toEqual({
      deploy: 2,
      review: 2,
      adopt: 3,
      service: 2,
      environment: 1,
      rotation: 1,
    });
  });

  it("Deploying for real: dev, from nothing, into an environment made in Railway's dashboard", { timeout: 90_000 }, async () => {
    const [first, second] = blocksOf("deploy");
    await runBlock(first!, typed);
    // In the dashboard: the project, the environment dev, and a project token for it.
    const seeded = railway.seedProject("converge-nps", ["production", "dev"]);
    const token = railway.projectToken(seeded.projectId, seeded.environments.dev!);
    const [, preview, up] = await runBlock(second!, { ...typed, RAILWAY_TOKEN: token });
    expect(preview).toMatch(/\+ .*platform:railway:Service/);
    expect(up).toMatch(/platform@v0\.1\.0/);
    // The environment made by hand was taken over, not made again; the deploy workflow got its token.
    expect([...railway.environments.values()].filter((e) => e.projectId === seeded.projectId && e.name === "dev").map((e) => e.id)).toEqual([
      seeded.environments.dev,
    ]);
    const repo = github.repositories.get("converge-nps/converge-nps")!;
    expect(repo.environments.get("dev")!.secrets.get("RAILWAY_TOKEN")).toBe(token);
    expect(repo.branches.get("develop")!.files.has(".github/workflows/deploy-dev.yml")).toBe(true);
    expect(apiVariables("dev")).toMatchObject({ SENDGRID_API_KEY: typed.SENDGRID_API_KEY, NODE_ENV: "development" });
    expect(railway.rejected).toEqual([]);
  });

  it("Review stacks: the template's secrets, and a review stack's pre-run command as Pulumi Deployments runs it", { timeout: 60_000 }, async () => {
    const [template, preRun] = blocksOf("review");
    await runBlock(template!, typed);
    // What Pulumi Deployments does for pull request 12: a stack named after it with the template's
    // config, the pull request's head branch checked out, then the pre-run command, then the preview.
    const review = "pr-pulumi-converge-nps-platform-12";
    await ws.ok(["stack", "init", review, "--copy-config-from", "pr"]);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=walk", "-c", "user.email=walk@example.com", ...args], { cwd: ws.dir, stdio: "ignore" });
    git("init", "-q", "-b", "feature/login");
    git("commit", "-q", "--allow-empty", "-m", "the pull request's head");
    await runBlock(preRun!, typed);
    expect((await ws.ok(["config", "get", "--path", "platform:supabase.gitBranch", "--stack", review])).stdout.trim()).toBe("feature/login");
    const preview = await ws.ok(["preview", "--stack", review, "--policy-pack", POLICY_PACK]);
    expect(preview.output).toMatch(/\+ .*platform:supabase:Branch/);
    expect(preview.output).toMatch(/\+ .*platform:railway:Environment .*platform-railway-environment/);
  });

  it("Adding a service: the worker planned offline and previewed through Pulumi", { timeout: 60_000 }, async () => {
    const [yaml, commands] = blocksOf("service");
    const file = path.join(ws.dir, "Pulumi.dev.yaml");
    const before = readFileSync(file, "utf8");
    const lines = before.split("\n");
    const at = lines.findIndex((l) => /^ {2}platform:services:\s*$/.test(l));
    expect(at).toBeGreaterThan(-1);
    writeFileSync(file, [...lines.slice(0, at + 1), yaml!.text, ...lines.slice(at + 1)].join("\n"));
    try {
      const [plan, preview] = await runBlock(commands!, typed);
      expect(plan).toMatch(/worker/);
      expect(preview).toMatch(/\+ .*platform:railway:Service .*platform-worker-service/);
    } finally {
      // Not merged in this walk: dev goes on without it.
      writeFileSync(file, before);
    }
  });

  it("Adding an environment: qa from dev's config, with its own secrets, into its own Railway environment and branch", { timeout: 90_000 }, async () => {
    // In Railway's dashboard: the environment and its token. The branch qa is not on GitHub yet: `up` makes it from main.
    const qa = railway.seedEnvironment(project().id, "qa");
    const token = railway.projectToken(project().id, qa);
    const repo = github.repositories.get("converge-nps/converge-nps")!;
    expect(repo.branches.has("qa")).toBe(false);
    const own = {
      SENDGRID_API_KEY: "SG.walk-qa-sendgrid-0002",
      SMARTSHEET_API_KEY: "walk-qa-smartsheet-0002",
      SENTRY_DSN: "https://walkqa02@o1.ingest.sentry.io/2",
      RAILWAY_TOKEN: token,
    };
    await runBlock(blocksOf("environment")[0]!, own);
    expect(envNamed("qa")!.id).toBe(qa);
    expect(apiVariables("qa")).toMatchObject({ SENDGRID_API_KEY: own.SENDGRID_API_KEY, SENTRY_DSN: own.SENTRY_DSN });
    expect(repo.environments.get("qa")!.secrets.get("RAILWAY_TOKEN")).toBe(token);
    expect(repo.branches.get("qa")!.files.has(".github/workflows/deploy-qa.yml")).toBe(true);
    // dev's values were copied, encrypted for qa, and then replaced: qa holds none of dev's.
    const qaFile = readFileSync(path.join(ws.dir, "Pulumi.qa.yaml"), "utf8");
    const devFile = readFileSync(path.join(ws.dir, "Pulumi.dev.yaml"), "utf8");
    const salt = (text: string) => /^encryptionsalt: (.*)$/m.exec(text)?.[1];
    expect(salt(qaFile)).toBeDefined();
    expect(salt(qaFile)).not.toBe(salt(devFile));
  });

  it("Rotating a secret: a generated one now, by replacing its timer; a supplied one, by setting its new value", { timeout: 90_000 }, async () => {
    const before = apiVariables("dev");
    const rotated = { ...typed, SENDGRID_API_KEY: "SG.walk-sendgrid-key-0003" };
    const [urns] = await runBlock(blocksOf("rotation")[0]!, rotated);
    expect(urns).toContain("platform-secrets-jwt-secret-rotation");
    const after = apiVariables("dev");
    expect(after.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(after.JWT_SECRET).not.toBe(before.JWT_SECRET);
    expect(after.JWT_REFRESH_SECRET).toBe(before.JWT_REFRESH_SECRET);
    expect(after.SENDGRID_API_KEY).toBe(rotated.SENDGRID_API_KEY);
  });
});

describe("the README's adoption walk: Founderhouse's staging, set up by hand", () => {
  let team: Workspace;
  let ids: FounderhouseIds;
  beforeAll(() => {
    // Another team's checkout of this program, with stack files of its own.
    team = Workspace.create({ ownProgram: { copy: PROGRAM_SOURCES }, env: world.env() });
    ids = seedFounderhouseStaging(railway, supabase, "abcdefghijklmnopqrst");
    github.seedRepository("founderhouse", "founderhouse", ["main"]);
  });
  afterAll(() => team?.remove());

  const secretWrites = () => ({
    railway: railway.requests.filter((r) => r.type === "mutation").map((r) => r.operation),
    supabase: supabase.requests.filter((r) => r.method !== "GET" && !readOnlyQuery(r)).map((r) => r.operation),
  });

  it("imports, previews and takes everything over: no create, no delete, no password reset, only what the report announced", { timeout: 120_000 }, async () => {
    const [importBlock, secrets, takeOver] = blocksOf("adopt");
    const swap = ws;
    ws = team;
    try {
      const [report] = await runBlock(importBlock!, {}, { 0: 4 });
      expect(report).toContain("Not carried over, or changed by the first `pulumi up`");
      const config = (load(readFileSync(path.join(team.dir, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, any> }).config;
      expect(config["platform:adopt"].supabase).toEqual({ project: "abcdefghijklmnopqrst" });
      await runBlock(secrets!, SEEDED);
      const before = { api: structuredClone(railway.instance(ids.api, ids.staging)!), supabaseProjects: supabase.projects.size };
      railway.resetCounts();
      supabase.requests.length = 0;
      await runBlock(takeOver!, SEEDED);
      const w = secretWrites();
      expect(w.railway.filter((op) => /Create$|Delete$/.test(op))).toEqual([]);
      expect(w.supabase).toEqual([]);
      expect(supabase.projects.size).toBe(before.supabaseProjects);
      expect(supabase.projects.get(ids.ref)!.passwordResets).toBe(0);
      // What was written is what the report said the first up changes: Redis's command line and
      // variables (so Redis redeploys), and the API's Supabase variables (so the API redeploys).
      const redis = railway.instance(ids.redis, ids.staging)!;
      expect(redis.settings.startCommand).toBe(redisStartCommand({ memoryMb: 256, evictionPolicy: "noeviction", persistence: "rdb" }));
      expect(redis.variables.REDIS_PASSWORD).toBe(SEEDED.REDIS_PASSWORD);
      const api = railway.instance(ids.api, ids.staging)!;
      expect(api.settings).toEqual(before.api.settings);
      expect(api.variables.DATABASE_URL).toMatch(/\?sslmode=require&pgbouncer=true$/);
      expect(api.variables.SECRET_KEY).toBe(SEEDED.SECRET_KEY);
      expect(railway.deploymentsOf(ids.api, ids.staging).map((d) => d.cause)).toEqual(["dashboard", "redeploy"]);
      expect(railway.deploymentsOf(ids.redis, ids.staging).map((d) => d.cause)).toEqual(["dashboard", "redeploy"]);
      expect(railway.volumeInstanceOf(ids.redis, ids.staging)?.mountPath).toBe("/data");
      expect([...railway.volumes.values()].filter((v) => v.projectId === ids.project)).toHaveLength(1);
    } finally {
      ws = swap;
    }
  });

  it("a change made in the file afterwards reaches Railway as exactly that change", { timeout: 60_000 }, async () => {
    await team.ok(["config", "set", "--stack", "staging", "--path", "platform:services.founderhouse-api.healthcheck.timeoutSeconds", "120"]);
    const settingsBefore = structuredClone(railway.settingsOf(ids.api, ids.staging));
    const variablesBefore = structuredClone(railway.instance(ids.api, ids.staging)!.variables);
    railway.resetCounts();
    supabase.requests.length = 0;
    await team.ok(["up", "--stack", "staging", "--yes", "--skip-preview"]);
    expect(secretWrites().supabase).toEqual([]);
    // Two mutations, both to the API: its settings with the new timeout, then one deployment that runs with it.
    expect(railway.requests.filter((r) => r.type === "mutation").map((m) => m.variables.serviceId)).toEqual([ids.api, ids.api]);
    expect(railway.settingsOf(ids.api, ids.staging)).toEqual({ ...settingsBefore, healthcheckTimeout: 120 });
    expect(railway.instance(ids.api, ids.staging)!.variables).toEqual(variablesBefore);
  });
});
