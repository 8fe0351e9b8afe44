// A local stand-in for Supabase's Management API, behaving as Supabase does (FIELD-NOTES §8, from
// the official Terraform provider and the Supabase CLI). Every request's method, path, query and
// JSON body is checked against the published OpenAPI document (contracts/supabase/openapi.json) by
// openapi-backend, and what the spec does not define is refused; each answer is itself checked
// against the spec. It keeps state and models what takes time on the real platform: projects come
// up (COMING_UP, then services unhealthy, then the pooler), an SSL change reboots the database, a
// resize passes RESIZING, deletion passes GOING_DOWN with the name still taken, a new project's pooler
// configuration answers 404 for a while; the first branch of a project becomes its default branch,
// one git branch links to one Supabase branch, a branch's password may never show; nano exists only in free organizations; the legacy key pair can be
// switched off; requests are rate-limited with X-RateLimit-* headers. Each behaviour has a switch
// in `realism`, so a test can show it matters; faults can be injected.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contractFile } from "../helpers";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Context } from "openapi-backend";
import { FaultQueue, type Fault } from "../doubles/faults";
import { SUPABASE_DEFAULT_EXTENSIONS } from "../../config/catalog";

interface Reply {
  status: number;
  body?: unknown;
}

export interface RequestRecord {
  operation: string;
  method: string;
  path: string;
  status: number;
  at: number;
  body?: unknown;
}

/** How the double behaves; every timing is in ms, 0 switches the behaviour off. */
export interface SupabaseRealism {
  /** A new project is COMING_UP this long. */
  comingUpMs: number;
  /** `/health` reports services not yet healthy this long after creation, an SSL change or a resize. */
  unhealthyMs: number;
  /** After an SSL-enforcement change, `appliedSuccessfully` is false this long. */
  sslApplyMs: number;
  /** A compute change keeps the project RESIZING this long; settings writes fail meanwhile. */
  resizeMs: number;
  /** A deleted project is GOING_DOWN this long, its name still taken, before it is REMOVED. */
  goingDownMs: number;
  /** The pooler configuration is missing this long after the new project is healthy (0: never missing). */
  poolerMissingMs: number;
  /** How a missing pooler configuration answers: `404 Pooler configuration not found`, or an empty list. */
  poolerMissingAs: "404" | "empty";
  /** Reads of a new branch's configuration that leave out `db_pass` (Infinity: it never shows). */
  branchPasswordMissingReads: number;
  /** The first branch of a project becomes its default branch: the project's own database. */
  firstBranchDefault: boolean;
  /** One git branch links to at most one Supabase branch. */
  oneBranchPerGitBranch: boolean;
  /** `nano` (and `pico`) exist only in free organizations. */
  nanoOnlyInFreeOrgs: boolean;
  /** Projects have publishable and secret keys besides the legacy pair. */
  newKeys: boolean;
  /** Requests allowed per window and token (0: no limit), with X-RateLimit-* headers. */
  rateLimit: number;
  rateWindowMs: number;
}

/** Supabase's behaviour at test speed. */
export const FULL_REALISM: SupabaseRealism = {
  comingUpMs: 150,
  unhealthyMs: 100,
  sslApplyMs: 100,
  resizeMs: 150,
  goingDownMs: 150,
  poolerMissingMs: 200,
  poolerMissingAs: "404",
  branchPasswordMissingReads: Number.POSITIVE_INFINITY,
  firstBranchDefault: true,
  oneBranchPerGitBranch: true,
  nanoOnlyInFreeOrgs: true,
  newKeys: true,
  rateLimit: 120,
  rateWindowMs: 1000,
};

/** A double that answers at once and enforces nothing of the platform's behaviour. */
export const NO_REALISM: SupabaseRealism = {
  comingUpMs: 0,
  unhealthyMs: 0,
  sslApplyMs: 0,
  resizeMs: 0,
  goingDownMs: 0,
  poolerMissingMs: 0,
  poolerMissingAs: "empty",
  branchPasswordMissingReads: 0,
  firstBranchDefault: false,
  oneBranchPerGitBranch: false,
  nanoOnlyInFreeOrgs: false,
  newKeys: false,
  rateLimit: 0,
  rateWindowMs: 1000,
};

export interface ProjectState {
  id: string;
  ref: string;
  name: string;
  organization: string;
  region: string;
  computeSize: string;
  password: string;
  isBranch: boolean;
  /** Until when (ms since the epoch) each passing state lasts. */
  comingUpUntil: number;
  resizingUntil: number;
  unhealthyUntil: number;
  sslAppliedAt: number;
  poolerAt: number;
  /** Set when deleted: GOING_DOWN until then, REMOVED after. */
  removedAt?: number;
  /** The state a new project ends in (INIT_FAILED to model a failed creation). */
  finalStatus: string;
  addons: Record<string, string>;
  ssl: boolean;
  cidrs: { v4: string[]; v6: string[] };
  pooler: { mode: string; poolSize: number };
  /** The statements run through the query endpoint that changed the database (reads are not kept). */
  queries: string[];
  /** Installed extensions (`pg_extension`): Supabase's defaults, and what `create extension` added. */
  extensions: string[];
  anonKey: string;
  serviceKey: string;
  publishableKey: string;
  secretKey: string;
  legacyKeys: boolean;
  /** Times its password was set after creation. */
  passwordResets: number;
}

export interface BranchState {
  id: string;
  name: string;
  parentRef: string;
  projectRef: string;
  gitBranch: string | undefined;
  isDefault: boolean;
  passwordReadsLeft: number;
}

/** The services `/health` knows. */
const SERVICES = ["auth", "db", "db_postgres_user", "pooler", "realtime", "rest", "storage", "pg_bouncer"];
const FREE_SIZES = ["pico", "nano"];

/**
 * The spec writes exclusive bounds the OpenAPI 3.0 way (`minimum: 0, exclusiveMinimum: true`); the
 * JSON Schema validator underneath reads draft-07 (`exclusiveMinimum: 0`). Same constraint, restated.
 */
function draft7Bounds(node: unknown): any {
  if (Array.isArray(node)) return node.map(draft7Bounds);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = draft7Bounds(v);
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
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

function uuid(): string {
  return randomBytes(16)
    .toString("hex")
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}

export class SupabaseDouble {
  readonly token = `sbp_${randomBytes(20).toString("hex")}`;
  readonly requests: RequestRecord[] = [];
  /** Requests refused because the spec does not define them (should stay empty). */
  readonly rejected: Array<{ method: string; path: string; errors: unknown }> = [];
  /** Answers of the double that the spec does not allow (a bug in the double; should stay empty). */
  readonly badResponses: Array<{ operation: string; errors: unknown }> = [];
  /** Settings writes refused because the project was not ready (COMING_UP, RESIZING, unhealthy). */
  readonly refusedWhileBusy: Array<{ operation: string; status: string }> = [];
  readonly projects = new Map<string, ProjectState>();
  readonly branches = new Map<string, BranchState>();
  /** Each organization's plan; an organization not listed is on `pro`. */
  readonly organizations = new Map<string, string>();
  realism: SupabaseRealism = { ...FULL_REALISM };
  /** The state the next new project ends up in. */
  nextFinalStatus = "ACTIVE_HEALTHY";
  url = "";
  private faults = new FaultQueue();
  private server?: Server;
  private api: OpenAPIBackend;
  private window = { start: 0, used: 0 };

  constructor() {
    this.api = new OpenAPIBackend({
      definition: draft7Bounds(JSON.parse(readFileSync(contractFile("supabase/openapi.json"), "utf8"))),
      quick: true,
      validate: true,
      // Formats (uuid, date-time, uri) are checked as the spec writes them.
      customizeAjv: (ajv) => addFormats(ajv),
    });
    this.api.registerSecurityHandler("bearer", (c) => c.request.headers.authorization === `Bearer ${this.token}`);
    // The spec's operations also accept `fga_permissions`, a scheme it never declares: with no
    // handler registered for it, openapi-backend counts it as not satisfied, so only the bearer
    // token gets in (registering one only made it warn that the scheme is unknown).
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

  /** What the providers need to reach the double, with short polls and waits. */
  env(): Record<string, string> {
    return {
      SUPABASE_API_URL: this.url,
      SUPABASE_ACCESS_TOKEN: this.token,
      PLATFORM_RETRY_BASE_MS: "5",
      PLATFORM_SUPABASE_POLL_MS: "10",
      PLATFORM_SUPABASE_TIMEOUT_MS: "20000",
    };
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

  /** Projects of that name not yet removed. */
  projectNamed(name: string): ProjectState[] {
    return [...this.projects.values()].filter((p) => p.name === name && this.statusOf(p) !== "REMOVED");
  }

  /** A project as it is now: its passing states follow the clock. */
  statusOf(p: ProjectState): string {
    const now = Date.now();
    if (p.removedAt !== undefined) return now < p.removedAt ? "GOING_DOWN" : "REMOVED";
    if (now < p.comingUpUntil) return "COMING_UP";
    if (p.finalStatus !== "ACTIVE_HEALTHY") return p.finalStatus;
    if (now < p.resizingUntil) return "RESIZING";
    return "ACTIVE_HEALTHY";
  }

  /** Whether every service reports healthy. */
  healthy(p: ProjectState): boolean {
    return this.statusOf(p) === "ACTIVE_HEALTHY" && Date.now() >= p.unhealthyUntil;
  }

  /** Starts a fresh rate-limit window. */
  resetRateLimit(): void {
    this.window = { start: Date.now(), used: 0 };
  }

  /** A project made as a person would have made it in the dashboard (for adoption). */
  seedProject(fields: { name: string; organization: string; region: string; computeSize: string; password: string; ref?: string }): ProjectState {
    const { ref: given, ...rest } = fields;
    const p = this.newProject({ ...rest, isBranch: false }, true);
    if (given === undefined) return p;
    this.projects.delete(p.ref);
    p.ref = given;
    this.projects.set(given, p);
    return p;
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
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length > 1 ? values : values[0]!;
    }
    const request = { method: req.method ?? "GET", path: url.pathname, query, body, headers: req.headers as Record<string, string> };
    const operation = this.api.matchOperation(request)?.operationId ?? "unknown";
    const record: RequestRecord = { operation, method: request.method, path: request.path, status: 0, at: Date.now(), ...(body !== undefined ? { body } : {}) };
    this.requests.push(record);
    const limit = this.rateLimit();
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { ...(payload === undefined ? {} : { "content-type": "application/json" }), ...limit.headers, ...headers });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    if (limit.refused) return send(429, { message: "Too many requests" });
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

  /** Counts the request against the token's window: headers for the answer, and whether it is refused. */
  private rateLimit(): { headers: Record<string, string>; refused: boolean } {
    const { rateLimit, rateWindowMs } = this.realism;
    if (rateLimit <= 0) return { headers: {}, refused: false };
    const now = Date.now();
    if (now - this.window.start >= rateWindowMs) this.window = { start: now, used: 0 };
    this.window.used += 1;
    const resetSeconds = Math.max(1, Math.ceil((this.window.start + rateWindowMs - now) / 1000));
    const headers = {
      "x-ratelimit-limit": String(rateLimit),
      "x-ratelimit-remaining": String(Math.max(0, rateLimit - this.window.used)),
      "x-ratelimit-reset": String(resetSeconds),
    };
    const refused = this.window.used > rateLimit;
    return { headers: refused ? { ...headers, "retry-after": String(resetSeconds) } : headers, refused };
  }

  private project(refValue: string): ProjectState | undefined {
    const p = this.projects.get(refValue);
    return p && this.statusOf(p) !== "REMOVED" ? p : undefined;
  }

  private projectView(p: ProjectState) {
    return {
      id: p.id,
      ref: p.ref,
      organization_id: `org-${p.organization}`,
      organization_slug: p.organization,
      name: p.name,
      region: p.region,
      created_at: "2026-11-21T00:00:00Z",
      status: this.statusOf(p),
    };
  }

  private newProject(
    fields: { name: string; organization: string; region: string; computeSize: string; password: string; isBranch: boolean },
    settled = false,
  ): ProjectState {
    const r = this.realism;
    const now = settled ? 0 : Date.now();
    const p: ProjectState = {
      ...fields,
      id: ref(),
      ref: ref(),
      comingUpUntil: now + r.comingUpMs,
      resizingUntil: 0,
      unhealthyUntil: now + r.comingUpMs + r.unhealthyMs,
      sslAppliedAt: 0,
      // The pooler is provisioned once the project is up: missing for a while after it is healthy.
      poolerAt: r.poolerMissingMs > 0 ? now + r.comingUpMs + r.unhealthyMs + r.poolerMissingMs : now,
      finalStatus: this.nextFinalStatus,
      addons: FREE_SIZES.includes(fields.computeSize) ? {} : { compute_instance: `ci_${fields.computeSize}` },
      ssl: false,
      cidrs: { v4: ["0.0.0.0/0"], v6: ["::/0"] },
      pooler: { mode: "transaction", poolSize: 15 },
      queries: [],
      extensions: [...SUPABASE_DEFAULT_EXTENSIONS],
      anonKey: `eyJanon.${randomBytes(8).toString("hex")}`,
      serviceKey: `eyJservice.${randomBytes(8).toString("hex")}`,
      publishableKey: `sb_publishable_${randomBytes(8).toString("hex")}`,
      secretKey: `sb_secret_${randomBytes(8).toString("hex")}`,
      legacyKeys: true,
      passwordResets: 0,
    };
    this.projects.set(p.ref, p);
    return p;
  }

  private handlers(): Record<string, (c: Context) => Reply> {
    const missing = (what: string): Reply => ({ status: 404, body: { message: `${what} not found` } });
    const withProject = (c: Context, run: (p: ProjectState) => Reply): Reply => {
      const p = this.project(String(c.request.params.ref));
      return p ? run(p) : missing("Project");
    };
    // A settings write reaches a database that is up, not one booting, resizing or restarting.
    const whenReady = (c: Context, run: (p: ProjectState) => Reply): Reply =>
      withProject(c, (p) => {
        const status = this.statusOf(p);
        if (status !== "ACTIVE_HEALTHY" || !this.healthy(p)) {
          const shown = status === "ACTIVE_HEALTHY" ? "restarting" : status;
          this.refusedWhileBusy.push({ operation: c.operation.operationId ?? "?", status: shown });
          return { status: 400, body: { message: `Project ${p.ref} is ${shown}; try again once it is ACTIVE_HEALTHY.` } };
        }
        return run(p);
      });
    const body = (c: Context) => c.request.requestBody as Record<string, any>;
    const orgPlan = (slug: string) => this.organizations.get(slug) ?? "pro";
    const sizeRefused = (slug: string, size: string | undefined): Reply | undefined =>
      this.realism.nanoOnlyInFreeOrgs && size !== undefined && FREE_SIZES.includes(size) && orgPlan(slug) !== "free"
        ? { status: 400, body: { message: `Instance size ${size} is only available to organizations on the free plan.` } }
        : undefined;
    const smallest = (slug: string) => (this.realism.nanoOnlyInFreeOrgs && orgPlan(slug) !== "free" ? "micro" : "nano");
    return {
      "v1-get-an-organization": (c) => {
        const slug = String(c.request.params.slug);
        return { status: 200, body: { id: slug, name: slug, plan: orgPlan(slug), opt_in_tags: [], allowed_release_channels: ["ga"] } };
      },
      "v1-get-all-projects-for-organization": (c) => {
        const slug = String(c.request.params.slug);
        const search = c.request.query.search ? String(c.request.query.search) : undefined;
        const projects = [...this.projects.values()].filter(
          (p) => p.organization === slug && !p.isBranch && this.statusOf(p) !== "REMOVED" && (!search || p.name.includes(search)),
        );
        return {
          status: 200,
          body: {
            projects: projects.map((p) => ({
              ref: p.ref,
              name: p.name,
              cloud_provider: "AWS",
              region: p.region,
              is_branch: false,
              status: this.statusOf(p),
              inserted_at: "2026-11-21T00:00:00Z",
              databases: [
                {
                  infra_compute_size: p.computeSize,
                  region: p.region,
                  status: this.statusOf(p) === "COMING_UP" ? "COMING_UP" : "ACTIVE_HEALTHY",
                  cloud_provider: "AWS",
                  identifier: p.ref,
                  type: "PRIMARY",
                  disk_volume_size_gb: 8,
                  disk_type: "gp3",
                  disk_throughput_mbps: 125,
                  disk_last_modified_at: "2026-11-21T00:00:00Z",
                },
              ],
            })),
            pagination: { count: projects.length, limit: 100, offset: 0 },
          },
        };
      },
      "v1-create-a-project": (c) => {
        const b = body(c);
        const refused = sizeRefused(b.organization_slug, b.desired_instance_size);
        if (refused) return refused;
        // The name stays taken until a deleted project is REMOVED.
        if (this.realism.goingDownMs > 0 && this.projectNamed(b.name).some((p) => p.organization === b.organization_slug && !p.isBranch)) {
          return { status: 409, body: { message: `A project named ${b.name} already exists in this organization.` } };
        }
        const p = this.newProject({
          name: b.name,
          organization: b.organization_slug,
          region: b.region_selection.code,
          computeSize: b.desired_instance_size ?? smallest(b.organization_slug),
          password: b.db_pass,
          isBranch: false,
        });
        return { status: 201, body: this.projectView(p) };
      },
      "v1-get-project": (c) =>
        withProject(c, (p) => ({
          status: 200,
          body: { ...this.projectView(p), database: { host: `db.${p.ref}.supabase.co`, version: "17.4.1", postgres_engine: "17", release_channel: "ga" } },
        })),
      "v1-get-services-health": (c) =>
        withProject(c, (p) => {
          const asked = ([] as string[]).concat(c.request.query.services as string | string[]);
          const up = this.healthy(p);
          const coming = this.statusOf(p) === "COMING_UP";
          const status = up ? "ACTIVE_HEALTHY" : coming ? "COMING_UP" : "UNHEALTHY";
          return { status: 200, body: asked.filter((s) => SERVICES.includes(s)).map((name) => ({ name, healthy: up, status })) };
        }),
      "v1-delete-a-project": (c) =>
        withProject(c, (p) => {
          if (this.statusOf(p) === "GOING_DOWN") return { status: 200, body: { id: 1, ref: p.ref, name: p.name } };
          p.removedAt = Date.now() + this.realism.goingDownMs;
          return { status: 200, body: { id: 1, ref: p.ref, name: p.name } };
        }),
      "v1-update-database-password": (c) =>
        withProject(c, (p) => {
          p.password = body(c).password;
          p.passwordResets += 1;
          return { status: 200, body: { message: "ok" } };
        }),
      "v1-list-project-addons": (c) =>
        withProject(c, (p) => ({
          status: 200,
          body: {
            selected_addons: Object.entries(p.addons).map(([type, id]) => ({
              type,
              variant: { id, name: id, price: { description: id, type: "fixed", interval: "monthly", amount: 0 } },
            })),
            available_addons: [],
          },
        })),
      "v1-apply-project-addon": (c) =>
        whenReady(c, (p) => {
          const { addon_type, addon_variant } = body(c);
          p.addons[addon_type] = addon_variant;
          if (addon_type === "compute_instance") {
            p.computeSize = String(addon_variant).replace(/^ci_/, "");
            const now = Date.now();
            p.resizingUntil = now + this.realism.resizeMs;
            p.unhealthyUntil = p.resizingUntil + this.realism.unhealthyMs;
          }
          return { status: 200 };
        }),
      "v1-remove-project-addon": (c) =>
        whenReady(c, (p) => {
          const variant = String(c.request.params.addon_variant);
          const type = Object.keys(p.addons).find((t) => p.addons[t] === variant);
          if (!type) return missing("Add-on");
          delete p.addons[type];
          if (type === "compute_instance") p.computeSize = smallest(p.organization);
          return { status: 200 };
        }),
      "v1-get-ssl-enforcement-config": (c) =>
        withProject(c, (p) => ({ status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: Date.now() >= p.sslAppliedAt } })),
      "v1-update-ssl-enforcement-config": (c) =>
        whenReady(c, (p) => {
          p.ssl = body(c).requestedConfig.database;
          // The database reboots to apply it.
          const now = Date.now();
          p.sslAppliedAt = now + this.realism.sslApplyMs;
          p.unhealthyUntil = p.sslAppliedAt + this.realism.unhealthyMs;
          return { status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: this.realism.sslApplyMs === 0 } };
        }),
      "v1-get-network-restrictions": (c) =>
        withProject(c, (p) => ({
          status: 200,
          body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" },
        })),
      "v1-update-network-restrictions": (c) =>
        whenReady(c, (p) => {
          p.cidrs = { v4: body(c).dbAllowedCidrs ?? [], v6: body(c).dbAllowedCidrsV6 ?? [] };
          return { status: 201, body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" } };
        }),
      "v1-get-pooler-config": (c) =>
        withProject(c, (p) => {
          if (Date.now() < p.poolerAt)
            return this.realism.poolerMissingAs === "404" ? { status: 404, body: { message: "Pooler configuration not found" } } : { status: 200, body: [] };
          const host = `aws-0-${p.region}.pooler.supabase.com`;
          const port = p.pooler.mode === "session" ? 5432 : 6543;
          const connection = `postgresql://postgres.${p.ref}:[YOUR-PASSWORD]@${host}:${port}/postgres`;
          return {
            status: 200,
            body: [
              {
                identifier: p.ref,
                database_type: "PRIMARY",
                is_using_scram_auth: true,
                db_user: `postgres.${p.ref}`,
                db_host: host,
                db_port: port,
                db_name: "postgres",
                connection_string: connection,
                connectionString: connection,
                default_pool_size: p.pooler.poolSize,
                max_client_conn: 200,
                pool_mode: p.pooler.mode,
              },
            ],
          };
        }),
      "v1-update-pooler-config": (c) =>
        whenReady(c, (p) => {
          const b = body(c);
          p.pooler = { mode: b.pool_mode ?? p.pooler.mode, poolSize: b.default_pool_size ?? p.pooler.poolSize };
          return { status: 200, body: { default_pool_size: p.pooler.poolSize, pool_mode: p.pooler.mode } };
        }),
      "v1-run-a-query": (c) =>
        whenReady(c, (p) => {
          // The double understands the statements the providers and the import send: reading
          // pg_extension and creating extensions; anything else is kept and answers no rows.
          const query = String(body(c).query);
          if (/^\s*select\s+extname\s+from\s+pg_extension\b/i.test(query))
            return { status: 201, body: [...p.extensions].sort().map((extname) => ({ extname })) };
          p.queries.push(query);
          for (const m of query.matchAll(/create extension if not exists "([a-z_][a-z0-9_]*)"/gi)) if (!p.extensions.includes(m[1]!)) p.extensions.push(m[1]!);
          return { status: 201, body: [] };
        }),
      "v1-get-project-api-keys": (c) =>
        withProject(c, (p) => {
          const reveal = String(c.request.query.reveal) === "true";
          const key = (name: string, type: string, value: string) => ({
            name,
            api_key: reveal ? value : `${value.slice(0, 12)}...`,
            id: `${p.ref}-${name}`,
            type,
          });
          const keys = [
            ...(p.legacyKeys ? [key("anon", "legacy", p.anonKey), key("service_role", "legacy", p.serviceKey)] : []),
            ...(this.realism.newKeys ? [key("default", "publishable", p.publishableKey), key("default", "secret", p.secretKey)] : []),
          ];
          return { status: 200, body: keys };
        }),
      "v1-get-project-legacy-api-keys": (c) => withProject(c, (p) => ({ status: 200, body: { enabled: p.legacyKeys } })),
      "v1-update-project-legacy-api-keys": (c) =>
        withProject(c, (p) => {
          p.legacyKeys = String(c.request.query.enabled) === "true";
          return { status: 200, body: { enabled: p.legacyKeys } };
        }),
      "v1-list-all-branches": (c) =>
        withProject(c, (p) => ({ status: 200, body: [...this.branches.values()].filter((b) => b.parentRef === p.ref).map((b) => this.branchView(b)) })),
      "v1-get-a-branch": (c) =>
        withProject(c, (p) => {
          const found = [...this.branches.values()].find((b) => b.parentRef === p.ref && b.name === String(c.request.params.name));
          return found ? { status: 200, body: this.branchView(found) } : missing("Branch");
        }),
      "v1-create-a-branch": (c) =>
        withProject(c, (parent) => {
          const b = body(c);
          const siblings = [...this.branches.values()].filter((x) => x.parentRef === parent.ref);
          if (siblings.some((x) => x.name === b.branch_name)) return { status: 409, body: { message: `Branch ${b.branch_name} already exists.` } };
          if (this.realism.oneBranchPerGitBranch && b.git_branch !== undefined) {
            const linked = siblings.find((x) => x.gitBranch === b.git_branch);
            if (linked) return { status: 422, body: { message: `Git branch ${b.git_branch} is already linked to branch ${linked.name}.` } };
          }
          // The first branch of a project is its default branch: the project's own database.
          const isDefault = b.is_default === true || (this.realism.firstBranchDefault && siblings.length === 0);
          if (isDefault && siblings.some((x) => x.isDefault)) return { status: 422, body: { message: "The project already has a default branch." } };
          const refused = sizeRefused(parent.organization, b.desired_instance_size);
          if (refused) return refused;
          const projectRef = isDefault
            ? parent.ref
            : this.newProject({
                name: `${parent.name}-${b.branch_name}`,
                organization: parent.organization,
                region: parent.region,
                computeSize: b.desired_instance_size ?? "micro",
                password: randomBytes(16).toString("hex"),
                isBranch: true,
              }).ref;
          const branch: BranchState = {
            id: uuid(),
            name: b.branch_name,
            parentRef: parent.ref,
            projectRef,
            gitBranch: b.git_branch,
            isDefault,
            passwordReadsLeft: this.realism.branchPasswordMissingReads,
          };
          this.branches.set(branch.id, branch);
          return { status: 201, body: this.branchView(branch) };
        }),
      "v1-get-a-branch-config": (c) => {
        const branch = this.branches.get(String(c.request.params.branch_id_or_ref));
        if (!branch) return missing("Branch");
        const p = this.projects.get(branch.projectRef)!;
        const withPassword = branch.passwordReadsLeft <= 0;
        if (!withPassword) branch.passwordReadsLeft -= 1;
        return {
          status: 200,
          body: {
            ref: p.ref,
            postgres_version: "17.4.1",
            postgres_engine: "17",
            release_channel: "ga",
            status: this.statusOf(p),
            db_host: `db.${p.ref}.supabase.co`,
            db_port: 5432,
            db_user: "postgres",
            ...(withPassword ? { db_pass: p.password } : {}),
          },
        };
      },
      "v1-delete-a-branch": (c) => {
        const branch = this.branches.get(String(c.request.params.branch_id_or_ref));
        if (!branch) return missing("Branch");
        if (branch.isDefault) return { status: 422, body: { message: "Cannot delete the default branch." } };
        this.branches.delete(branch.id);
        this.projects.get(branch.projectRef)!.removedAt = Date.now() + this.realism.goingDownMs;
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
      is_default: b.isDefault,
      ...(b.gitBranch ? { git_branch: b.gitBranch } : {}),
      persistent: b.isDefault,
      status: "FUNCTIONS_DEPLOYED",
      created_at: "2026-11-21T00:00:00Z",
      updated_at: "2026-11-21T00:00:00Z",
      with_data: false,
    };
  }
}
