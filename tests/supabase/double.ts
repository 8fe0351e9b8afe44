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
// in `realism`, so a test can show it matters; faults can be injected. The handlers, one file per
// kind of thing (projects, settings, database, branches), are in ./handlers/; the state and the model
// they share are here.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { contractFile } from "../helpers";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Context } from "openapi-backend";
import { FaultQueue, type Fault } from "../doubles/faults";
import { SUPABASE_DEFAULT_EXTENSIONS } from "../../config/catalog";
import { branchHandlers } from "./handlers/branches";
import { databaseHandlers } from "./handlers/database";
import { projectHandlers } from "./handlers/projects";
import { helpers, type Reply } from "./handlers/shared";
import { settingsHandlers } from "./handlers/settings";
import { LocalServer, bodyOf } from "../doubles/http";

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
export const SERVICES = ["auth", "db", "db_postgres_user", "pooler", "realtime", "rest", "storage", "pg_bouncer"];
export const FREE_SIZES = ["pico", "nano"];

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

export function uuid(): string {
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
  private readonly http = new LocalServer((req, res) => this.handle(req, res));
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
    this.url = `${await this.http.start()}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.http.stop();
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

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = await bodyOf(req);
    const url = new URL(req.url ?? "/", "http://double");
    const text = received;
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
  rateLimit(): { headers: Record<string, string>; refused: boolean } {
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

  project(refValue: string): ProjectState | undefined {
    const p = this.projects.get(refValue);
    return p && this.statusOf(p) !== "REMOVED" ? p : undefined;
  }

  projectView(p: ProjectState) {
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

  newProject(
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

  handlers(): Record<string, (c: Context) => Reply> {
    const h = helpers(this);
    return { ...projectHandlers(this, h), ...settingsHandlers(this, h), ...databaseHandlers(this, h), ...branchHandlers(this, h) };
  }

  branchView(b: BranchState) {
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
