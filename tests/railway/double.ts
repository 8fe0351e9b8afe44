// A local stand-in for Railway's GraphQL API. Every request is parsed, validated and executed
// against Railway's published schema (contracts/railway/schema.json), so a document or a
// variable the schema does not define is rejected; the operations the providers use answer as
// Railway does and keep state; faults can be injected; every request is counted.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contractFile } from "../helpers";
import { FaultQueue, type Fault } from "../doubles/faults";
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";

let cachedSchema: GraphQLSchema | undefined;
export function railwaySchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(JSON.parse(readFileSync(contractFile("railway/schema.json"), "utf8")).data);
  return cachedSchema;
}

export interface RequestRecord {
  operation: string;
  type: "query" | "mutation";
  variables: Record<string, unknown>;
  status: number;
}

interface ServiceState {
  id: string;
  name: string;
  projectId: string;
  /** Environments the service has an instance in. */
  environments: Set<string>;
}

interface InstanceState {
  id: string;
  settings: Record<string, unknown>;
  limits: { vCPUs?: number; memoryGB?: number } | null;
  variables: Record<string, string>;
}

interface DomainState {
  id: string;
  kind: "custom" | "service";
  domain: string;
  targetPort: number | null;
  serviceId: string;
  environmentId: string;
  projectId: string;
}

const INSTANCE_DEFAULTS: Record<string, unknown> = {
  numReplicas: 1,
  region: "us-west2",
  healthcheckPath: null,
  healthcheckTimeout: null,
  restartPolicyType: "ON_FAILURE",
  restartPolicyMaxRetries: 10,
  startCommand: null,
  rootDirectory: null,
  dockerfilePath: null,
  source: null,
  multiRegionConfig: null,
};

function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });
}

const edges = <T>(items: T[]) => ({ edges: items.map((node) => ({ node, cursor: "c" })), pageInfo: { hasNextPage: false, hasPreviousPage: false } });

export type { Fault } from "../doubles/faults";

export class RailwayDouble {
  readonly token = `double-token-${randomBytes(8).toString("hex")}`;
  readonly requests: RequestRecord[] = [];
  /** Requests refused because the schema does not define them (should stay empty). */
  readonly rejected: Array<{ query: string; errors: string[] }> = [];
  private faults = new FaultQueue();
  private server?: Server;
  private counter = 0;

  projects = new Map<string, { id: string; name: string; prDeploys: boolean; baseEnvironmentId: string | null; workspaceId: string | null }>();
  environments = new Map<string, { id: string; name: string; projectId: string; isEphemeral: boolean; sourceEnvironmentId: string | null }>();
  services = new Map<string, ServiceState>();
  instances = new Map<string, InstanceState>(); // key serviceId:environmentId
  triggers = new Map<string, { id: string; serviceId: string; environmentId: string; projectId: string; branch: string; repository: string }>();
  domains = new Map<string, DomainState>();
  volumes = new Map<string, { id: string; name: string; projectId: string; instances: Array<{ id: string; serviceId: string; environmentId: string; mountPath: string }> }>();

  url = "";

  async start(): Promise<string> {
    // Loaded before listening, so a missing contract fails the test at once rather than each request.
    railwaySchema();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql/v2`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
  }

  /** Environment for a provider talking to this double. */
  env(): Record<string, string> {
    return { RAILWAY_API_URL: this.url, RAILWAY_TOKEN: this.token, PLATFORM_RETRY_BASE_MS: "5" };
  }

  inject(fault: Fault, options: { operation?: string; times?: number } = {}): void {
    this.faults.inject(fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  resetCounts(): void {
    this.requests.length = 0;
  }

  count(filter: { operation?: string; type?: "query" | "mutation" } = {}): number {
    return this.requests.filter((r) => (!filter.operation || r.operation === filter.operation) && (!filter.type || r.type === filter.type)).length;
  }

  private id(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter.toString().padStart(4, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST") return send(405, { errors: [{ message: "POST only" }] });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(200, { errors: [{ message: "Not Authorized" }] });
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { errors: [{ message: "body is not JSON" }] });
    }
    if (typeof body.query !== "string") return send(400, { errors: [{ message: "query must be a string" }] });
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (err) {
      this.rejected.push({ query: body.query, errors: [(err as Error).message] });
      return send(400, { errors: [{ message: (err as Error).message }] });
    }
    const errors = validate(railwaySchema(), document);
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    const firstField = op?.selectionSet.selections.find((s) => s.kind === "Field");
    const operation = firstField && firstField.kind === "Field" ? firstField.name.value : "unknown";
    if (errors.length > 0) {
      this.rejected.push({ query: body.query, errors: errors.map((e) => e.message) });
      return send(400, { errors: errors.map((e) => ({ message: e.message })) });
    }
    const record: RequestRecord = { operation, type: op?.operation === "mutation" ? "mutation" : "query", variables, status: 200 };
    this.requests.push(record);

    const fault = this.faults.take(operation);
    if (fault?.kind === "429") {
      record.status = 429;
      return send(429, { errors: [{ message: "Too many requests" }] }, fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {});
    }
    if (fault?.kind === "500") {
      record.status = 500;
      return send(500, { errors: [{ message: "Internal server error" }] });
    }
    if (fault?.kind === "drop") {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    const result = await execute({ schema: railwaySchema(), document, variableValues: variables, rootValue: this.root() });
    if (result.errors?.some((e) => !e.path)) {
      // Variables that do not coerce to their declared types: refused before execution.
      this.rejected.push({ query: body.query, errors: result.errors.map((e) => e.message) });
      record.status = 400;
      return send(400, { errors: result.errors.map((e) => ({ message: e.message })) });
    }
    if (fault?.kind === "lost") {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    send(200, { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, extensions: e.extensions })) } : {}) });
  }

  private instanceKey(serviceId: string, environmentId: string) {
    return `${serviceId}:${environmentId}`;
  }

  private addInstance(serviceId: string, environmentId: string): InstanceState {
    const key = this.instanceKey(serviceId, environmentId);
    let instance = this.instances.get(key);
    if (!instance) {
      instance = { id: this.id("si"), settings: { ...INSTANCE_DEFAULTS }, limits: null, variables: {} };
      this.instances.set(key, instance);
      this.services.get(serviceId)!.environments.add(environmentId);
    }
    return instance;
  }

  private removeInstance(serviceId: string, environmentId: string): void {
    this.instances.delete(this.instanceKey(serviceId, environmentId));
    this.services.get(serviceId)?.environments.delete(environmentId);
    for (const [id, t] of this.triggers) if (t.serviceId === serviceId && t.environmentId === environmentId) this.triggers.delete(id);
    for (const [id, d] of this.domains) if (d.serviceId === serviceId && d.environmentId === environmentId) this.domains.delete(id);
  }

  private requireProject(id: string) {
    const project = this.projects.get(id);
    if (!project) throw notFound("Project");
    return project;
  }

  private requireInstance(serviceId: string, environmentId: string): InstanceState {
    const instance = this.instances.get(this.instanceKey(serviceId, environmentId));
    if (!instance) throw notFound("ServiceInstance");
    return instance;
  }

  private serviceView(s: ServiceState) {
    return {
      id: s.id,
      name: s.name,
      projectId: s.projectId,
      repoTriggers: edges([...this.triggers.values()].filter((t) => t.serviceId === s.id)),
    };
  }

  private projectView(p: { id: string; name: string; prDeploys: boolean; baseEnvironmentId: string | null }) {
    return {
      ...p,
      services: edges([...this.services.values()].filter((s) => s.projectId === p.id).map((s) => this.serviceView(s))),
      volumes: edges(
        [...this.volumes.values()].filter((v) => v.projectId === p.id).map((v) => ({ id: v.id, name: v.name, volumeInstances: edges(v.instances) })),
      ),
    };
  }

  /** The resolvers of the operations the providers use. Anything else is not part of the double. */
  private root(): Record<string, (args: any) => unknown> {
    return {
      projects: () => edges([...this.projects.values()].map((p) => this.projectView(p))),
      project: ({ id }) => this.projectView(this.requireProject(id)),
      projectCreate: ({ input }) => {
        const project = { id: this.id("prj"), name: input.name ?? "unnamed", prDeploys: input.prDeploys ?? false, baseEnvironmentId: null, workspaceId: input.workspaceId ?? null };
        this.projects.set(project.id, project);
        const env = { id: this.id("env"), name: input.defaultEnvironmentName ?? "production", projectId: project.id, isEphemeral: false, sourceEnvironmentId: null };
        this.environments.set(env.id, env);
        return this.projectView(project);
      },
      projectUpdate: ({ id, input }) => {
        const project = this.requireProject(id);
        if (input.prDeploys !== undefined && input.prDeploys !== null) project.prDeploys = input.prDeploys;
        if (input.baseEnvironmentId !== undefined) project.baseEnvironmentId = input.baseEnvironmentId;
        if (input.name) project.name = input.name;
        return this.projectView(project);
      },
      projectDelete: ({ id }) => {
        this.requireProject(id);
        this.projects.delete(id);
        for (const [envId, env] of this.environments) if (env.projectId === id) this.environments.delete(envId);
        for (const [sid, s] of this.services) if (s.projectId === id) for (const e of [...s.environments]) this.removeInstance(sid, e);
        for (const [sid, s] of this.services) if (s.projectId === id) this.services.delete(sid);
        return true;
      },
      environments: ({ projectId }) => {
        this.requireProject(projectId);
        return edges([...this.environments.values()].filter((e) => e.projectId === projectId));
      },
      environmentCreate: ({ input }) => {
        this.requireProject(input.projectId);
        const env = { id: this.id("env"), name: input.name, projectId: input.projectId, isEphemeral: input.ephemeral ?? false, sourceEnvironmentId: input.sourceEnvironmentId ?? null };
        if (env.sourceEnvironmentId && !this.environments.has(env.sourceEnvironmentId)) throw notFound("Source environment");
        this.environments.set(env.id, env);
        if (env.sourceEnvironmentId) {
          for (const s of this.services.values()) {
            const source = this.instances.get(this.instanceKey(s.id, env.sourceEnvironmentId));
            if (source) Object.assign(this.addInstance(s.id, env.id), structuredClone({ settings: source.settings, limits: source.limits, variables: source.variables }));
          }
        }
        return env;
      },
      environmentDelete: ({ id }) => {
        if (!this.environments.has(id)) throw notFound("Environment");
        this.environments.delete(id);
        for (const s of this.services.values()) if (s.environments.has(id)) this.removeInstance(s.id, id);
        for (const v of this.volumes.values()) v.instances = v.instances.filter((i) => i.environmentId !== id);
        return true;
      },
      serviceCreate: ({ input }) => {
        this.requireProject(input.projectId);
        const service: ServiceState = { id: this.id("svc"), name: input.name ?? "service", projectId: input.projectId, environments: new Set() };
        this.services.set(service.id, service);
        const envs = input.environmentId ? [input.environmentId] : [...this.environments.values()].filter((e) => e.projectId === input.projectId).map((e) => e.id);
        for (const env of envs) {
          const instance = this.addInstance(service.id, env);
          if (input.source) instance.settings.source = { repo: input.source.repo ?? null, image: input.source.image ?? null };
          if (input.source?.repo) {
            const trigger = { id: this.id("trg"), serviceId: service.id, environmentId: env, projectId: input.projectId, branch: input.branch ?? "main", repository: input.source.repo };
            this.triggers.set(trigger.id, trigger);
          }
          if (input.variables) instance.variables = { ...input.variables };
        }
        return this.serviceView(service);
      },
      serviceDelete: ({ id, environmentId }) => {
        const service = this.services.get(id);
        if (!service) throw notFound("Service");
        if (environmentId) {
          if (!service.environments.has(environmentId)) throw notFound("Service");
          this.removeInstance(id, environmentId);
          if (service.environments.size > 0) return true;
        }
        for (const env of [...service.environments]) this.removeInstance(id, env);
        this.services.delete(id);
        return true;
      },
      deploymentTriggerCreate: ({ input }) => {
        if (!this.services.has(input.serviceId)) throw notFound("Service");
        this.addInstance(input.serviceId, input.environmentId);
        const trigger = { id: this.id("trg"), serviceId: input.serviceId, environmentId: input.environmentId, projectId: input.projectId, branch: input.branch, repository: input.repository };
        this.triggers.set(trigger.id, trigger);
        return { ...trigger, provider: input.provider, checkSuites: false, validCheckSuites: 0 };
      },
      deploymentTriggerUpdate: ({ id, input }) => {
        const trigger = this.triggers.get(id);
        if (!trigger) throw notFound("Deployment trigger");
        if (input.branch) trigger.branch = input.branch;
        if (input.repository) trigger.repository = input.repository;
        return trigger;
      },
      serviceInstance: ({ serviceId, environmentId }) => {
        const instance = this.requireInstance(serviceId, environmentId);
        return { id: instance.id, serviceId, environmentId, ...instance.settings };
      },
      serviceInstanceLimits: ({ serviceId, environmentId }) => this.requireInstance(serviceId, environmentId).limits,
      serviceInstanceUpdate: ({ serviceId, environmentId, input }) => {
        const instance = this.requireInstance(serviceId, environmentId);
        for (const [key, value] of Object.entries(input as Record<string, unknown>)) instance.settings[key] = value;
        return true;
      },
      serviceInstanceLimitsUpdate: ({ input }) => {
        const instance = this.requireInstance(input.serviceId, input.environmentId);
        instance.limits = { vCPUs: input.vCPUs, memoryGB: input.memoryGB };
        return true;
      },
      variables: ({ environmentId, serviceId }) => {
        const instance = this.requireInstance(serviceId, environmentId);
        return { RAILWAY_SERVICE_NAME: this.services.get(serviceId)!.name, RAILWAY_ENVIRONMENT_ID: environmentId, ...instance.variables };
      },
      variableCollectionUpsert: ({ input }) => {
        const instance = this.requireInstance(input.serviceId, input.environmentId);
        instance.variables = input.replace ? { ...input.variables } : { ...instance.variables, ...input.variables };
        return true;
      },
      domains: ({ environmentId, serviceId }) => {
        this.requireInstance(serviceId, environmentId);
        const mine = [...this.domains.values()].filter((d) => d.serviceId === serviceId && d.environmentId === environmentId);
        return { customDomains: mine.filter((d) => d.kind === "custom"), serviceDomains: mine.filter((d) => d.kind === "service") };
      },
      customDomainCreate: ({ input }) => {
        this.requireInstance(input.serviceId, input.environmentId);
        if ([...this.domains.values()].some((d) => d.domain === input.domain)) throw new GraphQLError(`Domain ${input.domain} is already in use`);
        const domain: DomainState = { id: this.id("cd"), kind: "custom", domain: input.domain, targetPort: input.targetPort ?? null, serviceId: input.serviceId, environmentId: input.environmentId, projectId: input.projectId };
        this.domains.set(domain.id, domain);
        return domain;
      },
      customDomainUpdate: ({ id, targetPort }) => {
        const domain = this.domains.get(id);
        if (!domain || domain.kind !== "custom") throw notFound("Custom domain");
        domain.targetPort = targetPort ?? null;
        return true;
      },
      customDomainDelete: ({ id }) => {
        if (this.domains.get(id)?.kind !== "custom") throw notFound("Custom domain");
        this.domains.delete(id);
        return true;
      },
      serviceDomainCreate: ({ input }) => {
        this.requireInstance(input.serviceId, input.environmentId);
        const service = this.services.get(input.serviceId)!;
        const domain: DomainState = {
          id: this.id("sd"),
          kind: "service",
          domain: `${service.name}-${randomBytes(3).toString("hex")}.up.railway.app`,
          targetPort: input.targetPort ?? null,
          serviceId: input.serviceId,
          environmentId: input.environmentId,
          projectId: service.projectId,
        };
        this.domains.set(domain.id, domain);
        return domain;
      },
      serviceDomainUpdate: ({ input }) => {
        const domain = this.domains.get(input.serviceDomainId);
        if (!domain || domain.kind !== "service") throw notFound("Service domain");
        domain.targetPort = input.targetPort ?? null;
        return true;
      },
      serviceDomainDelete: ({ id }) => {
        if (this.domains.get(id)?.kind !== "service") throw notFound("Service domain");
        this.domains.delete(id);
        return true;
      },
      volumeCreate: ({ input }) => {
        this.requireProject(input.projectId);
        if (input.serviceId && input.environmentId) this.requireInstance(input.serviceId, input.environmentId);
        const volume = { id: this.id("vol"), name: `volume-${this.counter}`, projectId: input.projectId, instances: [{ id: this.id("vi"), serviceId: input.serviceId, environmentId: input.environmentId, mountPath: input.mountPath }] };
        this.volumes.set(volume.id, volume);
        return { id: volume.id, name: volume.name, createdAt: new Date().toISOString(), projectId: volume.projectId };
      },
      volumeDelete: ({ volumeId }) => {
        if (!this.volumes.has(volumeId)) throw notFound("Volume");
        this.volumes.delete(volumeId);
        return true;
      },
    };
  }
}
