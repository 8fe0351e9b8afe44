// The Railway double's resolvers for variables (stored and rendered), upserts that redeploy, and TCP proxies.
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { notFound, type RailwayDouble } from "../double";

export function variableResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  return {
    // -- variables
    variables: ({ projectId, environmentId, serviceId, unrendered }) => {
      double.requireProject(projectId);
      const instance = double.instance(serviceId, environmentId);
      if (!instance) throw notFound("ServiceInstance");
      return unrendered ? double.storedVariables(serviceId, environmentId) : double.renderedVariables(serviceId, environmentId);
    },
    tcpProxies: ({ serviceId, environmentId }) => {
      double.requireService(serviceId);
      return (double.tcpProxies.get(`${serviceId}:${environmentId}`) ?? []).map((t, i) => ({
        id: `tcp-${i}`,
        serviceId,
        environmentId,
        ...t,
        syncStatus: "ACTIVE",
        createdAt: null,
        updatedAt: null,
        deletedAt: null,
      }));
    },
    variableCollectionUpsert: ({ input }) => {
      const instance = double.writable(input.serviceId, input.environmentId);
      instance.variables = input.replace ? { ...input.variables } : { ...instance.variables, ...input.variables };
      if (double.realism.deploysOnWrite && !input.skipDeploys && double.canDeploy(instance)) double.deploy(instance, "variables");
      return true;
    },
  };
}
