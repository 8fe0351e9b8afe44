// Lifecycle scenarios for every Railway resource kind, run against the API double, either with
// the providers imported directly or with their serialized text loaded as Pulumi's host loads it.
import { expect } from "vitest";
import type { RailwayDouble } from "./double";

export interface ProviderLike {
  check?(olds: any, news: any): Promise<{ inputs: any }>;
  diff(id: string, olds: any, news: any): Promise<{ changes?: boolean; replaces?: string[] }>;
  create(inputs: any): Promise<{ id: string; outs: any }>;
  read(id: string, props: any): Promise<{ id?: string; props?: any }>;
  update(id: string, olds: any, news: any): Promise<{ outs?: any }>;
  delete(id: string, props: any): Promise<void>;
}

export const KINDS = ["project", "environment", "service", "serviceInstance", "variables", "customDomain", "serviceDomain", "volume"] as const;
export type Kind = (typeof KINDS)[number];
export type Providers = Record<Kind, ProviderLike>;

/** The type token of each kind, as the program registers it. */
export const TYPE_OF: Record<Kind, string> = {
  project: "pulumi-nodejs:dynamic/railway-project:Project",
  environment: "pulumi-nodejs:dynamic/railway-environment:Environment",
  service: "pulumi-nodejs:dynamic/railway-service:Service",
  serviceInstance: "pulumi-nodejs:dynamic/railway-service-instance:ServiceInstance",
  variables: "pulumi-nodejs:dynamic/railway-variables:Variables",
  customDomain: "pulumi-nodejs:dynamic/railway-custom-domain:CustomDomain",
  serviceDomain: "pulumi-nodejs:dynamic/railway-service-domain:ServiceDomain",
  volume: "pulumi-nodejs:dynamic/railway-volume:Volume",
};

/** Counts the writes (mutations) a step sends. */
async function writesDuring(double: RailwayDouble, step: () => Promise<unknown>): Promise<number> {
  const before = double.count({ type: "mutation" });
  await step();
  return double.count({ type: "mutation" }) - before;
}

/** create → read → update → no-op → delete for every kind, checking the double's state at each step. */
export async function fullLifecycle(double: RailwayDouble, p: Providers): Promise<void> {
  // Project: created once, then found by name.
  const projectInputs = { name: "shop", prDeploys: false };
  const project = await p.project.create(projectInputs);
  expect(double.projects.get(project.id)).toMatchObject({ name: "shop", prDeploys: false });
  expect(project.outs.projectId).toBe(project.id);
  const again = await p.project.create(projectInputs);
  expect(again.id).toBe(project.id);
  expect([...double.projects.values()].filter((x) => x.name === "shop")).toHaveLength(1);
  expect((await p.project.read(project.id, project.outs)).props).toMatchObject({ name: "shop", prDeploys: false });
  expect(await p.project.diff(project.id, project.outs, { ...projectInputs, prDeploys: true })).toMatchObject({ changes: true, replaces: [] });
  expect((await p.project.diff(project.id, project.outs, { ...projectInputs, name: "other" })).replaces).toEqual(["name"]);
  await p.project.update(project.id, project.outs, { ...projectInputs, prDeploys: true });
  expect(double.projects.get(project.id)!.prDeploys).toBe(true);
  const projectId = project.id;

  // Environment: the PR base, found by name the second time.
  const envInputs = { projectId, name: "staging", ephemeral: false, prBase: true };
  const env = await p.environment.create(envInputs);
  expect(double.environments.get(env.id)).toMatchObject({ name: "staging", projectId });
  expect(double.projects.get(projectId)!.baseEnvironmentId).toBe(env.id);
  expect((await p.environment.create(envInputs)).id).toBe(env.id);
  expect((await p.environment.read(env.id, env.outs)).props).toMatchObject({ name: "staging", ephemeral: false });
  const environmentId = env.id;
  const forkInputs = { projectId, name: "pr-7", sourceEnvironmentName: "staging", ephemeral: true, prBase: false };

  // Service with this environment's deploy trigger.
  const serviceInputs = { projectId, environmentId, name: "api", repo: "acme/shop", branch: "staging" };
  const service = await p.service.create(serviceInputs);
  const serviceId = service.id;
  expect(double.services.get(serviceId)).toMatchObject({ name: "api", projectId });
  expect([...double.triggers.values()].filter((t) => t.serviceId === serviceId)).toEqual([expect.objectContaining({ environmentId, branch: "staging", repository: "acme/shop" })]);
  expect((await p.service.read(serviceId, service.outs)).props).toMatchObject({ name: "api", repo: "acme/shop", branch: "staging" });
  expect(await p.service.diff(serviceId, service.outs, serviceInputs)).toMatchObject({ changes: false });
  expect((await p.service.diff(serviceId, service.outs, { ...serviceInputs, projectId: "elsewhere" })).replaces).toEqual(["projectId"]);
  await p.service.update(serviceId, service.outs, { ...serviceInputs, branch: "release" });
  expect([...double.triggers.values()].find((t) => t.serviceId === serviceId)!.branch).toBe("release");

  // Service settings and limits.
  const instanceInputs = {
    serviceId,
    environmentId,
    name: "api",
    source: { repo: "acme/shop" },
    rootDirectory: "backend",
    dockerfilePath: "Dockerfile",
    numReplicas: 2,
    region: "us-west2",
    healthcheckPath: "/health",
    healthcheckTimeout: 60,
    restartPolicyType: "ON_FAILURE",
    restartPolicyMaxRetries: 10,
    startCommand: "node dist/server.js",
    vcpu: 2,
    memoryGb: 2,
  };
  const instance = await p.serviceInstance.create(instanceInputs);
  const state = () => double.instances.get(`${serviceId}:${environmentId}`)!;
  expect(state().settings).toMatchObject({ numReplicas: 2, healthcheckPath: "/health", healthcheckTimeout: 60, restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10, rootDirectory: "backend", startCommand: "node dist/server.js" });
  expect(state().limits).toEqual({ vCPUs: 2, memoryGB: 2 });
  expect((await p.serviceInstance.read(instance.id, instance.outs)).props).toMatchObject({ ...instanceInputs, source: { repo: "acme/shop" } });
  expect(await p.serviceInstance.diff(instance.id, instance.outs, instanceInputs)).toMatchObject({ changes: false });
  const limitsOnly = { ...instanceInputs, vcpu: 4 };
  expect(await writesDuring(double, () => p.serviceInstance.update(instance.id, instance.outs, limitsOnly))).toBe(1);
  expect(double.requests.at(-1)!.operation).toBe("serviceInstanceLimitsUpdate");
  const { startCommand: _dropped, ...withoutStart } = { ...limitsOnly, numReplicas: 3 };
  expect(await writesDuring(double, () => p.serviceInstance.update(instance.id, limitsOnly, withoutStart))).toBe(1);
  expect(state().settings).toMatchObject({ numReplicas: 3, startCommand: null });
  expect(state().limits).toEqual({ vCPUs: 4, memoryGB: 2 });
  const multi = { ...withoutStart, numReplicas: undefined, region: undefined, multiRegionConfig: { "us-west2": { numReplicas: 2 }, "europe-west4-drams3a": { numReplicas: 1 } } };
  await p.serviceInstance.update(instance.id, withoutStart, multi);
  expect(state().settings.multiRegionConfig).toEqual(multi.multiRegionConfig);
  expect((await p.serviceInstance.diff(instance.id, instance.outs, { ...instanceInputs, environmentId: "other" })).replaces).toEqual(["environmentId"]);

  // Variables: the whole set, replaced.
  const varInputs = { projectId, environmentId, serviceId, name: "api", variables: { NODE_ENV: "staging", JWT_SECRET: "s3cr3t-value" } };
  const vars = await p.variables.create(varInputs);
  expect(state().variables).toEqual(varInputs.variables);
  expect((await p.variables.read(vars.id, vars.outs)).props.variables).toEqual(varInputs.variables);
  expect(await p.variables.diff(vars.id, vars.outs, varInputs)).toMatchObject({ changes: false });
  await p.variables.update(vars.id, vars.outs, { ...varInputs, variables: { NODE_ENV: "production" } });
  expect(state().variables).toEqual({ NODE_ENV: "production" });

  // Custom domain, normalized to lower case.
  const checked = p.customDomain.check ? (await p.customDomain.check({}, { projectId, environmentId, serviceId, domain: "API.Shop.Example", targetPort: 3000 })).inputs : undefined;
  expect(checked?.domain).toBe("api.shop.example");
  const custom = await p.customDomain.create(checked);
  expect(double.domains.get(custom.id)).toMatchObject({ kind: "custom", domain: "api.shop.example", targetPort: 3000 });
  expect((await p.customDomain.read(custom.id, custom.outs)).props).toMatchObject({ domain: "api.shop.example", targetPort: 3000 });
  expect((await p.customDomain.diff(custom.id, custom.outs, { ...checked, domain: "www.shop.example" })).replaces).toEqual(["domain"]);
  await p.customDomain.update(custom.id, custom.outs, { ...checked, targetPort: 8080 });
  expect(double.domains.get(custom.id)!.targetPort).toBe(8080);

  // Railway's generated domain.
  const sdInputs = { projectId, environmentId, serviceId, name: "api", targetPort: 3000 };
  const sd = await p.serviceDomain.create(sdInputs);
  expect(sd.outs.domain).toMatch(/^api-[0-9a-f]{6}\.up\.railway\.app$/);
  expect((await p.serviceDomain.read(sd.id, sd.outs)).props).toMatchObject({ domain: sd.outs.domain, targetPort: 3000 });
  await p.serviceDomain.update(sd.id, sd.outs, { ...sdInputs, targetPort: 8080 });
  expect(double.domains.get(sd.id)!.targetPort).toBe(8080);

  // Volume.
  const volInputs = { projectId, environmentId, serviceId, name: "api", mountPath: "/data" };
  const volume = await p.volume.create(volInputs);
  expect(double.volumes.get(volume.id)!.instances).toEqual([expect.objectContaining({ serviceId, environmentId, mountPath: "/data" })]);
  expect((await p.volume.read(volume.id, volume.outs)).props).toMatchObject({ mountPath: "/data" });
  expect((await p.volume.diff(volume.id, volume.outs, { ...volInputs, mountPath: "/var/lib" })).replaces).toEqual(["mountPath"]);

  // A fork of staging, for preview stacks.
  const fork = await p.environment.create(forkInputs);
  expect(double.environments.get(fork.id)).toMatchObject({ isEphemeral: true, sourceEnvironmentId: environmentId });
  expect(double.instances.has(`${serviceId}:${fork.id}`)).toBe(true);

  // Deletes, twice each: the second finds nothing and still succeeds.
  for (let i = 0; i < 2; i++) {
    await p.volume.delete(volume.id, volume.outs);
    await p.serviceDomain.delete(sd.id, sd.outs);
    await p.customDomain.delete(custom.id, custom.outs);
  }
  expect(double.volumes.size).toBe(0);
  expect(double.domains.size).toBe(0);
  await p.variables.delete(vars.id, vars.outs);
  expect(state().variables).toEqual({});
  await p.serviceInstance.delete(instance.id, instance.outs);
  for (let i = 0; i < 2; i++) await p.service.delete(serviceId, service.outs);
  // Removed from this environment only; the fork keeps its instance.
  expect(double.instances.has(`${serviceId}:${environmentId}`)).toBe(false);
  expect(double.services.get(serviceId)?.environments).toEqual(new Set([fork.id]));
  for (let i = 0; i < 2; i++) {
    await p.environment.delete(fork.id, fork.outs);
    await p.environment.delete(env.id, env.outs);
  }
  expect([...double.environments.values()].filter((e) => e.projectId === projectId).map((e) => e.name)).toEqual(["production"]);
  expect(await p.environment.read(env.id, env.outs)).toEqual({});
  for (let i = 0; i < 2; i++) await p.project.delete(projectId, project.outs);
  expect(double.projects.size).toBe(0);
  expect(await p.project.read(projectId, project.outs)).toEqual({});
  expect(double.rejected).toEqual([]);
}
