// What the Supabase double's handlers share: a reply, and the lookups and checks every handler
// file uses (a project by its ref, a project ready for a settings write, the organization's plan).
import type { Context } from "openapi-backend";
import { FREE_SIZES, type ProjectState, type SupabaseDouble } from "../double";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function helpers(double: SupabaseDouble) {
  const missing = (what: string): Reply => ({ status: 404, body: { message: `${what} not found` } });
  const withProject = (c: Context, run: (p: ProjectState) => Reply): Reply => {
    const p = double.project(String(c.request.params.ref));
    return p ? run(p) : missing("Project");
  };
  // A settings write reaches a database that is up, not one booting, resizing or restarting.
  const whenReady = (c: Context, run: (p: ProjectState) => Reply): Reply =>
    withProject(c, (p) => {
      const status = double.statusOf(p);
      if (status !== "ACTIVE_HEALTHY" || !double.healthy(p)) {
        const shown = status === "ACTIVE_HEALTHY" ? "restarting" : status;
        double.refusedWhileBusy.push({ operation: c.operation.operationId ?? "?", status: shown });
        return { status: 400, body: { message: `Project ${p.ref} is ${shown}; try again once it is ACTIVE_HEALTHY.` } };
      }
      return run(p);
    });
  const body = (c: Context) => c.request.requestBody as Record<string, any>;
  const orgPlan = (slug: string) => double.organizations.get(slug) ?? "pro";
  const sizeRefused = (slug: string, size: string | undefined): Reply | undefined =>
    double.realism.nanoOnlyInFreeOrgs && size !== undefined && FREE_SIZES.includes(size) && orgPlan(slug) !== "free"
      ? { status: 400, body: { message: `Instance size ${size} is only available to organizations on the free plan.` } }
      : undefined;
  const smallest = (slug: string) => (double.realism.nanoOnlyInFreeOrgs && orgPlan(slug) !== "free" ? "micro" : "nano");
  return { missing, withProject, whenReady, body, orgPlan, sizeRefused, smallest };
}

export type Helpers = ReturnType<typeof helpers>;
