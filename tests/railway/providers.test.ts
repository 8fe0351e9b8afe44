// The Railway providers, imported directly, against the API double: the lifecycle of every kind,
// the fault matrix (no duplicates, no orphans), and errors that name the resource and operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDoubleEnv } from "../doubles/env";
import { retryPolicy } from "../../components/http/retry";
import * as providers from "../../components/railway/providers";
import { RailwayDouble } from "./double";
import { fullLifecycle, type Providers } from "./lifecycle";

const direct: Providers = {
  project: providers.projectProvider as never,
  environment: providers.environmentProvider as never,
  service: providers.serviceProvider as never,
  serviceInstance: providers.serviceInstanceProvider as never,
  variables: providers.variablesProvider as never,
  customDomain: providers.customDomainProvider as never,
  serviceDomain: providers.serviceDomainProvider as never,
  volume: providers.volumeProvider as never,
};

let double: RailwayDouble;

beforeAll(async () => {
  double = new RailwayDouble();
  await double.start();
});
afterAll(async () => {
  await double.stop();
});
useDoubleEnv(() => double.env());

/** A project, environment and service to hang other resources on. */
async function scaffold(name: string) {
  const project = await direct.project.create({ name });
  const env = await direct.environment.create({ projectId: project.id, name: "staging", ephemeral: false, prBase: false });
  const service = await direct.service.create({ projectId: project.id, environmentId: env.id, name: "api", repo: "acme/shop", branch: "main" });
  return { projectId: project.id, environmentId: env.id, serviceId: service.id };
}

describe("Railway providers against the double", () => {
  it("take every kind through create, read, update, no-op and delete", async () => {
    await fullLifecycle(double, direct);
  });

  it("decide a no-op without any request", async () => {
    const ids = await scaffold("noop");
    const inputs = { ...ids, name: "api", variables: { A: "1" } };
    const created = await direct.variables.create(inputs);
    const before = double.requests.length;
    expect(await direct.variables.diff(created.id, created.outs, inputs)).toMatchObject({ changes: false });
    expect(double.requests.length).toBe(before);
  });
});

describe("faults", () => {
  it("retries 429 honouring Retry-After, 500 and dropped connections on reads", async () => {
    double.inject({ kind: "429", retryAfter: "0" }, { operation: "projects" });
    double.inject({ kind: "500" }, { operation: "projects" });
    double.inject({ kind: "drop" }, { operation: "projects" });
    const before = double.count({ operation: "projects" });
    const project = await direct.project.create({ name: "flaky-reads" });
    expect(double.count({ operation: "projects" }) - before).toBe(4);
    expect([...double.projects.values()].filter((p) => p.name === "flaky-reads")).toEqual([expect.objectContaining({ id: project.id })]);
  });

  it("retries a refused (429) create without duplicating it", async () => {
    const ids = await scaffold("refused");
    double.inject({ kind: "429", retryAfter: "0" }, { operation: "customDomainCreate", times: 2 });
    await direct.customDomain.create({ ...ids, domain: "refused.example.com", targetPort: 80 });
    expect([...double.domains.values()].filter((d) => d.domain === "refused.example.com")).toHaveLength(1);
  });

  it.each([
    ["projectCreate", "lost"],
    ["environmentCreate", "lost"],
    ["serviceCreate", "lost"],
    ["customDomainCreate", "lost"],
    ["serviceDomainCreate", "lost"],
    ["volumeCreate", "lost"],
    ["serviceCreate", "500"],
    ["volumeCreate", "drop"],
  ] as const)("a %s whose answer is %s makes exactly one object", async (operation, kind) => {
    const name = `${operation}-${kind}`.toLowerCase();
    double.inject({ kind }, { operation });
    if (operation === "projectCreate") {
      const p = await direct.project.create({ name });
      expect([...double.projects.values()].filter((x) => x.name === name).map((x) => x.id)).toEqual([p.id]);
      return;
    }
    const project = await direct.project.create({ name });
    if (operation === "environmentCreate") {
      const e = await direct.environment.create({ projectId: project.id, name: "staging", ephemeral: false, prBase: false });
      expect([...double.environments.values()].filter((x) => x.projectId === project.id && x.name === "staging").map((x) => x.id)).toEqual([e.id]);
      return;
    }
    const env = await direct.environment.create({ projectId: project.id, name: "staging", ephemeral: false, prBase: false });
    if (operation === "serviceCreate") {
      const s = await direct.service.create({ projectId: project.id, environmentId: env.id, name: "api", repo: "acme/shop", branch: "main" });
      expect([...double.services.values()].filter((x) => x.projectId === project.id).map((x) => x.id)).toEqual([s.id]);
      return;
    }
    const service = await direct.service.create({ projectId: project.id, environmentId: env.id, name: "api" });
    const ids = { projectId: project.id, environmentId: env.id, serviceId: service.id };
    const mine = (k: "custom" | "service") => [...double.domains.values()].filter((d) => d.serviceId === service.id && d.kind === k).map((d) => d.id);
    if (operation === "customDomainCreate") {
      const d = await direct.customDomain.create({ ...ids, domain: `${name}.example.com`, targetPort: 80 });
      expect(mine("custom")).toEqual([d.id]);
    } else if (operation === "serviceDomainCreate") {
      const d = await direct.serviceDomain.create({ ...ids, name: "api", targetPort: 80 });
      expect(mine("service")).toEqual([d.id]);
    } else {
      const v = await direct.volume.create({ ...ids, name: "api", mountPath: "/data" });
      expect([...double.volumes.values()].filter((x) => x.instances.some((i) => i.serviceId === service.id)).map((x) => x.id)).toEqual([v.id]);
    }
  });

  it("gives up after a bounded number of attempts, naming the resource and operation", async () => {
    const ids = await scaffold("down");
    double.inject({ kind: "500" }, { operation: "serviceInstanceUpdate", times: 50 });
    const before = double.count({ operation: "serviceInstanceUpdate" });
    const attempt = direct.serviceInstance.create({ ...ids, name: "api", source: { image: "nginx" }, numReplicas: 1, restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 3, vcpu: 1, memoryGb: 1 });
    await expect(attempt).rejects.toThrow(/^Railway create of service settings for "api" failed after 5 attempts: HTTP 500/);
    expect(double.count({ operation: "serviceInstanceUpdate" }) - before).toBe(retryPolicy().attempts);
    await attempt.catch((err: Error) => expect(err.message).not.toContain(double.token));
    double.clearFaults();
  });

  it("turns GraphQL errors into messages naming the resource and operation", async () => {
    const ids = await scaffold("taken");
    await direct.customDomain.create({ ...ids, domain: "taken.example.com" });
    await expect(direct.customDomain.create({ ...ids, domain: "taken.example.com" })).rejects.toThrow(
      'Railway create of custom domain "taken.example.com" failed: Domain taken.example.com is already in use',
    );
  });

  it("refuses to run without a token, and never prints one", async () => {
    delete process.env.RAILWAY_TOKEN;
    await expect(direct.project.create({ name: "no-token" })).rejects.toThrow("Railway create of project \"no-token\" needs a Railway API token: set RAILWAY_TOKEN");
    process.env.RAILWAY_TOKEN = "wrong-token-value";
    await expect(direct.project.create({ name: "bad-token" })).rejects.toThrow(/failed: Not Authorized$/);
  });

  it("fails clearly when a preview's source environment does not exist", async () => {
    const project = await direct.project.create({ name: "no-staging" });
    await expect(direct.environment.create({ projectId: project.id, name: "pr-1", sourceEnvironmentName: "staging", ephemeral: true, prBase: false })).rejects.toThrow(
      'its source environment "staging" does not exist in the project; deploy that stack first.',
    );
  });
});
