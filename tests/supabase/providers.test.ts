// The Supabase providers, imported directly, against a double that behaves as Supabase does: they
// wait for what takes time (and give up, bounded, saying how to carry on), honour the rate limit,
// take over existing projects only when told, set branching up before the first review branch, and
// read back what drifts. The same providers run in the SDK's real host in lifecycle.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseUrl, directUrl } from "../../components/supabase/database";
import { effectiveCidrs, normalizeCidr } from "../../components/supabase/kinds/network";
import { extensionsSql } from "../../components/supabase/kinds/settings";
import { kindsOf } from "../doubles/kinds";
import { useDoubleEnv } from "../doubles/env";
import { FULL_REALISM, SupabaseDouble } from "./double";

let double: SupabaseDouble;
beforeAll(async () => {
  double = new SupabaseDouble();
  await double.start();
});
afterAll(async () => {
  await double.stop();
});
useDoubleEnv(
  () => double.env(),
  () => {
    double.clearFaults();
    double.nextFinalStatus = "ACTIVE_HEALTHY";
  },
);
beforeEach(() => {
  double.realism = { ...FULL_REALISM };
});

const PASSWORD = "p".repeat(20) + "q".repeat(20);
type Props = Record<string, any>;
const p = kindsOf("supabase");

function projectInputs(name: string, extra: Props = {}): Props {
  return {
    kind: "project",
    name,
    organization: "acme",
    region: "us-east-1",
    computeSize: "micro",
    dbPass: PASSWORD,
    adopt: false,
    resetPassword: false,
    allowReplace: false,
    ...extra,
  };
}

async function createProject(name: string, extra: Props = {}) {
  const { inputs } = await p.check!({}, projectInputs(name, extra));
  return p.create(inputs);
}

describe("a project", () => {
  it("is waited for until ACTIVE_HEALTHY, its services healthy and its pooler there, then read", async () => {
    // Each stage holds until the test has seen the provider poll it twice, then passes: no clocks.
    double.realism = { ...FULL_REALISM, rateLimit: 0, comingUpMs: 600_000, poolerMissingMs: 600_000 };
    const creating = createProject("shop-staging");
    const polled = async (ref: string, operation: string) => {
      while (double.requests.filter((r) => r.operation === operation && r.path.includes(ref)).length < 2) await new Promise((r) => setTimeout(r, 5));
    };
    while (double.projectNamed("shop-staging").length === 0) await new Promise((r) => setTimeout(r, 5));
    const state = double.projectNamed("shop-staging")[0]!;
    await polled(state.ref, "v1-get-project");
    expect(double.requests.filter((r) => r.operation === "v1-get-pooler-config" && r.path.includes(state.ref))).toEqual([]);
    state.comingUpUntil = 0;
    state.unhealthyUntil = Number.MAX_SAFE_INTEGER;
    await polled(state.ref, "v1-get-services-health");
    state.unhealthyUntil = 0;
    await polled(state.ref, "v1-get-pooler-config");
    state.poolerAt = 0;
    const created = await creating;
    expect(created.id).toBe(state.ref);
    expect(created.outs).toMatchObject({
      projectName: "shop-staging",
      ref: created.id,
      apiUrl: `https://${created.id}.supabase.co`,
      keyKind: "publishable",
      publishableKey: state.publishableKey,
      secretKey: state.secretKey,
      poolerUser: `postgres.${created.id}`,
      poolerHost: "aws-0-us-east-1.pooler.supabase.com",
      poolerPort: 6543,
      databaseName: "postgres",
      adopted: false,
    });
    // Nothing was written to the project while it was on its way.
    expect(double.requests.filter((r) => r.path.includes(created.id) && r.method !== "GET")).toEqual([]);
  });

  it("gets its settings only once healthy, waits out an SSL reboot and a resize, and follows the pool mode's port", async () => {
    const project = await createProject("settled");
    const ref = project.id;
    const refusedBefore = double.refusedWhileBusy.length;
    const settings = await p.create({
      kind: "settings",
      ref,
      project: "settled",
      sslEnforcement: true,
      pooler: { mode: "transaction", poolSize: 20 },
      pitrDays: 7,
      extensions: ["vector"],
    });
    expect(settings.outs.poolerPort).toBe(6543);
    const state = double.projects.get(ref)!;
    expect(state).toMatchObject({
      ssl: true,
      pooler: { mode: "transaction", poolSize: 20 },
      addons: { pitr: "pitr_7" },
      queries: ['create extension if not exists "vector" with schema extensions;'],
    });
    // The provider waited until the SSL change was applied and the database healthy again.
    expect(Date.now()).toBeGreaterThanOrEqual(state.unhealthyUntil);

    const resized = await p.update!(ref, project.outs, { ...project.outs, computeSize: "medium" });
    expect(double.statusOf(state)).toBe("ACTIVE_HEALTHY");
    expect(resized.outs!.computeSize).toBe("medium");
    // Straight after the resize, settings are written without a refusal: the resize was waited out.
    const session = await p.update!(settings.id, settings.outs, { ...settings.outs, sslEnforcement: false, pooler: { mode: "session", poolSize: 20 } });
    expect(session.outs!.poolerPort).toBe(5432);
    expect(state.ssl).toBe(false);
    expect(double.refusedWhileBusy.slice(refusedBefore)).toEqual([]);
  });

  it("fails at once when the project ends in INIT_FAILED, naming it and what to do", async () => {
    double.nextFinalStatus = "INIT_FAILED";
    await expect(createProject("broken")).rejects.toThrow(
      /^Supabase create of project "broken" \(ref [a-z]{20}\) failed while waiting for the project to be ACTIVE_HEALTHY: the project is INIT_FAILED\. Look at it in the Supabase dashboard/,
    );
  });

  it("takes a shown branch password as it is, and sets none", async () => {
    double.realism = { ...FULL_REALISM, branchPasswordMissingReads: 0 };
    await createProject("shop-staging-shown");
    const made = await p.create({
      kind: "branch",
      parentProject: "shop-staging-shown",
      organization: "acme",
      name: "pr-3",
      gitBranch: "feature/shown",
      parentGitBranch: "main",
      computeSize: "micro",
    });
    expect(made.outs.dbPass).toBe(double.projects.get(made.outs.ref)!.password);
    expect(double.projects.get(made.outs.ref)!.passwordResets).toBe(0);
  });

  it("waits out a pooler configuration that answers 404 or an empty list after creation", async () => {
    for (const form of ["404", "empty"] as const) {
      // The pooler stays missing until the test has seen it polled twice in that form.
      double.realism = { ...FULL_REALISM, rateLimit: 0, poolerMissingMs: 600_000, poolerMissingAs: form };
      const creating = createProject(`pooler-${form}`);
      while (double.projectNamed(`pooler-${form}`).length === 0) await new Promise((r) => setTimeout(r, 5));
      const state = double.projectNamed(`pooler-${form}`)[0]!;
      const polls = () => double.requests.filter((r) => r.operation === "v1-get-pooler-config" && r.path.includes(state.ref));
      while (polls().length < 2) await new Promise((r) => setTimeout(r, 5));
      state.poolerAt = 0;
      const made = await creating;
      expect(made.outs, form).toMatchObject({ poolerPort: 6543, poolerHost: "aws-0-us-east-1.pooler.supabase.com" });
      expect(
        polls()
          .slice(0, 2)
          .map((r) => r.status),
        form,
      ).toEqual(form === "404" ? [404, 404] : [200, 200]);
    }
  });

  it("leaves a project that did not come up in time in the state, unfinished, and an update carries on with it", async () => {
    double.realism = { ...FULL_REALISM, poolerMissingMs: 60_000 };
    process.env.PLATFORM_SUPABASE_TIMEOUT_MS = "300";
    let unfinished: { id: string; properties: Props; reasons: string[] };
    try {
      unfinished = await createProject("late-pooler").then(
        () => expect.unreachable("the create should not finish"),
        (err) => err,
      );
    } finally {
      process.env.PLATFORM_SUPABASE_TIMEOUT_MS = double.env().PLATFORM_SUPABASE_TIMEOUT_MS;
    }
    const state = double.projectNamed("late-pooler")[0]!;
    // What Pulumi keeps: the project's ref as its id, the inputs, no way to connect yet.
    expect(unfinished.id).toBe(state.ref);
    expect(unfinished.properties).toMatchObject({ kind: "project", projectName: "late-pooler", adopted: false });
    expect(unfinished.properties.ref).toBeUndefined();
    expect(unfinished.reasons[0]).toMatch(/timed out after 0 s waiting for its connection pooler/);
    // The next `up` sends an update (same inputs): it waits, reads how to connect, creates nothing.
    state.poolerAt = 0;
    const creates = double.count("v1-create-a-project");
    const { outs } = await p.update!(state.ref, unfinished.properties, unfinished.properties);
    expect(outs).toMatchObject({ ref: state.ref, poolerPort: 6543, apiUrl: `https://${state.ref}.supabase.co` });
    expect(double.count("v1-create-a-project")).toBe(creates);
    expect(double.projectNamed("late-pooler")).toHaveLength(1);
  });

  it("gives up at the time bound, saying what it waited for, what it saw and how to carry on", async () => {
    double.realism = { ...FULL_REALISM, poolerMissingMs: 60_000 };
    process.env.PLATFORM_SUPABASE_TIMEOUT_MS = "400";
    try {
      await expect(createProject("slow")).rejects.toThrow(
        /^Supabase create of project "slow" \(ref [a-z]{20}\) timed out after 0 s waiting for its connection pooler; last seen: no pooler configuration yet\. Nothing is lost: once the dashboard shows the project healthy, run 'pulumi refresh' and then 'pulumi up' to carry on/,
      );
    } finally {
      process.env.PLATFORM_SUPABASE_TIMEOUT_MS = double.env().PLATFORM_SUPABASE_TIMEOUT_MS;
    }
  });

  it("keeps to the rate limit the headers announce, so nothing is refused", async () => {
    double.realism = { ...FULL_REALISM, rateLimit: 6, rateWindowMs: 1000 };
    double.resetRateLimit();
    const since = double.requests.length;
    const created = await createProject("throttled");
    const sent = double.requests.slice(since);
    expect(sent.length).toBeGreaterThan(6);
    expect(sent.filter((r) => r.status === 429)).toEqual([]);
    expect(double.statusOf(double.projects.get(created.id)!)).toBe("ACTIVE_HEALTHY");
  });

  it("refuses nano in a paid organization before sending anything, and allows it in a free one", async () => {
    const since = double.count("v1-create-a-project");
    await expect(createProject("tiny", { computeSize: "nano" })).rejects.toThrow(
      `Supabase create of project "tiny": compute size 'nano' exists only in free organizations, and organization "acme" is on the 'pro' plan. Set platform:supabase.computeSize to 'micro' or larger, or leave it out for the smallest size the organization allows.`,
    );
    expect(double.count("v1-create-a-project")).toBe(since);
    double.organizations.set("hobby", "free");
    const free = await createProject("tiny", { organization: "hobby", computeSize: "nano" });
    expect(double.projects.get(free.id)!.computeSize).toBe("nano");
    const unsized = await createProject("unsized", { computeSize: undefined });
    expect(double.projects.get(unsized.id)!.computeSize).toBe("micro");
    expect(double.requests.filter((r) => r.operation === "v1-create-a-project").at(-1)!.body).not.toHaveProperty("desired_instance_size");
  });

  it("reads back its region, size, keys and pooler: a rotated key shows, an unchanged project does not", async () => {
    const created = await createProject("drifting");
    const unchanged = await p.read!(created.id, created.outs);
    expect(unchanged.props).toEqual(created.outs);
    const state = double.projects.get(created.id)!;
    state.secretKey = "sb_secret_rotated";
    const rotated = await p.read!(created.id, created.outs);
    expect(rotated.props).toEqual({ ...created.outs, secretKey: "sb_secret_rotated" });
    // Only the legacy pair: used while enabled, refused once it is off.
    double.realism = { ...FULL_REALISM, newKeys: false };
    expect((await p.read!(created.id, created.outs)).props).toMatchObject({ keyKind: "legacy", publishableKey: state.anonKey, secretKey: state.serviceKey });
    state.legacyKeys = false;
    await expect(p.read!(created.id, created.outs)).rejects.toThrow(`has neither a publishable and secret key nor enabled legacy anon and service_role keys`);
  });

  it("a deleted project reads as gone while it goes down", async () => {
    double.realism = { ...FULL_REALISM, goingDownMs: 60_000 };
    const created = await createProject("leaving");
    await p.delete!(created.id, created.outs);
    expect(double.statusOf(double.projects.get(created.id)!)).toBe("GOING_DOWN");
    expect(await p.read!(created.id, created.outs)).toEqual({});
    await expect(p.delete!(created.id, created.outs)).resolves.toBeUndefined();
  });
});

describe("taking over an existing project", () => {
  const seed = (name: string, region = "us-east-1") =>
    double.seedProject({ name, organization: "acme", region, computeSize: "small", password: "the-team's-own-password" });

  it("is refused unless the stack says so, naming the project and the keys that allow it", async () => {
    const existing = seed("by-hand");
    await expect(createProject("by-hand")).rejects.toThrow(
      `Supabase create of project "by-hand": organization "acme" already has a project of that name (ref ${existing.ref}), which this stack did not create, so it is left alone. To manage it from this stack, set platform:supabase.adopt to true (or platform:supabase.projectRef to "${existing.ref}")`,
    );
    expect(existing.passwordResets).toBe(0);
  });

  it("with adopt, keeps its password and resizes it to the configured size", async () => {
    const existing = seed("adopt-me");
    const adopted = await createProject("adopt-me", { adopt: true });
    expect(adopted.id).toBe(existing.ref);
    expect(adopted.outs.adopted).toBe(true);
    expect(existing).toMatchObject({ password: "the-team's-own-password", passwordResets: 0, computeSize: "micro" });
    expect(double.projectNamed("adopt-me")).toHaveLength(1);
  });

  it("by ref, resetting the password only when asked; a region that differs is refused", async () => {
    const existing = seed("by-ref");
    const adopted = await createProject("whatever-name", { projectRef: existing.ref, resetPassword: true });
    expect(adopted.id).toBe(existing.ref);
    expect(existing).toMatchObject({ password: PASSWORD, passwordResets: 1 });
    seed("far-away", "eu-central-1");
    await expect(createProject("far-away", { adopt: true })).rejects.toThrow(
      `is in region "eu-central-1", and platform:supabase.region says "us-east-1". A project cannot move`,
    );
  });

  it("a replacement takes the new name the config gives it, as the engine checks it afresh; the old project is never taken over again", async () => {
    const created = await createProject("moving");
    const urn = "urn:pulumi:staging::platform::platform:index:Platform$platform:supabase:SupabaseDatabase$platform:supabase:Project::platform-supabase-project";
    // Only the region changed: refused, unconfirmed and with the old name, both at once.
    const sameName = (await p.check!(created.outs, projectInputs("moving", { region: "eu-west-1", allowReplace: false }))).inputs;
    await expect(p.diff!(created.id, created.outs, sameName, urn)).rejects.toThrow(
      'Changing region of Supabase project "moving" replaces it. `platform-supabase-project` (platform:supabase:Project) in stack staging would be replaced, and with it its Postgres database: the new project "moving" starts empty, and "moving" is deleted (retained in production). ' +
        "If that is intended, confirm it in the same change: list `platform-supabase-project` under `platform:confirmDestructive` in Pulumi.staging.yaml, so the confirmation is reviewed with the rest; otherwise undo what replaces it. " +
        'The new project is made while "moving" still exists, and the two cannot share a name: give it a new one in the same change, platform:supabase.project (e.g. "moving-eu-west-1").',
    );
    // Confirmed and renamed, it replaces; the engine's second check of a replacement (no olds) names it the same.
    const news = projectInputs("moving-eu", { region: "eu-west-1", allowReplace: true });
    const { inputs } = await p.check!(created.outs, news);
    expect(inputs.projectName).toBe("moving-eu");
    expect((await p.diff!(created.id, created.outs, inputs, urn)).replaces).toEqual(["projectName", "region"]);
    const afresh = (await p.check!({}, news)).inputs;
    expect(afresh).toEqual(inputs);
    const replacement = await p.create(afresh);
    expect(replacement.id).not.toBe(created.id);
    expect(double.projectNamed("moving")).toHaveLength(1);
    expect(double.projectNamed("moving-eu")).toHaveLength(1);
  });
});

describe("network restrictions", () => {
  it("hold the configured CIDRs and the services' addresses, normalized; drift shows, no drift does not", async () => {
    const project = await createProject("restricted");
    const inputs = {
      kind: "network",
      ref: project.id,
      project: "restricted",
      allowedCidrs: ["10.1.0.0/16"],
      serviceIps: ["34.1.2.3", "2600:1f18::1"],
      restrictToServices: true,
    };
    const created = await p.create(inputs);
    expect(double.projects.get(project.id)!.cidrs).toEqual({ v4: ["10.1.0.0/16", "34.1.2.3/32"], v6: ["2600:1f18::1/128"] });
    const read = await p.read!(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect((await p.diff!(created.id, read.props!, inputs)).changes).toBe(false);
    double.projects.get(project.id)!.cidrs.v4.push("0.0.0.0/0");
    const drifted = await p.read!(created.id, created.outs);
    expect(drifted.props!.appliedCidrs).toContain("0.0.0.0/0");
    expect((await p.diff!(created.id, drifted.props!, inputs)).changes).toBe(true);
  });

  it("open everything only when nothing restricts the database", () => {
    expect(effectiveCidrs({ allowedCidrs: [], serviceIps: [], restrictToServices: false })).toEqual(["0.0.0.0/0", "::/0"]);
    expect(effectiveCidrs({ allowedCidrs: [], serviceIps: [], restrictToServices: true })).toEqual([]);
    expect(effectiveCidrs({ allowedCidrs: ["34.1.2.3/32"], serviceIps: ["34.1.2.3"], restrictToServices: true })).toEqual(["34.1.2.3/32"]);
    expect(normalizeCidr(" 2600:1F18::1 ")).toBe("2600:1f18::1/128");
  });
});

describe("review branches", () => {
  const branchInputs = (name: string, gitBranch: string | undefined, parentProject: string) => ({
    kind: "branch",
    parentProject,
    organization: "acme",
    name,
    ...(gitBranch ? { gitBranch } : {}),
    parentGitBranch: "main",
    computeSize: "micro",
  });

  it("set branching up with a default branch first, then each is its own database, linked to its head branch", async () => {
    const staging = await createProject("shop-staging-b");
    const first = await p.create(branchInputs("pr-7", "feature/login", "shop-staging-b"));
    const second = await p.create(branchInputs("pr-8", "fix/typo", "shop-staging-b"));
    const branches = [...double.branches.values()].filter((b) => b.parentRef === staging.id);
    expect(branches.map((b) => [b.name, b.isDefault, b.gitBranch, b.projectRef === staging.id])).toEqual([
      ["main", true, "main", true],
      ["pr-7", false, "feature/login", false],
      ["pr-8", false, "fix/typo", false],
    ]);
    expect(first.outs).toMatchObject({ parentRef: staging.id, dbPass: double.projects.get(first.outs.ref)!.password, poolerPort: 6543 });
    expect(first.outs.ref).not.toBe(staging.id);
    // Supabase never showed the password: the provider set one of its own, once, on the branch's project.
    expect(first.outs.dbPass).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(double.projects.get(first.outs.ref)!.passwordResets).toBe(1);
    expect(double.requests.filter((r) => r.operation === "v1-update-database-password").map((r) => r.path)).toContain(
      `/v1/projects/${first.outs.ref}/database/password`,
    );
    await p.delete!(first.id, first.outs);
    await p.delete!(second.id, second.outs);
    expect([...double.branches.values()].filter((b) => b.parentRef === staging.id).map((b) => b.name)).toEqual(["main"]);
    expect(double.statusOf(double.projects.get(staging.id)!)).toBe("ACTIVE_HEALTHY");
  });

  it("is found by name when its create's answer is lost, and refused on the parent's own git branch", async () => {
    await createProject("shop-staging-c");
    double.inject({ kind: "lost" }, { operation: "v1-create-a-branch" });
    const made = await p.create(branchInputs("pr-9", "feature/x", "shop-staging-c"));
    const parentRef = made.outs.parentRef;
    expect([...double.branches.values()].filter((b) => b.parentRef === parentRef && b.name === "pr-9")).toHaveLength(1);
    await expect(p.create(branchInputs("pr-10", "main", "shop-staging-c"))).rejects.toThrow(`its git branch "main" is the one the parent project follows`);
    await expect(p.create(branchInputs("pr-1", "x", "nothing-staging"))).rejects.toThrow(
      'its parent project "nothing-staging" does not exist in organization "acme"; deploy that stack first.',
    );
  });
});

describe("faults", () => {
  it("a create whose answer is lost, or that failed with 500, makes exactly one project", async () => {
    double.inject({ kind: "lost" }, { operation: "v1-create-a-project" });
    const lost = await createProject("lost-answer");
    expect(double.projectNamed("lost-answer").map((x) => x.ref)).toEqual([lost.id]);
    double.inject({ kind: "500" }, { operation: "v1-create-a-project" });
    const failed = await createProject("failed-once");
    expect(double.projectNamed("failed-once").map((x) => x.ref)).toEqual([failed.id]);
  });

  it("retries 429 honouring Retry-After, 500 and dropped connections on reads", async () => {
    double.inject({ kind: "429", retryAfter: "0" }, { operation: "v1-get-project" });
    double.inject({ kind: "500" }, { operation: "v1-get-services-health" });
    double.inject({ kind: "drop" }, { operation: "v1-get-pooler-config" });
    const created = await createProject("flaky");
    expect(double.statusOf(double.projects.get(created.id)!)).toBe("ACTIVE_HEALTHY");
  });

  it("names the resource and operation when the API refuses, without the token; gives up on a persistent 5xx", async () => {
    const attempt = p.update!(
      "x",
      { kind: "settings", ref: "abcdefghijklmnopqrst", project: "ghost" },
      { kind: "settings", ref: "abcdefghijklmnopqrst", project: "ghost", sslEnforcement: true },
    );
    await expect(attempt).rejects.toThrow('Supabase update of settings of project "ghost" failed: HTTP 404: Project not found');
    await attempt.catch((err: Error) => expect(err.message).not.toContain(double.token));
    const created = await createProject("down");
    double.inject({ kind: "500" }, { operation: "v1-update-ssl-enforcement-config", times: 100 });
    await expect(p.create({ kind: "settings", ref: created.id, project: "down", sslEnforcement: true })).rejects.toThrow(
      /^Supabase create of settings of project "down" failed after 5 attempts: HTTP 500: Internal server error\.$/,
    );
  });

  it("needs a token", async () => {
    delete process.env.SUPABASE_ACCESS_TOKEN;
    await expect(createProject("no-token")).rejects.toThrow("needs a Management API token: set SUPABASE_ACCESS_TOKEN");
  });
});

describe("connection strings", () => {
  const parts = { user: "postgres.abc", password: "p@ss/word", host: "pooler.example.com", port: 6543, database: "postgres" };
  it("DATABASE_URL: the pooler, TLS required, pgbouncer=true in transaction mode only; the password encoded", () => {
    expect(databaseUrl(parts)).toBe("postgresql://postgres.abc:p%40ss%2Fword@pooler.example.com:6543/postgres?sslmode=require&pgbouncer=true");
    expect(databaseUrl({ ...parts, port: 5432 })).toBe("postgresql://postgres.abc:p%40ss%2Fword@pooler.example.com:5432/postgres?sslmode=require");
  });
  it("DIRECT_URL: session mode on 5432, for migrations", () => {
    expect(directUrl(parts)).toBe("postgresql://postgres.abc:p%40ss%2Fword@pooler.example.com:5432/postgres?sslmode=require");
  });
  it("extensions are created in the extensions schema", () => {
    expect(extensionsSql(["vector", "pg_trgm"])).toBe(
      'create extension if not exists "vector" with schema extensions;\ncreate extension if not exists "pg_trgm" with schema extensions;',
    );
  });
});
