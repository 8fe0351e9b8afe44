// Dynamic providers for Railway: one per kind of object, each a plain object of async methods.
// Pulumi serializes each provider into its resources' state and runs it in another process, so
// everything here is self-contained: no SDK values, no module state, credentials read per call.
import type * as pulumi from "@pulumi/pulumi";
import { createOnceOnRailway as createOnce, isRailwayApiError, railwayRequest, type RequestContext } from "./client";
import { providerForKinds, unlessNotFound } from "../dynamic";
import { gql } from "./documents";

type Props = Record<string, any>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Props)[k])]));
  }
  return value ?? null;
}

/** Compares the input keys of old state and new inputs: which changed, and which of those replace. */
export function diffInputs(olds: Props, news: Props, inputKeys: readonly string[], replaceKeys: readonly string[]): pulumi.dynamic.DiffResult {
  const changed = inputKeys.filter((k) => !same(olds[k], news[k]));
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

function ctx(kind: string, name: unknown, operation: string): RequestContext {
  return { resource: `${kind} ${JSON.stringify(name)}`, operation };
}

interface Edges<T> {
  edges: Array<{ node: T }>;
}
const nodes = <T>(c: Edges<T> | undefined | null): T[] => (c?.edges ?? []).map((e) => e.node);

/** Reads something that may be gone: undefined when Railway says it is not found. */
const readOrGone = <T>(run: () => Promise<T>) => unlessNotFound(run, (err) => isRailwayApiError(err) && err.notFound);

/** Runs a delete; something already gone counts as deleted. */
const deleteIfPresent = (run: () => Promise<unknown>) => readOrGone(run).then(() => undefined);

// ---------------------------------------------------------------------------------------------
// Project: found by name or created. Shared by every stack, so its resources retain it on delete.

const PROJECT_INPUTS = ["name", "workspaceId", "prDeploys"] as const;

export const projectProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, PROJECT_INPUTS, ["name", "workspaceId"]);
  },
  async create(inputs) {
    const c = ctx("project", inputs.name, "create");
    const lookup = async () => {
      const data = await railwayRequest<{ projects: Edges<{ id: string; name: string }> }>(gql.PROJECTS, {}, c);
      return nodes(data.projects).find((p) => p.name === inputs.name)?.id;
    };
    let id = await lookup();
    if (id === undefined) {
      id = await createOnce(lookup, async () => {
        const input = pick(inputs, ["name", "workspaceId", "prDeploys"]);
        const data = await railwayRequest<{ projectCreate: { id: string } }>(gql.PROJECT_CREATE, { input }, c, { write: true });
        return data.projectCreate.id;
      });
    } else if (inputs.prDeploys !== undefined) {
      await railwayRequest(gql.PROJECT_UPDATE, { id, input: { prDeploys: inputs.prDeploys } }, c);
    }
    return { id, outs: { ...inputs, projectId: id } };
  },
  async read(id, props) {
    const data = await readOrGone(() => railwayRequest<{ project: { id: string; name: string; prDeploys: boolean } }>(gql.PROJECT, { id }, ctx("project", props?.name, "read")));
    if (!data) return {};
    const p = data.project;
    return { id, props: { ...props, name: p.name, ...(props?.prDeploys !== undefined ? { prDeploys: p.prDeploys } : {}), projectId: id } };
  },
  async update(id, _olds, news) {
    if (news.prDeploys !== undefined) {
      await railwayRequest(gql.PROJECT_UPDATE, { id, input: { prDeploys: news.prDeploys } }, ctx("project", news.name, "update"));
    }
    return { outs: { ...news, projectId: id } };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.PROJECT_DELETE, { id }, ctx("project", props.name, "delete")));
  },
};

// ---------------------------------------------------------------------------------------------
// Environment: one per stack; may fork another (preview stacks) and may be the PR base.

const ENVIRONMENT_INPUTS = ["projectId", "name", "sourceEnvironmentName", "ephemeral", "prBase"] as const;

async function environmentsOf(projectId: string, c: RequestContext) {
  const data = await railwayRequest<{ environments: Edges<{ id: string; name: string; isEphemeral: boolean }> }>(gql.ENVIRONMENTS, { projectId }, c);
  return nodes(data.environments);
}

export const environmentProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, ENVIRONMENT_INPUTS, ["projectId", "name", "sourceEnvironmentName", "ephemeral"]);
  },
  async create(inputs) {
    const c = ctx("environment", inputs.name, "create");
    const existing = await environmentsOf(inputs.projectId, c);
    let id = existing.find((e) => e.name === inputs.name)?.id;
    if (id === undefined) {
      let sourceEnvironmentId: string | undefined;
      if (inputs.sourceEnvironmentName) {
        sourceEnvironmentId = existing.find((e) => e.name === inputs.sourceEnvironmentName)?.id;
        if (!sourceEnvironmentId) {
          throw new Error(`Railway create of environment ${JSON.stringify(inputs.name)} failed: its source environment ${JSON.stringify(inputs.sourceEnvironmentName)} does not exist in the project; deploy that stack first.`);
        }
      }
      const input = { projectId: inputs.projectId, name: inputs.name, ephemeral: inputs.ephemeral === true, ...(sourceEnvironmentId ? { sourceEnvironmentId } : {}) };
      id = await createOnce(
        async () => (await environmentsOf(inputs.projectId, c)).find((e) => e.name === inputs.name)?.id,
        async () => (await railwayRequest<{ environmentCreate: { id: string } }>(gql.ENVIRONMENT_CREATE, { input }, c, { write: true })).environmentCreate.id,
      );
    }
    if (inputs.prBase) await railwayRequest(gql.PROJECT_UPDATE, { id: inputs.projectId, input: { baseEnvironmentId: id } }, c);
    return { id, outs: { ...inputs, environmentId: id } };
  },
  async read(id, props) {
    const env = (await readOrGone(() => environmentsOf(props!.projectId, ctx("environment", props?.name, "read"))))?.find((e) => e.id === id);
    if (!env) return {};
    return { id, props: { ...props, name: env.name, ephemeral: env.isEphemeral, environmentId: id } };
  },
  async update(id, _olds, news) {
    if (news.prBase) await railwayRequest(gql.PROJECT_UPDATE, { id: news.projectId, input: { baseEnvironmentId: id } }, ctx("environment", news.name, "update"));
    return { outs: { ...news, environmentId: id } };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.ENVIRONMENT_DELETE, { id }, ctx("environment", props.name, "delete")));
  },
};

// ---------------------------------------------------------------------------------------------
// Service: project-wide in Railway, so found by name or created; this environment's deploy
// trigger (repository and branch) belongs to this resource, and delete removes it from this
// environment only.

const SERVICE_INPUTS = ["projectId", "environmentId", "name", "repo", "branch"] as const;

interface ServiceNode {
  id: string;
  name: string;
  repoTriggers: Edges<{ id: string; environmentId: string; branch: string; repository: string }>;
}

async function servicesOf(projectId: string, c: RequestContext): Promise<ServiceNode[]> {
  const data = await railwayRequest<{ project: { services: Edges<ServiceNode> } }>(gql.PROJECT_SERVICES, { id: projectId }, c);
  return nodes(data.project.services);
}

async function ensureTrigger(service: ServiceNode, inputs: Props, c: RequestContext): Promise<void> {
  if (!inputs.repo) return;
  const trigger = nodes(service.repoTriggers).find((t) => t.environmentId === inputs.environmentId);
  if (!trigger) {
    await railwayRequest(
      gql.DEPLOYMENT_TRIGGER_CREATE,
      { input: { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: service.id, repository: inputs.repo, branch: inputs.branch, provider: "github" } },
      c,
    );
  } else if (trigger.branch !== inputs.branch || trigger.repository !== inputs.repo) {
    await railwayRequest(gql.DEPLOYMENT_TRIGGER_UPDATE, { id: trigger.id, input: { branch: inputs.branch, repository: inputs.repo } }, c);
  }
}

export const serviceProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, SERVICE_INPUTS, ["projectId", "environmentId", "name"]);
  },
  async create(inputs) {
    const c = ctx("service", inputs.name, "create");
    const find = async () => (await servicesOf(inputs.projectId, c)).find((s) => s.name === inputs.name);
    const existing = await find();
    if (existing) {
      await ensureTrigger(existing, inputs, c);
      return { id: existing.id, outs: { ...inputs, serviceId: existing.id } };
    }
    const input = {
      projectId: inputs.projectId,
      environmentId: inputs.environmentId,
      name: inputs.name,
      ...(inputs.repo ? { source: { repo: inputs.repo }, branch: inputs.branch } : {}),
    };
    const id = await createOnce(
      async () => (await find())?.id,
      async () => (await railwayRequest<{ serviceCreate: { id: string } }>(gql.SERVICE_CREATE, { input }, c, { write: true })).serviceCreate.id,
    );
    return { id, outs: { ...inputs, serviceId: id } };
  },
  async read(id, props) {
    const c = ctx("service", props?.name, "read");
    const service = (await readOrGone(() => servicesOf(props!.projectId, c)))?.find((s) => s.id === id);
    if (!service) return {};
    const trigger = nodes(service.repoTriggers).find((t) => t.environmentId === props!.environmentId);
    return {
      id,
      props: { ...props, name: service.name, ...(trigger ? { repo: trigger.repository, branch: trigger.branch } : {}), serviceId: id },
    };
  },
  async update(id, _olds, news) {
    const c = ctx("service", news.name, "update");
    const service = (await servicesOf(news.projectId, c)).find((s) => s.id === id);
    if (!service) throw new Error(`Railway update of service ${JSON.stringify(news.name)} failed: it no longer exists; run 'pulumi refresh' and then 'pulumi up'.`);
    await ensureTrigger(service, news, c);
    return { outs: { ...news, serviceId: id } };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.SERVICE_DELETE, { id, environmentId: props.environmentId }, ctx("service", props.name, "delete")));
  },
};

// ---------------------------------------------------------------------------------------------
// Service instance: a service's settings in one environment, and its per-replica limits.

const INSTANCE_SETTINGS = [
  "source",
  "rootDirectory",
  "dockerfilePath",
  "numReplicas",
  "multiRegionConfig",
  "region",
  "healthcheckPath",
  "healthcheckTimeout",
  "restartPolicyType",
  "restartPolicyMaxRetries",
  "startCommand",
] as const;
const INSTANCE_LIMITS = ["vcpu", "memoryGb"] as const;
const INSTANCE_INPUTS = ["serviceId", "environmentId", "name", ...INSTANCE_SETTINGS, ...INSTANCE_LIMITS] as const;

/** The ServiceInstanceUpdateInput for these settings: absent ones are sent as null, which clears them. */
export function instanceUpdateInput(inputs: Props): Props {
  const input: Props = {};
  for (const key of INSTANCE_SETTINGS) input[key] = inputs[key] ?? null;
  // Railway takes either a replica count in one region or a per-region map.
  if (inputs.multiRegionConfig) {
    delete input.numReplicas;
    delete input.region;
  } else delete input.multiRegionConfig;
  return input;
}

async function writeSettings(inputs: Props, c: RequestContext): Promise<void> {
  await railwayRequest(gql.SERVICE_INSTANCE_UPDATE, { serviceId: inputs.serviceId, environmentId: inputs.environmentId, input: instanceUpdateInput(inputs) }, c);
}

async function writeLimits(inputs: Props, c: RequestContext): Promise<void> {
  await railwayRequest(
    gql.SERVICE_INSTANCE_LIMITS_UPDATE,
    { input: { serviceId: inputs.serviceId, environmentId: inputs.environmentId, vCPUs: inputs.vcpu, memoryGB: inputs.memoryGb } },
    c,
  );
}

export const serviceInstanceProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, INSTANCE_INPUTS, ["serviceId", "environmentId"]);
  },
  async create(inputs) {
    const c = ctx("service settings for", inputs.name, "create");
    await writeSettings(inputs, c);
    await writeLimits(inputs, c);
    return { id: `${inputs.serviceId}:${inputs.environmentId}`, outs: inputs };
  },
  async read(id, props) {
    const c = ctx("service settings for", props?.name, "read");
    const data = await readOrGone(() =>
      railwayRequest<{ serviceInstance: Props; serviceInstanceLimits: { vCPUs?: number; memoryGB?: number } | null }>(
        gql.SERVICE_INSTANCE,
        { serviceId: props!.serviceId, environmentId: props!.environmentId },
        c,
      ),
    );
    if (!data) return {};
    const si = data.serviceInstance;
    const read: Props = { ...props };
    for (const key of INSTANCE_SETTINGS) {
      if (key === "multiRegionConfig") continue;
      if (key === "source") read.source = si.source ? pick(si.source, ["repo", "image"]) : undefined;
      else if (!(props?.multiRegionConfig && (key === "numReplicas" || key === "region"))) read[key] = si[key] ?? undefined;
    }
    if (data.serviceInstanceLimits) {
      read.vcpu = data.serviceInstanceLimits.vCPUs;
      read.memoryGb = data.serviceInstanceLimits.memoryGB;
    }
    return { id, props: read };
  },
  async update(_id, olds, news) {
    const c = ctx("service settings for", news.name, "update");
    if (INSTANCE_SETTINGS.some((k) => !same(olds[k], news[k]))) await writeSettings(news, c);
    if (INSTANCE_LIMITS.some((k) => !same(olds[k], news[k]))) await writeLimits(news, c);
    return { outs: news };
  },
  // Settings live and die with the service in its environment: nothing to delete on their own.
  async delete() {},
};

// ---------------------------------------------------------------------------------------------
// Variables: all of a service's variables in one environment, written in one call that replaces
// the whole set, so a variable removed from config disappears.

const VARIABLE_INPUTS = ["projectId", "environmentId", "serviceId", "name", "variables", "secrets"] as const;

function upsertVariables(inputs: Props, variables: Record<string, string>, operation: string) {
  return railwayRequest(
    gql.VARIABLE_COLLECTION_UPSERT,
    { input: { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, variables, replace: true } },
    ctx("variables of service", inputs.name, operation),
  );
}

export const variablesProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, VARIABLE_INPUTS, ["projectId", "environmentId", "serviceId"]);
  },
  async create(inputs) {
    await upsertVariables(inputs, { ...inputs.variables, ...inputs.secrets }, "create");
    return { id: `${inputs.serviceId}:${inputs.environmentId}:variables`, outs: inputs };
  },
  async read(id, props) {
    const data = await readOrGone(() =>
      railwayRequest<{ variables: Record<string, string> }>(
        gql.VARIABLES,
        { projectId: props!.projectId, environmentId: props!.environmentId, serviceId: props!.serviceId },
        ctx("variables of service", props?.name, "read"),
      ),
    );
    if (!data) return {};
    // Railway adds its own RAILWAY_* variables; only the rest are ours, secret where the state says so.
    const secretNames = new Set(Object.keys(props?.secrets ?? {}));
    const ours = Object.entries(data.variables).filter(([k]) => !k.startsWith("RAILWAY_"));
    return {
      id,
      props: { ...props, variables: Object.fromEntries(ours.filter(([k]) => !secretNames.has(k))), secrets: Object.fromEntries(ours.filter(([k]) => secretNames.has(k))) },
    };
  },
  async update(_id, _olds, news) {
    await upsertVariables(news, { ...news.variables, ...news.secrets }, "update");
    return { outs: news };
  },
  async delete(_id, props) {
    await deleteIfPresent(() => upsertVariables(props, {}, "delete"));
  },
};

// ---------------------------------------------------------------------------------------------
// Domains: a custom domain, and the service's generated *.up.railway.app domain.

interface DomainNode {
  id: string;
  domain: string;
  targetPort: number | null;
}

async function domainsOf(inputs: Props, c: RequestContext) {
  const data = await railwayRequest<{ domains: { customDomains: DomainNode[]; serviceDomains: DomainNode[] } }>(
    gql.DOMAINS,
    { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId },
    c,
  );
  return data.domains;
}

const CUSTOM_DOMAIN_INPUTS = ["projectId", "environmentId", "serviceId", "domain", "targetPort"] as const;

export const customDomainProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: { ...news, domain: String(news.domain).toLowerCase() } };
  },
  async diff(_id, olds, news) {
    return diffInputs(olds, news, CUSTOM_DOMAIN_INPUTS, ["projectId", "environmentId", "serviceId", "domain"]);
  },
  async create(inputs) {
    const c = ctx("custom domain", inputs.domain, "create");
    const input = pick(inputs, CUSTOM_DOMAIN_INPUTS);
    const id = await createOnce(
      async () => (await domainsOf(inputs, c)).customDomains.find((d) => d.domain === inputs.domain)?.id,
      async () => (await railwayRequest<{ customDomainCreate: { id: string } }>(gql.CUSTOM_DOMAIN_CREATE, { input }, c, { write: true })).customDomainCreate.id,
    );
    return { id, outs: inputs };
  },
  async read(id, props) {
    const found = (await readOrGone(() => domainsOf(props!, ctx("custom domain", props?.domain, "read"))))?.customDomains.find((d) => d.id === id);
    if (!found) return {};
    return { id, props: { ...props, domain: found.domain, targetPort: found.targetPort ?? undefined } };
  },
  async update(id, _olds, news) {
    await railwayRequest(gql.CUSTOM_DOMAIN_UPDATE, { id, environmentId: news.environmentId, targetPort: news.targetPort ?? null }, ctx("custom domain", news.domain, "update"));
    return { outs: news };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.CUSTOM_DOMAIN_DELETE, { id }, ctx("custom domain", props.domain, "delete")));
  },
};

const SERVICE_DOMAIN_INPUTS = ["projectId", "environmentId", "serviceId", "name", "targetPort"] as const;

export const serviceDomainProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, SERVICE_DOMAIN_INPUTS, ["projectId", "environmentId", "serviceId"]);
  },
  async create(inputs) {
    const c = ctx("Railway domain of service", inputs.name, "create");
    const input = pick(inputs, ["environmentId", "serviceId", "targetPort"]);
    const created = await createOnce(
      async () => (await domainsOf(inputs, c)).serviceDomains[0],
      async () => (await railwayRequest<{ serviceDomainCreate: DomainNode }>(gql.SERVICE_DOMAIN_CREATE, { input }, c, { write: true })).serviceDomainCreate,
    );
    return { id: created.id, outs: { ...inputs, domain: created.domain } };
  },
  async read(id, props) {
    const found = (await readOrGone(() => domainsOf(props!, ctx("Railway domain of service", props?.name, "read"))))?.serviceDomains.find((d) => d.id === id);
    if (!found) return {};
    return { id, props: { ...props, domain: found.domain, targetPort: found.targetPort ?? undefined } };
  },
  async update(id, olds, news) {
    await railwayRequest(
      gql.SERVICE_DOMAIN_UPDATE,
      { input: { serviceDomainId: id, domain: olds.domain, environmentId: news.environmentId, serviceId: news.serviceId, targetPort: news.targetPort ?? null } },
      ctx("Railway domain of service", news.name, "update"),
    );
    return { outs: { ...news, domain: olds.domain } };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.SERVICE_DOMAIN_DELETE, { id }, ctx("Railway domain of service", props.name, "delete")));
  },
};

// ---------------------------------------------------------------------------------------------
// Volume: a service's persistent disk in one environment.

const VOLUME_INPUTS = ["projectId", "environmentId", "serviceId", "name", "mountPath"] as const;

interface VolumeNode {
  id: string;
  volumeInstances: Edges<{ id: string; serviceId: string | null; environmentId: string; mountPath: string }>;
}

async function volumeOf(inputs: Props, c: RequestContext): Promise<{ volume: VolumeNode; mountPath: string } | undefined> {
  const data = await railwayRequest<{ project: { volumes: Edges<VolumeNode> } }>(gql.PROJECT_VOLUMES, { id: inputs.projectId }, c);
  for (const volume of nodes(data.project.volumes)) {
    const instance = nodes(volume.volumeInstances).find((i) => i.serviceId === inputs.serviceId && i.environmentId === inputs.environmentId);
    if (instance) return { volume, mountPath: instance.mountPath };
  }
  return undefined;
}

export const volumeProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return diffInputs(olds, news, VOLUME_INPUTS, ["projectId", "environmentId", "serviceId", "mountPath"]);
  },
  async create(inputs) {
    const c = ctx("volume of service", inputs.name, "create");
    const input = pick(inputs, ["projectId", "environmentId", "serviceId", "mountPath"]);
    const id = await createOnce(
      async () => (await volumeOf(inputs, c))?.volume.id,
      async () => (await railwayRequest<{ volumeCreate: { id: string } }>(gql.VOLUME_CREATE, { input }, c, { write: true })).volumeCreate.id,
    );
    return { id, outs: inputs };
  },
  async read(id, props) {
    const found = await readOrGone(() => volumeOf(props!, ctx("volume of service", props?.name, "read")));
    if (!found || found.volume.id !== id) return {};
    return { id, props: { ...props, mountPath: found.mountPath } };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete(id, props) {
    await deleteIfPresent(() => railwayRequest(gql.VOLUME_DELETE, { volumeId: id }, ctx("volume of service", props.name, "delete")));
  },
};

// ---------------------------------------------------------------------------------------------
// One provider for every kind, dispatching on the `kind` input. Pulumi serializes a provider once
// per provider object, so one object means one serialization for the whole program, not eight.

export const RAILWAY_KINDS = {
  project: projectProvider,
  environment: environmentProvider,
  service: serviceProvider,
  "service-instance": serviceInstanceProvider,
  variables: variablesProvider,
  "custom-domain": customDomainProvider,
  "service-domain": serviceDomainProvider,
  volume: volumeProvider,
} as const;

export type RailwayKind = keyof typeof RAILWAY_KINDS;

export const railwayProvider = providerForKinds("Railway", RAILWAY_KINDS);
