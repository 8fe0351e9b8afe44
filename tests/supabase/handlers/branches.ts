// The Supabase double's handlers for branches: their listing, creation (a project of their own), configuration and deletion, by the Management API's operation ids.
// State and the shared model are the double's (../double.ts); what handlers share is ./shared.ts.
import { randomBytes } from "node:crypto";
import type { Context } from "openapi-backend";
import { uuid, type BranchState, type SupabaseDouble } from "../double";
import type { Helpers, Reply } from "./shared";

export function branchHandlers(double: SupabaseDouble, h: Helpers): Record<string, (c: Context) => Reply> {
  const { missing, withProject, body, sizeRefused } = h;
  return {
    "v1-list-all-branches": (c) =>
      withProject(c, (p) => ({ status: 200, body: [...double.branches.values()].filter((b) => b.parentRef === p.ref).map((b) => double.branchView(b)) })),
    "v1-get-a-branch": (c) =>
      withProject(c, (p) => {
        const found = [...double.branches.values()].find((b) => b.parentRef === p.ref && b.name === String(c.request.params.name));
        return found ? { status: 200, body: double.branchView(found) } : missing("Branch");
      }),
    "v1-create-a-branch": (c) =>
      withProject(c, (parent) => {
        const b = body(c);
        const siblings = [...double.branches.values()].filter((x) => x.parentRef === parent.ref);
        if (siblings.some((x) => x.name === b.branch_name)) return { status: 409, body: { message: `Branch ${b.branch_name} already exists.` } };
        if (double.realism.oneBranchPerGitBranch && b.git_branch !== undefined) {
          const linked = siblings.find((x) => x.gitBranch === b.git_branch);
          if (linked) return { status: 422, body: { message: `Git branch ${b.git_branch} is already linked to branch ${linked.name}.` } };
        }
        // The first branch of a project is its default branch: the project's own database.
        const isDefault = b.is_default === true || (double.realism.firstBranchDefault && siblings.length === 0);
        if (isDefault && siblings.some((x) => x.isDefault)) return { status: 422, body: { message: "The project already has a default branch." } };
        const refused = sizeRefused(parent.organization, b.desired_instance_size);
        if (refused) return refused;
        const projectRef = isDefault
          ? parent.ref
          : double.newProject({
              name: `${parent.name}-${b.branch_name}`,
              organization: parent.organization,
              region: parent.region,
              computeSize: b.desired_instance_size ?? "micro",
              password: randomBytes(16).toString("hex"),
              isBranch: true,
            }).ref;
        const branch: BranchState = {
          id: uuid(),
          name: b.branch_name,
          parentRef: parent.ref,
          projectRef,
          gitBranch: b.git_branch,
          isDefault,
          passwordReadsLeft: double.realism.branchPasswordMissingReads,
        };
        double.branches.set(branch.id, branch);
        return { status: 201, body: double.branchView(branch) };
      }),
    "v1-get-a-branch-config": (c) => {
      const branch = double.branches.get(String(c.request.params.branch_id_or_ref));
      if (!branch) return missing("Branch");
      const p = double.projects.get(branch.projectRef)!;
      const withPassword = branch.passwordReadsLeft <= 0;
      if (!withPassword) branch.passwordReadsLeft -= 1;
      return {
        status: 200,
        body: {
          ref: p.ref,
          postgres_version: "17.4.1",
          postgres_engine: "17",
          release_channel: "ga",
          status: double.statusOf(p),
          db_host: `db.${p.ref}.supabase.co`,
          db_port: 5432,
          db_user: "postgres",
          ...(withPassword ? { db_pass: p.password } : {}),
        },
      };
    },
    "v1-delete-a-branch": (c) => {
      const branch = double.branches.get(String(c.request.params.branch_id_or_ref));
      if (!branch) return missing("Branch");
      if (branch.isDefault) return { status: 422, body: { message: "Cannot delete the default branch." } };
      double.branches.delete(branch.id);
      double.projects.get(branch.projectRef)!.removedAt = Date.now() + double.realism.goingDownMs;
      return { status: 200, body: { message: "ok" } };
    },
  };
}
