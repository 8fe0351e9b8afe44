// The Railway providers, called directly, against the double as Railway behaves: each kind through
// create, read, update, no-op and delete; workspaces and tokens; pagination; objects that show up in
// lookups late; lost and refused creates that must not make a second object; and deletes that must
// not reach another environment.
import { beforeEach, describe, expect, it } from "vitest";
import { kindsOf } from "../doubles/kinds";
import { useDoubleEnv } from "../doubles/env";
import { FULL_REALISM, type DeploymentState, type InstanceState } from "./double";
import { railwayDoubleForFile } from "./file-double";

const double = railwayDoubleForFile();
useDoubleEnv(() => double.env());
beforeEach(() => {
  double.realism = { ...FULL_REALISM };
  double.clearFaults();
});

type Props = Record<string, any>;
const p = kindsOf("railway");
const create = async (kind: string, inputs: Props) => p.create({ kind, ...inputs });
const read = async (kind: string, id: string, props: Props) => p.read!(id, { kind, ...props });
const diff = async (kind: string, id: string, olds: Props, news: Props) => p.diff!(id, { kind, ...olds }, { kind, ...news });
const update = async (kind: string, id: string, olds: Props, news: Props) => p.update!(id, { kind, ...olds }, { kind, ...news });
const remove = async (kind: string, id: string, props: Props) => p.delete!(id, { kind, ...props });

const writes = () => double.count({ type: "mutation" });

let seq = 0;
/** A project with one environment (besides Railway's own production) and a service in it. */
async function scaffold(environment = "staging") {
  const name = `shop-${seq++}`;
  const project = await create("project", { name });
  const env = await create("environment", { projectId: project.id, name: environment, ephemeral: false, prBase: false, plan: "pro" });
  const service = await create("service", { projectId: project.id, environmentId: env.id, name: "api" });
  return { projectId: project.id, environmentId: env.id, serviceId: service.id, name };
}

/** A deployment the deploy workflow made, finished and live, of what the instance holds now. */
function workflowDeployed(
  ids: { serviceId: string; environmentId: string; projectId: string },
  instance: InstanceState,
  id: string,
  createdAt: string,
  extra: Partial<DeploymentState> = {},
): void {
  double.deployments.set(id, {
    id,
    serviceId: ids.serviceId,
    environmentId: ids.environmentId,
    projectId: ids.projectId,
    status: "SUCCESS",
    polls: 0,
    outcome: "SUCCESS",
    snapshot: double.snapshotOf(instance),
    createdAt,
    cause: "workflow",
    ...extra,
  });
}

describe("each kind, created, read, updated, left alone and deleted", () => {
  it("project: found by name in the token's one workspace, or created there; never replaced", async () => {
    const inputs = { name: "one-project" };
    const created = await create("project", inputs);
    expect(double.projects.get(created.id)).toMatchObject({ name: "one-project", workspaceId: double.personalWorkspace });
    expect((await create("project", inputs)).id).toBe(created.id);
    expect((await read("project", created.id, created.outs)).props).toEqual({
      kind: "project",
      name: "one-project",
      projectId: created.id,
      workspaceId: double.personalWorkspace,
    });
    await expect(diff("project", created.id, created.outs, { name: "renamed" })).rejects.toThrow(
      /is shared by every stack and is never replaced; its name cannot change here/,
    );
    expect(await diff("project", created.id, created.outs, { ...inputs, prDeploys: true })).toMatchObject({ changes: true, replaces: [] });
    await update("project", created.id, created.outs, { ...inputs, prDeploys: true });
    expect(double.projects.get(created.id)!.prDeploys).toBe(true);
  });

  it("environment: created empty, found by name the second time, never replaced", async () => {
    const project = await create("project", { name: "env-project" });
    const inputs = { projectId: project.id, name: "staging", ephemeral: false, prBase: true, plan: "pro" };
    const env = await create("environment", inputs);
    expect([...double.instances.values()].filter((i) => i.environmentId === env.id)).toEqual([]);
    expect(double.projects.get(project.id)!.baseEnvironmentId).toBe(env.id);
    expect((await create("environment", inputs)).id).toBe(env.id);
    expect((await read("environment", env.id, env.outs)).props).toMatchObject({ name: "staging", ephemeral: false, environmentId: env.id });
    await expect(diff("environment", env.id, env.outs, { ...inputs, name: "stage" })).rejects.toThrow(
      /would have to be replaced \(its name changed\), and replacing it deletes everything in it/,
    );
    await remove("environment", env.id, env.outs);
    expect(double.environments.has(env.id)).toBe(false);
    expect(await read("environment", env.id, env.outs)).toEqual({});
  });

  it("service: created without a source; in another environment, added to it; removed from one environment only", async () => {
    const { projectId, environmentId, serviceId } = await scaffold();
    expect(double.instance(serviceId, environmentId)?.source).toBeNull();
    expect(double.deploymentsOf(serviceId, environmentId)).toEqual([]);
    const other = await create("environment", { projectId, name: "other", ephemeral: false, prBase: false, plan: "pro" });
    const adopted = await create("service", { projectId, environmentId: other.id, name: "api" });
    expect(adopted.id).toBe(serviceId);
    expect(double.instance(serviceId, other.id)).toBeDefined();
    expect(double.count({ operation: "environmentPatchCommit" })).toBeGreaterThan(0);
    expect(await diff("service", serviceId, adopted.outs, { projectId, environmentId: other.id, name: "api" })).toMatchObject({ changes: false });
    expect(await diff("service", serviceId, adopted.outs, { projectId, environmentId: other.id, name: "backend" })).toMatchObject({
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
    await remove("service", serviceId, adopted.outs);
    expect(double.instance(serviceId, other.id)).toBeUndefined();
    expect(double.instance(serviceId, environmentId)).toBeDefined();
    expect(double.services.has(serviceId)).toBe(true);
    expect(await read("service", serviceId, adopted.outs)).toEqual({});
  });

  it("service instance: settings and limits in one write, never deploying; read back normalized, the region kept", async () => {
    const ids = await scaffold();
    const inputs = {
      serviceId: ids.serviceId,
      environmentId: ids.environmentId,
      name: "api",
      rootDirectory: "backend",
      dockerfilePath: "Dockerfile",
      numReplicas: 2,
      region: "us-west2",
      healthcheckPath: "/health",
      healthcheckTimeout: 60,
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 10,
      startCommand: "node dist/server.js",
      preDeployCommand: "npx prisma migrate deploy",
      vcpu: 2,
      memoryGb: 2,
    };
    const before = writes();
    const instance = await create("service-instance", inputs);
    expect(writes() - before).toBe(1);
    expect(double.settingsOf(ids.serviceId, ids.environmentId)).toMatchObject({
      numReplicas: 2,
      healthcheckPath: "/health",
      preDeployCommand: ["npx prisma migrate deploy"],
      startCommand: "node dist/server.js",
    });
    expect(double.instance(ids.serviceId, ids.environmentId)!.limits).toEqual({ vCPUs: 2, memoryGB: 2 });
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId)).toEqual([]);
    const refreshed = (await read("service-instance", instance.id, instance.outs)).props;
    expect(refreshed).toEqual({ kind: "service-instance", ...inputs });
    expect(await diff("service-instance", instance.id, refreshed, inputs)).toMatchObject({ changes: false });
    const { startCommand: _dropped, ...withoutStart } = { ...inputs, vcpu: 4 };
    await update("service-instance", instance.id, inputs, withoutStart);
    expect(double.settingsOf(ids.serviceId, ids.environmentId).startCommand).toBeUndefined();
    expect(double.instance(ids.serviceId, ids.environmentId)!.limits).toEqual({ vCPUs: 4, memoryGB: 2 });
    // A setting removed in Railway's dashboard shows as a difference.
    delete double.instance(ids.serviceId, ids.environmentId)!.settings.healthcheckPath;
    const drifted = (await read("service-instance", instance.id, withoutStart)).props;
    expect(drifted.healthcheckPath).toBeUndefined();
    expect((await diff("service-instance", instance.id, drifted, withoutStart)).changes).toBe(true);
  });

  it("variables: plain and secret written in one call that replaces the set, without deploying", async () => {
    const ids = await scaffold();
    double.instance(ids.serviceId, ids.environmentId)!.source = { image: "nginx" };
    const inputs = { ...ids, name: "api", variables: { NODE_ENV: "staging" }, secrets: { JWT_SECRET: "s3cr3t" } };
    const vars = await create("variables", inputs);
    expect(double.instance(ids.serviceId, ids.environmentId)!.variables).toEqual({ NODE_ENV: "staging", JWT_SECRET: "s3cr3t" });
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId)).toEqual([]);
    expect((await read("variables", vars.id, vars.outs)).props).toMatchObject({ variables: { NODE_ENV: "staging" }, secrets: { JWT_SECRET: "s3cr3t" } });
    await update("variables", vars.id, vars.outs, { ...inputs, variables: {}, secrets: { JWT_SECRET: "rotated" } });
    expect(double.instance(ids.serviceId, ids.environmentId)!.variables).toEqual({ JWT_SECRET: "rotated" });
    // One added by hand shows as a plain variable to remove.
    double.instance(ids.serviceId, ids.environmentId)!.variables.EXTRA = "x";
    expect((await read("variables", vars.id, { ...inputs, variables: {}, secrets: { JWT_SECRET: "rotated" } })).props.variables).toEqual({ EXTRA: "x" });
    await remove("variables", vars.id, vars.outs);
    expect(double.instance(ids.serviceId, ids.environmentId)!.variables).toEqual({});
  });

  it("volume: looked for, made once, its mount path moved in place", async () => {
    const ids = await scaffold();
    const inputs = { ...ids, name: "api", mountPath: "/data" };
    const volume = await create("volume", inputs);
    expect(double.volumeInstanceOf(ids.serviceId, ids.environmentId)?.mountPath).toBe("/data");
    expect((await create("volume", inputs)).id).toBe(volume.id);
    expect(await diff("volume", volume.id, volume.outs, { ...inputs, mountPath: "/var/lib/data" })).toMatchObject({ changes: true, replaces: [] });
    await update("volume", volume.id, volume.outs, { ...inputs, mountPath: "/var/lib/data" });
    expect(double.volumeInstanceOf(ids.serviceId, ids.environmentId)?.mountPath).toBe("/var/lib/data");
    expect([...double.volumes.values()].filter((v) => v.projectId === ids.projectId)).toHaveLength(1);
    await remove("volume", volume.id, volume.outs);
    expect(double.volumes.has(volume.id)).toBe(false);
  });

  it("domains: the Railway domain and a custom one, each looked for before it is made", async () => {
    const ids = await scaffold();
    const sd = await create("service-domain", { ...ids, name: "api", targetPort: 3000 });
    expect(sd.outs.domain).toMatch(/^api-[0-9a-f]{6}\.up\.railway\.app$/);
    expect((await create("service-domain", { ...ids, name: "api", targetPort: 3000 })).id).toBe(sd.id);
    await update("service-domain", sd.id, sd.outs, { ...ids, name: "api", targetPort: 8080 });
    expect(double.domains.get(sd.id)!.targetPort).toBe(8080);
    const checked = (await p.check!({}, { kind: "custom-domain", ...ids, domain: "API.Shop.Example", targetPort: 3000 })).inputs;
    const cd = await p.create(checked);
    expect(double.domains.get(cd.id)).toMatchObject({ kind: "custom", domain: "api.shop.example" });
    expect((await p.create(checked)).id).toBe(cd.id);
    expect((await read("custom-domain", cd.id, checked)).props).toMatchObject({ domain: "api.shop.example", targetPort: 3000 });
    for (let i = 0; i < 2; i++) {
      await remove("custom-domain", cd.id, checked);
      await remove("service-domain", sd.id, sd.outs);
    }
    expect([...double.domains.values()].filter((d) => d.serviceId === ids.serviceId)).toEqual([]);
  });

  it("deployment of an image: connects it and deploys once, after what it runs with is in place; a new digest redeploys once", async () => {
    const ids = await scaffold();
    await create("variables", { ...ids, name: "api", variables: { A: "1" }, secrets: {} });
    const inputs = { ...ids, name: "api", image: "ghcr.io/acme/api@sha256:1", registryCredentials: { username: "acme", password: "ghp_token" }, digest: "d1" };
    const deployment = await create("deployment", inputs);
    const deployments = double.deploymentsOf(ids.serviceId, ids.environmentId);
    expect(deployments.map((d) => [d.cause, d.snapshot.source, d.snapshot.variables])).toEqual([
      ["deploy", { repo: null, image: "ghcr.io/acme/api@sha256:1" }, { A: "1" }],
    ]);
    expect(double.instance(ids.serviceId, ids.environmentId)!.registryCredentials).toEqual({ username: "acme", password: "ghp_token" });
    expect(deployment.outs.deploymentId).toBe(deployments[0]!.id);
    // The create returned once Railway said the deployment had ended, and ended well.
    expect(deployments[0]!.status).toBe("SUCCESS");
    expect(await diff("deployment", deployment.id, deployment.outs, inputs)).toMatchObject({ changes: false });
    await update("deployment", deployment.id, deployment.outs, { ...inputs, digest: "d2" });
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId)).toHaveLength(2);
    const refreshed = (await read("deployment", deployment.id, { ...deployment.outs, digest: "d2" })).props;
    expect(await diff("deployment", deployment.id, refreshed, { ...inputs, digest: "d2" })).toMatchObject({ changes: false });
  });

  it("deployment that fails: the create fails naming the service and the deployment, stays in the state unfinished, and the update that follows deploys again", async () => {
    const ids = await scaffold();
    double.outcomes.set("api", "CRASHED");
    const inputs = { ...ids, name: "api", image: "redis:8.2", digest: "d1" };
    const failed = await create("deployment", inputs).then(
      () => expect.unreachable("a crashed deployment must fail the create"),
      (err) => err as { message: string; id: string; properties: Props },
    );
    const first = double.deploymentsOf(ids.serviceId, ids.environmentId)[0]!;
    expect(failed.message).toBe(
      `Railway deployment of service "api" (deployment ${first.id}, environment ${ids.environmentId}) ended CRASHED. Read its build and deploy logs in the Railway dashboard, fix the cause, and run 'pulumi up' again: it deploys again.`,
    );
    expect(failed.id).toBe(`${ids.serviceId}:${ids.environmentId}:deployment`);
    expect(failed.properties).toMatchObject({ kind: "deployment", image: "redis:8.2", deploymentId: first.id });
    double.outcomes.set("api", "SUCCESS");
    await update("deployment", failed.id, failed.properties, inputs);
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId).map((d) => d.status)).toEqual(["CRASHED", "SUCCESS"]);
  });

  it("deployment that does not end in time: fails naming its last status and the bound", async () => {
    const ids = await scaffold();
    double.realism = { ...FULL_REALISM, deploymentPolls: 1_000 };
    process.env.PLATFORM_RAILWAY_DEPLOY_TIMEOUT_MS = "100";
    try {
      await expect(create("deployment", { ...ids, name: "api", image: "redis:8.2", digest: "d1" })).rejects.toThrow(
        /did not finish within 0 s; last status (BUILDING|DEPLOYING)\. Run 'pulumi up' again once it has ended/,
      );
    } finally {
      delete process.env.PLATFORM_RAILWAY_DEPLOY_TIMEOUT_MS;
    }
  });

  it("deployment of a repository the workflow deploys: no trigger (one deploy authority), redeploys only what already runs", async () => {
    const ids = await scaffold();
    // A trigger left from before (a copied environment, the dashboard) is removed.
    double.triggers.set("t-old", {
      id: "t-old",
      serviceId: ids.serviceId,
      environmentId: ids.environmentId,
      projectId: ids.projectId,
      branch: "main",
      repository: "acme/shop",
      checkSuites: false,
      rootDirectory: null,
      hidden: 0,
    });
    const inputs = { ...ids, name: "api", repository: "acme/shop", digest: "d1" };
    const created = await create("deployment", inputs);
    expect([...double.triggers.values()].filter((t) => t.serviceId === ids.serviceId)).toEqual([]);
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId)).toEqual([]);
    // Connected, so the workflow can deploy a commit of it; a refresh reads that back.
    const instance = double.instance(ids.serviceId, ids.environmentId)!;
    expect(instance.source).toEqual({ repo: "acme/shop", image: null });
    const refreshed = (await read("deployment", created.id, created.outs)).props;
    expect(await diff("deployment", created.id, refreshed, inputs)).toMatchObject({ changes: false });
    // Once the workflow has deployed, a configuration change redeploys it once.
    workflowDeployed(ids, instance, "first", "2026-11-01T00:00:00Z");
    await update("deployment", "x", inputs, { ...inputs, digest: "d2" });
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId).map((d) => d.cause)).toEqual(["workflow", "redeploy"]);
  });

  it("deployment of an image the workflow builds: the first build deployed; later builds the workflow deployed are kept, by refresh and by a configuration change", async () => {
    const ids = await scaffold();
    const inputs = {
      ...ids,
      name: "api",
      image: "ghcr.io/acme/api@sha256:1",
      followsWorkflow: true,
      registryCredentials: { username: "acme", password: "p1" },
      digest: "d1",
    };
    const created = await create("deployment", inputs);
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId).map((d) => d.image)).toEqual(["ghcr.io/acme/api@sha256:1"]);
    // The deploy workflow deploys a later build by digest.
    const instance = double.instance(ids.serviceId, ids.environmentId)!;
    instance.source = { repo: null, image: "ghcr.io/acme/api@sha256:2" };
    workflowDeployed(ids, instance, "wf", "2099-01-01T00:00:00Z", { image: "ghcr.io/acme/api@sha256:2" });
    // Not drift: a refresh keeps the stack's value, and the diff after it is empty.
    const refreshed = (await read("deployment", created.id, created.outs)).props;
    expect(refreshed.image).toBe("ghcr.io/acme/api@sha256:1");
    expect(await diff("deployment", created.id, refreshed, inputs)).toMatchObject({ changes: false });
    // A configuration change (new credentials) redeploys what runs, the workflow's build.
    await update("deployment", created.id, created.outs, { ...inputs, registryCredentials: { username: "acme", password: "p2" }, digest: "d2" });
    expect(instance.source).toEqual({ repo: null, image: "ghcr.io/acme/api@sha256:2" });
    expect(instance.registryCredentials).toEqual({ username: "acme", password: "p2" });
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId).at(-1)).toMatchObject({ cause: "redeploy", image: "ghcr.io/acme/api@sha256:2" });
    // Another image repository is the stack's to change: connected and deployed.
    await update("deployment", created.id, created.outs, { ...inputs, image: "ghcr.io/acme/other@sha256:9", digest: "d3" });
    expect(instance.source).toEqual({ repo: null, image: "ghcr.io/acme/other@sha256:9" });
  });

  it("deployment on Railway's own pushes (autoDeploy): a trigger on the branch that waits for CI, and one first deployment", async () => {
    const ids = await scaffold();
    const inputs = { ...ids, name: "api", repo: { repository: "acme/shop", branch: "develop", checkSuites: true, rootDirectory: "backend" }, digest: "d1" };
    await create("deployment", inputs);
    expect([...double.triggers.values()].filter((t) => t.serviceId === ids.serviceId).map((t) => [t.repository, t.branch, t.checkSuites])).toEqual([
      ["acme/shop", "develop", true],
    ]);
    expect(double.deploymentsOf(ids.serviceId, ids.environmentId).map((d) => d.cause)).toEqual(["deploy"]);
    expect(double.push("acme/shop", "develop")).toHaveLength(1);
  });
});

describe("workspaces and tokens", () => {
  it("use the token's only workspace, name the key when it sees several, and find one by name or id", async () => {
    const team = double.addWorkspace("team");
    const token = double.accountToken([double.personalWorkspace, team]);
    process.env.RAILWAY_API_TOKEN = token;
    await expect(create("project", { name: "ambiguous" })).rejects.toThrow(
      /the token sees 2 workspaces \("personal", "team"\); set platform:railway\.workspace to the one the project belongs in/,
    );
    const byName = await create("project", { name: "in-team", workspace: "team" });
    expect(double.projects.get(byName.id)!.workspaceId).toBe(team);
    expect((await create("project", { name: "in-team", workspace: team })).id).toBe(byName.id);
    await expect(create("project", { name: "x", workspace: "nope" })).rejects.toThrow(
      /platform:railway\.workspace is "nope", but the token's workspaces are "personal", "team"/,
    );
    // A workspace token reaches its own workspace without naming it.
    process.env.RAILWAY_API_TOKEN = double.workspaceToken(team);
    expect((await create("project", { name: "in-team" })).id).toBe(byName.id);
  });

  it("say which variable to set when the token is missing, a project token, or refused", async () => {
    delete process.env.RAILWAY_API_TOKEN;
    await expect(create("project", { name: "x" })).rejects.toThrow(
      'Railway create of project "x" needs a Railway account or workspace token: set RAILWAY_API_TOKEN.',
    );
    process.env.RAILWAY_TOKEN = "project-token-value";
    await expect(create("project", { name: "x" })).rejects.toThrow(/RAILWAY_TOKEN is set, but it holds a project token, which only reaches one environment/);
    delete process.env.RAILWAY_TOKEN;
    process.env.RAILWAY_API_TOKEN = "wrong-token-value";
    const refused = create("project", { name: "x" });
    await expect(refused).rejects.toThrow(/Railway refused the token in RAILWAY_API_TOKEN \(Not Authorized\)/);
    await refused.catch((err: Error) => expect(err.message).not.toContain("wrong-token-value"));
  });
});

describe("lists, late lookups and faults", () => {
  it("finds what is on a later page of every list", async () => {
    double.realism = { ...FULL_REALISM, pageSize: 1 };
    const ids = await scaffold();
    for (const name of ["a", "b", "c"]) await create("service", { projectId: ids.projectId, environmentId: ids.environmentId, name });
    expect((await create("service", { projectId: ids.projectId, environmentId: ids.environmentId, name: "c" })).id).toBe(
      double.serviceNamed(ids.projectId, "c")!.id,
    );
    for (const name of ["e1", "e2"]) await create("environment", { projectId: ids.projectId, name, ephemeral: false, prBase: false, plan: "pro" });
    expect((await create("environment", { projectId: ids.projectId, name: "e2", ephemeral: false, prBase: false, plan: "pro" })).id).toBe(
      double.environmentNamed(ids.projectId, "e2")!.id,
    );
  });

  it.each([
    ["projectCreate", "lost"],
    ["environmentCreate", "lost"],
    ["environmentCreate", "500"],
    ["serviceCreate", "lost"],
    ["serviceCreate", "drop"],
    ["volumeCreate", "lost"],
    ["serviceDomainCreate", "lost"],
    ["customDomainCreate", "500"],
    ["serviceInstanceUpdate", "lost"],
  ] as const)("a %s whose answer is %s makes exactly one object, even while new objects are slow to show in lookups", async (operation, kind) => {
    double.realism = { ...FULL_REALISM, invisibleFor: 2 };
    const ids = operation === "projectCreate" ? undefined : await scaffold();
    double.inject({ kind }, { operation });
    if (operation === "projectCreate") {
      const created = await create("project", { name: `lost-${seq++}` });
      expect([...double.projects.values()].filter((x) => x.name === created.outs.name)).toHaveLength(1);
    } else if (operation === "environmentCreate") {
      const e = await create("environment", { projectId: ids!.projectId, name: "qa", ephemeral: false, prBase: false, plan: "pro" });
      expect([...double.environments.values()].filter((x) => x.projectId === ids!.projectId && x.name === "qa").map((x) => x.id)).toEqual([e.id]);
    } else if (operation === "serviceCreate") {
      const s = await create("service", { projectId: ids!.projectId, environmentId: ids!.environmentId, name: "worker" });
      expect([...double.services.values()].filter((x) => x.projectId === ids!.projectId && x.name === "worker").map((x) => x.id)).toEqual([s.id]);
    } else if (operation === "volumeCreate") {
      const v = await create("volume", { ...ids!, name: "api", mountPath: "/data" });
      expect([...double.volumes.values()].filter((x) => x.projectId === ids!.projectId).map((x) => x.id)).toEqual([v.id]);
    } else if (operation === "serviceDomainCreate") {
      const d = await create("service-domain", { ...ids!, name: "api", targetPort: 80 });
      expect([...double.domains.values()].filter((x) => x.serviceId === ids!.serviceId).map((x) => x.id)).toEqual([d.id]);
    } else if (operation === "customDomainCreate") {
      const d = await create("custom-domain", { ...ids!, domain: `d${seq++}.example.com`, targetPort: 80 });
      expect([...double.domains.values()].filter((x) => x.serviceId === ids!.serviceId).map((x) => x.id)).toEqual([d.id]);
    } else {
      // A lost image deployment (connect and deploy in one request) is not deployed twice.
      const d = await create("deployment", { ...ids!, name: "api", image: "nginx:1", digest: "d" });
      expect(double.deploymentsOf(ids!.serviceId, ids!.environmentId).map((x) => x.id)).toEqual([d.outs.deploymentId]);
    }
    expect(double.rejected).toEqual([]);
  });

  it("retries refusals (429, honouring Retry-After) and 5xx on reads; gives up after a bounded number of attempts, naming what failed", async () => {
    const ids = await scaffold();
    double.inject({ kind: "429", retryAfter: "0" }, { operation: "domains", times: 2 });
    double.inject({ kind: "500" }, { operation: "domains" });
    await create("service-domain", { ...ids, name: "api", targetPort: 80 });
    double.inject({ kind: "500" }, { operation: "serviceInstanceUpdate", times: 50 });
    const attempt = create("service-instance", {
      serviceId: ids.serviceId,
      environmentId: ids.environmentId,
      name: "api",
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 3,
      vcpu: 1,
      memoryGb: 1,
    });
    await expect(attempt).rejects.toThrow(/^Railway create of service settings for "api" failed after 5 attempts: HTTP 500/);
    double.clearFaults();
  });
});

describe("deletes that stay in their environment", () => {
  it("removing a service from dev leaves it running in production", async () => {
    const { projectId, environmentId: dev, serviceId } = await scaffold("dev");
    const production = double.environmentNamed(projectId, "production")!.id;
    const prod = await create("service", { projectId, environmentId: production, name: "api" });
    expect(prod.id).toBe(serviceId);
    await remove("service", serviceId, { projectId, environmentId: dev, name: "api" });
    expect(double.instance(serviceId, dev)).toBeUndefined();
    expect(double.instance(serviceId, production)).toBeDefined();
    // The last environment to let it go deletes the project-wide service.
    await remove("service", serviceId, { projectId, environmentId: production, name: "api" });
    expect(double.services.has(serviceId)).toBe(false);
  });

  it("a copied environment's volume goes without the source environment's", async () => {
    const ids = await scaffold();
    const volume = await create("volume", { ...ids, name: "api", mountPath: "/data" });
    const fork = await create("environment", {
      projectId: ids.projectId,
      name: "pr-5",
      sourceEnvironment: "staging",
      ephemeral: true,
      prBase: false,
      plan: "pro",
    });
    const copied = await create("volume", { ...ids, environmentId: fork.id, name: "api", mountPath: "/data" });
    expect(copied.id).toBe(volume.id);
    await remove("volume", copied.id, copied.outs);
    expect(double.volumeInstanceOf(ids.serviceId, ids.environmentId)?.mountPath).toBe("/data");
    expect(double.volumeInstanceOf(ids.serviceId, fork.id)).toBeUndefined();
  });
});
