// A service in one environment. Railway's services are project-wide, and a service runs only in the
// environments where it has an instance. This resource finds the service by name (or creates it,
// empty: its source is connected last, by the deployment) and makes sure it has an instance in this
// stack's environment. Deleting it takes the service out of this environment only; the project-wide
// service is deleted only once no environment has an instance of it, so removing a service from
// dev can never touch production.
import { createOnce, diffOf, isApiError, unlessNotFound, type Props } from "../../provider-kit";
import { all, ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface ServiceInputs {
  projectId: string;
  environmentId: string;
  name: string;
  /** The id of the service to take over (platform:adopt.railway.services) instead of looking it up by name. */
  adoptId?: string;
}

async function findService(projectId: string, name: string, c: RequestContext): Promise<string | undefined> {
  const services = await all<{ id: string; name: string }, { project: any }>(gql.PROJECT_SERVICES, { id: projectId }, c, (d) => d.project.services);
  return services.find((s) => s.name === name)?.id;
}

/** The environments the service has an instance in. */
async function instanceEnvironments(serviceId: string, c: RequestContext): Promise<string[]> {
  const nodes = await all<{ environmentId: string }, { service: any }>(gql.SERVICE_INSTANCES, { id: serviceId }, c, (d) => d.service.serviceInstances);
  return nodes.map((n) => n.environmentId);
}

async function hasInstance(serviceId: string, environmentId: string, c: RequestContext): Promise<boolean> {
  try {
    await railway(gql.SERVICE_INSTANCE, { serviceId, environmentId }, c);
    return true;
  } catch (err) {
    if (isApiError(err) && err.notFound) return false;
    throw err;
  }
}

/** Adds a service that exists in the project to this environment, as Railway's CLI does: an environment patch. */
async function addInstance(serviceId: string, environmentId: string, c: RequestContext): Promise<void> {
  await railway(
    gql.ENVIRONMENT_PATCH_COMMIT,
    { environmentId, patch: { services: { [serviceId]: { isCreated: true } } }, commitMessage: "Add service (platform)" },
    c,
  );
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    // Adopted by name: the old one goes first, so a replacement never deletes what it adopted.
    return diffOf(olds, news, ["projectId", "environmentId", "name"], ["projectId", "environmentId", "name"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    const c = ctx("service", inputs.name, "create");
    if (inputs.adoptId) {
      // Taken over by id: it must already run in this environment; nothing is created.
      const envs = await unlessNotFound(() => instanceEnvironments(inputs.adoptId, c));
      if (!envs || !envs.includes(inputs.environmentId)) {
        throw new Error(
          `Railway ${c.operation} of ${c.resource} failed: platform:adopt.railway.services.${inputs.name} is ${JSON.stringify(inputs.adoptId)}, which is not a service of this environment. Check the id (the dashboard URL's service/<id>).`,
        );
      }
      return { id: inputs.adoptId, outs: { ...inputs, serviceId: inputs.adoptId } };
    }
    const existing = await findService(inputs.projectId, inputs.name, c);
    if (existing) {
      if (!(await hasInstance(existing, inputs.environmentId, c))) await addInstance(existing, inputs.environmentId, c);
      return { id: existing, outs: { ...inputs, serviceId: existing } };
    }
    // Created with an instance in this environment (and, as Railway does, in every other one that is not a fork).
    const id = await createOnce(
      () => findService(inputs.projectId, inputs.name, c),
      async () =>
        (
          await railway<{ serviceCreate: { id: string } }>(
            gql.SERVICE_CREATE,
            { input: { projectId: inputs.projectId, environmentId: inputs.environmentId, name: inputs.name } },
            c,
            { write: true },
          )
        ).serviceCreate.id,
    );
    return { id, outs: { ...inputs, serviceId: id } };
  },
  async read(id, props) {
    const c = ctx("service", props?.name, "read");
    const envs = await unlessNotFound(() => instanceEnvironments(id, c));
    // Gone from the project, or from this environment: either way this resource no longer exists.
    if (!envs || !envs.includes(props!.environmentId)) return {};
    return { id, props: { ...props, serviceId: id } as Props };
  },
  async update(id, _olds, news) {
    return { outs: { ...news, serviceId: id } };
  },
  async delete(id, props) {
    const c = ctx("service", props.name, "delete");
    const envs = await unlessNotFound(() => instanceEnvironments(id, c));
    if (!envs) return;
    if (envs.every((e) => e === props.environmentId)) {
      // No other environment runs it: the project-wide service may go (Railway deletes it everywhere at once).
      await unlessNotFound(() => railway(gql.SERVICE_DELETE, { id }, c));
    } else if (envs.includes(props.environmentId)) {
      await unlessNotFound(() =>
        railway(
          gql.ENVIRONMENT_PATCH_COMMIT,
          { environmentId: props.environmentId, patch: { services: { [id]: { isDeleted: true } } }, commitMessage: "Remove service (platform)" },
          c,
        ),
      );
    }
  },
};

export const serviceKind = defineKind<ServiceInputs, { serviceId: string }>({
  token: "platform:railway:Service",
  outputs: ["serviceId"],
  secretOutputs: [],
  handler: provider,
});
