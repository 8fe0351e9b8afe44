// The Railway double's resolvers for services and their instances in each environment: settings, limits, source connection, redeploys and deploy on push.
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { notFound, refused, type InstanceState, type ServiceState, type RailwayDouble } from "../double";

export function serviceResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  return {
    // -- services
    service: ({ id }) => double.serviceView(double.requireService(id)),
    serviceCreate: ({ input }) => {
      double.requireProject(input.projectId);
      if (input.name && [...double.services.values()].some((s) => s.projectId === input.projectId && s.name === input.name))
        throw refused(`A service named ${input.name} already exists in this project`);
      const service: ServiceState = {
        id: double.uuid(),
        name: input.name ?? `service-${double.counter}`,
        projectId: input.projectId,
        ...double.hiddenAtCreation(),
      };
      double.services.set(service.id, service);
      // The schema: in the given environment if it is a fork, otherwise in every environment that is not one.
      const envs = [...double.environments.values()].filter((e) => e.projectId === input.projectId);
      const targets =
        input.environmentId && double.isFork(input.environmentId) ? [input.environmentId] : envs.filter((e) => e.sourceEnvironmentId === null).map((e) => e.id);
      for (const env of targets) {
        const instance = double.addInstance(service.id, env);
        if (input.source) instance.source = { repo: input.source.repo ?? null, image: input.source.image ?? null };
        if (input.variables) instance.variables = { ...input.variables };
        if (input.registryCredentials) instance.registryCredentials = input.registryCredentials;
        if (input.source?.repo) double.addTrigger(instance, input.source.repo, input.branch ?? "main", false, null);
        if (double.realism.deploysOnWrite && double.canDeploy(instance)) double.deploy(instance, "create");
      }
      return double.serviceView(service);
    },
    serviceConnect: ({ id, input }) => {
      const service = double.requireService(id);
      for (const instance of [...double.instances.values()].filter((i) => i.serviceId === service.id && !double.isFork(i.environmentId))) {
        instance.source = { repo: input.repo ?? null, image: input.image ?? null };
        if (input.repo) double.addTrigger(instance, input.repo, input.branch ?? "main", false, null);
        if (double.realism.deploysOnWrite) double.deploy(instance, "connect");
      }
      return double.serviceView(service);
    },
    serviceDelete: ({ id, environmentId }) => {
      const service = double.requireService(id);
      const all = [...double.instances.values()].filter((i) => i.serviceId === id);
      let gone: InstanceState[];
      if (environmentId && (double.isFork(environmentId) || !double.realism.serviceDeleteAllEnvironments))
        gone = all.filter((i) => i.environmentId === environmentId);
      else gone = all.filter((i) => !double.isFork(i.environmentId));
      for (const i of gone) double.removeInstance(id, i.environmentId);
      if (![...double.instances.values()].some((i) => i.serviceId === id)) double.services.delete(service.id);
      return true;
    },

    // -- instances
    serviceInstance: ({ serviceId, environmentId }) => {
      double.requireService(serviceId);
      const instance = double.instance(serviceId, environmentId);
      if (!instance) throw notFound("ServiceInstance");
      return double.instanceView(instance);
    },
    serviceInstanceLimits: ({ serviceId, environmentId }) => {
      double.requireService(serviceId);
      const instance = double.instance(serviceId, environmentId);
      if (!instance) throw notFound("ServiceInstance");
      return instance.limits ?? {};
    },
    serviceInstanceUpdate: ({ serviceId, environmentId, input }) => {
      // Per environment, as Railway's docs describe it; the providers always name one.
      if (!environmentId) throw refused("The double requires an environmentId for serviceInstanceUpdate");
      const instance = double.writable(serviceId, environmentId);
      for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
        if (key === "source")
          instance.source = value === null ? null : { repo: (value as { repo?: string }).repo ?? null, image: (value as { image?: string }).image ?? null };
        else if (key === "registryCredentials") instance.registryCredentials = value as InstanceState["registryCredentials"];
        else if (value === null) delete instance.settings[key];
        else instance.settings[key] = value;
      }
      return true;
    },
    serviceInstanceLimitsUpdate: ({ input }) => {
      const instance = double.writable(input.serviceId, input.environmentId);
      instance.limits = { ...(input.vCPUs != null ? { vCPUs: input.vCPUs } : {}), ...(input.memoryGB != null ? { memoryGB: input.memoryGB } : {}) };
      return true;
    },
    serviceInstanceDeployV2: ({ serviceId, environmentId, commitSha }) => {
      const instance = double.writable(serviceId, environmentId);
      if (!double.canDeploy(instance)) throw refused("Service has no source to deploy");
      const deployment = double.deploy(instance, "deploy");
      if (commitSha) deployment.commitSha = commitSha;
      return deployment.id;
    },
    serviceInstanceRedeploy: ({ serviceId, environmentId }) => {
      const instance = double.writable(serviceId, environmentId);
      if (double.deploymentsOf(serviceId, environmentId).length === 0) throw refused("No deployment to redeploy");
      double.deploy(instance, "redeploy");
      return true;
    },
    serviceInstanceAutoDeployUpdate: ({ input }) => {
      const instance = double.writable(input.serviceId, input.environmentId);
      instance.autoDeploy = input.enabled;
      return { enabled: instance.autoDeploy };
    },
  };
}
