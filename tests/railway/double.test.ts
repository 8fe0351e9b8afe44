// The Railway double itself: each behaviour it models is pinned here, each probed once as Railway
// behaves (the default) and once with that behaviour switched off, so a change of the double that
// drifts from Railway fails here, and so each switch is shown to matter.
import { beforeEach, describe, expect, it } from "vitest";
import { FULL_REALISM, type Realism } from "./double";
import { railwayDoubleForFile } from "./file-double";

const double = railwayDoubleForFile();
beforeEach(() => {
  double.realism = { ...FULL_REALISM };
});

interface Reply {
  data?: any;
  errors?: Array<{ message: string }>;
}

async function gql(query: string, variables: Record<string, unknown> = {}, token = double.token, header: "bearer" | "project" = "bearer"): Promise<Reply> {
  const auth: Record<string, string> = header === "bearer" ? { authorization: `Bearer ${token}` } : { "project-access-token": token };
  const response = await fetch(double.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Reply;
}

async function ok(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const reply = await gql(query, variables, token);
  expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined();
  return reply.data;
}

let seq = 0;
async function project(): Promise<{ projectId: string; production: string }> {
  const p = (await ok(`mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id } }`, { i: { name: `p${seq++}` } })).projectCreate.id;
  return { projectId: p, production: double.environmentNamed(p, "production")!.id };
}
async function environment(projectId: string, name: string, sourceEnvironmentId?: string): Promise<string> {
  return (
    await ok(`mutation($i: EnvironmentCreateInput!) { environmentCreate(input: $i) { id } }`, {
      i: { projectId, name, ...(sourceEnvironmentId ? { sourceEnvironmentId } : {}) },
    })
  ).environmentCreate.id;
}
async function service(projectId: string, environmentId: string, name: string, source?: { image?: string; repo?: string }): Promise<string> {
  return (
    await ok(`mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }`, { i: { projectId, environmentId, name, ...(source ? { source } : {}) } })
  ).serviceCreate.id;
}
const SETTINGS = `mutation($s: String!, $e: String!, $i: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $s, environmentId: $e, input: $i) }`;
const UPSERT = `mutation($i: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $i) }`;
const VOLUME = `mutation($i: VolumeCreateInput!) { volumeCreate(input: $i) { id } }`;

/** Runs a probe with one behaviour as Railway has it and with it switched off; returns both results. */
async function both<T>(behaviour: keyof Realism, probe: () => Promise<T>): Promise<{ real: T; off: T }> {
  const real = await probe();
  double.realism = { ...FULL_REALISM, [behaviour]: typeof FULL_REALISM[behaviour] === "boolean" ? false : 0 };
  const off = await probe();
  double.realism = { ...FULL_REALISM };
  return { real, off };
}

describe("the Railway double behaves as Railway does", () => {
  it("workspaces: projects without a workspace are the personal ones; a token in two workspaces must name one", async () => {
    const team = double.addWorkspace("team");
    const token = double.accountToken([double.personalWorkspace, team]);
    await ok(`mutation($i: ProjectCreateInput!) { projectCreate(input: $i) { id } }`, { i: { name: "in-team", workspaceId: team } }, token);
    const { real, off } = await both(
      "workspaces",
      async () => (await ok(`{ projects { edges { node { name } } } }`, {}, token)).projects.edges.map((e: any) => e.node.name) as string[],
    );
    expect(real).not.toContain("in-team");
    expect(off).toContain("in-team");
    const named = await ok(`query($w: String) { projects(workspaceId: $w) { edges { node { name } } } }`, { w: team }, token);
    expect(named.projects.edges.map((e: any) => e.node.name)).toEqual(["in-team"]);
    expect((await ok(`{ me { workspaces { name } } }`, {}, token)).me.workspaces.map((w: any) => w.name)).toEqual(["personal", "team"]);
    // A workspace token has no user, and lists its own workspace.
    const wsToken = double.workspaceToken(team);
    expect((await gql(`{ me { id } }`, {}, wsToken)).errors?.[0]?.message).toBe("Not Authorized");
    expect((await ok(`{ projects { edges { node { name } } } }`, {}, wsToken)).projects.edges.map((e: any) => e.node.name)).toEqual(["in-team"]);
  });

  it("a new environment is empty; one created from a source is a fork with copies of its instances, variables and volumes", async () => {
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    await ok(UPSERT, { i: { projectId, environmentId: production, serviceId: api, variables: { A: "1" }, skipDeploys: true } });
    await ok(VOLUME, { i: { projectId, environmentId: production, serviceId: api, mountPath: "/data" } });
    const { real, off } = await both("emptyEnvironments", async () => Boolean(double.instance(api, await environment(projectId, `e${seq++}`))));
    expect(real).toBe(false);
    expect(off).toBe(true);
    const fork = await environment(projectId, "pr-1", production);
    expect(double.instance(api, fork)?.variables).toEqual({ A: "1" });
    expect(double.volumeInstanceOf(api, fork)?.mountPath).toBe("/data");
  });

  it("serviceCreate gives the service an instance in every environment that is not a fork, or only in the fork named", async () => {
    const { projectId, production } = await project();
    const staging = await environment(projectId, "staging");
    const fork = await environment(projectId, "pr-2", staging);
    const everywhere = await service(projectId, staging, "api");
    expect([production, staging, fork].map((e) => Boolean(double.instance(everywhere, e)))).toEqual([true, true, false]);
    const forkOnly = await service(projectId, fork, "preview-only");
    expect([production, staging, fork].map((e) => Boolean(double.instance(forkOnly, e)))).toEqual([false, false, true]);
  });

  it("a write to an environment where the service has no instance fails with ServiceInstance not found", async () => {
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    const empty = await environment(projectId, "empty");
    const { real, off } = await both(
      "instancesRequired",
      async () => (await gql(SETTINGS, { s: api, e: empty, i: { numReplicas: 2 } })).errors?.[0]?.message ?? "accepted",
    );
    expect(real).toBe("ServiceInstance not found");
    expect(off).toBe("accepted");
    // Added through an environment patch, as Railway's CLI adds it, it takes writes.
    const other = await environment(projectId, "other");
    await ok(`mutation($e: String!, $p: EnvironmentConfig) { environmentPatchCommit(environmentId: $e, patch: $p) }`, {
      e: other,
      p: { services: { [api]: { isCreated: true } } },
    });
    await ok(SETTINGS, { s: api, e: other, i: { numReplicas: 2 } });
  });

  it("deploys: serviceCreate with a source at once, a variable upsert unless skipDeploys, settings and limits never; each deployment records what it saw", async () => {
    const { real, off } = await both("deploysOnWrite", async () => {
      const { projectId, production } = await project();
      const redis = await service(projectId, production, "redis", { image: "redis:8.2" });
      const afterCreate = double.deploymentsOf(redis, production).length;
      await ok(SETTINGS, { s: redis, e: production, i: { startCommand: "redis-server" } });
      await ok(`mutation($i: ServiceInstanceLimitsUpdateInput!) { serviceInstanceLimitsUpdate(input: $i) }`, {
        i: { serviceId: redis, environmentId: production, vCPUs: 1, memoryGB: 1 },
      });
      await ok(UPSERT, { i: { projectId, environmentId: production, serviceId: redis, variables: { A: "1" }, skipDeploys: true } });
      const afterQuiet = double.deploymentsOf(redis, production).length;
      await ok(UPSERT, { i: { projectId, environmentId: production, serviceId: redis, variables: { A: "2" } } });
      return [afterCreate, afterQuiet, double.deploymentsOf(redis, production).length];
    });
    expect(real).toEqual([1, 1, 2]);
    expect(off).toEqual([0, 0, 0]);
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    await ok(SETTINGS, { s: api, e: production, i: { source: { image: "ghcr.io/acme/api@sha256:abc" }, startCommand: "node server.js" } });
    await ok(UPSERT, { i: { projectId, environmentId: production, serviceId: api, variables: { SECRET: "s" }, skipDeploys: true } });
    const id = (await ok(`mutation($s: String!, $e: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) }`, { s: api, e: production }))
      .serviceInstanceDeployV2;
    expect(double.deployments.get(id)!.snapshot).toMatchObject({
      settings: { startCommand: "node server.js" },
      variables: { SECRET: "s" },
      source: { image: "ghcr.io/acme/api@sha256:abc" },
    });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ok(`query($id: String!) { deployment(id: $id) { status } }`, { id })).deployment.status);
    expect(statuses).toEqual(["BUILDING", "DEPLOYING", "SUCCESS", "SUCCESS"]);
  });

  it("allows one volume per service per environment", async () => {
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    await ok(VOLUME, { i: { projectId, environmentId: production, serviceId: api, mountPath: "/data" } });
    const { real, off } = await both(
      "oneVolumePerService",
      async () => (await gql(VOLUME, { i: { projectId, environmentId: production, serviceId: api, mountPath: "/other" } })).errors?.[0]?.message ?? "accepted",
    );
    expect(real).toBe("Service already has a volume attached in this environment");
    expect(off).toBe("accepted");
  });

  it("allows one Railway domain per service per environment", async () => {
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    const create = `mutation($i: ServiceDomainCreateInput!) { serviceDomainCreate(input: $i) { id } }`;
    await ok(create, { i: { serviceId: api, environmentId: production } });
    const { real, off } = await both(
      "oneRailwayDomainPerService",
      async () => (await gql(create, { i: { serviceId: api, environmentId: production } })).errors?.[0]?.message ?? "accepted",
    );
    expect(real).toBe("Service already has a Railway domain in this environment");
    expect(off).toBe("accepted");
  });

  it("reads the region back as null, and every setting never written as null", async () => {
    const { projectId, production } = await project();
    const api = await service(projectId, production, "api");
    await ok(SETTINGS, { s: api, e: production, i: { region: "us-west2", numReplicas: 2 } });
    const read = `query($s: String!, $e: String!) { serviceInstance(serviceId: $s, environmentId: $e) { region numReplicas startCommand healthcheckPath restartPolicyType } }`;
    const { real, off } = await both("nullReads", async () => (await ok(read, { s: api, e: production })).serviceInstance);
    expect(real).toEqual({ region: null, numReplicas: 2, startCommand: null, healthcheckPath: null, restartPolicyType: "ON_FAILURE" });
    expect(off.region).toBe("us-west2");
  });

  it("serviceDelete with an environment that is not a fork deletes the service in every environment that is not one", async () => {
    const { real, off } = await both("serviceDeleteAllEnvironments", async () => {
      const { projectId, production } = await project();
      const dev = await environment(projectId, "dev");
      const api = await service(projectId, dev, "api");
      await ok(`mutation($id: String!, $e: String) { serviceDelete(id: $id, environmentId: $e) }`, { id: api, e: dev });
      return Boolean(double.instance(api, production));
    });
    expect(real).toBe(false);
    expect(off).toBe(true);
  });

  it("pages every list: small pages, a cursor to the next, until there is none", async () => {
    const { projectId, production } = await project();
    for (const name of ["a", "b", "c", "d", "e"]) await service(projectId, production, name);
    const list = `query($id: String!, $after: String) { project(id: $id) { services(after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } } }`;
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = (await ok(list, { id: projectId, after })).project.services;
      names.push(...page.edges.map((e: any) => e.node.name));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(names).toEqual(["a", "b", "c", "d", "e"]);
    expect(pages).toBe(3);
  });

  it("keeps a new object out of list lookups for a while, when switched on", async () => {
    double.realism = { ...FULL_REALISM, invisibleFor: 2 };
    const { projectId, production } = await project();
    await service(projectId, production, "late");
    const names = async () =>
      (await ok(`query($id: String!) { project(id: $id) { services { edges { node { name } } } } }`, { id: projectId })).project.services.edges.map(
        (e: any) => e.node.name,
      );
    expect([await names(), await names(), await names()]).toEqual([[], [], ["late"]]);
  });

  it("takes a project token only in its own header, and shows it one project and environment", async () => {
    const { projectId, production } = await project();
    const token = double.projectToken(projectId, production);
    expect((await gql(`{ projectToken { projectId } }`, {}, token, "bearer")).errors?.[0]?.message).toBe("Not Authorized");
    expect((await gql(`{ projectToken { projectId environmentId } }`, {}, token, "project")).data.projectToken).toEqual({
      projectId,
      environmentId: production,
    });
  });

  it("refuses what the schema does not define, and counts every request", async () => {
    const before = double.requests.length;
    expect((await gql(`mutation { projectTeleport(id: "p") }`)).errors?.[0]?.message).toMatch(/Cannot query field "projectTeleport"/);
    expect(double.rejected.at(-1)!.query).toContain("projectTeleport");
    await gql(`{ me { id } }`);
    expect(double.requests.length - before).toBe(1);
    double.rejected.length = 0;
  });
});
