// The one file that touches supabase-management-js (its package carries no license field, so it
// must stay replaceable): a narrow set of Management API calls in our own types, with retries on
// 429/5xx/network errors honouring Retry-After, and errors that name the resource and operation.
// Used inside dynamic-provider methods: the token (SUPABASE_ACCESS_TOKEN) and the endpoint
// (SUPABASE_API_URL) are read on each call, and the library is required at call time, so the
// serialized provider neither captures a credential nor inlines the library.
import { apiError as kitError, createOnce, isApiError, retrying, type ApiError } from "../provider-kit";

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
    throw apiError(`Supabase ${ctx.operation} of ${ctx.resource} needs a Management API token: set SUPABASE_ACCESS_TOKEN (a personal access token).`, undefined, false);
  }
  const lib = require("supabase-management-js") as typeof import("supabase-management-js");
  return new lib.SupabaseManagementAPI({ accessToken, baseUrl: process.env.SUPABASE_API_URL || DEFAULT_SUPABASE_API_URL }) as unknown as Client;
}

function describeFailure(err: unknown): { status: number | undefined; detail: string; retryAfter: string | null } {
  const e = err as { status?: number; data?: unknown; headers?: { get?(name: string): string | null }; message?: string; cause?: { code?: string } };
  if (typeof e?.status === "number") {
    const data = e.data as { message?: unknown } | string | undefined;
    const detail = typeof data === "object" && data && typeof data.message === "string" ? data.message : typeof data === "string" && data ? data.slice(0, 200) : `HTTP ${e.status}`;
    return { status: e.status, detail, retryAfter: e.headers?.get?.("retry-after") ?? null };
  }
  return { status: undefined, detail: `the connection failed (${e?.cause?.code ?? "network error"})`, retryAfter: null };
}

/**
 * Runs one library call. Reads and idempotent writes are retried on 429, 5xx and network errors;
 * a non-idempotent write (`write`) is retried only on 429, and otherwise fails as ambiguous.
 */
async function call<T>(ctx: CallContext, method: string, args: unknown[], options: { write?: boolean } = {}): Promise<T> {
  const api = client(ctx);
  const what = `Supabase ${ctx.operation} of ${ctx.resource}`;
  return retrying<T>(what, options.write === true, async () => {
    try {
      const response = await api[method]!(...args);
      return { ok: response.data as T };
    } catch (err) {
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
  readonly status: string;
}

function projectInfo(p: { ref: string; name: string; status: string; region: string; organization_slug?: string }): ProjectInfo {
  return { ref: p.ref, name: p.name, status: p.status, region: p.region, organization: p.organization_slug ?? "" };
}

/** The Management API calls the providers make. */
export const supabase = {
  async findProject(ctx: CallContext, organization: string, name: string): Promise<ProjectInfo | undefined> {
    const data = await call<{ projects: Array<{ ref: string; name: string; status: string; region: string }> }>(ctx, "getAllProjectsForOrganization", [organization, { search: name }]);
    const found = data.projects.find((p) => p.name === name);
    return found ? projectInfo({ ...found, organization_slug: organization }) : undefined;
  },

  async createProject(ctx: CallContext, body: { name: string; organization: string; region: string; computeSize: string; dbPass: string }): Promise<ProjectInfo> {
    const lookup = () => supabase.findProject(ctx, body.organization, body.name);
    return createOnce(
      lookup,
      async () =>
        projectInfo(
          await call(ctx, "createAProject", [
            {
              name: body.name,
              organization_slug: body.organization,
              region_selection: { type: "specific", code: body.region },
              desired_instance_size: body.computeSize,
              db_pass: body.dbPass,
            },
          ], { write: true }),
        ),
    );
  },

  async getProject(ctx: CallContext, ref: string): Promise<ProjectInfo> {
    return projectInfo(await call(ctx, "getProject", [ref]));
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

  async sslEnforcement(ctx: CallContext, ref: string): Promise<boolean> {
    const data = await call<{ currentConfig: { database: boolean } }>(ctx, "getSslEnforcementConfig", [ref]);
    return data.currentConfig.database;
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

  /** The primary database's pooler. */
  async pooler(ctx: CallContext, ref: string): Promise<PoolerInfo> {
    const data = await call<Array<{ database_type: string; pool_mode: string; default_pool_size: number | null; db_user: string; db_host: string; db_port: number; db_name: string }>>(ctx, "getPoolerConfig", [ref]);
    const primary = data.find((p) => p.database_type === "PRIMARY") ?? data[0];
    if (!primary) throw apiError(`Supabase ${ctx.operation} of ${ctx.resource} failed: the project has no connection pooler.`, undefined, false);
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

  /** The project's `anon` and `service_role` API keys. */
  async apiKeys(ctx: CallContext, ref: string): Promise<{ anon: string; serviceRole: string }> {
    const data = await call<Array<{ name: string; api_key?: string | null }>>(ctx, "getProjectApiKeys", [ref, { reveal: true }]);
    const key = (name: string) => {
      const found = data.find((k) => k.name === name)?.api_key;
      if (!found) throw apiError(`Supabase ${ctx.operation} of ${ctx.resource} failed: the project has no '${name}' API key.`, undefined, false);
      return found;
    };
    return { anon: key("anon"), serviceRole: key("service_role") };
  },

  async branches(ctx: CallContext, ref: string): Promise<BranchInfo[]> {
    const data = await call<Array<{ id: string; name: string; project_ref: string; status: string }>>(ctx, "listAllBranches", [ref]);
    return data.map((b) => ({ id: b.id, name: b.name, projectRef: b.project_ref, status: b.status }));
  },

  async createBranch(ctx: CallContext, parentRef: string, body: { name: string; gitBranch: string; computeSize: string }): Promise<BranchInfo> {
    const lookup = async () => (await supabase.branches(ctx, parentRef)).find((b) => b.name === body.name);
    return createOnce(
      lookup,
      async () => {
        const b = await call<{ id: string; name: string; project_ref: string; status: string }>(
          ctx,
          "createABranch",
          [parentRef, { branch_name: body.name, git_branch: body.gitBranch, persistent: false, desired_instance_size: body.computeSize }],
          { write: true },
        );
        return { id: b.id, name: b.name, projectRef: b.project_ref, status: b.status };
      },
    );
  },

  /** A branch's own project: its ref, status and database password. */
  async getBranch(ctx: CallContext, id: string): Promise<{ projectRef: string; status: string; dbPass: string | undefined }> {
    const b = await call<{ ref: string; status: string; db_pass?: string }>(ctx, "getABranchConfig", [id]);
    return { projectRef: b.ref, status: b.status, dbPass: b.db_pass };
  },

  /** A project's compute size, from the organization's project list. */
  async computeSize(ctx: CallContext, organization: string, name: string): Promise<string | undefined> {
    const data = await call<{ projects: Array<{ name: string; databases?: Array<{ type?: string; infra_compute_size?: string }> }> }>(ctx, "getAllProjectsForOrganization", [organization, { search: name }]);
    const databases = data.projects.find((p) => p.name === name)?.databases ?? [];
    return (databases.find((d) => d.type === "PRIMARY") ?? databases[0])?.infra_compute_size;
  },

  async deleteBranch(ctx: CallContext, id: string): Promise<void> {
    await call(ctx, "deleteABranch", [id]);
  },
};
