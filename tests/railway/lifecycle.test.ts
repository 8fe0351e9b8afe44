// Four stacks against one Railway, through the SDK's real hosts: `pulumi up` of dev, staging,
// production and a review stack (pr-7) with faults injected into creates and new objects slow to
// show in lookups; then an up of each with nothing changed (no write at all), a refresh (nothing
// differs); then the review stack and dev destroyed, and staging and production exactly as they
// were. Last, every Railway kind through each method of the real dynamic-provider host.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployModel } from "../../components/github/repository";
import { deployWorkflow } from "../../components/github/workflows";
import { runJob } from "../github/runner";
import { parse, stackRaw } from "../helpers";
import { plain, type Engine, type StackState } from "../engine/engine";
import { startPlatforms, stackWithSecrets, type Platforms, type StackInput } from "../engine/stacks";
import { railwayType, type RailwayKind } from "../../components/railway/kinds";
import { FULL_REALISM as SUPABASE_REALISM } from "../supabase/double";
import { FULL_REALISM, type RailwayDouble } from "./double";

let railway: RailwayDouble;
let engine: Engine;
let platforms: Platforms | undefined;
const states = new Map<string, StackState>();
const STACKS: StackInput[] = [stackWithSecrets("dev"), stackWithSecrets("staging"), stackWithSecrets("production"), stackWithSecrets("pr", "pr-7")];
const SERVICES = ["api", "redis", "web"];

beforeAll(async () => {
  // Supabase behaves as it does, at a pace that keeps this Railway-centred file quick (its own
  // lifecycle runs at full realism).
  platforms = await startPlatforms({ ...SUPABASE_REALISM, comingUpMs: 20, unhealthyMs: 10, sslApplyMs: 10, resizeMs: 10, goingDownMs: 10, poolerMissingMs: 20, rateLimit: 0 });
  ({ railway, engine } = platforms);
});

afterAll(async () => {
  await platforms?.stop();
});

const writes = () => railway.count({ type: "mutation" });
const project = () => [...railway.projects.values()].find((p) => p.name === "converge-nps")!;
const env = (name: string) => railway.environmentNamed(project().id, name);
const service = (name: string) => railway.serviceNamed(project().id, name)!;

/** Everything Railway holds for one environment, for comparing before and after. */
function environmentSnapshot(name: string) {
  const e = env(name)!;
  return SERVICES.map((s) => {
    const id = service(s).id;
    const instance = railway.instance(id, e.id);
    return {
      service: s,
      instance: instance && { settings: instance.settings, limits: instance.limits, variables: instance.variables, source: instance.source },
      volume: railway.volumeInstanceOf(id, e.id)?.mountPath,
      domains: [...railway.domains.values()].filter((d) => d.serviceId === id && d.environmentId === e.id).map((d) => d.domain).sort(),
      deployments: railway.deploymentsOf(id, e.id).map((d) => d.id),
    };
  });
}

describe("dev, staging, production and a review stack against one Railway", () => {
  it("each `pulumi up` sets up its own environment, once, even with faults and late lookups", { timeout: 90_000 }, async () => {
    railway.realism = { ...FULL_REALISM, invisibleFor: 1 };
    // One fault in the create of each kind, spread over the first stacks.
    railway.inject({ kind: "500" }, { operation: "projectCreate" });
    railway.inject({ kind: "lost" }, { operation: "environmentCreate" });
    railway.inject({ kind: "lost" }, { operation: "serviceCreate" });
    railway.inject({ kind: "drop" }, { operation: "volumeCreate" });
    railway.inject({ kind: "lost" }, { operation: "serviceDomainCreate" });
    railway.inject({ kind: "429", retryAfter: "0" }, { operation: "variableCollectionUpsert" });
    railway.inject({ kind: "500" }, { operation: "serviceInstanceUpdate", times: 2 });
    railway.inject({ kind: "lost" }, { operation: "customDomainCreate" });
    for (const stack of STACKS) {
      const result = await engine.run({ ...stack, dryRun: false });
      expect(result.exitCode, `${stack.stack}: ${result.stderr}`).toBe(0);
      states.set(stack.stack, result.state);
    }
    railway.realism = { ...FULL_REALISM };
    expect(railway.rejected).toEqual([]);

    // One project, one environment per stack, one service per name: nothing made twice.
    expect([...railway.projects.values()].filter((p) => p.name === "converge-nps")).toHaveLength(1);
    expect([...railway.environments.values()].filter((e) => e.projectId === project().id).map((e) => e.name).sort()).toEqual(["dev", "pr-7", "production", "staging"]);
    expect([...railway.services.values()].filter((s) => s.projectId === project().id).map((s) => s.name).sort()).toEqual(SERVICES);
    for (const name of ["dev", "staging", "production", "pr-7"]) {
      const e = env(name)!;
      expect([...railway.instances.values()].filter((i) => i.environmentId === e.id).map((i) => railway.services.get(i.serviceId)!.name).sort(), name).toEqual(SERVICES);
      for (const s of ["api", "web"]) {
        expect([...railway.domains.values()].filter((d) => d.kind === "service" && d.serviceId === service(s).id && d.environmentId === e.id), `${name} ${s}`).toHaveLength(1);
        // The deploy workflow deploys the code: no trigger, so Railway never deploys a push itself.
        expect([...railway.triggers.values()].filter((t) => t.serviceId === service(s).id && t.environmentId === e.id), `${name} ${s}`).toEqual([]);
        expect(railway.deploymentsOf(service(s).id, e.id), `${name} ${s}`).toEqual([]);
      }
      // Redis: deployed exactly once, after its settings, variables and volume were in place.
      const redis = railway.instance(service("redis").id, e.id)!;
      const deployments = railway.deploymentsOf(service("redis").id, e.id);
      expect(deployments.map((d) => d.cause), name).toEqual(["deploy"]);
      expect(deployments[0]!.snapshot, name).toEqual(railway.snapshotOf(redis));
      expect(deployments[0]!.snapshot.settings.startCommand, name).toMatch(/--requirepass \$REDIS_PASSWORD/);
      expect(Object.keys(deployments[0]!.snapshot.variables).sort(), name).toEqual(["REDISPORT", "REDISUSER", "REDIS_PASSWORD", "REDIS_URL"]);
    }
    // Persistent Redis has its volume at /data from its first deployment; the review stack's does not persist.
    for (const name of ["dev", "staging", "production"]) expect(railway.deploymentsOf(service("redis").id, env(name)!.id)[0]!.snapshot.volume?.mountPath, name).toBe("/data");
    expect(railway.instance(service("api").id, env("production")!.id)!.variables).toMatchObject({ NODE_ENV: "production", PORT: "3000", SENDGRID_API_KEY: "value-of-SENDGRID_API_KEY-production" });
    // The review stack's copy of staging carries its own values, not staging's.
    expect(railway.instance(service("api").id, env("pr-7")!.id)!.variables).toMatchObject({ NODE_ENV: "preview", SENDGRID_API_KEY: "value-of-SENDGRID_API_KEY-pr-7" });
    expect([...railway.domains.values()].filter((d) => d.kind === "custom").map((d) => d.domain).sort()).toEqual(["api.converge-nps.com", "converge-nps.com"]);
  });

  it("an up with nothing changed sends no write and changes nothing", { timeout: 60_000 }, async () => {
    for (const stack of STACKS) {
      const before = writes();
      const result = await engine.run({ ...stack, dryRun: false, state: states.get(stack.stack)! });
      expect(result.exitCode, `${stack.stack}: ${result.stderr}`).toBe(0);
      expect(result.steps.filter((s) => s.op !== "same"), stack.stack).toEqual([]);
      expect(writes() - before, stack.stack).toBe(0);
      states.set(stack.stack, result.state);
    }
  });

  it("a refresh reads back exactly the state, and the diff after it finds nothing to do", async () => {
    const host = engine.provider(true);
    for (const stack of STACKS) {
      const before = writes();
      const refreshed = await engine.refresh(states.get(stack.stack)!);
      expect(refreshed.steps.filter((s) => s.op !== "refresh" || s.changed), stack.stack).toEqual([]);
      for (const r of refreshed.state.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"))) {
        // As the engine sends it: secrets unwrapped, for a provider that takes none.
        expect((await host.diff(r.id, r.urn, plain(r.outputs), plain(r.inputs), plain(r.inputs), r.type)).changes, r.urn).toBe(false);
      }
      expect(writes() - before, stack.stack).toBe(0);
      states.set(stack.stack, refreshed.state);
    }
    // And a real up straight after the refresh sends nothing either.
    const before = writes();
    const production = STACKS.find((s) => s.stack === "production")!;
    const result = await engine.run({ ...production, dryRun: false, state: states.get("production")! });
    expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(writes() - before).toBe(0);
  });

  it("a preview of a change needs no Railway or Supabase token: the providers' check and diff call no API", async () => {
    const original = { ...railway.env(), ...platforms!.supabase.env() };
    const withoutTokens = Object.fromEntries(Object.entries(original).filter(([k]) => !/TOKEN/.test(k)));
    expect(Object.keys(withoutTokens).length).toBeLessThan(Object.keys(original).length);
    await engine.restartProviders(withoutTokens);
    try {
      const requests = railway.requests.length + platforms!.supabase.requests.length;
      const staging = stackWithSecrets("staging", "staging", undefined, (c) => (c["platform:services"].api.replicas = 2));
      const result = await engine.run({ ...staging, dryRun: true, state: states.get("staging")! });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").at(-1)}`)).toEqual(["update platform-api-settings", "update platform-api-deployment"]);
      expect(railway.requests.length + platforms!.supabase.requests.length).toBe(requests);
    } finally {
      await engine.restartProviders(original);
    }
  });

  it("the deploy workflow deploys what `pulumi up` connected, and the next `up` leaves its deployments alone", { timeout: 60_000 }, async () => {
    const config = parse(stackRaw("staging").raw, { stack: "staging" });
    const stagingEnv = env("staging")!;
    // `pulumi up` connected each repository service, with no trigger and nothing deployed yet.
    for (const name of ["api", "web"]) {
      expect(railway.instance(service(name).id, stagingEnv.id)!.source).toEqual({ repo: "converge-nps/converge-nps", image: null });
      expect([...railway.triggers.values()].filter((t) => t.serviceId === service(name).id)).toEqual([]);
    }
    const app = createServer((_req, res) => res.writeHead(200).end("ok"));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    try {
      const sha = "fedcba9876543210fedcba9876543210fedcba98";
      const job = deployWorkflow(deployModel(config)).jobs.deploy!;
      const r = await runJob(job, {
        sha,
        secrets: { RAILWAY_TOKEN: railway.projectToken(project().id, stagingEnv.id) },
        vars: { API_URL: url, WEB_URL: url },
        envOverrides: { RAILWAY_API_URL: railway.url, POLL_SECONDS: "0" },
      });
      expect(r.conclusion, JSON.stringify(r.steps, null, 1)).toBe("success");
      for (const name of ["api", "web"]) expect(railway.deploymentsOf(service(name).id, stagingEnv.id).at(-1)).toMatchObject({ commitSha: sha, status: "SUCCESS" });
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
    const before = writes();
    const staging = STACKS.find((s) => s.stack === "staging")!;
    const result = await engine.run({ ...staging, dryRun: false, state: states.get("staging")! });
    expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(writes() - before).toBe(0);
    states.set("staging", result.state);
  });

  it("destroying the review stack and dev leaves staging and production exactly as they were", async () => {
    const kept = { staging: environmentSnapshot("staging"), production: environmentSnapshot("production") };
    await expect(engine.destroy(states.get("production")!)).rejects.toThrow(/refusing to destroy: .* protected/);
    for (const name of ["pr-7", "dev"]) {
      const destroyed = await engine.destroy(states.get(name)!);
      expect(destroyed.state.resources, name).toEqual([]);
      expect(env(name), name).toBeUndefined();
    }
    expect({ staging: environmentSnapshot("staging"), production: environmentSnapshot("production") }).toEqual(kept);
    // The shared project and the services staging and production run are still there.
    expect(project()).toBeDefined();
    expect(SERVICES.map((s) => service(s).name)).toEqual(SERVICES);
    expect(railway.rejected).toEqual([]);
  });
});

describe("every Railway kind in the SDK's real dynamic-provider host", () => {
  it("goes through check, create, a no-op diff, update, read, a diff after the read, and delete", async () => {
    const host = engine.provider(true);
    // The provider as the program serialized it, taken from what production's up stored.
    const provider = states.get("production")!.resources.find((r) => r.type.startsWith("pulumi-nodejs:dynamic/railway-"))!.inputs.__provider;
    const ids: Record<string, string> = {};
    const steps: Array<[RailwayKind, () => Record<string, unknown>, Record<string, unknown>]> = [
      ["project", () => ({ name: "kinds-in-host" }), { prDeploys: true }],
      ["environment", () => ({ projectId: ids.project!, name: "qa", ephemeral: false, prBase: false, plan: "pro" }), { prBase: true }],
      ["service", () => ({ projectId: ids.project!, environmentId: ids.environment!, name: "api" }), {}],
      ["service-instance", () => ({ serviceId: ids.service!, environmentId: ids.environment!, name: "api", numReplicas: 1, region: "us-west2", restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10, vcpu: 1, memoryGb: 1 }), { numReplicas: 2 }],
      ["egress", () => ({ environmentId: ids.environment!, serviceId: ids.service!, name: "api" }), {}],
      ["variables", () => ({ projectId: ids.project!, environmentId: ids.environment!, serviceId: ids.service!, name: "api", variables: { A: "1" }, secrets: { S: "s" } }), { variables: { A: "2" } }],
      ["volume", () => ({ projectId: ids.project!, environmentId: ids.environment!, serviceId: ids.service!, name: "api", mountPath: "/data" }), { mountPath: "/data2" }],
      ["service-domain", () => ({ projectId: ids.project!, environmentId: ids.environment!, serviceId: ids.service!, name: "api", targetPort: 3000 }), { targetPort: 8080 }],
      ["custom-domain", () => ({ projectId: ids.project!, environmentId: ids.environment!, serviceId: ids.service!, domain: "Kinds.Example.com", targetPort: 3000 }), { targetPort: 8080 }],
      ["deployment", () => ({ projectId: ids.project!, environmentId: ids.environment!, serviceId: ids.service!, name: "api", image: "nginx:1.27", digest: "d1" }), { digest: "d2" }],
    ];
    const created: Array<{ kind: RailwayKind; id: string; outs: Record<string, unknown> }> = [];
    for (const [kind, inputsOf, change] of steps) {
      const type = railwayType(kind);
      const urn = `urn:pulumi:kinds::platform::${type}::${kind}`;
      const news = { kind, __provider: provider, ...inputsOf() };
      const checked = await host.check(urn, {}, news, type);
      const { id, outs } = await host.create(urn, checked, type);
      expect((await host.diff(id, urn, outs, checked, checked, type)).changes, `${kind}: no-op diff`).toBe(false);
      const changed = await host.check(urn, checked, { ...checked, ...change }, type);
      const updated = await host.update(id, urn, outs, changed, checked, type);
      const readReq = await engine.refresh({ stack: "kinds", resources: [{ urn, type, name: kind, custom: true, id, parent: "", inputs: changed, outputs: updated, protect: false, retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] }] });
      const read = readReq.state.resources[0]!;
      expect(readReq.steps[0], kind).toMatchObject({ op: "refresh", changed: false });
      expect((await host.diff(id, urn, plain(read.outputs), changed, changed, type)).changes, `${kind}: diff after read`).toBe(false);
      ids[kind] = id;
      created.push({ kind, id, outs: plain(read.outputs) });
    }
    // The deployment deployed once when made and once more for its new digest.
    expect(railway.deploymentsOf(ids.service!, ids.environment!).map((d) => d.cause)).toEqual(["deploy", "deploy"]);
    for (const { kind, id, outs } of created.reverse()) {
      await engine.deleteResource({ urn: `urn:pulumi:kinds::platform::${railwayType(kind)}::${kind}`, type: railwayType(kind), name: kind, custom: true, id, parent: "", inputs: outs, outputs: outs, protect: false, retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] });
    }
    expect(railway.environmentNamed(ids.project!, "qa")).toBeUndefined();
    expect(railway.projects.has(ids.project!)).toBe(false);
    expect(railway.rejected).toEqual([]);
  });
});
