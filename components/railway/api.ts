// Railway's public GraphQL API, as the dynamic providers reach it: one request with retries, a whole
// paginated list, and errors that name the resource, the operation and, for a credential problem,
// the variable to set. The token is read on each call, so no credential is captured by the
// serialized provider, stored in state or printed.
//
// Tokens follow Railway's CLI: RAILWAY_API_TOKEN is an account or workspace token, sent as a bearer
// token; RAILWAY_TOKEN is a project token (one project, one environment), which only the deploy
// workflow uses. RAILWAY_API_URL overrides the endpoint.
import { apiError, retrying } from "../provider-kit";
import { RAILWAY_GRAPHQL_URL } from "./documents";

/** What a request is for, so errors can name the resource and the operation. */
export interface RequestContext {
  /** e.g. `service "api"`. */
  readonly resource: string;
  /** e.g. `create`, `read`, `update`, `delete`. */
  readonly operation: string;
}

export function ctx(kind: string, name: unknown, operation: string): RequestContext {
  return { resource: `${kind} ${JSON.stringify(name)}`, operation };
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

function token(what: string): string {
  const value = process.env.RAILWAY_API_TOKEN;
  if (value) return value;
  const hint = process.env.RAILWAY_TOKEN
    ? " RAILWAY_TOKEN is set, but it holds a project token, which only reaches one environment (the deploy workflow uses it)."
    : "";
  throw apiError(`${what} needs a Railway account or workspace token: set RAILWAY_API_TOKEN.${hint}`);
}

/**
 * Sends one GraphQL document. `write` marks a mutation that is not safe to repeat blindly: a 5xx
 * or a dropped connection then fails as ambiguous instead of being retried. A 429 is always retried
 * (Railway refused it unprocessed), honouring Retry-After.
 */
export async function railway<T>(document: string, variables: Record<string, unknown>, c: RequestContext, options: { write?: boolean } = {}): Promise<T> {
  const what = `Railway ${c.operation} of ${c.resource}`;
  const bearer = token(what);
  const url = process.env.RAILWAY_API_URL || RAILWAY_GRAPHQL_URL;
  return retrying<T>(what, options.write === true, async () => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: document, variables }),
      });
    } catch (err) {
      const code = (err as Error & { cause?: { code?: string } }).cause?.code ?? "network error";
      return { retry: `the connection failed (${code})` };
    }
    if (response.status === 429 || response.status >= 500) {
      const text = await response.text().catch(() => "");
      return {
        retry: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`,
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        refused: response.status === 429,
      };
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw apiError(`${what} failed: HTTP ${response.status} with a body that is not JSON.`, { status: response.status });
    }
    if (body.errors && body.errors.length > 0) {
      const messages = body.errors.map((e) => e.message ?? "unknown error");
      if (messages.some((m) => /^not authorized$/i.test(m))) {
        throw apiError(
          `${what} failed: Railway refused the token in RAILWAY_API_TOKEN (Not Authorized). Set it to an account or workspace token that can reach this project.`,
          { status: response.status },
        );
      }
      const notFound = body.errors.some((e) => e.extensions?.code === "NOT_FOUND" || /not found/i.test(e.message ?? ""));
      const conflict = messages.some((m) => /already (exists|in use|has)/i.test(m));
      throw apiError(`${what} failed: ${messages.join("; ")}`, { status: response.status, notFound, conflict });
    }
    if (response.status >= 400 || body.data === undefined || body.data === null) {
      throw apiError(`${what} failed: HTTP ${response.status}.`, { status: response.status, notFound: response.status === 404 });
    }
    return { ok: body.data as T };
  });
}

interface Connection<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every item of a paginated list: `select` finds the connection in each page's data. */
export async function all<T, D>(document: string, variables: Record<string, unknown>, c: RequestContext, select: (data: D) => Connection<T>): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const connection = select(await railway<D>(document, { ...variables, after }, c));
    items.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return items;
    after = connection.pageInfo.endCursor;
  }
}
