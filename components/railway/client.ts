// A small GraphQL client for Railway's public API, used inside dynamic-provider methods. It reads
// RAILWAY_TOKEN (and RAILWAY_API_URL) on each call, so no credential is captured by the serialized
// provider, stored in state or printed in an error.

import { backoffMs, createOnce, retryPolicy, sleep } from "../http/retry";

export const DEFAULT_RAILWAY_API_URL = "https://backboard.railway.com/graphql/v2";

/** What a request is for, so errors can name the resource and the operation. */
export interface RequestContext {
  /** e.g. `service "api"`. */
  readonly resource: string;
  /** e.g. `create`, `read`, `update`, `delete`. */
  readonly operation: string;
}

/**
 * A GraphQL or HTTP failure from Railway, with a message fit for a user. Made as a plain Error with
 * fields, not a subclass: Pulumi's closure serializer turns classes into functions, and an Error
 * subclass rebuilt that way loses its message.
 */
export interface RailwayApiError extends Error {
  readonly name: "RailwayApiError" | "AmbiguousWriteError";
  readonly status: number | undefined;
  readonly notFound: boolean;
}

export function railwayApiError(message: string, status: number | undefined, notFound: boolean): RailwayApiError {
  return Object.assign(new Error(message), { name: "RailwayApiError" as const, status, notFound });
}

/**
 * A write that may or may not have reached Railway (the connection dropped, or a 5xx came back).
 * Creating again could duplicate; callers look the object up first.
 */
export function ambiguousWriteError(message: string, status: number | undefined): RailwayApiError {
  return Object.assign(new Error(message), { name: "AmbiguousWriteError" as const, status, notFound: false });
}

export function isRailwayApiError(err: unknown): err is RailwayApiError {
  return err instanceof Error && (err.name === "RailwayApiError" || err.name === "AmbiguousWriteError");
}

function describe(ctx: RequestContext): string {
  return `Railway ${ctx.operation} of ${ctx.resource}`;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

/**
 * Sends one GraphQL document. `write` marks a mutation that is not safe to repeat blindly: a 5xx
 * or a dropped connection then throws AmbiguousWriteError instead of retrying. 429 is always
 * retried (the request was refused, not run), honouring Retry-After.
 */
export async function railwayRequest<T>(
  document: string,
  variables: Record<string, unknown>,
  ctx: RequestContext,
  options: { write?: boolean } = {},
): Promise<T> {
  const token = process.env.RAILWAY_TOKEN;
  if (!token) {
    throw railwayApiError(`${describe(ctx)} needs a Railway API token: set RAILWAY_TOKEN (an account or workspace token).`, undefined, false);
  }
  const url = process.env.RAILWAY_API_URL || DEFAULT_RAILWAY_API_URL;
  const policy = retryPolicy();
  let lastProblem = "";
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: document, variables }),
      });
    } catch (err) {
      lastProblem = `the connection failed (${(err as Error).cause ? String((err as Error & { cause: { code?: string } }).cause.code ?? "network error") : "network error"})`;
      if (options.write) throw ambiguousWriteError(`${describe(ctx)}: ${lastProblem}; it may or may not have happened.`, undefined);
      await sleep(backoffMs(attempt, policy, null));
      continue;
    }
    if (response.status === 429 || response.status >= 500) {
      const text = await response.text().catch(() => "");
      lastProblem = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      if (response.status >= 500 && options.write) {
        throw ambiguousWriteError(`${describe(ctx)}: ${lastProblem}; it may or may not have happened.`, response.status);
      }
      if (attempt + 1 < policy.attempts) await sleep(backoffMs(attempt, policy, response.headers.get("retry-after")));
      continue;
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw railwayApiError(`${describe(ctx)} failed: HTTP ${response.status} with a body that is not JSON.`, response.status, false);
    }
    if (body.errors && body.errors.length > 0) {
      const messages = body.errors.map((e) => e.message ?? "unknown error");
      const notFound = body.errors.some((e) => e.extensions?.code === "NOT_FOUND" || /not found/i.test(e.message ?? ""));
      throw railwayApiError(`${describe(ctx)} failed: ${messages.join("; ")}`, response.status, notFound);
    }
    if (response.status >= 400 || body.data === undefined || body.data === null) {
      throw railwayApiError(`${describe(ctx)} failed: HTTP ${response.status}.`, response.status, response.status === 404);
    }
    return body.data;
  }
  throw railwayApiError(`${describe(ctx)} failed after ${policy.attempts} attempts: ${lastProblem}.`, undefined, false);
}

/** Creates something without ever creating it twice (see createOnce in ../http/retry). */
export function createOnceOnRailway<T>(lookup: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T> {
  return createOnce(lookup, create, (err) => err instanceof Error && err.name === "AmbiguousWriteError");
}
