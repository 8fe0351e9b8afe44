// What was reviewed is what gets applied, through the real Pulumi CLI against the doubles: the
// pull request's preview saves a stack's plan (`node dist/plan/reviewed.js save`, as
// pull-request.yml runs it) and the deploy applies exactly that plan (`apply`, as deploy.yml runs
// it). A saved plan for production applies with no other write; a plan made stale by a change in
// Railway, or by another update of the stack, is refused before any write; a change that replaces
// staging's Supabase project is refused unconfirmed and applied confirmed, and one that removes its
// Redis is refused until confirmed.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as load, stringify as dump } from "yaml";
import { ROOT } from "../helpers";
import { plainSecretsIn, revealedSecrets } from "./checks";
import { POLICY_PACK, Workspace, run, suppliedSecrets, type CliResult } from "./pulumi";
import { worldForFile } from "./world";

const world = worldForFile();
const { railway, supabase, github } = world;
const STACKS = ["staging", "production"] as const;

let ws: Workspace;
let plans: string;
const supplied: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  ws = Workspace.create({ stackFiles: [...STACKS], env: world.env() });
  plans = mkdtempSync(path.join(tmpdir(), "platform-plans-"));
  for (const stack of STACKS) {
    supplied[stack] = suppliedSecrets(stack, stack);
    await ws.initStackAtOnce(stack, supplied[stack]!);
    await ws.ok(["up", "--stack", stack, "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
  }
}, 240_000);

afterAll(() => {
  ws?.remove();
  if (plans) rmSync(plans, { recursive: true, force: true });
});

/** `node dist/plan/reviewed.js <command> <stack> <dir>` in the project folder, as the workflows run it. */
function reviewed(command: "save" | "apply", stack: string, dir: string): Promise<CliResult> {
  return run(process.execPath, [path.join(ROOT, "dist/plan/reviewed.js"), command, stack, dir], {
    cwd: ws.dir,
    env: { ...ws.env, POLICY_PACK },
  });
}

const project = () => [...railway.projects.values()].find((p) => p.name === "converge-nps")!;
const env = (name: string) => railway.environmentNamed(project().id, name)!;
const service = (name: string) => railway.serviceNamed(project().id, name)!;
const settingsOf = (stack: string, name: string) => railway.instance(service(name).id, env(stack).id)!.settings;
/** The Railway mutations received since `from` requests, by operation. */
const railwayWritesSince = (from: number) => railway.requests.slice(from).flatMap((r) => (r.type === "mutation" ? [r.operation] : []));

/** Edits the workspace's stack file as a pull request would (secure values kept as they are). */
function editStack(stack: string, edit: (config: Record<string, any>) => void): void {
  const file = path.join(ws.dir, `Pulumi.${stack}.yaml`);
  const doc = load(readFileSync(file, "utf8")) as { config: Record<string, any> };
  edit(doc.config);
  writeFileSync(file, dump(doc));
}

describe("a saved plan, applied after the merge", () => {
  it("applies production's reviewed plan with no other write, and leaves no secret in what it saved", { timeout: 90_000 }, async () => {
    await ws.ok(["config", "set", "--stack", "production", "--path", "platform:services.api.healthcheck.timeoutSeconds", "90"]);
    const dir = path.join(plans, "production");
    const before = world.writes();
    const saved = await reviewed("save", "production", dir);
    expect(saved.code, saved.output).toBe(0);
    // The preview writes nothing anywhere.
    expect(world.writes()).toEqual(before);
    expect(saved.stdout).toBe(
      "### Stack production: 3 change(s)\n\n" +
        "- update `platform-api-deployment` (platform:railway:Deployment)\n" +
        "- update `platform-api-settings` (platform:railway:ServiceInstance)\n" +
        "- update `platform-github-deploy-workflow` (github:index/repositoryFile:RepositoryFile)\n",
    );
    // The stack's last update then: its first `up` (a file backend numbers no versions).
    expect(JSON.parse(readFileSync(path.join(dir, "reviewed.json"), "utf8"))).toEqual({
      stack: "production",
      lastUpdate: { kind: "update", startTime: expect.any(String), version: 0 },
    });
    // The artifact holds the plan with its secrets encrypted, and the preview with them masked.
    const secrets = [...Object.values(supplied.production!), ...revealedSecrets((await ws.exportStack("production", true)).deployment)];
    expect(secrets.length).toBeGreaterThan(5);
    for (const file of readdirSync(dir)) expect(plainSecretsIn(readFileSync(path.join(dir, file), "utf8"), secrets), file).toEqual([]);
    expect(readFileSync(path.join(dir, "plan.json"), "utf8")).toContain('"ciphertext"');

    const requests = railway.requests.length;
    const applied = await reviewed("apply", "production", dir);
    expect(applied.code, applied.output).toBe(0);
    expect(applied.stdout).toBe("Stack production: the reviewed plan is applied.\n");
    // Exactly what the plan holds: the API's settings in Railway (which redeploys it) and the deploy workflow on GitHub.
    expect(railwayWritesSince(requests)).toEqual(["serviceInstanceUpdate"]);
    expect(world.writes()).toEqual({ ...before, railway: before.railway + 1, github: before.github + 1 });
    expect(settingsOf("production", "api").healthcheckTimeout).toBe(90);
  });

  it("refuses a plan made stale by a change in Railway before any write, saying why and what to do", { timeout: 90_000 }, async () => {
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:services.api.healthcheck.timeoutSeconds", "90"]);
    const dir = path.join(plans, "staging-stale");
    expect((await reviewed("save", "staging", dir)).code).toBe(0);
    // After the review, someone changes web's health check in Railway's dashboard.
    settingsOf("staging", "web").healthcheckTimeout = 45;
    const before = world.writes();
    const applied = await reviewed("apply", "staging", dir);
    expect(applied.code, applied.output).toBe(1);
    expect(applied.stderr).toContain("Stack staging: 'pulumi up' would do what the reviewed plan does not hold, so it stopped before changing anything:");
    expect(applied.stderr).toMatch(/platform-web-settings .*update is not allowed by the plan: this resource is constrained to same/);
    expect(applied.stderr).toContain(
      "If what runs changed, take it into the state first ('pulumi refresh --stack staging'); then re-run the pull request's preview for this stack, review what it shows, then re-run this deploy.",
    );
    expect(world.writes()).toEqual(before);
    expect([settingsOf("staging", "api").healthcheckTimeout, settingsOf("staging", "web").healthcheckTimeout]).toEqual([60, 45]);
  });

  it("refuses a plan made before another update of the stack, without running `up`", { timeout: 90_000 }, async () => {
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:services.api.healthcheck.timeoutSeconds", "120"]);
    const dir = path.join(plans, "staging-moved");
    expect((await reviewed("save", "staging", dir)).code).toBe(0);
    // Another change is merged and deployed first.
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:services.web.healthcheck.timeoutSeconds", "30"]);
    await ws.ok(["up", "--stack", "staging", "--yes", "--skip-preview"]);
    const before = world.writes();
    const history = (await ws.ok(["stack", "history", "--stack", "staging", "--output", "json"])).stdout;
    const applied = await reviewed("apply", "staging", dir);
    expect(applied.code, applied.output).toBe(1);
    expect(applied.stderr).toMatch(
      /^Stack staging was updated after this plan was made \(its last update then: update started [^;]+; now: update started [^;]+; another merge, a refresh or an 'up' by hand\), so the plan no longer says what 'pulumi up' would do\. Nothing was applied\./,
    );
    expect(world.writes()).toEqual(before);
    // No update was even started: the stack's history is as it was.
    expect((await ws.ok(["stack", "history", "--stack", "staging", "--output", "json"])).stdout).toBe(history);
  });
});

describe("the destructive-change gate in the pull request's preview", () => {
  it("refuses replacing staging's Supabase project unconfirmed, saving no plan; confirmed, the plan replaces it", { timeout: 120_000 }, async () => {
    // A move to another region, under a new name (the old project is still there while the new one is made).
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:supabase.region", "eu-west-1"]);
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:supabase.project", "converge-nps-staging-eu"]);
    const dir = path.join(plans, "staging-supabase");
    const before = world.writes();
    const refused = await reviewed("save", "staging", dir);
    expect(refused.code, refused.output).not.toBe(0);
    expect(refused.stderr).toContain(
      '`platform-supabase-project` (platform:supabase:Project) in stack staging would be replaced, and with it its Postgres database: the new project "converge-nps-staging-eu" starts empty',
    );
    expect(refused.stderr).toContain("list `platform-supabase-project` under `platform:confirmDestructive` in Pulumi.staging.yaml");
    expect(existsSync(path.join(dir, "plan.json"))).toBe(false);
    expect(world.writes()).toEqual(before);

    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:confirmDestructive[0]", "platform-supabase-project"]);
    const saved = await reviewed("save", "staging", dir);
    expect(saved.code, saved.output).toBe(0);
    expect(saved.stdout).toContain("- replace `platform-supabase-project` (platform:supabase:Project)");
    expect(saved.stdout).toContain(
      "Confirmed by `platform:confirmDestructive`:\n\n- `platform-supabase-project` (platform:supabase:Project) is replaced, with its Postgres database",
    );
    const applied = await reviewed("apply", "staging", dir);
    expect(applied.code, applied.output).toBe(0);
    expect(supabase.projectNamed("converge-nps-staging-eu")).toHaveLength(1);
    expect(supabase.projectNamed("converge-nps-staging")).toEqual([]);
  });

  it("refuses removing staging's Redis unconfirmed, naming its service and its volume; confirmed, saves the plan", { timeout: 120_000 }, async () => {
    editStack("staging", (config) => {
      delete config["platform:redis"];
      config["platform:services"].api.uses = ["supabase"];
      config["platform:confirmDestructive"] = [];
    });
    const dir = path.join(plans, "staging-redis");
    const before = world.writes();
    const refused = await reviewed("save", "staging", dir);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stdout).toContain("**Refused: the change deletes or replaces what holds data, unconfirmed.**");
    expect(refused.stdout).toContain(
      "- `platform-redis-service-service` (platform:railway:Service) in stack staging would be deleted, and with it its volume and the data on it.",
    );
    expect(refused.stdout).toContain(
      "- `platform-redis-service-volume` (platform:railway:Volume) in stack staging would be deleted, and with it Redis's data on its volume.",
    );
    expect(existsSync(path.join(dir, "plan.json"))).toBe(false);
    expect(world.writes()).toEqual(before);

    // Confirmed, the plan is saved; applying it is the same `apply` as the Supabase project's above.
    editStack("staging", (config) => (config["platform:confirmDestructive"] = ["platform-redis-service-service", "platform-redis-service-volume"]));
    const saved = await reviewed("save", "staging", dir);
    expect(saved.code, saved.output).toBe(0);
    expect(saved.stdout).toContain("- delete `platform-redis-service-volume` (platform:railway:Volume)");
    expect(saved.stdout).toContain(
      "- `platform-redis-service-volume` (platform:railway:Volume) is deleted, with Redis's data on its volume, as platform:confirmDestructive confirms.",
    );
    expect(existsSync(path.join(dir, "plan.json"))).toBe(true);
  });

  it("saves no plan the policy pack refuses, and shows why (the preview's JSON leaves policy violations out)", { timeout: 60_000 }, async () => {
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:services.api.replicas", "9"]);
    const dir = path.join(plans, "staging-policy");
    const refused = await reviewed("save", "staging", dir);
    expect(refused.code, refused.output).toBe(3);
    expect(refused.stderr).toMatch(/\[mandatory\] +cost-railway-replicas-within-cap +\(platform:railway:ServiceInstance: platform-api-settings\)/);
    expect(refused.stderr).toContain("This service runs 9 replicas, over the cap of 2.");
    expect(refused.stderr).toContain("Stack staging: the preview failed, so no plan was saved:");
    expect(existsSync(path.join(dir, "plan.json"))).toBe(false);
  });
});
