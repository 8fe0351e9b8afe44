// The Railway project every stack shares: found by name in its workspace, or created there. Stacks
// retain it when they are destroyed; it is never replaced (a change of name or workspace is refused).
import { apiError, createOnce, defined, diffOf, unlessNotFound, type Props } from "../../provider-kit";
import { all, ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface ProjectInputs {
  name: string;
  /** `platform:railway.workspace`: a workspace's name or id; unset when the token sees one workspace. */
  workspace?: string;
  /** Managed only when set: whether Railway opens an environment per pull request. */
  prDeploys?: boolean;
  /** The id of the project to take over (platform:adopt.railway.project) instead of looking it up by name. */
  adoptId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The workspace's id: the configured one (by id, or by name among the token's workspaces), else the
 * token's only workspace. Undefined for a workspace token with no workspace configured: Railway then
 * uses the token's own workspace.
 */
async function workspaceId(inputs: Props, c: RequestContext): Promise<string | undefined> {
  const wanted: string | undefined = inputs.workspace;
  if (wanted && UUID.test(wanted)) return wanted;
  let workspaces: Array<{ id: string; name: string }>;
  try {
    workspaces = (await railway<{ me: { workspaces: Array<{ id: string; name: string }> } }>(gql.ME_WORKSPACES, {}, c)).me.workspaces;
  } catch (err) {
    // A workspace token has no user: it reaches its own workspace only.
    if (!wanted && /Not Authorized/.test((err as Error).message)) return undefined;
    if (wanted)
      throw apiError(
        `Railway ${c.operation} of ${c.resource} failed: platform:railway.workspace names ${JSON.stringify(wanted)} by name, which needs an account token; give the workspace's id instead, or use RAILWAY_API_TOKEN of an account.`,
      );
    throw err;
  }
  if (wanted) {
    const found = workspaces.find((w) => w.name === wanted);
    if (!found)
      throw apiError(
        `Railway ${c.operation} of ${c.resource} failed: platform:railway.workspace is ${JSON.stringify(wanted)}, but the token's workspaces are ${workspaces.map((w) => JSON.stringify(w.name)).join(", ") || "none"}.`,
      );
    return found.id;
  }
  if (workspaces.length === 1) return workspaces[0]!.id;
  throw apiError(
    `Railway ${c.operation} of ${c.resource} failed: the token sees ${workspaces.length} workspaces (${workspaces.map((w) => JSON.stringify(w.name)).join(", ")}); set platform:railway.workspace to the one the project belongs in.`,
  );
}

async function findProject(name: string, workspace: string | undefined, c: RequestContext): Promise<{ id: string; workspaceId: string } | undefined> {
  const projects = await all<{ id: string; name: string; workspaceId: string }, { projects: any }>(
    gql.PROJECTS,
    { workspaceId: workspace ?? null },
    c,
    (d) => d.projects,
  );
  return projects.find((p) => p.name === name);
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    const diff = diffOf(olds, news, ["name", "workspace", "prDeploys"], ["name", "workspace"]);
    if (diff.replaces!.length > 0) {
      throw new Error(
        `The Railway project ${JSON.stringify(olds.name)} is shared by every stack and is never replaced; its ${diff.replaces!.join(" and ")} cannot change here. Rename or move it in Railway, then set platform:railway.project (and workspace) to match.`,
      );
    }
    return diff;
  },
  async create(inputs) {
    const c = ctx("project", inputs.name, "create");
    if (inputs.adoptId) {
      // Taken over by id: nothing is created, and the project keeps what it has unless the stack says otherwise.
      const found = await unlessNotFound(() =>
        railway<{ project: { id: string; name: string; prDeploys: boolean; workspaceId: string } }>(gql.PROJECT, { id: inputs.adoptId }, c),
      );
      if (!found)
        throw apiError(
          `Railway ${c.operation} of ${c.resource} failed: platform:adopt.railway.project is ${JSON.stringify(inputs.adoptId)}, which names no project this token can see. Check the id (the dashboard URL's project/<id>) and the token.`,
        );
      const p = found.project;
      if (inputs.prDeploys !== undefined && inputs.prDeploys !== p.prDeploys)
        await railway(gql.PROJECT_UPDATE, { id: p.id, input: { prDeploys: inputs.prDeploys } }, c);
      return { id: p.id, outs: { ...inputs, projectId: p.id, workspaceId: p.workspaceId } };
    }
    const workspace = await workspaceId(inputs, c);
    let project = await findProject(inputs.name, workspace, c);
    if (!project) {
      project = await createOnce(
        () => findProject(inputs.name, workspace, c),
        async () =>
          (
            await railway<{ projectCreate: { id: string; workspaceId: string } }>(
              gql.PROJECT_CREATE,
              {
                input: {
                  name: inputs.name,
                  ...(workspace ? { workspaceId: workspace } : {}),
                  ...(inputs.prDeploys !== undefined ? { prDeploys: inputs.prDeploys } : {}),
                },
              },
              c,
              { write: true },
            )
          ).projectCreate,
      );
    } else if (inputs.prDeploys !== undefined) {
      await railway(gql.PROJECT_UPDATE, { id: project.id, input: { prDeploys: inputs.prDeploys } }, c);
    }
    return { id: project.id, outs: { ...inputs, projectId: project.id, workspaceId: project.workspaceId } };
  },
  async read(id, props) {
    const data = await unlessNotFound(() =>
      railway<{ project: { name: string; prDeploys: boolean; workspaceId: string } }>(gql.PROJECT, { id }, ctx("project", props?.name, "read")),
    );
    if (!data) return {};
    const p = data.project;
    return {
      id,
      props: defined({
        ...props,
        name: p.name,
        ...(props?.prDeploys !== undefined ? { prDeploys: p.prDeploys } : {}),
        projectId: id,
        workspaceId: p.workspaceId,
      }),
    };
  },
  async update(id, olds, news) {
    if (news.prDeploys !== undefined && news.prDeploys !== olds.prDeploys) {
      await railway(gql.PROJECT_UPDATE, { id, input: { prDeploys: news.prDeploys } }, ctx("project", news.name, "update"));
    }
    return { outs: { ...news, projectId: id, workspaceId: olds.workspaceId } };
  },
  // Stacks retain the project (retainOnDelete), so this runs only if someone deletes it on purpose.
  async delete(id, props) {
    await unlessNotFound(() => railway(gql.PROJECT_DELETE, { id }, ctx("project", props.name, "delete")));
  },
};

export const projectKind = defineKind<ProjectInputs, { projectId: string; workspaceId: string }>({
  token: "platform:railway:Project",
  outputs: ["projectId", "workspaceId"],
  secretOutputs: [],
  handler: provider,
});
