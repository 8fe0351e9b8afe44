// The generated deploy job's scripts, run as a GitHub runner runs them (tests/github/runner.ts)
// against the Railway double with the environment's project token: what it deploys, that it waits
// for each new deployment's own status, that health and smoke run only after SUCCESS, and that a
// failure, a timeout or a cancellation rolls every service back, reporting GraphQL errors and
// carrying on past them.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deployWorkflow, type DeployModel, type DeployService } from "../../components/github/workflows";
import { RailwayDouble } from "../railway/double";
import { runJob, type JobContexts, type JobResult } from "./runner";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const DIGEST = `sha256:${"ab".repeat(32)}`;

let double: RailwayDouble;
let app: Server;
let appUrl: string;
/** What the application's endpoints saw: each request, with the double's deployments' statuses at that moment. */
let requests: Array<{ path: string; statuses: Record<string, string> }>;
let healthStatus = 200;

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(double.url!, {
    method: "POST",
    headers: { authorization: `Bearer ${double.token}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

interface World {
  projectId: string;
  environmentId: string;
  token: string;
  /** Service id and the deployment running before the job, by name. */
  services: Record<string, { id: string; previous?: string }>;
}

/** A Railway project whose services already run a SUCCESS deployment (or none, for `fresh`). */
async function world(names: { name: string; source: { repo?: string; image?: string }; fresh?: boolean }[]): Promise<World> {
  const project = await graphql<{ projectCreate: { id: string } }>(
    `
      mutation ($input: ProjectCreateInput!) {
        projectCreate(input: $input) {
          id
        }
      }
    `,
    { input: { name: `p-${Math.random().toString(36).slice(2, 8)}` } },
  );
  const projectId = project.projectCreate.id;
  const environmentId = [...double.environments.values()].find((e) => e.projectId === projectId)!.id;
  const services: World["services"] = {};
  for (const s of names) {
    const created = await graphql<{ serviceCreate: { id: string } }>(
      `
        mutation ($input: ServiceCreateInput!) {
          serviceCreate(input: $input) {
            id
          }
        }
      `,
      {
        input: { projectId, name: s.name, ...(s.fresh ? {} : { source: s.source }) },
      },
    );
    const id = created.serviceCreate.id;
    if (s.fresh) {
      await graphql(
        `
          mutation ($s: String!, $e: String!, $input: ServiceInstanceUpdateInput!) {
            serviceInstanceUpdate(serviceId: $s, environmentId: $e, input: $input)
          }
        `,
        { s: id, e: environmentId, input: { source: s.source } },
      );
    }
    // What ran before: settled.
    const previous = [...double.deployments.values()].find((d) => d.serviceId === id);
    if (previous) previous.status = "SUCCESS";
    services[s.name] = { id, ...(previous ? { previous: previous.id } : {}) };
  }
  return { projectId, environmentId, token: double.projectToken(projectId, environmentId), services };
}

function model(services: DeployService[], smoke?: string): DeployModel {
  return { environment: "production", branch: "main", services, ...(smoke ? { smoke } : {}) };
}

const api: DeployService = { name: "api", healthcheckPath: "/health", healthcheckTimeoutSeconds: 2 };
const web: DeployService = { name: "web", healthcheckTimeoutSeconds: 2 };

function run(w: World, m: DeployModel, extra: Partial<JobContexts> = {}): Promise<JobResult> {
  const job = deployWorkflow(m).jobs.deploy!;
  return runJob(job, {
    sha: SHA,
    secrets: { RAILWAY_TOKEN: w.token },
    vars: { API_URL: appUrl, WEB_URL: appUrl },
    ...extra,
    envOverrides: { RAILWAY_API_URL: double.url!, POLL_SECONDS: "0", ...extra.envOverrides },
  });
}

const outcome = (r: JobResult, name: string) => r.steps.find((s) => s.name === name)?.outcome;
const deploymentsOf = (serviceId: string) =>
  [...double.deployments.values()].filter((d) => d.serviceId === serviceId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

beforeAll(async () => {
  double = new RailwayDouble();
  await double.start();
  app = createServer((req, res) => {
    const statuses = Object.fromEntries([...double.deployments.values()].map((d) => [d.id, d.status]));
    requests.push({ path: req.url ?? "", statuses });
    res.writeHead(req.url === "/health" ? healthStatus : 200).end("ok");
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await double.stop();
});

beforeEach(() => {
  requests = [];
  healthStatus = 200;
  double.outcomes.clear();
  double.realism.deploymentPolls = 2;
});

describe("the deploy job", () => {
  it("deploys the checked-out commit of every service, waits for SUCCESS, then checks health and runs the smoke test against the new deployments", async () => {
    const w = await world([
      { name: "api", source: { repo: "acme/app" } },
      { name: "web", source: { repo: "acme/app" } },
    ]);
    const r = await run(w, model([api, web], 'curl -fsS "$API_URL/smoke"'));
    expect(r.conclusion, JSON.stringify(r.steps, null, 1)).toBe("success");
    expect(outcome(r, "Roll back")).toBe("skipped");
    const fresh = Object.values(w.services).map((s) => deploymentsOf(s.id).at(-1)!);
    for (const d of fresh) expect(d).toMatchObject({ commitSha: SHA, cause: "deploy", status: "SUCCESS" });
    // Health and smoke saw the new deployments already live; smoke came after health.
    const health = requests.findIndex((q) => q.path === "/health");
    const smoke = requests.findIndex((q) => q.path === "/smoke");
    expect(health).toBeGreaterThanOrEqual(0);
    expect(smoke).toBeGreaterThan(health);
    for (const d of fresh) expect(requests[smoke]!.statuses[d.id]).toBe("SUCCESS");
    expect(r.steps.find((s) => s.name === "Wait for the new deployments")!.order).toBeLessThan(r.steps.find((s) => s.name === "Smoke test")!.order);
    // The token reaches only its environment: every request went out with it.
    expect(double.requests.filter((q) => q.token === w.token).length).toBeGreaterThan(0);
  });

  it("rolls every service back when one deployment FAILS, and never runs the health check or the smoke test", async () => {
    const w = await world([
      { name: "api", source: { repo: "acme/app" } },
      { name: "web", source: { repo: "acme/app" } },
    ]);
    double.outcomes.set("web", "FAILED");
    const r = await run(w, model([api, web], 'curl -fsS "$API_URL/smoke"'));
    expect(r.conclusion).toBe("failure");
    expect(outcome(r, "Wait for the new deployments")).toBe("failure");
    expect(r.steps.find((s) => s.name === "Wait for the new deployments")!.stderr).toMatch(/web: deployment \S+ ended FAILED/);
    expect(outcome(r, "Check health")).toBe("skipped");
    expect(outcome(r, "Smoke test")).toBe("skipped");
    expect(requests).toEqual([]);
    expect(outcome(r, "Roll back")).toBe("success");
    for (const [, s] of Object.entries(w.services)) {
      const last = deploymentsOf(s.id).at(-1)!;
      expect(last).toMatchObject({ cause: "rollback", rollbackOf: s.previous });
    }
    expect(r.summary).toContain("- rolled back: api web");
    expect(r.summary).toContain("- could not be rolled back: none");
  });

  it("reports a GraphQL error during the rollback (HTTP 200 with errors), carries on with the other services, and fails naming what could not be rolled back", async () => {
    const w = await world([
      { name: "api", source: { repo: "acme/app" } },
      { name: "web", source: { repo: "acme/app" } },
    ]);
    double.outcomes.set("api", "CRASHED");
    double.inject({ kind: "graphql", message: "Deployment cannot be rolled back" }, { operation: "deploymentRollback", times: 1 });
    const r = await run(w, model([api, web]));
    const rollback = r.steps.find((s) => s.name === "Roll back")!;
    expect(rollback.outcome).toBe("failure");
    expect(rollback.stderr).toContain("Railway API error: Deployment cannot be rolled back");
    expect(rollback.stderr).toContain("api: could not roll back");
    expect(deploymentsOf(w.services.web!.id).at(-1)).toMatchObject({ cause: "rollback", rollbackOf: w.services.web!.previous });
    expect(deploymentsOf(w.services.api!.id).at(-1)!.cause).not.toBe("rollback");
    expect(r.summary).toContain("- rolled back: web");
    expect(r.summary).toContain("- could not be rolled back: api");
  });

  it("rolls back when the deployments are not live in time", async () => {
    const w = await world([{ name: "api", source: { repo: "acme/app" } }]);
    double.realism.deploymentPolls = 1_000_000;
    const r = await run(w, model([api]), { envOverrides: { DEPLOY_WAIT_SECONDS: "1", POLL_SECONDS: "0.2" } });
    expect(r.steps.find((s) => s.name === "Wait for the new deployments")!.stderr).toMatch(/Not live within 1 s: api/);
    expect(deploymentsOf(w.services.api!.id).at(-1)).toMatchObject({ cause: "rollback", rollbackOf: w.services.api!.previous });
  });

  it("rolls back when the run is cancelled after the deploy started", async () => {
    const w = await world([{ name: "api", source: { repo: "acme/app" } }]);
    const r = await run(w, model([api]), { cancelAfter: "Deploy" });
    expect(r.conclusion).toBe("cancelled");
    expect(outcome(r, "Wait for the new deployments")).toBe("skipped");
    expect(outcome(r, "Roll back")).toBe("success");
    expect(deploymentsOf(w.services.api!.id).at(-1)).toMatchObject({ cause: "rollback", rollbackOf: w.services.api!.previous });
  });

  it("rolls back when the health check does not pass in time", async () => {
    const w = await world([{ name: "api", source: { repo: "acme/app" } }]);
    healthStatus = 503;
    const r = await run(w, model([api], 'curl -fsS "$API_URL/smoke"'));
    expect(r.steps.find((s) => s.name === "Check health")!.stderr).toMatch(/api: http:\/\/127\.0\.0\.1:\d+\/health did not answer within 2 s/);
    expect(outcome(r, "Smoke test")).toBe("skipped");
    expect(deploymentsOf(w.services.api!.id).at(-1)!.cause).toBe("rollback");
  });

  it("says so when a service has no earlier deployment to return to", async () => {
    const w = await world([{ name: "api", source: { repo: "acme/app" }, fresh: true }]);
    double.outcomes.set("api", "FAILED");
    const r = await run(w, model([api]));
    expect(outcome(r, "Roll back")).toBe("success");
    expect(r.summary).toContain("- had no earlier deployment: api");
  });

  it("deploys an image service by the digest its build step pushed", async () => {
    const w = await world([{ name: "api", source: { image: "ghcr.io/acme/api@sha256:" + "00".repeat(32) } }]);
    const built: DeployService = { ...api, build: { context: ".", dockerfile: "Dockerfile", image: "ghcr.io/acme/api" } };
    const r = await run(w, model([built]), { stepOutputs: { "build-api": { digest: DIGEST } } });
    expect(r.conclusion, JSON.stringify(r.steps, null, 1)).toBe("success");
    expect(double.instances.get(`${w.services.api!.id}:${w.environmentId}`)!.source).toEqual({ repo: null, image: `ghcr.io/acme/api@${DIGEST}` });
    expect(deploymentsOf(w.services.api!.id).at(-1)).toMatchObject({ image: `ghcr.io/acme/api@${DIGEST}`, status: "SUCCESS" });
  });

  it("fails before deploying anything when a service is not in the environment", async () => {
    const w = await world([{ name: "api", source: { repo: "acme/app" } }]);
    const r = await run(w, model([api, { ...web, name: "worker" }]));
    expect(r.steps.find((s) => s.name === "Record what runs now")!.stderr).toContain("Service 'worker' is not in this Railway environment");
    expect(outcome(r, "Deploy")).toBe("skipped");
    // Nothing new was deployed; the rollback returned api to what it ran.
    expect(deploymentsOf(w.services.api!.id).map((d) => d.cause)).toEqual(["create", "rollback"]);
  });
});

describe("hostile values in the deploy job stay data", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const marker = () => path.join(dir, "marker");
  const hostile = () => [
    `/$(touch ${marker()})`,
    `/\`touch ${marker()}\``,
    `/';touch ${marker()};'`,
    `/";touch ${marker()};"`,
    `/x\ntouch ${marker()}`,
    `/$(touch\${IFS}${marker()})`,
  ];

  it("a health-check path and an environment name holding shell text execute nothing", async () => {
    // Each value in a project of its own, all at once: most of each run is its health check's wait.
    const runs = await Promise.all(
      hostile().map(async (value) => {
        const w = await world([{ name: "api", source: { repo: "acme/app" } }]);
        return { value, r: await run(w, { ...model([{ ...api, healthcheckPath: value, healthcheckTimeoutSeconds: 1 }]), environment: value }) };
      }),
    );
    expect(existsSync(marker())).toBe(false);
    for (const { value, r } of runs) {
      // The value travelled as data: into the health check's URL, and into the rollback's summary when that ran.
      expect(r.steps.find((s) => s.name === "Record what runs now")!.outcome, value).toBe("success");
      if (outcome(r, "Roll back") === "success") expect(r.summary).toContain(`### Deploy to ${value} failed`);
    }
  });
});
