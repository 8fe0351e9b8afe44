// Supabase through the SDK's real hosts, against a double that behaves as Supabase does: production
// created (a fault in every Supabase create), resized and SSL-toggled, then an up that changes
// nothing and a refresh that finds nothing; staging and two review stacks for two pull requests,
// destroyed again with staging's default branch and database untouched; a project made by hand,
// refused, then taken over without its password reset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plain, type Engine, type StackState } from "../engine/engine";
import { startPlatforms, stackWithSecrets, type Platforms } from "../engine/stacks";
import { ROOT } from "../helpers";
import type { RailwayDouble } from "../railway/double";
import { FULL_REALISM, type SupabaseDouble } from "./double";

let railway: RailwayDouble;
let supabase: SupabaseDouble;
let engine: Engine;
let platforms: Platforms | undefined;
const states = new Map<string, StackState>();

beforeAll(async () => {
  platforms = await startPlatforms();
  ({ railway, supabase, engine } = platforms);
});

afterAll(async () => {
  await platforms?.stop();
});

type Config = Record<string, any>;
const writes = () => supabase.requests.filter((r) => r.method !== "GET").length;
const projectOf = (name: string) => {
  const found = supabase.projectNamed(name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const editSupabase = (edit: (s: Config) => void) => (config: Config) => edit(config["platform:supabase"]);

async function up(file: string, stack = file, edit: (config: Config) => void = () => {}) {
  const input = stackWithSecrets(file, stack, ROOT, edit);
  const result = await engine.run({ ...input, dryRun: false, ...(states.has(stack) ? { state: states.get(stack)! } : {}) });
  return result;
}

async function upOk(file: string, stack = file, edit?: (config: Config) => void) {
  const result = await up(file, stack, edit);
  expect(result.exitCode, `${stack}: ${result.stderr}`).toBe(0);
  states.set(stack, result.state);
  return result;
}

describe("production on Supabase", () => {
  it("is created once, whatever fails on the way, and restricted to the services that use it", { timeout: 60_000 }, async () => {
    supabase.realism = { ...FULL_REALISM };
    supabase.inject({ kind: "lost" }, { operation: "v1-create-a-project" });
    supabase.inject({ kind: "500" }, { operation: "v1-update-ssl-enforcement-config" });
    supabase.inject({ kind: "429", retryAfter: "0" }, { operation: "v1-update-network-restrictions" });
    supabase.inject({ kind: "drop" }, { operation: "v1-get-services-health" });
    await upOk("production");
    const p = projectOf("converge-nps-production");
    expect(p).toMatchObject({ region: "us-west-2", computeSize: "small", ssl: true, addons: { compute_instance: "ci_small", pitr: "pitr_7" }, pooler: { mode: "transaction", poolSize: 30 } });
    // Only api uses the database: its static egress addresses are all the database accepts.
    const apiId = [...railway.services.values()].find((s) => s.name === "api")!.id;
    const production = [...railway.environments.values()].find((e) => e.name === "production")!;
    const egress = railway.egress.get(`${apiId}:${production.id}`)!.map((g) => `${g.ipv4}/32`);
    expect(egress).toHaveLength(1);
    expect(p.cidrs).toEqual({ v4: egress, v6: [] });
    // The variables api runs with: pooler with pgbouncer=true, session URL for migrations, the new keys.
    const vars = railway.instance(apiId, production.id)!.variables;
    expect(vars.DATABASE_URL).toMatch(new RegExp(`^postgresql://postgres\\.${p.ref}:[A-Za-z0-9]{40}@aws-0-us-west-2\\.pooler\\.supabase\\.com:6543/postgres\\?sslmode=require&pgbouncer=true$`));
    expect(vars.DIRECT_URL).toBe(vars.DATABASE_URL!.replace(":6543/", ":5432/").replace("&pgbouncer=true", ""));
    expect(vars.DATABASE_URL).toContain(`:${p.password}@`);
    expect([vars.SUPABASE_URL, vars.SUPABASE_PUBLISHABLE_KEY, vars.SUPABASE_SECRET_KEY]).toEqual([`https://${p.ref}.supabase.co`, p.publishableKey, p.secretKey]);
    expect(supabase.refusedWhileBusy).toEqual([]);
    expect(supabase.rejected).toEqual([]);
    expect(supabase.badResponses).toEqual([]);
  });

  it("is resized and its SSL enforcement toggled, each waited out, then an up changes nothing", { timeout: 60_000 }, async () => {
    await upOk("production", "production", editSupabase((s) => Object.assign(s, { computeSize: "medium", sslEnforcement: false })));
    const p = projectOf("converge-nps-production");
    expect(p).toMatchObject({ computeSize: "medium", ssl: false });
    expect(supabase.refusedWhileBusy).toEqual([]);
    const before = writes();
    const again = await upOk("production", "production", editSupabase((s) => Object.assign(s, { computeSize: "medium", sslEnforcement: false })));
    expect(again.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(writes() - before).toBe(0);
  });

  it("a refresh reads back exactly the state; a key rotated by hand shows", { timeout: 30_000 }, async () => {
    const host = engine.provider(true);
    const state = states.get("production")!;
    const before = writes();
    const refreshed = await engine.refresh(state);
    expect(refreshed.steps.filter((s) => s.op !== "refresh" || s.changed)).toEqual([]);
    for (const r of refreshed.state.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/supabase-"))) {
      expect((await host.diff(r.id, r.urn, plain(r.outputs), plain(r.inputs), plain(r.inputs), r.type)).changes, r.urn).toBe(false);
    }
    expect(writes() - before).toBe(0);
    const p = projectOf("converge-nps-production");
    const kept = p.secretKey;
    p.secretKey = "sb_secret_rotated_by_hand";
    const rotated = await engine.refresh(state);
    expect(rotated.steps.filter((s) => s.changed).map((s) => s.urn)).toEqual([expect.stringMatching(/supabase-project:Project::platform-supabase-project$/)]);
    p.secretKey = kept;
  });
});

describe("review stacks on staging's Supabase", () => {
  it("get their own branches, linked to their head branches; destroyed, staging is untouched", { timeout: 90_000 }, async () => {
    await upOk("staging");
    const staging = projectOf("converge-nps-staging");
    const stagingBefore = structuredClone({ ...staging });
    supabase.inject({ kind: "lost" }, { operation: "v1-create-a-branch" });
    await upOk("pr", "pr-7", editSupabase((s) => (s.gitBranch = "feature/login")));
    await upOk("pr", "pr-8", editSupabase((s) => (s.gitBranch = "fix/typo")));
    const branches = () => [...supabase.branches.values()].filter((b) => b.parentRef === staging.ref).map((b) => [b.name, b.isDefault, b.gitBranch, b.projectRef === staging.ref]);
    expect(branches(), JSON.stringify(branches())).toEqual([
      ["main", true, "main", true],
      ["pr-7", false, "feature/login", false],
      ["pr-8", false, "fix/typo", false],
    ]);
    for (const stack of ["pr-7", "pr-8"]) {
      const destroyed = await engine.destroy(states.get(stack)!);
      expect(destroyed.state.resources, stack).toEqual([]);
    }
    expect(branches()).toEqual([["main", true, "main", true]]);
    expect(structuredClone({ ...projectOf("converge-nps-staging") })).toEqual(stagingBefore);
    expect(supabase.refusedWhileBusy).toEqual([]);
    expect(supabase.rejected).toEqual([]);
  });
});

describe("a project made by hand", () => {
  it("is refused, then taken over with adopt without its password reset", { timeout: 60_000 }, async () => {
    const existing = supabase.seedProject({ name: "team-db", organization: "converge-nps", region: "us-west-2", computeSize: "micro", password: "value-of-SUPABASE_DB_PASSWORD-qa" });
    const named = (config: Config) => {
      config["platform:tier"] = "staging";
      config["platform:supabase"].project = "team-db";
    };
    const refused = await up("staging", "qa", named);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.logs.filter((l) => l.severity === "error").map((l) => l.message).join("\n")).toContain(`already has a project of that name (ref ${existing.ref}), which this stack did not create, so it is left alone`);
    expect(existing.passwordResets).toBe(0);
    states.delete("qa");
    const adopted = await up("staging", "qa", (config) => {
      named(config);
      config["platform:supabase"].adopt = true;
      config["platform:secrets"].SUPABASE_DB_PASSWORD = { supplied: true, value: "value-of-SUPABASE_DB_PASSWORD-qa" };
    });
    expect(adopted.exitCode, adopted.stderr).toBe(0);
    expect(existing).toMatchObject({ passwordResets: 0, password: "value-of-SUPABASE_DB_PASSWORD-qa", ssl: true });
    expect(supabase.projectNamed("team-db")).toHaveLength(1);
    const qa = [...railway.environments.values()].find((e) => e.name === "qa")!;
    const apiId = [...railway.services.values()].find((s) => s.name === "api")!.id;
    expect(railway.instance(apiId, qa.id)!.variables.DATABASE_URL).toContain(`:${existing.password}@`);
  });
});
