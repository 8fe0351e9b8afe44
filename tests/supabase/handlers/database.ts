// The Supabase double's handlers for queries against the database and the API keys, by the Management API's operation ids.
// State and the shared model are the double's (../double.ts); what handlers share is ./shared.ts.
import type { Context } from "openapi-backend";
import type { SupabaseDouble } from "../double";
import type { Helpers, Reply } from "./shared";

export function databaseHandlers(double: SupabaseDouble, h: Helpers): Record<string, (c: Context) => Reply> {
  const { withProject, whenReady, body } = h;
  return {
    "v1-run-a-query": (c) =>
      whenReady(c, (p) => {
        // The double understands the statements the providers and the import send: reading
        // pg_extension and creating extensions; anything else is kept and answers no rows.
        const query = String(body(c).query);
        if (/^\s*select\s+extname\s+from\s+pg_extension\b/i.test(query)) return { status: 201, body: [...p.extensions].sort().map((extname) => ({ extname })) };
        p.queries.push(query);
        for (const m of query.matchAll(/create extension if not exists "([a-z_][a-z0-9_]*)"/gi)) if (!p.extensions.includes(m[1]!)) p.extensions.push(m[1]!);
        return { status: 201, body: [] };
      }),
    "v1-get-project-api-keys": (c) =>
      withProject(c, (p) => {
        const reveal = String(c.request.query.reveal) === "true";
        const key = (name: string, type: string, value: string) => ({
          name,
          api_key: reveal ? value : `${value.slice(0, 12)}...`,
          id: `${p.ref}-${name}`,
          type,
        });
        const keys = [
          ...(p.legacyKeys ? [key("anon", "legacy", p.anonKey), key("service_role", "legacy", p.serviceKey)] : []),
          ...(double.realism.newKeys ? [key("default", "publishable", p.publishableKey), key("default", "secret", p.secretKey)] : []),
        ];
        return { status: 200, body: keys };
      }),
    "v1-get-project-legacy-api-keys": (c) => withProject(c, (p) => ({ status: 200, body: { enabled: p.legacyKeys } })),
    "v1-update-project-legacy-api-keys": (c) =>
      withProject(c, (p) => {
        p.legacyKeys = String(c.request.query.enabled) === "true";
        return { status: 200, body: { enabled: p.legacyKeys } };
      }),
  };
}
