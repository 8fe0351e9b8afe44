// A local stand-in for Railway's GraphQL API that behaves the way Railway does, not the way our
// providers would like it to. Every request is parsed, validated and executed against Railway's
// published schema (contracts/railway/schema.json), so a document or variable the schema does not
// define is refused; faults can be injected; every request is counted. The resolvers, one file per
// kind of thing as the providers' kinds are split, are in ./resolvers/; the state and the model they
// share (lookups, views, deploys) are here.
//
// What it models, each behaviour with its source (FIELD-NOTES §8: the Terraform provider, Railway's
// CLI and docs, and the schema's own field descriptions), and each one switchable off in `realism`
// so a test can show that the providers depend on it being modelled:
// - workspaces: `projects` without a workspace lists the personal workspace's projects only;
//   account tokens see their workspaces through `me`, workspace tokens have no `me`;
// - environments start empty unless created from a source environment (then they are forks, with
//   copies of its service instances, variables and volume instances);
// - a service is project-wide; `serviceCreate` gives it an instance in the given environment if
//   that is a fork, else in every environment that is not a fork; it runs only where it has one;
// - writes to an instance that does not exist fail with "ServiceInstance not found";
// - deployments: `serviceCreate` with a source and `serviceConnect` deploy at once, a variable
//   upsert deploys unless `skipDeploys`, settings and limits never do; each deployment records the
//   settings, limits, variables and volume it saw, and moves QUEUED → BUILDING → DEPLOYING → an
//   outcome as it is polled;
// - one volume and one Railway domain per service per environment;
// - reads return null for the region and for every setting never set;
// - `serviceDelete` with a non-fork environment deletes the service in every non-fork environment
//   (the schema's own description of the argument);
// - `variables` resolves reference variables (`${{NAME}}`, `${{service.NAME}}`) as a deployment
//   sees them, unless asked for them `unrendered` (the Terraform provider's reads);
// - lists are paginated (`first`, `after`, `pageInfo`), with small pages in tests;
// - a new object stays invisible to list lookups for a while (eventual consistency, off unless set).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { FaultQueue, type Fault } from "../doubles/faults";
import { contractFile } from "../helpers";
import { deploymentResolvers } from "./resolvers/deployments";
import { domainResolvers } from "./resolvers/domains";
import { projectResolvers } from "./resolvers/projects";
import { serviceResolvers } from "./resolvers/services";
import { variableResolvers } from "./resolvers/variables";
import { volumeResolvers } from "./resolvers/volumes";
import { LocalServer, bodyOf } from "../doubles/http";

let cachedSchema: GraphQLSchema | undefined;
export function railwaySchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(JSON.parse(readFileSync(contractFile("railway/schema.json"), "utf8")).data);
  return cachedSchema;
}

export type { Fault } from "../doubles/faults";

export interface RequestRecord {
  operation: string;
  type: "query" | "mutation";
  variables: Record<string, unknown>;
  status: number;
  token: string;
}

/** Railway's behaviours the double models; a test switches one off to show it matters. */
export interface Realism {
  workspaces: boolean;
  emptyEnvironments: boolean;
  instancesRequired: boolean;
  deploysOnWrite: boolean;
  oneVolumePerService: boolean;
  oneRailwayDomainPerService: boolean;
  nullReads: boolean;
  serviceDeleteAllEnvironments: boolean;
  /** Page size of every list (Railway's default is larger; tests use small pages). */
  pageSize: number;
  /** List lookups for which a new object stays invisible (0: at once); never longer than `invisibleMs`. */
  invisibleFor: number;
  /** How long, at most, a new object stays invisible to list lookups. */
  invisibleMs: number;
  /** Polls of a deployment before it reaches its outcome. */
  deploymentPolls: number;
}

export const FULL_REALISM: Realism = {
  workspaces: true,
  emptyEnvironments: true,
  instancesRequired: true,
  deploysOnWrite: true,
  oneVolumePerService: true,
  oneRailwayDomainPerService: true,
  nullReads: true,
  serviceDeleteAllEnvironments: true,
  pageSize: 2,
  invisibleFor: 0,
  invisibleMs: 1000,
  deploymentPolls: 2,
};

type Token =
  | { kind: "account"; workspaceIds: string[]; personal: string }
  | { kind: "workspace"; workspaceId: string }
  | { kind: "project"; projectId: string; environmentId: string };

export interface Visible {
  /** List lookups left before the object shows up in lists. */
  hidden: number;
  /** When it shows up in lists whatever the lookups (ms since the epoch). */
  visibleAt?: number;
}

export interface ProjectState extends Visible {
  id: string;
  name: string;
  workspaceId: string;
  prDeploys: boolean;
  baseEnvironmentId: string | null;
}

export interface EnvironmentState extends Visible {
  id: string;
  name: string;
  projectId: string;
  isEphemeral: boolean;
  /** Set for an environment created from a source: a fork. */
  sourceEnvironmentId: string | null;
}

export interface ServiceState extends Visible {
  id: string;
  name: string;
  projectId: string;
}

export interface Snapshot {
  settings: Record<string, unknown>;
  limits: { vCPUs?: number; memoryGB?: number } | null;
  variables: Record<string, string>;
  volume: { id: string; mountPath: string } | null;
  source: { repo?: string | null; image?: string | null } | null;
}

export interface DeploymentState {
  id: string;
  serviceId: string;
  environmentId: string;
  projectId: string;
  status: string;
  polls: number;
  outcome: "SUCCESS" | "FAILED" | "CRASHED";
  snapshot: Snapshot;
  createdAt: string;
  /** What started it: create, connect, variables, deploy, redeploy, rollback, push. */
  cause: string;
  /** The commit deployed, when one was named (`serviceInstanceDeployV2(commitSha)`). */
  commitSha?: string;
  /** The image the instance's source named when it deployed. */
  image?: string | null;
  /** For a rollback: the deployment it returned to. */
  rollbackOf?: string;
}

export interface InstanceState {
  id: string;
  serviceId: string;
  environmentId: string;
  /** Settings as written; absent keys read back as null (or the API default). */
  settings: Record<string, unknown>;
  source: { repo?: string | null; image?: string | null } | null;
  limits: { vCPUs?: number; memoryGB?: number } | null;
  variables: Record<string, string>;
  autoDeploy: boolean;
  registryCredentials: { username: string; password: string } | null;
}

export interface DomainState extends Visible {
  id: string;
  kind: "custom" | "service";
  domain: string;
  targetPort: number | null;
  serviceId: string;
  environmentId: string;
  projectId: string;
}

export interface VolumeState extends Visible {
  id: string;
  name: string;
  projectId: string;
  instances: Array<{ id: string; serviceId: string | null; environmentId: string; mountPath: string }>;
}

export interface TriggerState extends Visible {
  id: string;
  serviceId: string;
  environmentId: string;
  projectId: string;
  branch: string;
  repository: string;
  checkSuites: boolean;
  rootDirectory: string | null;
}

/** What Railway fills in for settings nobody set (API defaults); everything else reads back null. */
export const INSTANCE_DEFAULTS: Record<string, unknown> = { restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10, builder: "RAILPACK", numReplicas: 1 };

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });
}

export function refused(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

export class RailwayDouble {
  /** An account token that belongs to one workspace. */
  readonly token = `double-account-${randomBytes(8).toString("hex")}`;
  readonly requests: RequestRecord[] = [];
  /** Requests refused because the schema does not define them (should stay empty). */
  readonly rejected: Array<{ query: string; errors: string[] }> = [];
  realism: Realism = { ...FULL_REALISM };
  url = "";

  readonly workspaces = new Map<string, { id: string; name: string }>();
  readonly tokens = new Map<string, Token>();
  readonly projects = new Map<string, ProjectState>();
  readonly environments = new Map<string, EnvironmentState>();
  readonly services = new Map<string, ServiceState>();
  readonly instances = new Map<string, InstanceState>();
  readonly triggers = new Map<string, TriggerState>();
  readonly domains = new Map<string, DomainState>();
  readonly volumes = new Map<string, VolumeState>();
  readonly deployments = new Map<string, DeploymentState>();
  readonly egress = new Map<string, Array<{ ipv4: string; region: string; zone: string | null }>>();
  /** TCP proxies (public TCP ports) by `serviceId:environmentId`: set up in the dashboard, read by the import. */
  readonly tcpProxies = new Map<string, Array<{ applicationPort: number; proxyPort: number; domain: string }>>();
  /** Per service name: the outcome its next deployments reach (default SUCCESS). */
  readonly outcomes = new Map<string, DeploymentState["outcome"]>();

  faults = new FaultQueue();
  private readonly http = new LocalServer((req, res) => this.handle(req, res));
  counter = 0;
  currentToken = "";

  constructor() {
    const ws = this.addWorkspace("personal");
    this.tokens.set(this.token, { kind: "account", workspaceIds: [ws], personal: ws });
  }

  addWorkspace(name: string): string {
    const id = this.uuid();
    this.workspaces.set(id, { id, name });
    return id;
  }

  /** A new account token for these workspaces, the first its personal one. */
  accountToken(workspaceIds: string[]): string {
    const token = `double-account-${randomBytes(8).toString("hex")}`;
    this.tokens.set(token, { kind: "account", workspaceIds, personal: workspaceIds[0]! });
    return token;
  }

  workspaceToken(workspaceId: string): string {
    const token = `double-workspace-${randomBytes(8).toString("hex")}`;
    this.tokens.set(token, { kind: "workspace", workspaceId });
    return token;
  }

  /** A project token (what the deploy workflow holds): one project, one environment. */
  projectToken(projectId: string, environmentId: string): string {
    const token = `double-project-${randomBytes(8).toString("hex")}`;
    this.tokens.set(token, { kind: "project", projectId, environmentId });
    return token;
  }

  get personalWorkspace(): string {
    return (this.tokens.get(this.token) as { personal: string }).personal;
  }

  async start(): Promise<string> {
    // Loaded before listening, so a missing contract fails the test at once rather than each request.
    railwaySchema();
    this.url = `${await this.http.start()}/graphql/v2`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  /** Environment for a provider talking to this double with the account token. */
  env(): Record<string, string> {
    return { RAILWAY_API_URL: this.url, RAILWAY_API_TOKEN: this.token, PLATFORM_RETRY_BASE_MS: "5", PLATFORM_RAILWAY_POLL_MS: "10" };
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

  // -- what tests look at --------------------------------------------------------------------------

  environmentNamed(projectId: string, name: string): EnvironmentState | undefined {
    return [...this.environments.values()].find((e) => e.projectId === projectId && e.name === name);
  }

  serviceNamed(projectId: string, name: string): ServiceState | undefined {
    return [...this.services.values()].find((s) => s.projectId === projectId && s.name === name);
  }

  instance(serviceId: string, environmentId: string): InstanceState | undefined {
    return this.instances.get(`${serviceId}:${environmentId}`);
  }

  /** An instance's settings as Railway would read them back, defaults filled in. */
  settingsOf(serviceId: string, environmentId: string): Record<string, unknown> {
    return { ...INSTANCE_DEFAULTS, ...this.instance(serviceId, environmentId)?.settings };
  }

  deploymentsOf(serviceId: string, environmentId: string): DeploymentState[] {
    return [...this.deployments.values()].filter((d) => d.serviceId === serviceId && d.environmentId === environmentId);
  }

  volumeInstanceOf(serviceId: string, environmentId: string): { volume: VolumeState; mountPath: string } | undefined {
    for (const volume of this.volumes.values()) {
      const i = volume.instances.find((x) => x.serviceId === serviceId && x.environmentId === environmentId);
      if (i) return { volume, mountPath: i.mountPath };
    }
    return undefined;
  }

  /** What a deployment started now would run with. */
  snapshotOf(instance: InstanceState): Snapshot {
    const volume = this.volumeInstanceOf(instance.serviceId, instance.environmentId);
    return structuredClone({
      settings: { ...INSTANCE_DEFAULTS, ...instance.settings },
      limits: instance.limits,
      variables: instance.variables,
      volume: volume ? { id: volume.volume.id, mountPath: volume.mountPath } : null,
      source: instance.source,
    });
  }

  /** A push to a branch: every instance whose trigger follows it, with auto-deploy on, deploys. */
  push(repository: string, branch: string): DeploymentState[] {
    const started: DeploymentState[] = [];
    for (const t of this.triggers.values()) {
      const instance = this.instance(t.serviceId, t.environmentId);
      if (t.repository === repository && t.branch === branch && instance?.autoDeploy) started.push(this.deploy(instance, "push"));
    }
    return started;
  }

  // -- a setup made by hand (in the dashboard), for the import ----------------------------------------

  /** A project with its environments, as someone made it in the dashboard. */
  /** An environment made in the dashboard in an existing project: empty. */
  seedEnvironment(projectId: string, name: string): string {
    const e: EnvironmentState = { id: this.uuid(), name, projectId, isEphemeral: false, sourceEnvironmentId: null, hidden: 0 };
    this.environments.set(e.id, e);
    return e.id;
  }

  seedProject(name: string, environments: string[], workspaceId = this.personalWorkspace): { projectId: string; environments: Record<string, string> } {
    const project: ProjectState = { id: this.uuid(), name, workspaceId, prDeploys: false, baseEnvironmentId: null, hidden: 0 };
    this.projects.set(project.id, project);
    const ids: Record<string, string> = {};
    for (const env of environments) {
      const e: EnvironmentState = { id: this.uuid(), name: env, projectId: project.id, isEphemeral: false, sourceEnvironmentId: null, hidden: 0 };
      this.environments.set(e.id, e);
      ids[env] = e.id;
    }
    return { projectId: project.id, environments: ids };
  }

  /** A service running in one environment, set up by hand and deployed once. */
  seedService(
    projectId: string,
    environmentId: string,
    name: string,
    setup: {
      source: { repo?: string; image?: string };
      settings?: Record<string, unknown>;
      limits?: { vCPUs: number; memoryGB: number } | null;
      variables?: Record<string, string>;
      volume?: string;
      railwayDomain?: { targetPort: number | null };
      customDomains?: string[];
      trigger?: { branch: string; checkSuites: boolean };
      tcpProxy?: { applicationPort: number };
    },
  ): string {
    const service: ServiceState = { id: this.uuid(), name, projectId, hidden: 0 };
    this.services.set(service.id, service);
    const instance = this.addInstance(service.id, environmentId);
    instance.source = { repo: setup.source.repo ?? null, image: setup.source.image ?? null };
    instance.settings = { ...setup.settings };
    instance.limits = setup.limits ?? null;
    instance.variables = { ...setup.variables };
    if (setup.trigger && setup.source.repo) this.addTrigger(instance, setup.source.repo, setup.trigger.branch, setup.trigger.checkSuites, null).hidden = 0;
    if (setup.volume) {
      const volumeId = this.uuid();
      this.volumes.set(volumeId, {
        id: volumeId,
        name: `${name.toLowerCase()}-volume`,
        projectId,
        instances: [{ id: this.id("vi"), serviceId: service.id, environmentId, mountPath: setup.volume }],
        hidden: 0,
      });
    }
    if (setup.railwayDomain) {
      const domain: DomainState = {
        id: this.uuid(),
        kind: "service",
        domain: `${name.toLowerCase()}-${randomBytes(3).toString("hex")}.up.railway.app`,
        targetPort: setup.railwayDomain.targetPort,
        serviceId: service.id,
        environmentId,
        projectId,
        hidden: 0,
      };
      this.domains.set(domain.id, domain);
    }
    for (const d of setup.customDomains ?? []) {
      const domain: DomainState = { id: this.uuid(), kind: "custom", domain: d, targetPort: null, serviceId: service.id, environmentId, projectId, hidden: 0 };
      this.domains.set(domain.id, domain);
    }
    if (setup.tcpProxy)
      this.tcpProxies.set(`${service.id}:${environmentId}`, [
        { applicationPort: setup.tcpProxy.applicationPort, proxyPort: 10000 + this.counter, domain: "roundhouse.proxy.rlwy.net" },
      ]);
    const d = this.deploy(instance, "dashboard");
    d.status = "SUCCESS";
    return service.id;
  }

  /** A service's variables as a deployment sees them: references resolved, Railway's own added. */
  /** A service's variables as stored (references unresolved), with the ones Railway sets itself. */
  storedVariables(serviceId: string, environmentId: string): Record<string, string> {
    const name = this.services.get(serviceId)!.name;
    return {
      RAILWAY_SERVICE_NAME: name,
      RAILWAY_ENVIRONMENT_ID: environmentId,
      RAILWAY_PRIVATE_DOMAIN: `${name.toLowerCase()}.railway.internal`,
      ...this.instance(serviceId, environmentId)?.variables,
    };
  }

  renderedVariables(serviceId: string, environmentId: string): Record<string, string> {
    const own = (id: string) => this.storedVariables(id, environmentId);
    const render = (id: string, value: string, depth: number): string =>
      value.replace(/\$\{\{\s*([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?\s*\}\}/g, (_m, a: string, b: string | undefined) => {
        if (depth > 5) return "";
        const [target, name] =
          b === undefined ? [id, a] : [[...this.services.values()].find((x) => x.projectId === this.services.get(id)!.projectId && x.name === a)?.id, b];
        const raw = target ? own(target)[name] : undefined;
        // Railway resolves a reference to nothing it can find as an empty value.
        return raw === undefined ? "" : render(target!, raw, depth + 1);
      });
    return Object.fromEntries(Object.entries(own(serviceId)).map(([k, v]) => [k, render(serviceId, v, 0)]));
  }

  // -- plumbing ------------------------------------------------------------------------------------

  uuid(): string {
    return [8, 4, 4, 4, 12].map((n) => randomBytes(n / 2).toString("hex")).join("-");
  }

  id(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter.toString().padStart(4, "0")}-${randomBytes(3).toString("hex")}`;
  }

  hiddenAtCreation(): Visible {
    return { hidden: this.realism.invisibleFor, visibleAt: Date.now() + this.realism.invisibleMs };
  }

  /**
   * The objects a list lookup sees. A new object is left out of its first few lookups, and of none
   * once a moment has passed: eventual consistency, briefly.
   */
  visible<T extends Visible>(items: Iterable<T>): T[] {
    const out: T[] = [];
    const now = Date.now();
    for (const item of items) {
      if (item.hidden > 0 && now < (item.visibleAt ?? 0)) item.hidden -= 1;
      else {
        item.hidden = 0;
        out.push(item);
      }
    }
    return out;
  }

  /** A page of a list: `first` items after the cursor `after`, never more than the page size. */
  page<T>(items: T[], args: { first?: number | null; after?: string | null } = {}) {
    const size = Math.min(args.first ?? this.realism.pageSize, this.realism.pageSize);
    const start = args.after ? Number(Buffer.from(args.after, "base64").toString("utf8")) : 0;
    const slice = items.slice(start, start + size);
    const cursor = (i: number) => Buffer.from(String(i)).toString("base64");
    return {
      edges: slice.map((node, i) => ({ node, cursor: cursor(start + i + 1) })),
      pageInfo: { hasNextPage: start + size < items.length, hasPreviousPage: start > 0, startCursor: cursor(start), endCursor: cursor(start + slice.length) },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = await bodyOf(req);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST") return send(405, { errors: [{ message: "POST only" }] });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const projectHeader = req.headers["project-access-token"];
    const token = bearer ?? (typeof projectHeader === "string" ? projectHeader : undefined);
    if (!token || !this.tokens.has(token)) return send(200, { errors: [{ message: "Not Authorized" }] });
    // Project tokens go in their own header, never as a bearer token (the CLI's client.rs).
    if ((this.tokens.get(token)!.kind === "project") !== (bearer === undefined)) return send(200, { errors: [{ message: "Not Authorized" }] });
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(received);
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
    const record: RequestRecord = { operation, type: op?.operation === "mutation" ? "mutation" : "query", variables, status: 200, token };
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
    if (fault?.kind === "graphql") {
      // Railway reports a refused operation as GraphQL errors with HTTP 200.
      return send(200, { data: null, errors: [{ message: fault.message, path: [operation] }] });
    }
    if (fault?.kind === "drop") {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    this.currentToken = token;
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
    send(200, {
      data: result.data ?? null,
      ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, extensions: e.extensions })) } : {}),
    });
  }

  // -- the model -----------------------------------------------------------------------------------

  caller(): Token {
    return this.tokens.get(this.currentToken)!;
  }

  canSee(project: ProjectState): boolean {
    const t = this.caller();
    if (t.kind === "project") return t.projectId === project.id;
    if (t.kind === "workspace") return t.workspaceId === project.workspaceId;
    return t.workspaceIds.includes(project.workspaceId);
  }

  /** Whether the caller's token reaches this deployment's project (and, for a project token, its environment). */
  canReach(d: DeploymentState): boolean {
    const t = this.caller();
    if (t.kind === "project") return t.projectId === d.projectId && t.environmentId === d.environmentId;
    return this.canSee(this.projects.get(d.projectId)!);
  }

  requireProject(id: string): ProjectState {
    const project = this.projects.get(id);
    if (!project || !this.canSee(project)) throw notFound("Project");
    return project;
  }

  requireEnvironment(id: string): EnvironmentState {
    const env = this.environments.get(id);
    if (!env) throw notFound("Environment");
    this.requireProject(env.projectId);
    // A project token reaches one environment (the CLI's project token, `projectToken.environmentId`).
    const t = this.caller();
    if (t.kind === "project" && t.environmentId !== id) throw notFound("Environment");
    return env;
  }

  requireService(id: string): ServiceState {
    const service = this.services.get(id);
    if (!service) throw notFound("Service");
    this.requireProject(service.projectId);
    return service;
  }

  isFork(environmentId: string): boolean {
    return this.environments.get(environmentId)?.sourceEnvironmentId != null;
  }

  /** The instance a write goes to: refused when the service does not run in that environment. */
  writable(serviceId: string, environmentId: string): InstanceState {
    this.requireService(serviceId);
    this.requireEnvironment(environmentId);
    const instance = this.instance(serviceId, environmentId);
    if (instance) return instance;
    if (this.realism.instancesRequired) throw notFound("ServiceInstance");
    return this.addInstance(serviceId, environmentId);
  }

  addInstance(serviceId: string, environmentId: string): InstanceState {
    const key = `${serviceId}:${environmentId}`;
    let instance = this.instances.get(key);
    if (!instance) {
      instance = {
        id: this.id("si"),
        serviceId,
        environmentId,
        settings: {},
        source: null,
        limits: null,
        variables: {},
        autoDeploy: true,
        registryCredentials: null,
      };
      this.instances.set(key, instance);
    }
    return instance;
  }

  removeInstance(serviceId: string, environmentId: string): void {
    this.instances.delete(`${serviceId}:${environmentId}`);
    for (const [id, t] of this.triggers) if (t.serviceId === serviceId && t.environmentId === environmentId) this.triggers.delete(id);
    for (const [id, d] of this.domains) if (d.serviceId === serviceId && d.environmentId === environmentId) this.domains.delete(id);
    for (const v of this.volumes.values()) for (const i of v.instances) if (i.serviceId === serviceId && i.environmentId === environmentId) i.serviceId = null;
    this.egress.delete(`${serviceId}:${environmentId}`);
  }

  deploy(instance: InstanceState, cause: string): DeploymentState {
    const service = this.services.get(instance.serviceId)!;
    const deployment: DeploymentState = {
      id: this.uuid(),
      serviceId: instance.serviceId,
      environmentId: instance.environmentId,
      projectId: service.projectId,
      status: "QUEUED",
      polls: 0,
      outcome: this.outcomes.get(service.name) ?? "SUCCESS",
      snapshot: this.snapshotOf(instance),
      createdAt: new Date(Date.now() + this.counter).toISOString(),
      cause,
      image: instance.source?.image ?? null,
    };
    this.counter += 1;
    this.deployments.set(deployment.id, deployment);
    return deployment;
  }

  /** Reading a deployment moves it on, as time would. */
  advance(d: DeploymentState): DeploymentState {
    const steps = ["QUEUED", "BUILDING", "DEPLOYING"];
    if (steps.includes(d.status)) {
      d.polls += 1;
      if (d.polls > this.realism.deploymentPolls) d.status = d.outcome;
      else d.status = steps[Math.min(d.polls, steps.length - 1)]!;
    }
    return d;
  }

  canDeploy(instance: InstanceState): boolean {
    return Boolean(instance.source && (instance.source.repo || instance.source.image));
  }

  // -- views ---------------------------------------------------------------------------------------

  projectView(p: ProjectState) {
    return {
      id: p.id,
      name: p.name,
      prDeploys: p.prDeploys,
      baseEnvironmentId: p.baseEnvironmentId,
      workspaceId: p.workspaceId,
      workspace: this.workspaces.get(p.workspaceId),
      services: (args: { first?: number; after?: string }) =>
        this.page(
          this.visible([...this.services.values()].filter((s) => s.projectId === p.id)).map((s) => this.serviceView(s)),
          args,
        ),
      volumes: (args: { first?: number; after?: string }) =>
        this.page(
          this.visible([...this.volumes.values()].filter((v) => v.projectId === p.id)).map((v) => this.volumeView(v)),
          args,
        ),
      environments: (args: { first?: number; after?: string }) =>
        this.page(
          this.visible([...this.environments.values()].filter((e) => e.projectId === p.id)).map((e) => this.environmentView(e)),
          args,
        ),
    };
  }

  environmentView(e: EnvironmentState): Record<string, unknown> {
    return {
      id: e.id,
      name: e.name,
      projectId: e.projectId,
      isEphemeral: e.isEphemeral,
      sourceEnvironment: e.sourceEnvironmentId ? this.environmentView(this.environments.get(e.sourceEnvironmentId)!) : null,
      serviceInstances: (args: { first?: number; after?: string }) =>
        this.page(
          [...this.instances.values()].filter((i) => i.environmentId === e.id).map((i) => this.instanceView(i)),
          args,
        ),
      volumeInstances: (args: { first?: number; after?: string }) =>
        this.page(
          [...this.volumes.values()].flatMap((v) =>
            v.instances.filter((i) => i.environmentId === e.id).map((i) => ({ ...i, volumeId: v.id, volume: this.volumeView(v) })),
          ),
          args,
        ),
    };
  }

  serviceView(s: ServiceState) {
    return {
      id: s.id,
      name: s.name,
      projectId: s.projectId,
      serviceInstances: (args: { first?: number; after?: string }) =>
        this.page(
          [...this.instances.values()].filter((i) => i.serviceId === s.id).map((i) => this.instanceView(i)),
          args,
        ),
    };
  }

  volumeView(v: VolumeState) {
    return {
      id: v.id,
      name: v.name,
      projectId: v.projectId,
      volumeInstances: (args: { first?: number; after?: string }) =>
        this.page(
          v.instances.map((i) => ({ ...i, volumeId: v.id })),
          args,
        ),
    };
  }

  instanceView(i: InstanceState) {
    const s = this.services.get(i.serviceId)!;
    const written = i.settings;
    const read = (key: string) => (key in written ? written[key] : key in INSTANCE_DEFAULTS ? INSTANCE_DEFAULTS[key] : null);
    const settings = Object.fromEntries(
      [
        "numReplicas",
        "healthcheckPath",
        "healthcheckTimeout",
        "restartPolicyType",
        "restartPolicyMaxRetries",
        "startCommand",
        "rootDirectory",
        "dockerfilePath",
        "multiRegionConfig",
        "preDeployCommand",
        "builder",
        "sleepApplication",
        "cronSchedule",
        "buildCommand",
        "watchPatterns",
      ].map((k) => [k, read(k)]),
    );
    const latest = this.deploymentsOf(i.serviceId, i.environmentId).at(-1);
    return {
      id: i.id,
      serviceId: i.serviceId,
      serviceName: s.name,
      environmentId: i.environmentId,
      ...settings,
      // A list the schema never lets be null: empty when unset.
      watchPatterns: settings.watchPatterns ?? [],
      // Railway reads the region back as null (the Terraform provider's 93853d5).
      region: this.realism.nullReads ? null : read("region"),
      source: i.source,
      latestDeployment: () => (latest ? this.deploymentView(latest) : null),
      domains: () => this.domainsView(i.serviceId, i.environmentId),
    };
  }

  domainsView(serviceId: string, environmentId: string) {
    const mine = [...this.domains.values()].filter((d) => d.serviceId === serviceId && d.environmentId === environmentId);
    return { customDomains: this.visible(mine.filter((d) => d.kind === "custom")), serviceDomains: this.visible(mine.filter((d) => d.kind === "service")) };
  }

  deploymentView(d: DeploymentState) {
    return {
      id: d.id,
      status: d.status,
      serviceId: d.serviceId,
      environmentId: d.environmentId,
      projectId: d.projectId,
      createdAt: d.createdAt,
      canRollback: true,
      canRedeploy: true,
      meta: { cause: d.cause },
    };
  }

  /** The resolvers of the operations the providers and the deploy workflow use; anything else is not part of the double. */
  root(): Record<string, (args: any) => unknown> {
    return {
      ...projectResolvers(this),
      ...serviceResolvers(this),
      ...deploymentResolvers(this),
      ...variableResolvers(this),
      ...domainResolvers(this),
      ...volumeResolvers(this),
    };
  }

  addTrigger(
    instance: InstanceState,
    repository: string,
    branch: string,
    checkSuites: boolean,
    rootDirectory: string | null,
  ): TriggerState & { provider: string; validCheckSuites: number } {
    const trigger: TriggerState = {
      id: this.uuid(),
      serviceId: instance.serviceId,
      environmentId: instance.environmentId,
      projectId: this.services.get(instance.serviceId)!.projectId,
      branch,
      repository,
      checkSuites,
      rootDirectory,
      ...this.hiddenAtCreation(),
    };
    this.triggers.set(trigger.id, trigger);
    return { ...trigger, provider: "github", validCheckSuites: 0 };
  }

  customDomainView(d: DomainState) {
    return { ...d, isRailwayDomain: false, status: { dnsRecords: [] }, cnameCheck: { status: "PENDING", message: "" }, syncStatus: "ACTIVE" };
  }
}
