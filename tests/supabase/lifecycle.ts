// Lifecycle scenarios for the Supabase resource kinds against the Management API double, for the
// providers imported directly or loaded from their serialized text.
import { expect } from "vitest";
import type { ProviderLike } from "../doubles/host";
import type { SupabaseDouble } from "./double";

export type SupabaseProviders = Record<"project" | "settings" | "branch", ProviderLike>;

export const SUPABASE_TYPE_OF = {
  project: "pulumi-nodejs:dynamic/supabase-project:Project",
  settings: "pulumi-nodejs:dynamic/supabase-settings:Settings",
  branch: "pulumi-nodejs:dynamic/supabase-branch:Branch",
} as const;

export const PASSWORD = "p".repeat(20) + "q".repeat(20);

export function projectInputs(name: string, extra: Record<string, unknown> = {}) {
  return { name, organization: "acme", region: "us-east-1", computeSize: "micro", dbPass: PASSWORD, allowReplace: false, ...extra };
}

/** create → read → update → no-op → delete for the project, its settings and a branch. */
export async function supabaseLifecycle(double: SupabaseDouble, p: SupabaseProviders): Promise<void> {
  // Project: created, polled until healthy, its connection details read.
  const inputs = projectInputs("shop-staging");
  const polls = double.count("v1-get-project");
  const project = await p.project.create(inputs);
  const state = double.projects.get(project.id)!;
  expect(state).toMatchObject({ name: "shop-staging", organization: "acme", region: "us-east-1", computeSize: "micro", password: PASSWORD, status: "ACTIVE_HEALTHY" });
  expect(double.count("v1-get-project") - polls).toBe(double.pollsUntilReady + 1);
  expect(project.outs).toMatchObject({
    ref: project.id,
    apiUrl: `https://${project.id}.supabase.co`,
    anonKey: state.anonKey,
    serviceKey: state.serviceKey,
    poolerUser: `postgres.${project.id}`,
    poolerHost: "aws-0-us-east-1.pooler.supabase.com",
    poolerPort: 6543,
    databaseName: "postgres",
  });
  expect((await p.project.read(project.id, project.outs)).props).toMatchObject({ name: "shop-staging", region: "us-east-1", computeSize: "micro" });
  expect(await p.project.diff(project.id, project.outs, inputs)).toMatchObject({ changes: false, replaces: [] });

  // A compute size change is an in-place update through the compute add-on.
  const bigger = { ...inputs, computeSize: "small" };
  expect(await p.project.diff(project.id, project.outs, bigger)).toMatchObject({ changes: true, replaces: [] });
  const updated = await p.project.update(project.id, project.outs, bigger);
  expect(state.addons.compute_instance).toBe("ci_small");
  expect(updated.outs).toMatchObject({ ref: project.id, anonKey: state.anonKey });
  await p.project.update(project.id, updated.outs, { ...bigger, dbPass: "n".repeat(40) });
  expect(state.password).toBe("n".repeat(40));

  // A region change replaces: refused unless allowed, and then a delete-before-replace.
  await expect(p.project.diff(project.id, project.outs, { ...inputs, region: "eu-west-1" })).rejects.toThrow(
    /Changing region of Supabase project "shop-staging" would replace it: a new, empty database, and the old one deleted\. If that is what you want, set 'pulumi config set --path platform:supabase.allowReplace true'/,
  );
  expect(await p.project.diff(project.id, project.outs, { ...inputs, region: "eu-west-1", allowReplace: true })).toMatchObject({ changes: true, replaces: ["region"], deleteBeforeReplace: true });

  // Settings: each named key applied; an update sends only what changed.
  const settingsInputs = {
    ref: project.id,
    project: "shop-staging",
    sslEnforcement: true,
    allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"],
    pooler: { mode: "session", poolSize: 20 },
    pitrDays: 7,
    extensions: ["vector"],
  };
  const settings = await p.settings.create(settingsInputs);
  expect(state).toMatchObject({ ssl: true, cidrs: { v4: ["203.0.113.0/24"], v6: ["2001:db8::/32"] }, pooler: { mode: "session", poolSize: 20 } });
  expect(state.addons.pitr).toBe("pitr_7");
  expect(state.queries).toEqual(['create extension if not exists "vector" with schema extensions;']);
  expect((await p.settings.read(settings.id, settings.outs)).props).toMatchObject({ sslEnforcement: true, allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"], pooler: { mode: "session", poolSize: 20 }, pitrDays: 7 });
  expect(await p.settings.diff(settings.id, settings.outs, settingsInputs)).toMatchObject({ changes: false });
  const before = double.requests.length;
  const next = { ...settingsInputs, pitrDays: 0, allowedCidrs: [], extensions: ["vector", "pg_trgm"] };
  await p.settings.update(settings.id, settings.outs, next);
  expect(double.requests.slice(before).map((r) => r.operation).sort()).toEqual(["v1-remove-project-addon", "v1-run-a-query", "v1-update-network-restrictions"]);
  expect(state.addons.pitr).toBeUndefined();
  expect(state.cidrs).toEqual({ v4: ["0.0.0.0/0"], v6: ["::/0"] });
  expect(state.queries.at(-1)).toBe('create extension if not exists "pg_trgm" with schema extensions;');
  expect((await p.settings.read(settings.id, next)).props.allowedCidrs).toEqual([]);

  // Settings manage only the keys the config names.
  const onlySsl = double.requests.length;
  await p.settings.create({ ref: project.id, project: "shop-staging", sslEnforcement: false });
  expect(double.requests.slice(onlySsl).map((r) => r.operation)).toEqual(["v1-update-ssl-enforcement-config"]);

  // A preview branch of this project, deleted with its stack.
  const branchInputs = { parentProject: "shop-staging", organization: "acme", name: "pr-7", gitBranch: "feature/login", computeSize: "micro" };
  const branch = await p.branch.create(branchInputs);
  const branchState = double.branches.get(branch.id)!;
  expect(branchState).toMatchObject({ name: "pr-7", parentRef: project.id, gitBranch: "feature/login" });
  expect(branch.outs).toMatchObject({ ref: branchState.projectRef, parentRef: project.id, dbPass: double.projects.get(branchState.projectRef)!.password });
  expect((await p.branch.read(branch.id, branch.outs)).props).toMatchObject({ ref: branchState.projectRef });
  for (let i = 0; i < 2; i++) await p.branch.delete(branch.id, branch.outs);
  expect(double.branches.size).toBe(0);
  expect(double.projects.has(branchState.projectRef)).toBe(false);

  // Delete, twice: the second finds nothing and still succeeds.
  for (let i = 0; i < 2; i++) await p.project.delete(project.id, project.outs);
  expect(double.projects.size).toBe(0);
  expect(await p.project.read(project.id, project.outs)).toEqual({});
  expect(double.rejected).toEqual([]);
  expect(double.badResponses).toEqual([]);
}
