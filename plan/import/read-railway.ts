// Reading a Railway environment for `npm run import`: its project, services (settings, limits,
// variables, domains, deploy triggers, volumes) through the provider's own client. I/O only; the
// mapping to config is ./map.ts.
import { ctx as railwayCtx, all, railway, type RequestContext } from "../../components/railway/api";
import { gql } from "../../components/railway/documents";
import { UserError } from "../../config/errors";

type Props = Record<string, any>;

export interface LiveService {
  readonly id: string;
  readonly name: string;
  readonly instance: Props;
  readonly limits: { vCPUs?: number; memoryGB?: number } | null;
  readonly tcpProxies: Array<{ applicationPort: number; proxyPort: number; domain: string }>;
  readonly variables: Record<string, string>;
  readonly domains: { customDomains: Array<{ domain: string }>; serviceDomains: Array<{ domain: string; targetPort: number | null }> };
  readonly volume?: string;
  readonly triggers: Array<{ repository: string; branch: string; checkSuites: boolean }>;
}

export interface LiveRailway {
  readonly project: { id: string; name: string; workspaceId: string };
  readonly environment: { id: string; name: string };
  readonly services: LiveService[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findProject(wanted: string, c: RequestContext): Promise<{ id: string; name: string; workspaceId: string }> {
  if (UUID.test(wanted)) {
    const p = (await railway<{ project: { id: string; name: string; workspaceId: string } }>(gql.PROJECT, { id: wanted }, c)).project;
    return p;
  }
  let workspaces: Array<string | null>;
  try {
    workspaces = (await railway<{ me: { workspaces: Array<{ id: string }> } }>(gql.ME_WORKSPACES, {}, c)).me.workspaces.map((w) => w.id);
  } catch (err) {
    // A workspace token has no user: it sees its own workspace.
    if (!/Not Authorized/.test((err as Error).message)) throw err;
    workspaces = [null];
  }
  const found: Array<{ id: string; name: string; workspaceId: string }> = [];
  for (const workspaceId of workspaces) {
    const projects = await all<{ id: string; name: string; workspaceId: string }, { projects: any }>(gql.PROJECTS, { workspaceId }, c, (d) => d.projects);
    found.push(...projects.filter((p) => p.name === wanted));
  }
  if (found.length === 0)
    throw new UserError(
      `--railway-project ${JSON.stringify(wanted)}: the token sees no Railway project of that name. Give its name exactly, or its id (the dashboard URL's project/<id>).`,
    );
  if (found.length > 1)
    throw new UserError(
      `--railway-project ${JSON.stringify(wanted)}: the token sees ${found.length} projects of that name; give the id of the one to import (${found.map((p) => p.id).join(", ")}).`,
    );
  return found[0]!;
}

export async function readRailway(projectName: string, environmentName: string): Promise<LiveRailway> {
  const c = railwayCtx("project", projectName, "import");
  const project = await findProject(projectName, c);
  const environments = await all<{ id: string; name: string }, { environments: any }>(gql.ENVIRONMENTS, { projectId: project.id }, c, (d) => d.environments);
  const environment = environments.find((e) => e.name === environmentName);
  if (!environment) {
    throw new UserError(
      `--railway-environment ${JSON.stringify(environmentName)}: project ${JSON.stringify(project.name)} has no such environment; it has ${environments.map((e) => JSON.stringify(e.name)).join(", ") || "none"}.`,
    );
  }
  const instances = await all<{ serviceId: string; serviceName: string }, { environment: any }>(
    gql.ENVIRONMENT_SERVICES,
    { id: environment.id },
    c,
    (d) => d.environment.serviceInstances,
  );
  const volumes = await all<{ serviceId: string | null; mountPath: string }, { environment: any }>(
    gql.ENVIRONMENT_VOLUMES,
    { id: environment.id },
    c,
    (d) => d.environment.volumeInstances,
  );
  const services: LiveService[] = [];
  for (const { serviceId, serviceName } of instances) {
    const sc = railwayCtx("service", serviceName, "import");
    const ids = { projectId: project.id, environmentId: environment.id, serviceId };
    const data = await railway<{ serviceInstance: Props; serviceInstanceLimits: Props | null; tcpProxies: LiveService["tcpProxies"] }>(
      gql.IMPORT_SERVICE,
      { serviceId, environmentId: environment.id },
      sc,
    );
    const variables = (await railway<{ variables: Record<string, string> }>(gql.VARIABLES, ids, sc)).variables;
    const domains = (await railway<{ domains: LiveService["domains"] }>(gql.DOMAINS, ids, sc)).domains;
    const triggers = await all<LiveService["triggers"][number], { deploymentTriggers: any }>(gql.DEPLOYMENT_TRIGGERS, ids, sc, (d) => d.deploymentTriggers);
    const volume = volumes.find((v) => v.serviceId === serviceId)?.mountPath;
    services.push({
      id: serviceId,
      name: serviceName,
      instance: data.serviceInstance,
      limits: data.serviceInstanceLimits as LiveService["limits"],
      tcpProxies: data.tcpProxies,
      variables: Object.fromEntries(Object.entries(variables).filter(([k]) => !k.startsWith("RAILWAY_"))),
      domains,
      ...(volume ? { volume } : {}),
      triggers,
    });
  }
  return { project, environment, services };
}
