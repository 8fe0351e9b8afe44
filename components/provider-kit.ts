// What every kind's handler shares, Railway's and Supabase's alike: the one retry loop (backoff with
// full jitter, Retry-After honoured, a bound on attempts, ambiguous writes never repeated blindly),
// the API error they throw, comparing and picking inputs, reading or deleting what may be gone,
// creating exactly once, and a create that made its object but could not finish. Errors are plain
// Errors with fields; nothing here holds a credential.
import type { DiffResult, Props } from "./provider/kind";
import { sameJson } from "./canonical";

export type { Props } from "./provider/kind";

// ---------------------------------------------------------------------------------------------
// Errors

/** A failure from a cloud API, worded for a user: it names the resource and the operation. */
export interface ApiError extends Error {
  readonly name: "ApiError";
  readonly status: number | undefined;
  /** The object is not there (a read or delete of something gone). */
  readonly notFound: boolean;
  /** A write that may or may not have happened (a 5xx or a dropped connection after sending). */
  readonly ambiguous: boolean;
  /** The API refused because the object already exists. */
  readonly conflict: boolean;
}

export function apiError(message: string, fields: { status?: number; notFound?: boolean; ambiguous?: boolean; conflict?: boolean } = {}): ApiError {
  return Object.assign(new Error(message), {
    name: "ApiError" as const,
    status: fields.status,
    notFound: fields.notFound ?? false,
    ambiguous: fields.ambiguous ?? false,
    conflict: fields.conflict ?? false,
  });
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof Error && err.name === "ApiError";
}

/**
 * A create that made its object but could not finish (a deployment that failed, a database that did
 * not come up in time): Pulumi keeps the object in the state with these properties, marked as not
 * finished, and the next `up` updates it instead of creating another or refusing one it finds.
 */
export interface UnfinishedCreate extends Error {
  readonly id: string;
  readonly properties: Props;
  readonly reasons: readonly string[];
}

export function unfinishedCreate(id: string, properties: Props, cause: unknown): UnfinishedCreate {
  const message = cause instanceof Error ? cause.message : String(cause);
  return Object.assign(new Error(message), { id, properties, reasons: [message] });
}

export function isUnfinishedCreate(err: unknown): err is UnfinishedCreate {
  return err instanceof Error && typeof (err as Partial<UnfinishedCreate>).id === "string" && typeof (err as Partial<UnfinishedCreate>).properties === "object";
}

// ---------------------------------------------------------------------------------------------
// Retrying

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** First backoff in ms; doubles each attempt, with full jitter. */
  readonly baseMs: number;
  /** Longest single wait, whatever Retry-After says. */
  readonly maxWaitMs: number;
}

/** The policy in force; PLATFORM_RETRY_BASE_MS shortens the waits (tests use it). */
export function retryPolicy(): RetryPolicy {
  const base = Number(process.env.PLATFORM_RETRY_BASE_MS);
  return { attempts: 5, baseMs: Number.isFinite(base) && base >= 0 ? base : 500, maxWaitMs: 30_000 };
}

/** How long to wait before attempt `attempt + 1`: Retry-After when given, else exponential backoff with full jitter. */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfter: string | null, random: () => number = Math.random): number {
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), policy.maxWaitMs);
  }
  return Math.min(policy.maxWaitMs, Math.floor(random() * policy.baseMs * 2 ** attempt));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What one attempt came to: a result, or a failure worth another attempt. */
export type Attempt<T> =
  | { readonly ok: T }
  | {
      readonly retry: string;
      readonly status?: number;
      readonly retryAfter?: string | null;
      /** The request was refused unprocessed (429): safe to repeat even for a write. */
      readonly refused?: boolean;
    };

/**
 * The one retry loop. `attempt` performs one request and says what came of it; permanent failures
 * it throws itself. A write whose failure leaves it unknown whether it happened is not repeated:
 * it fails as ambiguous, and the caller looks before it creates again (createOnce).
 */
export async function retrying<T>(what: string, write: boolean, attempt: () => Promise<Attempt<T>>): Promise<T> {
  const policy = retryPolicy();
  let last = "";
  for (let n = 0; n < policy.attempts; n++) {
    const result = await attempt();
    if ("ok" in result) return result.ok;
    last = result.retry;
    if (write && !result.refused)
      throw apiError(`${what}: ${last}; it may or may not have happened.`, {
        ...(result.status !== undefined ? { status: result.status } : {}),
        ambiguous: true,
      });
    if (n + 1 < policy.attempts) await sleep(backoffMs(n, policy, result.retryAfter ?? null));
  }
  throw apiError(`${what} failed after ${policy.attempts} attempts: ${last}.`);
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

/** The given keys of `props` that are set. */
export function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

/**
 * A value with every undefined (and, in objects, null) member left out: what a provider may return
 * from `read`, since the host encodes results as protobuf Structs, which refuse undefined.
 */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(defined) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, defined(v)]),
    ) as T;
  }
  return value;
}

export function changedKeys(olds: Props, news: Props, keys: readonly string[]): string[] {
  return keys.filter((k) => !sameJson(olds[k], news[k]));
}

/** A diff of the input keys: which changed, and which of those replace (delete first when `deleteBeforeReplace`). */
export function diffOf(
  olds: Props,
  news: Props,
  keys: readonly string[],
  replaceKeys: readonly string[] = [],
  options: { deleteBeforeReplace?: boolean } = {},
): DiffResult {
  const changed = changedKeys(olds, news, keys);
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && options.deleteBeforeReplace === true };
}

// ---------------------------------------------------------------------------------------------
// Objects that may be gone, and creating exactly once

/** Runs a call against something that may be gone: undefined when the API says it is not found. */
export async function unlessNotFound<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (isApiError(err) && err.notFound) return undefined;
    throw err;
  }
}

/** Runs a delete; something already gone counts as deleted. */
export async function deleteIfPresent(run: () => Promise<unknown>): Promise<void> {
  await unlessNotFound(run);
}

/**
 * Creates something without ever creating it twice. When a create fails in a way that leaves it
 * unknown whether it happened (ambiguous), or is refused because it exists (conflict), the object is
 * looked for, several times, since APIs list new objects only after a while; it is adopted when found.
 */
export async function createOnce<T>(lookup: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T> {
  const policy = retryPolicy();
  for (let attempt = 0; ; attempt++) {
    let failure: ApiError;
    try {
      return await create();
    } catch (err) {
      if (!isApiError(err) || !(err.ambiguous || err.conflict) || attempt + 1 >= policy.attempts) throw err;
      failure = err;
    }
    for (let look = 0; look < policy.attempts; look++) {
      await sleep(backoffMs(look, policy, null));
      const found = await lookup();
      if (found !== undefined) return found;
    }
    // A conflict means it exists: never create again when it cannot be found.
    if (failure.conflict) throw failure;
  }
}
