// The Supabase double's handlers for organizations and projects: plans, creation, health, deletion and database passwords, by the Management API's operation ids.
// State and the shared model are the double's (../double.ts); what handlers share is ./shared.ts.
import type { Context } from "openapi-backend";
import { SERVICES, type SupabaseDouble } from "../double";
import type { Helpers, Reply } from "./shared";

export function projectHandlers(double: SupabaseDouble, h: Helpers): Record<string, (c: Context) => Reply> {
  const { withProject, body, orgPlan, sizeRefused, smallest } = h;
  return {
    "v1-get-an-organization": (c) => {
      const slug = String(c.request.params.slug);
      return { status: 200, body: { id: slug, name: slug, plan: orgPlan(slug), opt_in_tags: [], allowed_release_channels: ["ga"] } };
    },
    "v1-get-all-projects-for-organization": (c) => {
      const slug = String(c.request.params.slug);
      const search = c.request.query.search ? String(c.request.query.search) : undefined;
      const projects = [...double.projects.values()].filter(
        (p) => p.organization === slug && !p.isBranch && double.statusOf(p) !== "REMOVED" && (!search || p.name.includes(search)),
      );
      return {
        status: 200,
        body: {
          projects: projects.map((p) => ({
            ref: p.ref,
            name: p.name,
            cloud_provider: "AWS",
            region: p.region,
            is_branch: false,
            status: double.statusOf(p),
            inserted_at: "2026-11-21T00:00:00Z",
            databases: [
              {
                infra_compute_size: p.computeSize,
                region: p.region,
                status: double.statusOf(p) === "COMING_UP" ? "COMING_UP" : "ACTIVE_HEALTHY",
                cloud_provider: "AWS",
                identifier: p.ref,
                type: "PRIMARY",
                disk_volume_size_gb: 8,
                disk_type: "gp3",
                disk_throughput_mbps: 125,
                disk_last_modified_at: "2026-11-21T00:00:00Z",
              },
            ],
          })),
          pagination: { count: projects.length, limit: 100, offset: 0 },
        },
      };
    },
    "v1-create-a-project": (c) => {
      const b = body(c);
      const refused = sizeRefused(b.organization_slug, b.desired_instance_size);
      if (refused) return refused;
      // The name stays taken until a deleted project is REMOVED.
      if (double.realism.goingDownMs > 0 && double.projectNamed(b.name).some((p) => p.organization === b.organization_slug && !p.isBranch)) {
        return { status: 409, body: { message: `A project named ${b.name} already exists in this organization.` } };
      }
      const p = double.newProject({
        name: b.name,
        organization: b.organization_slug,
        region: b.region_selection.code,
        computeSize: b.desired_instance_size ?? smallest(b.organization_slug),
        password: b.db_pass,
        isBranch: false,
      });
      return { status: 201, body: double.projectView(p) };
    },
    "v1-get-project": (c) =>
      withProject(c, (p) => ({
        status: 200,
        body: { ...double.projectView(p), database: { host: `db.${p.ref}.supabase.co`, version: "17.4.1", postgres_engine: "17", release_channel: "ga" } },
      })),
    "v1-get-services-health": (c) =>
      withProject(c, (p) => {
        const asked = ([] as string[]).concat(c.request.query.services as string | string[]);
        const up = double.healthy(p);
        const coming = double.statusOf(p) === "COMING_UP";
        const status = up ? "ACTIVE_HEALTHY" : coming ? "COMING_UP" : "UNHEALTHY";
        return { status: 200, body: asked.filter((s) => SERVICES.includes(s)).map((name) => ({ name, healthy: up, status })) };
      }),
    "v1-delete-a-project": (c) =>
      withProject(c, (p) => {
        if (double.statusOf(p) === "GOING_DOWN") return { status: 200, body: { id: 1, ref: p.ref, name: p.name } };
        p.removedAt = Date.now() + double.realism.goingDownMs;
        return { status: 200, body: { id: 1, ref: p.ref, name: p.name } };
      }),
    "v1-update-database-password": (c) =>
      withProject(c, (p) => {
        p.password = body(c).password;
        p.passwordResets += 1;
        return { status: 200, body: { message: "ok" } };
      }),
  };
}
