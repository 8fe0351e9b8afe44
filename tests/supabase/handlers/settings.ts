// The Supabase double's handlers for a project's add-ons (compute, PITR), SSL enforcement, network restrictions and pooler, by the Management API's operation ids.
// State and the shared model are the double's (../double.ts); what handlers share is ./shared.ts.
import type { Context } from "openapi-backend";
import type { SupabaseDouble } from "../double";
import type { Helpers, Reply } from "./shared";

export function settingsHandlers(double: SupabaseDouble, h: Helpers): Record<string, (c: Context) => Reply> {
  const { missing, withProject, whenReady, body, smallest } = h;
  return {
    "v1-list-project-addons": (c) =>
      withProject(c, (p) => ({
        status: 200,
        body: {
          selected_addons: Object.entries(p.addons).map(([type, id]) => ({
            type,
            variant: { id, name: id, price: { description: id, type: "fixed", interval: "monthly", amount: 0 } },
          })),
          available_addons: [],
        },
      })),
    "v1-apply-project-addon": (c) =>
      whenReady(c, (p) => {
        const { addon_type, addon_variant } = body(c);
        p.addons[addon_type] = addon_variant;
        if (addon_type === "compute_instance") {
          p.computeSize = String(addon_variant).replace(/^ci_/, "");
          const now = Date.now();
          p.resizingUntil = now + double.realism.resizeMs;
          p.unhealthyUntil = p.resizingUntil + double.realism.unhealthyMs;
        }
        return { status: 200 };
      }),
    "v1-remove-project-addon": (c) =>
      whenReady(c, (p) => {
        const variant = String(c.request.params.addon_variant);
        const type = Object.keys(p.addons).find((t) => p.addons[t] === variant);
        if (!type) return missing("Add-on");
        delete p.addons[type];
        if (type === "compute_instance") p.computeSize = smallest(p.organization);
        return { status: 200 };
      }),
    "v1-get-ssl-enforcement-config": (c) =>
      withProject(c, (p) => ({ status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: Date.now() >= p.sslAppliedAt } })),
    "v1-update-ssl-enforcement-config": (c) =>
      whenReady(c, (p) => {
        p.ssl = body(c).requestedConfig.database;
        // The database reboots to apply it.
        const now = Date.now();
        p.sslAppliedAt = now + double.realism.sslApplyMs;
        p.unhealthyUntil = p.sslAppliedAt + double.realism.unhealthyMs;
        return { status: 200, body: { currentConfig: { database: p.ssl }, appliedSuccessfully: double.realism.sslApplyMs === 0 } };
      }),
    "v1-get-network-restrictions": (c) =>
      withProject(c, (p) => ({
        status: 200,
        body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" },
      })),
    "v1-update-network-restrictions": (c) =>
      whenReady(c, (p) => {
        p.cidrs = { v4: body(c).dbAllowedCidrs ?? [], v6: body(c).dbAllowedCidrsV6 ?? [] };
        return { status: 201, body: { entitlement: "allowed", config: { dbAllowedCidrs: p.cidrs.v4, dbAllowedCidrsV6: p.cidrs.v6 }, status: "applied" } };
      }),
    "v1-get-pooler-config": (c) =>
      withProject(c, (p) => {
        if (Date.now() < p.poolerAt)
          return double.realism.poolerMissingAs === "404" ? { status: 404, body: { message: "Pooler configuration not found" } } : { status: 200, body: [] };
        const host = `aws-0-${p.region}.pooler.supabase.com`;
        const port = p.pooler.mode === "session" ? 5432 : 6543;
        const connection = `postgresql://postgres.${p.ref}:[YOUR-PASSWORD]@${host}:${port}/postgres`;
        return {
          status: 200,
          body: [
            {
              identifier: p.ref,
              database_type: "PRIMARY",
              is_using_scram_auth: true,
              db_user: `postgres.${p.ref}`,
              db_host: host,
              db_port: port,
              db_name: "postgres",
              connection_string: connection,
              connectionString: connection,
              default_pool_size: p.pooler.poolSize,
              max_client_conn: 200,
              pool_mode: p.pooler.mode,
            },
          ],
        };
      }),
    "v1-update-pooler-config": (c) =>
      whenReady(c, (p) => {
        const b = body(c);
        p.pooler = { mode: b.pool_mode ?? p.pooler.mode, poolSize: b.default_pool_size ?? p.pooler.poolSize };
        return { status: 200, body: { default_pool_size: p.pooler.poolSize, pool_mode: p.pooler.mode } };
      }),
  };
}
