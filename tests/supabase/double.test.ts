// The Supabase double itself: it holds requests to the published spec (what the spec does not
// define is refused), and each behaviour of the platform it models is probed once as Supabase behaves
// (the default) and once with that behaviour switched off, so each switch is shown to matter.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FULL_REALISM, NO_REALISM, SupabaseDouble, type SupabaseRealism } from "./double";

let double: SupabaseDouble;
beforeAll(async () => {
  double = new SupabaseDouble();
  await double.start();
});
afterAll(async () => {
  await double.stop();
});
// Supabase's behaviour with passing states long enough that no probe outruns them on a loaded
// machine, and without the rate limit getting in the way of a burst (it has its own test).
const REAL: SupabaseRealism = {
  ...FULL_REALISM,
  comingUpMs: 5_000,
  unhealthyMs: 5_000,
  sslApplyMs: 5_000,
  resizeMs: 5_000,
  goingDownMs: 5_000,
  poolerMissingMs: 5_000,
  rateLimit: 0,
};
beforeEach(() => {
  double.realism = { ...REAL };
});

async function send(method: string, path: string, body?: unknown, token = double.token) {
  const response = await fetch(`${double.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const valid = {
  name: "shop",
  organization_slug: "acme",
  db_pass: "x".repeat(40),
  region_selection: { type: "specific", code: "us-east-1" },
  desired_instance_size: "micro",
};

describe("the Supabase double", () => {
  it("accepts a request the spec defines and answers with a spec-shaped body", async () => {
    const created = await send("POST", "/v1/projects", valid);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "shop", organization_slug: "acme", status: "COMING_UP" });
    expect(created.body.ref).toMatch(/^[a-z]{20}$/);
    expect(double.badResponses).toEqual([]);
  });

  it("refuses a body field the spec does not define", async () => {
    const r = await send("POST", "/v1/projects", { ...valid, plan_tier: "gold" });
    expect(r.status).toBe(400);
    expect(JSON.stringify(double.rejected.at(-1)?.errors)).toContain("plan_tier");
  });

  it("refuses a value outside the spec's enum", async () => {
    const r = await send("POST", "/v1/projects", { ...valid, region_selection: { type: "specific", code: "mars-1" } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(double.rejected.at(-1)?.errors)).toContain("allowedValues");
  });

  it("refuses a path, a method and a query parameter the spec does not define", async () => {
    expect((await send("GET", "/v1/projects/abcdefghijklmnopqrst/teleport")).status).toBe(404);
    expect((await send("PUT", "/v1/projects")).status).toBe(405);
    expect((await send("GET", "/v1/organizations/acme/projects?colour=red")).status).toBe(400);
    expect(double.rejected.length).toBe(5);
    expect(double.badResponses).toEqual([]);
  });

  it("refuses a request without the token", async () => {
    expect((await send("GET", "/v1/organizations/acme/projects", undefined, "wrong")).status).toBe(401);
  });
});

let seq = 0;
const create = async (extra: Record<string, unknown> = {}) => {
  const r = await send("POST", "/v1/projects", { ...valid, name: `p${seq++}`, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.ref as string;
};

/** Runs `probe` with the double as Supabase behaves, then with `switches` off (or at NO_REALISM values). */
async function both<T>(switches: Array<keyof SupabaseRealism>, probe: () => Promise<T>): Promise<{ real: T; off: T }> {
  double.realism = { ...REAL };
  const real = await probe();
  double.realism = { ...REAL, ...Object.fromEntries(switches.map((k) => [k, NO_REALISM[k]])) };
  const off = await probe();
  return { real, off };
}

const health = async (ref: string) =>
  (await send("GET", `/v1/projects/${ref}/health?services=db&services=pooler`)).body.map((s: { status: string }) => s.status);

describe("the Supabase double behaves as Supabase does", () => {
  it("a new project is COMING_UP before ACTIVE_HEALTHY", async () => {
    const { real, off } = await both(["comingUpMs"], async () => (await send("GET", `/v1/projects/${await create()}`)).body.status);
    expect(real).toBe("COMING_UP");
    expect(off).toBe("ACTIVE_HEALTHY");
  });

  it("services report unhealthy for a while after creation, then healthy", async () => {
    const { real, off } = await both(["comingUpMs", "unhealthyMs"], async () => {
      const ref = await create();
      return health(ref);
    });
    expect(real).toEqual(["COMING_UP", "COMING_UP"]);
    expect(off).toEqual(["ACTIVE_HEALTHY", "ACTIVE_HEALTHY"]);
    double.realism = { ...REAL, comingUpMs: 0 };
    const ref = await create();
    expect(await health(ref)).toEqual(["UNHEALTHY", "UNHEALTHY"]);
    // Once the time has passed, healthy.
    double.projects.get(ref)!.unhealthyUntil = Date.now() - 1;
    expect(await health(ref)).toEqual(["ACTIVE_HEALTHY", "ACTIVE_HEALTHY"]);
  });

  it("an SSL change is applied late and reboots the database", async () => {
    const { real, off } = await both(["sslApplyMs", "unhealthyMs"], async () => {
      const ref = await create();
      double.projects.get(ref)!.comingUpUntil = double.projects.get(ref)!.unhealthyUntil = 0;
      const changed = await send("PUT", `/v1/projects/${ref}/ssl-enforcement`, { requestedConfig: { database: true } });
      const read = (await send("GET", `/v1/projects/${ref}/ssl-enforcement`)).body;
      return {
        applied: [changed.body.appliedSuccessfully, read.appliedSuccessfully],
        health: await health(ref),
        pooler: (await send("PATCH", `/v1/projects/${ref}/config/database/pooler`, { default_pool_size: 20 })).status,
      };
    });
    expect(real).toEqual({ applied: [false, false], health: ["UNHEALTHY", "UNHEALTHY"], pooler: 400 });
    expect(off).toEqual({ applied: [true, true], health: ["ACTIVE_HEALTHY", "ACTIVE_HEALTHY"], pooler: 200 });
  });

  it("a resize passes RESIZING, during which settings writes fail", async () => {
    const { real, off } = await both(["resizeMs", "unhealthyMs"], async () => {
      const ref = await create();
      double.projects.get(ref)!.comingUpUntil = double.projects.get(ref)!.unhealthyUntil = 0;
      expect((await send("PATCH", `/v1/projects/${ref}/billing/addons`, { addon_type: "compute_instance", addon_variant: "ci_small" })).status).toBe(200);
      const status = (await send("GET", `/v1/projects/${ref}`)).body.status;
      const write = await send("POST", `/v1/projects/${ref}/network-restrictions/apply`, { dbAllowedCidrs: ["10.0.0.0/8"] });
      return { status, write: write.status };
    });
    expect(real).toEqual({ status: "RESIZING", write: 400 });
    expect(off).toEqual({ status: "ACTIVE_HEALTHY", write: 201 });
    expect(double.refusedWhileBusy.at(-1)).toEqual({ operation: "v1-update-network-restrictions", status: "RESIZING" });
  });

  it("a deleted project goes down before it is removed, and its name stays taken meanwhile", async () => {
    const { real, off } = await both(["goingDownMs"], async () => {
      const name = `gone${seq++}`;
      const ref = await create({ name });
      await send("DELETE", `/v1/projects/${ref}`);
      const status = (await send("GET", `/v1/projects/${ref}`)).body?.status ?? "404";
      const again = (await send("POST", "/v1/projects", { ...valid, name })).status;
      return { status, again };
    });
    expect(real).toEqual({ status: "GOING_DOWN", again: 409 });
    expect(off).toEqual({ status: "404", again: 201 });
  });

  it("the pooler configuration is missing for a while after creation: 404 Pooler configuration not found, or an empty list", async () => {
    const pooler = async () => {
      const r = await send("GET", `/v1/projects/${await create()}/config/database/pooler`);
      return { status: r.status, body: r.status === 200 ? r.body.length : r.body.message };
    };
    const { real, off } = await both(["poolerMissingMs", "poolerMissingAs"], pooler);
    expect(real).toEqual({ status: 404, body: "Pooler configuration not found" });
    expect(off).toEqual({ status: 200, body: 1 });
    double.realism = { ...REAL, poolerMissingAs: "empty" };
    expect(await pooler()).toEqual({ status: 200, body: 0 });
  });

  it("nano exists only in free organizations; left out, the size is the smallest allowed", async () => {
    double.organizations.set("hobby", "free");
    const { real, off } = await both(
      ["nanoOnlyInFreeOrgs"],
      async () => (await send("POST", "/v1/projects", { ...valid, name: `n${seq++}`, desired_instance_size: "nano" })).status,
    );
    expect(real).toBe(400);
    expect(off).toBe(201);
    double.realism = { ...REAL };
    expect((await send("POST", "/v1/projects", { ...valid, organization_slug: "hobby", name: `n${seq++}`, desired_instance_size: "nano" })).status).toBe(201);
    const { desired_instance_size: _omitted, ...unsized } = valid;
    const paid = (await send("POST", "/v1/projects", { ...unsized, name: `n${seq++}` })).body.ref;
    const free = (await send("POST", "/v1/projects", { ...unsized, organization_slug: "hobby", name: `n${seq++}` })).body.ref;
    expect([double.projects.get(paid)!.computeSize, double.projects.get(free)!.computeSize]).toEqual(["micro", "nano"]);
    expect((await send("GET", "/v1/organizations/hobby")).body.plan).toBe("free");
  });

  it("the first branch of a project becomes its default branch, the project's own database", async () => {
    const { real, off } = await both(["firstBranchDefault"], async () => {
      const parent = await create();
      const b = (await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "pr-1", git_branch: "feature", is_default: false })).body;
      return { isDefault: b.is_default, sameDatabase: b.project_ref === parent, deleted: (await send("DELETE", `/v1/branches/${b.id}`)).status };
    });
    expect(real).toEqual({ isDefault: true, sameDatabase: true, deleted: 422 });
    expect(off).toEqual({ isDefault: false, sameDatabase: false, deleted: 200 });
  });

  it("one git branch links to at most one Supabase branch", async () => {
    const { real, off } = await both(["oneBranchPerGitBranch"], async () => {
      const parent = await create();
      await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "main", git_branch: "main", is_default: true });
      await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "pr-1", git_branch: "feature" });
      return (await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "pr-2", git_branch: "feature" })).status;
    });
    expect(real).toBe(422);
    expect(off).toBe(201);
  });

  it("a new branch's password may never show", async () => {
    const { real, off } = await both(["branchPasswordMissingReads"], async () => {
      const parent = await create();
      await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "main", is_default: true });
      const b = (await send("POST", `/v1/projects/${parent}/branches`, { branch_name: "pr-1" })).body;
      const reads = [];
      for (let i = 0; i < 3; i++) reads.push("db_pass" in (await send("GET", `/v1/branches/${b.id}`)).body);
      return reads;
    });
    expect(real).toEqual([false, false, false]);
    expect(off).toEqual([true, true, true]);
  });

  it("projects have publishable and secret keys, and the legacy pair can be switched off", async () => {
    const { real, off } = await both(["newKeys"], async () => {
      const ref = await create();
      const types = async () => (await send("GET", `/v1/projects/${ref}/api-keys?reveal=true`)).body.map((k: { type: string }) => k.type);
      const before = await types();
      expect((await send("PUT", `/v1/projects/${ref}/api-keys/legacy?enabled=false`)).body).toEqual({ enabled: false });
      return { before, after: await types() };
    });
    expect(real).toEqual({ before: ["legacy", "legacy", "publishable", "secret"], after: ["publishable", "secret"] });
    expect(off).toEqual({ before: ["legacy", "legacy"], after: [] });
  });

  it("limits requests per window, saying so in X-RateLimit-* headers", async () => {
    const burst = async () => {
      const statuses: number[] = [];
      let headers: Headers | undefined;
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${double.url}/v1/organizations/acme`, { headers: { authorization: `Bearer ${double.token}` } });
        await r.text();
        statuses.push(r.status);
        headers ??= r.headers;
      }
      return { statuses, limit: headers!.get("x-ratelimit-limit"), remaining: headers!.get("x-ratelimit-remaining") };
    };
    double.realism = { ...FULL_REALISM, rateLimit: 3, rateWindowMs: 60_000 };
    const real = await burst();
    double.realism = { ...FULL_REALISM, rateLimit: NO_REALISM.rateLimit };
    const off = await burst();
    expect(real).toEqual({ statuses: [200, 200, 200, 429, 429], limit: "3", remaining: "2" });
    expect(off).toEqual({ statuses: [200, 200, 200, 200, 200], limit: null, remaining: null });
  });
});
