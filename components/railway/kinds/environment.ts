// A stack's environment in the shared project: found by name or created, empty unless it copies a
// source environment (preview stacks copy staging). Adopted by name, so it is never replaced: a
// change of name, source or ephemerality is refused rather than deleting what was adopted.
import { createOnce, defined, diffOf, unlessNotFound, type Props } from "../../provider-kit";
import { all, ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface EnvironmentInputs {
  projectId: string;
  name: string;
  /** Copy this environment (by name) instead of starting empty. */
  sourceEnvironment?: string;
  ephemeral: boolean;
  /** Make this the environment pull-request environments copy. */
  prBase: boolean;
  /** The workspace's Railway plan; not sent to Railway, recorded for the cost model and the policies. */
  plan: string;
  /** The id of the environment to take over (platform:adopt.railway.environment) instead of looking it up by name. */
  adoptId?: string;
}

interface EnvironmentNode {
  id: string;
  name: string;
  isEphemeral: boolean;
}

function environmentsOf(projectId: string, c: RequestContext): Promise<EnvironmentNode[]> {
  return all<EnvironmentNode, { environments: any }>(gql.ENVIRONMENTS, { projectId }, c, (d) => d.environments);
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    const diff = diffOf(
      olds,
      news,
      ["projectId", "name", "sourceEnvironment", "ephemeral", "prBase", "plan"],
      ["projectId", "name", "sourceEnvironment", "ephemeral"],
    );
    if (diff.replaces!.length > 0) {
      throw new Error(
        `Railway environment ${JSON.stringify(olds.name)} would have to be replaced (its ${diff.replaces!.join(", ")} changed), and replacing it deletes everything in it. ` +
          `Restore the old value, or destroy this stack's environment first (pulumi destroy) and create it anew.`,
      );
    }
    return diff;
  },
  async create(inputs) {
    const c = ctx("environment", inputs.name, "create");
    const find = async () => (await environmentsOf(inputs.projectId, c)).find((e) => e.name === inputs.name)?.id;
    if (inputs.adoptId) {
      const found = await unlessNotFound(() => railway<{ environment: EnvironmentNode & { projectId: string } }>(gql.ENVIRONMENT, { id: inputs.adoptId }, c));
      if (!found || found.environment.projectId !== inputs.projectId) {
        throw new Error(
          `Railway ${c.operation} of ${c.resource} failed: platform:adopt.railway.environment is ${JSON.stringify(inputs.adoptId)}, which is not an environment of the adopted project. Check the id (the dashboard URL's environmentId).`,
        );
      }
    }
    let id = inputs.adoptId ?? (await find());
    if (id === undefined) {
      let sourceEnvironmentId: string | undefined;
      if (inputs.sourceEnvironment) {
        sourceEnvironmentId = (await environmentsOf(inputs.projectId, c)).find((e) => e.name === inputs.sourceEnvironment)?.id;
        if (!sourceEnvironmentId) {
          throw new Error(
            `Railway create of environment ${JSON.stringify(inputs.name)} failed: its source environment ${JSON.stringify(inputs.sourceEnvironment)} does not exist in the project; deploy that stack first.`,
          );
        }
      }
      // A copy starts without deploying what it copied: each service deploys once, when this stack has set it up.
      const input = {
        projectId: inputs.projectId,
        name: inputs.name,
        ephemeral: inputs.ephemeral === true,
        ...(sourceEnvironmentId ? { sourceEnvironmentId, skipInitialDeploys: true } : {}),
      };
      id = await createOnce(
        find,
        async () => (await railway<{ environmentCreate: { id: string } }>(gql.ENVIRONMENT_CREATE, { input }, c, { write: true })).environmentCreate.id,
      );
    }
    if (inputs.prBase) await railway(gql.PROJECT_UPDATE, { id: inputs.projectId, input: { baseEnvironmentId: id } }, c);
    return { id, outs: { ...inputs, environmentId: id } };
  },
  async read(id, props) {
    const data = await unlessNotFound(() =>
      railway<{ environment: EnvironmentNode & { sourceEnvironment: { name: string } | null } }>(
        gql.ENVIRONMENT,
        { id },
        ctx("environment", props?.name, "read"),
      ),
    );
    if (!data) return {};
    const e = data.environment;
    return { id, props: defined({ ...props, name: e.name, ephemeral: e.isEphemeral, environmentId: id } as Props) };
  },
  async update(id, olds, news) {
    if (news.prBase && !olds.prBase)
      await railway(gql.PROJECT_UPDATE, { id: news.projectId, input: { baseEnvironmentId: id } }, ctx("environment", news.name, "update"));
    return { outs: { ...news, environmentId: id } };
  },
  async delete(id, props) {
    await unlessNotFound(() => railway(gql.ENVIRONMENT_DELETE, { id }, ctx("environment", props.name, "delete")));
  },
};

export const environmentKind = defineKind<EnvironmentInputs, { environmentId: string }>({
  token: "platform:railway:Environment",
  outputs: ["environmentId"],
  secretOutputs: [],
  handler: provider,
});
