// A service's persistent disk in one environment: looked for before it is made (Railway allows one
// per service per environment), its mount path changed in place. Deleting it removes this
// environment's instance of the volume; the volume itself goes only when no environment has one
// (an environment copied from another gets instances of the same volumes).
import { createOnce, diffOf, unlessNotFound, type Props } from "../../provider-kit";
import { all, ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface VolumeInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  mountPath: string;
}

interface VolumeInstanceNode {
  id: string;
  volumeId: string;
  serviceId: string | null;
  mountPath: string;
}

async function instanceOf(environmentId: string, serviceId: string, c: RequestContext): Promise<VolumeInstanceNode | undefined> {
  const nodes = await all<VolumeInstanceNode, { environment: any }>(gql.ENVIRONMENT_VOLUMES, { id: environmentId }, c, (d) => d.environment.volumeInstances);
  return nodes.find((n) => n.serviceId === serviceId);
}

/** The environments the volume has an instance in. */
async function volumeEnvironments(projectId: string, volumeId: string, c: RequestContext): Promise<string[] | undefined> {
  const volumes = await all<
    { id: string; volumeInstances: { edges: Array<{ node: { environmentId: string } }>; pageInfo: { hasNextPage: boolean } } },
    { project: any }
  >(gql.VOLUME_INSTANCES, { projectId }, c, (d) => d.project.volumes);
  const volume = volumes.find((v) => v.id === volumeId);
  if (!volume) return undefined;
  // More instances than a page would mean another environment has one: treated as shared.
  return [...volume.volumeInstances.edges.map((e) => e.node.environmentId), ...(volume.volumeInstances.pageInfo.hasNextPage ? ["(more)"] : [])];
}

function moveMount(volumeId: string, inputs: Props, c: RequestContext) {
  return railway(gql.VOLUME_INSTANCE_UPDATE, { volumeId, environmentId: inputs.environmentId, input: { mountPath: inputs.mountPath } }, c);
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    return diffOf(olds, news, ["projectId", "environmentId", "serviceId", "name", "mountPath"], ["projectId", "environmentId", "serviceId"], {
      deleteBeforeReplace: true,
    });
  },
  async create(inputs) {
    const c = ctx("volume of service", inputs.name, "create");
    const existing = await instanceOf(inputs.environmentId, inputs.serviceId, c);
    if (existing) {
      if (existing.mountPath !== inputs.mountPath) await moveMount(existing.volumeId, inputs, c);
      return { id: existing.volumeId, outs: inputs };
    }
    const input = { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, mountPath: inputs.mountPath };
    const id = await createOnce(
      async () => (await instanceOf(inputs.environmentId, inputs.serviceId, c))?.volumeId,
      async () => (await railway<{ volumeCreate: { id: string } }>(gql.VOLUME_CREATE, { input }, c, { write: true })).volumeCreate.id,
    );
    return { id, outs: inputs };
  },
  async read(id, props) {
    const found = await unlessNotFound(() => instanceOf(props!.environmentId, props!.serviceId, ctx("volume of service", props?.name, "read")));
    if (!found || found.volumeId !== id) return {};
    return { id, props: { ...props, mountPath: found.mountPath } as Props };
  },
  async update(id, olds, news) {
    if (olds.mountPath !== news.mountPath) await moveMount(id, news, ctx("volume of service", news.name, "update"));
    return { outs: news };
  },
  async delete(id, props) {
    const c = ctx("volume of service", props.name, "delete");
    const envs = await unlessNotFound(() => volumeEnvironments(props.projectId, id, c));
    if (!envs) return;
    if (envs.every((e) => e === props.environmentId)) await unlessNotFound(() => railway(gql.VOLUME_DELETE, { volumeId: id }, c));
    else if (envs.includes(props.environmentId)) {
      await unlessNotFound(() =>
        railway(
          gql.ENVIRONMENT_PATCH_COMMIT,
          { environmentId: props.environmentId, patch: { volumes: { [id]: { isDeleted: true } } }, commitMessage: "Remove volume (platform)" },
          c,
        ),
      );
    }
  },
};

export const volumeKind = defineKind<VolumeInputs, Record<never, never>>({
  token: "platform:railway:Volume",
  outputs: [],
  secretOutputs: [],
  handler: provider,
});
