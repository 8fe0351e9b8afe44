// A local stand-in for Supabase's Management API. Every request's method, path, query and JSON
// body is checked against the published OpenAPI document (contracts/supabase/openapi.json)
// by openapi-backend, and what the spec does not define is refused; the operations the providers
// use answer with spec-shaped bodies (each answer is itself checked against the spec), keep state
// (projects come up COMING_UP, then ACTIVE_HEALTHY), and faults can be injected.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contractFile } from "../helpers";
import { OpenAPIBackend, type Context } from "openapi-backend";
import { FaultQueue, type Fault } from "../doubles/faults";


interface Reply {
  status: number;
  body?: unknown;
}

export interface RequestRecord {
  operation: string;
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

export interface ProjectState {
  id: string;
  ref: string;
  name: string;
  organization: string;
  region: string;
  computeSize: string;
  status: string;
  password: string;
  /** Polls left before COMING_UP becomes `finalStatus`. */
  pollsLeft: number;
  finalStatus: string;
  isBranch: boolean;
  addons: Record<string, string>;
  ssl: boolean;
  cidrs: { v4: string[]; v6: string[] };
  pooler: { mode: string; poolSize: number };
  queries: string[];
  anonKey: string;
  serviceKey: string;
}

export interface BranchState {
  id: string;
  name: string;
  parentRef: string;
  projectRef: string;
  gitBranch: string | undefined;
}

/**
 * The spec writes exclusive bounds the OpenAPI 3.0 way (`minimum: 0, exclusiveMinimum: true`); the
 * JSON Schema validator underneath reads draft-07 (`exclusiveMinimum: 0`). Same constraint, restated.
 */
function draft7Bounds(node: unknown): any {
  if (Array.isArray(node)) return node.map(draft7Bounds);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = draft7Bounds(v);
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof out[flag] === "boolean") {
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out;
}

function ref(): string {
  // Project refs are 20 lower-case letters.
  return Array.from(randomBytes(20), (b) => String.fromCharCode(97 + (b % 26))).join("");
}

export class SupabaseDouble {
  readonly token = `sbp_${randomBytes(20).toString("hex")}`;
  readonly requests: RequestRecord[] = [];
  /** Requests refused because the spec does not define them (should stay empty). */
  readonly rejected: Array<{ method: string; path: string; errors: unknown }> = [];
  /** Answers of the double that the spec does not allow (a bug in the double; should stay empty). */
  readonly badResponses: Array<{ operation: string; errors: unknown }> = [];
  readonly projects = new Map<string, ProjectState>();
  readonly branches = new Map<string, BranchState>();
  /** How many reads a new project stays COMING_UP for. */
  pollsUntilReady = 2;
  /** The state the next new project ends up in. */
  nextFinalStatus = "ACTIVE_HEALTHY";
  url = "";
  private faults = new FaultQueue();
  private server?: Server;
  private api: OpenAPIBackend;

  constructor() {
    this.api = new OpenAPIBackend({ definition: draft7Bounds(JSON.parse(readFileSync(contractFile("supabase/openapi.json"), "utf8"))), quick: true, validate: true });
    this.api.registerSecurityHandler("bearer", (c) => c.request.headers.authorization === `Bearer ${this.token}`);
    this.api.registerSecurityHandler("fga_permissions", () => false);
    this.api.register({
      ...this.handlers(),
      unauthorizedHandler: () => ({ status: 401, body: { message: "Unauthorized" } }),
      validationFail: (c: Context) => {
        this.rejected.push({ method: c.request.method, path: c.request.path, errors: c.validation.errors });
        return { status: 400, body: { message: `Invalid request: ${JSON.stringify(c.validation.errors)}` } };
      },
      notFound: (c: Context) => {
        this.rejected.push({ method: c.request.method, path: c.request.path, errors: "no such path in the spec" });
        return { status: 404, body: { message: "Not found" } };
      },
      methodNotAllowed: (c: Context) => {
        this.rejected.push({ method: c.request.method, path: c.request.path, errors: "method not in the spec" });
        return { status: 405, body: { message: "Method not allowed" } };
      },
      notImplemented: (c: Context) => ({ status: 501, body: { message: `The double does not implement ${c.operation.operationId}` } }),
      postResponseHandler: (c: Context) => {
        const reply = c.response as Reply;
        if (reply.status < 300 && reply.body !== undefined && c.operation) {
          const check = c.api.validateResponse(reply.body, c.operation, reply.status);
          if (check.errors) this.badResponses.push({ operation: c.operation.operationId ?? "?", errors: check.errors });
        }
        return reply;
      },
    });
  }

  async start(): Promise<string> {
    await this.api.init();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
  }

  env(): Record<string, string> {
    return { SUPABASE_API_URL: this.url, SUPABASE_ACCESS_TOKEN: this.token, PLATFORM_RETRY_BASE_MS: "5", PLATFORM_SUPABASE_POLL_MS: "5" };
  }

  inject(fault: Fault, options: { operation?: string; times?: number } = {}): void {
    this.faults.inject(fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  count(operation?: string): number {
    return this.requests.filter((r) => !operation || r.operation === operation).length;
  }

  projectNamed(name: string): ProjectState[] {
    return [...this.projects.values()].filter((p) => p.name === name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://double");
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: "body is not JSON" }));
      return;
    }
    const request = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers as Record<string, string> };
    const operation = this.api.matchOperation(request)?.operationId ?? "unknown";
    const record: RequestRecord = { operation, method: request.method, path: request.path, status: 0, ...(body !== undefined ? { body } : {}) };
    this.requests.push(record);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { ...(payload === undefined ? {} : { "content-type": "application/json" }), ...headers });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    const fault = this.faults.take(operation);
    if (fault?.kind === "429") return send(429, { message: "Too many requests" }, fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {});
    if (fault?.kind === "500") return send(500, { message: "Internal server error" });
    if (fault?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    const reply = (await this.api.handleRequest(request)) as Reply;
    if (fault?.kind === "lost") {
      req.socket.destroy();
      return;
    }
    send(reply.status, reply.body);
  }

  private project(refValue: string): ProjectState | undefined {
    return this.projects.get(refValue);
  }

  private projectView(p: ProjectState) {
    return { id: p.id, ref: p.ref, organization_id: `org-${p.organization}`, organization_slug: p.organization, name: p.name, region: p.region, created_at: "2026-11-21T00:00:00Z", status: p.status };
  }

  private newProject(fields: { name: string; organization: string; region: string; computeSize: string; password: string; isBranch: boolean }): ProjectState {
    const p: ProjectState = {
      ...fields,
      id: ref(),
      ref: ref(),
      status: "COMING_UP",
      pollsLeft: this.pollsUntilReady,
      finalStatus: this.nextFinalStatus,
      addons: FREE.includes(fields.computeSize) ? {} : { compute_instance: `ci_${fields.computeSize}` },
      ssl: false,
      cidrs: { v4: ["0.0.0.0/0"], v6: ["::/0"] },
      pooler: { mode: "transaction", poolSize: 15 },
      queries: [],
      anonKey: `anon-${randomBytes(8).toString("hex")}`,
      serviceKey: `service-${randomBytes(8).toString("hex")}`,
    };
    this.projects.set(p.ref, p);
    return p;
  }

  /** Reading a project advances it from COMING_UP, as time would. */
  private poll(p: ProjectState): void {
    if (p.status !== "COMING_UP") return;
    if (p.pollsLeft <= 0) p.status = p.finalStatus;
    else p.pollsLeft -= 1;
  }

  private handlers(): Record<string, (c: Context) => Reply> {
    const missing = (what: string): Reply => ({ status: 404, body: { message: `${what} not found` } });
    const withProject = (c: Context, run: (p: ProjectState) => Reply): Reply => {
      const p = this.project(String(c.request.params.ref));
      return p ? run(p) : missing("Project");
    };
    const body = (c: Context) => c.request.requestBody as Record<string, any>;
    return {
      "v1-get-all-projects-for-organization": (c) => {
        const slug = String(c.request.params.slug);
        const search = c.request.query.search ? String(c.request.query.search) : undefined;
        const projects = [...this.projects.values()].filter((p) => p.organization === slug && !p.isBranch && (!search || p.name.includes(search)));
        return {
          status: 200,
          body: {
            projects: projects.map((p) => ({
              ref: p.ref,
              name: p.name,
              cloud_provider: "AWS",
              region: p.region,
              is_branch: false,
              status: p.status,
              inserted_at: "2026-11-21T00:00:00Z",
              databases: [{ infra_compute_size: p.computeSize, region: p.region, status: p.status === "COMING_UP" ? "COMING_UP" : "ACTIVE_HEALTHY", cloud_provider: "AWS", identifier: p.ref, type: "PRIMARY", disk_volume_size_gb: 8, disk_type: "gp3", disk_throughput_mbps: 125, disk_last_modified_at: "2026-11-21T00:00:00Z" }],
            })),
            pagination: { count: projects.length, limit: 100, offset: 0 },
          },
        };
      },
      "v1-create-a-project": (c) => {
        const b = body(c);
        const p = this.newProject({ name: b.name, organization: b.organization_slug, region: b.region_selection.code, computeSize: b.desired_instance_size ?? "nano", password: b.db_pass, isBranch: false });
        return { status: 201, body: this.projectView(p) };
      },
      "v1-get-project": (c) =>
        withProject(c, (p) => {
          this.poll(p);
          return { status: 200, body: { ...this.projectView(p), database: { host: `db.${p.ref}.supabase.co`, version: "17.4.1", postgres_engine: "17", release_channel: "ga" } } };
        }),
      "v1-delete-a-project": (c) =>
        withProject(c, (p) => {
          this.projects.delete(p.ref);
          return { status: 200, body: { id: 1, ref: p.ref, name: p.name } };
        }),
      "v1-update-database-password": (c) =>
        withProject(c, (p) => {
          p.password = body(c).password;
          return { status: 200, body: { message: "ok" } };
        }),
      "v1-list-project-addons": (c) =>
        withProject(c, (p) => ({
          status: 200,
          body: {
            selected_addons: Object.entries(p.addons).map(([type, id]) => ({ type, variant: { id, name: id, price: { description: id, type: "fixed", interval: "monthly", amount: 0 } } })),
            available_addons: [],
          },
        })),
      "v1-apply-project-addon": (c) =>
        withProject(c, (p) => {
          const { addon_type, addon_variant } = body(c);
          p.addons[addon_type] = addon_variant;
          if (addon_type === "compute_instance") p.computeSize = String(addon_variant).replace(/^ci_/, "");
          return { status: 200 };
        }),
      "v1-remove-project-addon": (c) =>
        withProject(c, (p) => {
          const variant = String(c.request.params.addon_variant);
          const type = Object.keys(p.addons).find((t) => p.addons[t] === variant);
          if (!type) return missing("Add-on");
          delete p.addons[type];
          if (type === "compute_instance") p.computeSize = "nano";
          return { status: 200 };
        }),
      "v1-get-ssl-enforcement-config": (c) => withProject(c, (p) => ({ status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: true } })),
      "v1-update-ssl-enforcement-config": (c) =>
        withProject(c, (p) => {
          p.ssl = body(c).requestedConfig.database;
          return { status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: true } };
        }),
      "v1-get-network-restrictions": (c) =>
        withProject(c, (p) => ({ status: 200, body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" } })),
      "v1-update-network-restrictions": (c) =>
        withProject(c, (p) => {
          p.cidrs = { v4: body(c).dbAllowedCidrs ?? [], v6: body(c).dbAllowedCidrsV6 ?? [] };
          return { status: 201, body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" } };
        }),
      "v1-get-pooler-config": (c) =>
        withProject(c, (p) => ({
          status: 200,
          body: [
            {
              identifier: p.ref,
              database_type: "PRIMARY",
              is_using_scram_auth: true,
              db_user: `postgres.${p.ref}`,
              db_host: `aws-0-${p.region}.pooler.supabase.com`,
              db_port: p.pooler.mode === "session" ? 5432 : 6543,
              db_name: "postgres",
              connection_string: `postgresql://postgres.${p.ref}:[YOUR-PASSWORD]@aws-0-${p.region}.pooler.supabase.com:6543/postgres`,
              connectionString: `postgresql://postgres.${p.ref}:[YOUR-PASSWORD]@aws-0-${p.region}.pooler.supabase.com:6543/postgres`,
              default_pool_size: p.pooler.poolSize,
              max_client_conn: 200,
              pool_mode: p.pooler.mode,
            },
          ],
        })),
      "v1-update-pooler-config": (c) =>
        withProject(c, (p) => {
          const b = body(c);
          p.pooler = { mode: b.pool_mode ?? p.pooler.mode, poolSize: b.default_pool_size ?? p.pooler.poolSize };
          return { status: 200, body: { default_pool_size: p.pooler.poolSize, pool_mode: p.pooler.mode } };
        }),
      "v1-run-a-query": (c) =>
        withProject(c, (p) => {
          p.queries.push(body(c).query);
          return { status: 201, body: [] };
        }),
      "v1-get-project-api-keys": (c) =>
        withProject(c, (p) => {
          const reveal = String(c.request.query.reveal) === "true";
          const key = (name: string, value: string) => ({ name, api_key: reveal ? value : `${value.slice(0, 8)}...`, id: name, type: "legacy" });
          return { status: 200, body: [key("anon", p.anonKey), key("service_role", p.serviceKey)] };
        }),
      "v1-list-all-branches": (c) => withProject(c, (p) => ({ status: 200, body: [...this.branches.values()].filter((b) => b.parentRef === p.ref).map((b) => this.branchView(b)) })),
      "v1-create-a-branch": (c) =>
        withProject(c, (parent) => {
          const b = body(c);
          const child = this.newProject({ name: `${parent.name}-${b.branch_name}`, organization: parent.organization, region: parent.region, computeSize: b.desired_instance_size ?? "micro", password: randomBytes(16).toString("hex"), isBranch: true });
          const branch: BranchState = { id: randomBytes(16).toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"), name: b.branch_name, parentRef: parent.ref, projectRef: child.ref, gitBranch: b.git_branch };
          this.branches.set(branch.id, branch);
          return { status: 201, body: this.branchView(branch) };
        }),
      "v1-get-a-branch-config": (c) => {
        const branch = this.branches.get(String(c.request.params.branch_id_or_ref));
        if (!branch) return missing("Branch");
        const p = this.projects.get(branch.projectRef)!;
        this.poll(p);
        return {
          status: 200,
          body: { ref: p.ref, postgres_version: "17.4.1", postgres_engine: "17", release_channel: "ga", status: p.status, db_host: `db.${p.ref}.supabase.co`, db_port: 5432, db_user: "postgres", db_pass: p.password },
        };
      },
      "v1-delete-a-branch": (c) => {
        const branch = this.branches.get(String(c.request.params.branch_id_or_ref));
        if (!branch) return missing("Branch");
        this.branches.delete(branch.id);
        this.projects.delete(branch.projectRef);
        return { status: 200, body: { message: "ok" } };
      },
    };
  }

  private branchView(b: BranchState) {
    return {
      id: b.id,
      name: b.name,
      project_ref: b.projectRef,
      parent_project_ref: b.parentRef,
      is_default: false,
      ...(b.gitBranch ? { git_branch: b.gitBranch } : {}),
      persistent: false,
      status: "FUNCTIONS_DEPLOYED",
      created_at: "2026-11-21T00:00:00Z",
      updated_at: "2026-11-21T00:00:00Z",
      with_data: false,
    };
  }
}

const FREE = ["pico", "nano"];
