// Faults an API double can inject, shared by the Railway and Supabase doubles.

export type Fault =
  | { kind: "429"; retryAfter?: string }
  | { kind: "500" }
  /** The connection drops before the request is handled. */
  | { kind: "drop" }
  /** The request is handled, then the connection drops: the caller never sees the answer. */
  | { kind: "lost" }
  /** Refused with GraphQL errors and HTTP 200, as Railway refuses an operation. */
  | { kind: "graphql"; message: string };

interface Pending {
  fault: Fault;
  operation?: string;
  remaining: number;
}

/** Faults waiting for a request, each for one operation (or any) and a number of times. */
export class FaultQueue {
  private pending: Pending[] = [];

  inject(fault: Fault, options: { operation?: string; times?: number } = {}): void {
    this.pending.push({ fault, remaining: options.times ?? 1, ...(options.operation ? { operation: options.operation } : {}) });
  }

  clear(): void {
    this.pending = [];
  }

  /** The fault for this request, if one waits for its operation. */
  take(operation: string): Fault | undefined {
    const i = this.pending.findIndex((f) => !f.operation || f.operation === operation);
    if (i < 0) return undefined;
    const pending = this.pending[i]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.pending.splice(i, 1);
    return pending.fault;
  }
}
