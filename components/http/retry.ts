// Retry timing shared by the API clients the dynamic providers use: exponential backoff with full
// jitter, Retry-After honoured, a bound on attempts. Serialized into each provider with its client.

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

/**
 * Creates something without ever creating it twice: when a create fails in a way that leaves it
 * unknown whether it happened (`ambiguous`), looks the object up before trying again, and adopts it
 * when it is there.
 */
export async function createOnce<T>(lookup: () => Promise<T | undefined>, create: () => Promise<T>, ambiguous: (err: unknown) => boolean): Promise<T> {
  const policy = retryPolicy();
  for (let attempt = 0; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      if (!ambiguous(err) || attempt + 1 >= policy.attempts) throw err;
      await sleep(backoffMs(attempt, policy, null));
      const found = await lookup();
      if (found !== undefined) return found;
    }
  }
}
