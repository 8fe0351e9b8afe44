// The one file that touches supabase-management-js (its package carries no license field, so it
// must stay replaceable): a narrow set of Management API calls in our own types, with retries on
// 429/5xx/network errors honouring Retry-After, and errors that name the resource and operation.
// Used inside dynamic-provider methods: the token (SUPABASE_ACCESS_TOKEN) and the endpoint
// (SUPABASE_API_URL) are read on each call, and the library is required at call time, so the
// serialized provider neither captures a credential nor inlines the library.
import { apiError as kitError, createOnce, isApiError, retrying, sleep, unlessNotFound, type ApiError } from "../provider-kit";

export const DEFAULT_SUPABASE_API_URL = "https://api.supabase.com";

/** What a call is for, so errors can name the resource and the operation. */
export interface CallContext {
  /** e.g. `project "shop-production"`. */
  readonly resource: string;
  /** e.g. `create`, `read`, `update`, `delete`. */
  readonly operation: string;
}

/** A failure from the Management API (the kit's ApiError). */
export type SupabaseApiError = ApiError;

export const isSupabaseApiError = isApiError;

function apiError(message: string, status: number | undefined, ambiguous: boolean): ApiError {
  return kitError(message, { ...(status !== undefined ? { status } : {}), notFound: status === 404, ambiguous, conflict: status === 409 });
}

interface Response<T> {
  data: T;
}

/** The library's client, untyped here on purpose: its types stay inside this file's calls. */
type Client = Record<string, (...args: any[]) => Promise<Response<any>>>;

function client(ctx: CallContext): Client {
  const accessToken = process.env.SUPABASE_ACCESS_TOKEN;
  if (!accessToken) {
    throw apiError(
      `Supabase ${ctx.operation} of ${ctx.resource} needs a Management API token: set SUPABASE_ACCESS_TOKEN (a personal access token).`,
      undefined,
      false,
    );
  }
  const lib = require("supabase-management-js") as typeof import("supabase-management-js");
  return new lib.SupabaseManagementAPI({ accessToken, baseUrl: process.env.SUPABASE_API_URL || DEFAULT_SUPABASE_API_URL }) as unknown as Client;
}

function describeFailure(err: unknown): { status: number | undefined; detail: string; retryAfter: string | null } {
  const e = err as { status?: number; data?: unknown; headers?: { get?(name: string): string | null }; message?: string; cause?: { code?: string } };
  if (typeof e?.status === "number") {
    const data = e.data as { message?: unknown } | string | undefined;
    const detail =
      typeof data === "object" && data && typeof data.message === "string"
        ? data.message
        : typeof data === "string" && data
          ? data.slice(0, 200)
          : `HTTP ${e.status}`;
    return { status: e.status, detail, retryAfter: e.headers?.get?.("retry-after") ?? null };
  }
  return { status: undefined, detail: `the connection failed (${e?.cause?.code ?? "network error"})`, retryAfter: null };
}

/** Where the rate limit stands: when the last answer said none are left, when the window reopens. */
const rateLimit = { reopensAt: 0 };

/** Seconds until the window reopens, or the epoch second it reopens at (both are in use). */
function reopensAt(reset: string | null | undefined, now: number): number | undefined {
  const n = Number(reset);
  if (!reset || !Number.isFinite(n) || n < 0) return undefined;
  return Math.min(n > 1e9 ? n * 1000 : now + n * 1000, now + 60_000);
}

/** Notes the X-RateLimit-* headers of an answer, so the next request waits instead of being refused. */
function noteRateLimit(headers: { get?(name: string): string | null } | undefined): void {
  const remaining = headers?.get?.("x-ratelimit-remaining");
  if (remaining === null || remaining === undefined || Number(remaining) > 0) return;
  const at = reopensAt(headers?.get?.("x-ratelimit-reset"), Date.now());
  if (at !== undefined) rateLimit.reopensAt = Math.max(rateLimit.reopensAt, at);
}

/**
 * Runs one library call. Reads and idempotent writes are retried on 429, 5xx and network errors;
 * a non-idempotent write (`write`) is retried only on 429, and otherwise fails as ambiguous. When
 * the rate limit's headers say the window is used up, the call waits for it to reopen.
 */
async function call<T>(
  ctx: CallContext,
  method: string | ((api: Client) => Promise<Response<any>>),
  args: unknown[],
  options: { write?: boolean } = {},
): Promise<T> {
  const api = client(ctx);
  const what = `Supabase ${ctx.operation} of ${ctx.resource}`;
  return retrying<T>(what, options.write === true, async () => {
    const wait = rateLimit.reopensAt - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      const response = typeof method === "function" ? await method(api) : await api[method]!(...args);
      noteRateLimit((response as { headers?: { get?(name: string): string | null } }).headers);
      return { ok: response.data as T };
    } catch (err) {
      noteRateLimit((err as { headers?: { get?(name: string): string | null } })?.headers);
      const { status, detail, retryAfter } = describeFailure(err);
      const last = status === undefined ? detail : `HTTP ${status}: ${detail}`;
      const transient = status === undefined || status === 429 || status >= 500;
      if (!transient) throw apiError(`${what} failed: ${last}`, status, false);
      return { retry: last, ...(status !== undefined ? { status } : {}), retryAfter, refused: status === 429 };
    }
  });
}

export interface ProjectInfo {
  readonly ref: string;
  readonly name: string;
  readonly status: string;
  readonly region: string;
  readonly organization: string;
}

export interface PoolerInfo {
  readonly mode: "transaction" | "session";
  readonly poolSize: number | null;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

export interface BranchInfo {
  readonly id: string;
  readonly name: string;
  readonly projectRef: string;
  readonly isDefault: boolean;
  readonly gitBranch: string | undefined;
}

/** A project's API keys: the publishable/secret pair, and the legacy pair while it is enabled. */
export interface ApiKeys {
  readonly publishable?: string;
  readonly secret?: string;
  readonly anon?: string;
  readonly serviceRole?: string;
}

/** The services whose health a project must report before it is used. */
export const HEALTH_SERVICES = ["auth", "db", "pooler", "realtime", "rest", "storage"] as const;

function projectInfo(p: { ref: string; name: string; status: string; region: string; organization_slug?: string }): ProjectInfo {
  return { ref: p.ref, name: p.name, status: p.status, region: p.region, organization: p.organization_slug ?? "" };
}

function branchInfo(b: { id: string; name: string; project_ref: string; is_default?: boolean; git_branch?: string }): BranchInfo {
  return { id: b.id, name: b.name, projectRef: b.project_ref, isDefault: b.is_default === true, gitBranch: b.git_branch };
}

/**
 * `GET /v1/projects/{ref}/health`, sent here rather than through the library: the spec's `services`
 * query is an exploded array (`services=auth&services=db`), and the library joins it with commas,
 * which the spec does not allow. Answers and fails the way the library's calls do.
 */
async function servicesHealth(ref: string): Promise<Response<unknown> & { status: number; headers: Headers }> {
  const query = HEALTH_SERVICES.map((s) => `services=${s}`).join("&");
  const response = await fetch(`${process.env.SUPABASE_API_URL || DEFAULT_SUPABASE_API_URL}/v1/projects/${encodeURIComponent(ref)}/health?${query}`, {
    headers: { authorization: `Bearer ${process.env.SUPABASE_ACCESS_TOKEN}` },
  });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the text itself describes the failure.
  }
  const result = { data, status: response.status, headers: response.headers };
  if (response.status >= 400) throw Object.assign(new Error(`[getServicesHealth] failed: HTTP ${response.status}`), result);
  return result;
}

/** The Management API calls the providers make. */
export const supabase = {
  /** The organization's plan (`free`, `pro`, `team`, ...). */
  async organizationPlan(ctx: CallContext, slug: string): Promise<string | undefined> {
    return (await call<{ plan?: string }>(ctx, "getAnOrganization", [slug])).plan;
  },

  /** The project of that name in the organization, unless it is gone. */
  async findProject(ctx: CallContext, organization: string, name: string): Promise<ProjectInfo | undefined> {
    const data = await call<{ projects: Array<{ ref: string; name: string; status: string; region: string }> }>(ctx, "getAllProjectsForOrganization", [
      organization,
      { search: name },
    ]);
    const found = data.projects.find((p) => p.name === name && p.status !== "REMOVED");
    return found ? projectInfo({ ...found, organization_slug: organization }) : undefined;
  },

  async createProject(
    ctx: CallContext,
    body: { name: string; organization: string; region: string; computeSize: string | undefined; dbPass: string },
  ): Promise<ProjectInfo> {
    const lookup = () => supabase.findProject(ctx, body.organization, body.name);
    return createOnce(lookup, async () =>
      projectInfo(
        await call(
          ctx,
          "createAProject",
          [
            {
              name: body.name,
              organization_slug: body.organization,
              region_selection: { type: "specific", code: body.region },
              // Left out, Supabase picks the smallest size the organization allows.
              ...(body.computeSize !== undefined ? { desired_instance_size: body.computeSize } : {}),
              db_pass: body.dbPass,
            },
          ],
          { write: true },
        ),
      ),
    );
  },

  async getProject(ctx: CallContext, ref: string): Promise<ProjectInfo> {
    return projectInfo(await call(ctx, "getProject", [ref]));
  },

  /** Each service's status (ACTIVE_HEALTHY, COMING_UP, UNHEALTHY). */
  async health(ctx: CallContext, ref: string): Promise<Array<{ name: string; status: string }>> {
    const data = await call<Array<{ name: string; healthy: boolean; status?: string }>>(ctx, () => servicesHealth(ref), []);
    return data.map((s) => ({ name: s.name, status: s.status ?? (s.healthy ? "ACTIVE_HEALTHY" : "UNHEALTHY") }));
  },

  async deleteProject(ctx: CallContext, ref: string): Promise<void> {
    await call(ctx, "deleteAProject", [ref]);
  },

  async setPassword(ctx: CallContext, ref: string, password: string): Promise<void> {
    await call(ctx, "updateDatabasePassword", [ref, { password }]);
  },

  /** The variants of the add-ons in use, by add-on type (e.g. `compute_instance` → `ci_small`). */
  async addons(ctx: CallContext, ref: string): Promise<Record<string, string>> {
    const data = await call<{ selected_addons: Array<{ type: string; variant: { id: string } }> }>(ctx, "listProjectAddons", [ref]);
    return Object.fromEntries(data.selected_addons.map((a) => [a.type, a.variant.id]));
  },

  async applyAddon(ctx: CallContext, ref: string, type: string, variant: string): Promise<void> {
    await call(ctx, "applyProjectAddon", [ref, { addon_type: type, addon_variant: variant }]);
  },

  async removeAddon(ctx: CallContext, ref: string, variant: string): Promise<void> {
    await call(ctx, "removeProjectAddon", [ref, variant]);
  },

  /** Whether SSL is enforced, and whether the last change has been applied. */
  async sslEnforcement(ctx: CallContext, ref: string): Promise<{ enforced: boolean; applied: boolean }> {
    const data = await call<{ currentConfig: { database: boolean }; appliedSuccessfully: boolean }>(ctx, "getSslEnforcementConfig", [ref]);
    return { enforced: data.currentConfig.database, applied: data.appliedSuccessfully };
  },

  async setSslEnforcement(ctx: CallContext, ref: string, enforced: boolean): Promise<void> {
    await call(ctx, "updateSslEnforcementConfig", [ref, { requestedConfig: { database: enforced } }]);
  },

  async networkRestrictions(ctx: CallContext, ref: string): Promise<{ v4: string[]; v6: string[] }> {
    const data = await call<{ config: { dbAllowedCidrs?: string[]; dbAllowedCidrsV6?: string[] } }>(ctx, "getNetworkRestrictions", [ref]);
    return { v4: data.config.dbAllowedCidrs ?? [], v6: data.config.dbAllowedCidrsV6 ?? [] };
  },

  async setNetworkRestrictions(ctx: CallContext, ref: string, v4: string[], v6: string[]): Promise<void> {
    await call(ctx, "updateNetworkRestrictions", [ref, { dbAllowedCidrs: v4, dbAllowedCidrsV6: v6 }]);
  },

  /**
   * The primary database's pooler; undefined while a new project has none yet, which Supabase says
   * either with an empty list or with `404 Pooler configuration not found` (callers know the
   * project itself exists).
   */
  async pooler(ctx: CallContext, ref: string): Promise<PoolerInfo | undefined> {
    type Config = {
      database_type: string;
      pool_mode: string;
      default_pool_size: number | null;
      db_user: string;
      db_host: string;
      db_port: number;
      db_name: string;
    };
    const data = await unlessNotFound(() => call<Config[]>(ctx, "getPoolerConfig", [ref]));
    if (data === undefined) return undefined;
    const primary = data.find((p) => p.database_type === "PRIMARY") ?? data[0];
    if (!primary) return undefined;
    return {
      mode: primary.pool_mode === "session" ? "session" : "transaction",
      poolSize: primary.default_pool_size,
      user: primary.db_user,
      host: primary.db_host,
      port: primary.db_port,
      database: primary.db_name,
    };
  },

  async setPooler(ctx: CallContext, ref: string, mode: string, poolSize: number): Promise<void> {
    await call(ctx, "updatePoolerConfig", [ref, { pool_mode: mode, default_pool_size: poolSize }]);
  },

  async runQuery(ctx: CallContext, ref: string, query: string): Promise<void> {
    await call(ctx, "runAQuery", [ref, { query }]);
  },

  /** The extensions installed in the database (`pg_extension`), read through the query endpoint. */
  async extensions(ctx: CallContext, ref: string): Promise<string[]> {
    const rows = await call<Array<{ extname?: unknown }>>(ctx, "runAQuery", [ref, { query: "select extname from pg_extension order by extname;" }]);
    return (Array.isArray(rows) ? rows : []).map((r) => r.extname).filter((n): n is string => typeof n === "string");
  },

  /** The project's keys, revealed: the new pair when it has one, the legacy pair while enabled. */
  async apiKeys(ctx: CallContext, ref: string): Promise<ApiKeys> {
    const data = await call<Array<{ name: string; type?: string | null; api_key?: string | null }>>(ctx, "getProjectApiKeys", [ref, { reveal: true }]);
    const of = (test: (k: { name: string; type?: string | null }) => boolean) => data.find(test)?.api_key ?? undefined;
    const keys: { -readonly [K in keyof ApiKeys]: ApiKeys[K] } = {};
    const publishable = of((k) => k.type === "publishable");
    const secret = of((k) => k.type === "secret");
    const anon = of((k) => k.name === "anon" && (k.type ?? "legacy") === "legacy");
    const serviceRole = of((k) => k.name === "service_role" && (k.type ?? "legacy") === "legacy");
    if (publishable) keys.publishable = publishable;
    if (secret) keys.secret = secret;
    if (anon) keys.anon = anon;
    if (serviceRole) keys.serviceRole = serviceRole;
    return keys;
  },

  async branches(ctx: CallContext, ref: string): Promise<BranchInfo[]> {
    const data = await call<Array<{ id: string; name: string; project_ref: string; is_default?: boolean; git_branch?: string }>>(ctx, "listAllBranches", [ref]);
    return data.map(branchInfo);
  },

  /** Creates a branch, once: looked up by name first, and again when the create's fate is unknown. */
  async createBranch(
    ctx: CallContext,
    parentRef: string,
    body: { name: string; gitBranch?: string; computeSize?: string; isDefault: boolean },
  ): Promise<BranchInfo> {
    const lookup = async () => (await supabase.branches(ctx, parentRef)).find((b) => b.name === body.name);
    const existing = await lookup();
    if (existing) return existing;
    return createOnce(lookup, async () =>
      branchInfo(
        await call(
          ctx,
          "createABranch",
          [
            parentRef,
            {
              branch_name: body.name,
              is_default: body.isDefault,
              persistent: body.isDefault,
              ...(body.gitBranch !== undefined ? { git_branch: body.gitBranch } : {}),
              ...(body.computeSize !== undefined ? { desired_instance_size: body.computeSize } : {}),
            },
          ],
          { write: true },
        ),
      ),
    );
  },

  /** A branch's own database: its ref, status and password (which Supabase may not show yet). */
  async branchConfig(ctx: CallContext, id: string): Promise<{ projectRef: string; status: string; dbPass: string | undefined }> {
    const b = await call<{ ref: string; status: string; db_pass?: string }>(ctx, "getABranchConfig", [id]);
    return { projectRef: b.ref, status: b.status, dbPass: b.db_pass || undefined };
  },

  async deleteBranch(ctx: CallContext, id: string): Promise<void> {
    await call(ctx, "deleteABranch", [id, {}]);
  },
};
