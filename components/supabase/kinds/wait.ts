// Waiting for a Supabase project the way Supabase's own Terraform provider does: until its status is
// ACTIVE_HEALTHY, then until every service reports healthy, then until its pooler exists; after an
// SSL change until the change is applied and the database is healthy again. Every wait is bounded;
// a timeout says what it waited for, what it saw last, and how to carry on.
import { sleep } from "../../provider-kit";
import { supabase, type CallContext, type PoolerInfo } from "../api";

/** States a project does not leave on its own: waiting for them to pass is pointless. */
export const TERMINAL_STATES = ["GOING_DOWN", "INIT_FAILED", "REMOVED", "INACTIVE", "PAUSE_FAILED", "RESTORE_FAILED"];

function waitPolicy(): { intervalMs: number; timeoutMs: number } {
  const interval = Number(process.env.PLATFORM_SUPABASE_POLL_MS);
  const timeout = Number(process.env.PLATFORM_SUPABASE_TIMEOUT_MS);
  return {
    intervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5_000,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 15 * 60_000,
  };
}

/** What one look at the project found: done, still on its way (and what it is now), or failed. */
export type Probe<T> = { readonly done: T } | { readonly pending: string } | { readonly failed: string };

/**
 * Polls `probe` until it is done. `what` is what is awaited ("ACTIVE_HEALTHY", "its pooler"), for
 * the messages; `ref` names the project in them.
 */
export async function waitFor<T>(c: CallContext, ref: string, what: string, probe: () => Promise<Probe<T>>): Promise<T> {
  const { intervalMs, timeoutMs } = waitPolicy();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await probe();
    if ("done" in seen) return seen.done;
    if ("failed" in seen) {
      throw new Error(
        `Supabase ${c.operation} of ${c.resource} (ref ${ref}) failed while waiting for ${what}: the project is ${seen.failed}. ` +
          `Look at it in the Supabase dashboard (https://supabase.com/dashboard/project/${ref}); delete it if it is broken, then run 'pulumi refresh' and 'pulumi up'.`,
      );
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Supabase ${c.operation} of ${c.resource} (ref ${ref}) timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last seen: ${seen.pending}. ` +
          `Nothing is lost: once the dashboard shows the project healthy, run 'pulumi refresh' and then 'pulumi up' to carry on ` +
          `(PLATFORM_SUPABASE_TIMEOUT_MS sets the bound in ms).`,
      );
    }
    await sleep(intervalMs);
  }
}

/** The project is ACTIVE_HEALTHY and every service healthy: settings may be written. */
export async function waitUntilHealthy(
  c: CallContext,
  ref: string,
  status: () => Promise<string> = async () => (await supabase.getProject(c, ref)).status,
): Promise<void> {
  await waitFor(c, ref, "the project to be ACTIVE_HEALTHY", async () => {
    const s = await status();
    if (s === "ACTIVE_HEALTHY") return { done: true };
    return TERMINAL_STATES.includes(s) ? { failed: s } : { pending: s };
  });
  await waitFor(c, ref, "every service to report healthy", async () => {
    const unhealthy = (await supabase.health(c, ref)).filter((s) => s.status !== "ACTIVE_HEALTHY");
    return unhealthy.length === 0 ? { done: true } : { pending: unhealthy.map((s) => `${s.name} ${s.status}`).join(", ") };
  });
}

/** The project's pooler, once it exists (new projects get theirs a while after they are healthy). */
export async function waitForPooler(c: CallContext, ref: string): Promise<PoolerInfo> {
  return waitFor<PoolerInfo>(c, ref, "its connection pooler", async () => {
    const pooler = await supabase.pooler(c, ref);
    return pooler ? { done: pooler } : { pending: "no pooler configuration yet" };
  });
}

/** After an SSL-enforcement change: applied, then the rebooted database healthy again. */
export async function waitForSslApplied(c: CallContext, ref: string): Promise<void> {
  await waitFor(c, ref, "the SSL-enforcement change to be applied", async () =>
    (await supabase.sslEnforcement(c, ref)).applied ? { done: true } : { pending: "appliedSuccessfully false" },
  );
  await waitUntilHealthy(c, ref);
}
