// A review stack's database: a branch of the parent (staging) project. Branching is set up first,
// with a default branch for the parent's own git branch, because the first branch of a project
// becomes its default branch: the parent's database itself, which cannot be deleted. Review branches
// are then made with `is_default: false`, each linked to its pull request's head branch (one git
// branch has at most one Supabase branch), looked up by name before they are made, and waited for
// until healthy. Supabase may never show a branch's password: a branch is a project of its own, so
// when none is shown the provider sets one (the project's password endpoint), never waits for it.
import { apiError, changedKeys, pick, unlessNotFound } from "../../provider-kit";
import { supabase, type CallContext } from "../api";
import { CONNECTION_KEYS, connectionOf, keysOf } from "./connection";
import { defineKind, type KindHandler } from "../../provider/kind";
import { ctx, SECRET_OUTPUTS, type DatabaseOutputs } from "./project";
import { waitUntilHealthy } from "./wait";

export interface BranchInputs {
  /** The parent project's name (the staging stack's project). */
  parentProject: string;
  organization: string;
  name: string;
  /** The pull request's head branch; left out, the branch is linked to no git branch. */
  gitBranch?: string;
  /** The git branch the parent project follows: its default branch is linked to it. */
  parentGitBranch: string;
  computeSize?: string;
}

/** Makes sure the parent has a default branch, so that the next branch made is not it. */
async function setUpBranching(c: CallContext, parentRef: string, parentGitBranch: string): Promise<void> {
  const branches = await supabase.branches(c, parentRef);
  if (branches.some((b) => b.isDefault)) return;
  await supabase.createBranch(c, parentRef, { name: parentGitBranch, gitBranch: parentGitBranch, isDefault: true });
}

/** A database password as the program makes them: 40 letters and digits, from the system's CSPRNG. */
function newPassword(): string {
  const { randomInt } = require("node:crypto") as typeof import("node:crypto");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 40 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

const handler: KindHandler = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, ["parentProject", "organization", "name", "gitBranch", "computeSize"]);
    return { changes: changed.length > 0, replaces: changed, deleteBeforeReplace: true };
  },
  async create(inputs) {
    const c = ctx("branch", inputs.name, "create");
    const parent = await supabase.findProject(c, inputs.organization, inputs.parentProject);
    if (!parent) {
      throw apiError(
        `Supabase create of branch ${JSON.stringify(inputs.name)} failed: its parent project ${JSON.stringify(inputs.parentProject)} does not exist in organization ${JSON.stringify(inputs.organization)}; deploy that stack first.`,
      );
    }
    if (inputs.gitBranch !== undefined && inputs.gitBranch === inputs.parentGitBranch) {
      throw apiError(
        `Supabase create of branch ${JSON.stringify(inputs.name)}: its git branch ${JSON.stringify(inputs.gitBranch)} is the one the parent project follows; a review branch follows its pull request's head branch.`,
      );
    }
    await setUpBranching(c, parent.ref, inputs.parentGitBranch);
    const branch = await supabase.createBranch(c, parent.ref, {
      name: inputs.name,
      gitBranch: inputs.gitBranch,
      computeSize: inputs.computeSize,
      isDefault: false,
    });
    if (branch.isDefault || branch.projectRef === parent.ref) {
      throw apiError(
        `Supabase create of branch ${JSON.stringify(inputs.name)}: Supabase made it the default branch of ${JSON.stringify(inputs.parentProject)}, which is that project's own database; it is left as it is. Remove it from the stack's state ('pulumi state delete') rather than destroying it.`,
      );
    }
    const config = () => supabase.branchConfig(c, branch.id);
    await waitUntilHealthy(c, branch.projectRef, async () => (await config()).status);
    let dbPass = (await config()).dbPass;
    if (!dbPass) {
      dbPass = newPassword();
      await supabase.setPassword(c, branch.projectRef, dbPass);
    }
    return { id: branch.id, outs: { ...inputs, parentRef: parent.ref, dbPass, ...(await connectionOf(c, branch.projectRef)) } };
  },
  async read(id, props) {
    const c = ctx("branch", props?.name, "read");
    const detail = await unlessNotFound(() => supabase.branchConfig(c, id));
    if (!detail || ["GOING_DOWN", "REMOVED"].includes(detail.status)) return {};
    return { id, props: { ...props, ref: detail.projectRef, ...(await keysOf(c, detail.projectRef)) } };
  },
  async update(_id, olds, news) {
    return { outs: { ...news, ...pick(olds, ["parentRef", "dbPass", ...CONNECTION_KEYS]) } };
  },
  async delete(id, props) {
    await unlessNotFound(() => supabase.deleteBranch(ctx("branch", props.name, "delete"), id));
  },
};

export const branchKind = defineKind<BranchInputs, DatabaseOutputs & { parentRef: string; dbPass: string }>({
  token: "platform:supabase:Branch",
  outputs: [...CONNECTION_KEYS, "parentRef", "dbPass"],
  secretOutputs: SECRET_OUTPUTS,
  handler,
});
