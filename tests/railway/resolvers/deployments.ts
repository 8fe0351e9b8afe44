// The Railway double's resolvers for deployments (listed, read, rolled back) and deployment triggers.
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { notFound, refused, type RailwayDouble } from "../double";

export function deploymentResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  return {
    // -- deployments
    deployments: ({ input, first }) => {
      let list = [...double.deployments.values()].filter(
        (d) =>
          (!input.projectId || d.projectId === input.projectId) &&
          (!input.environmentId || d.environmentId === input.environmentId) &&
          (!input.serviceId || d.serviceId === input.serviceId),
      );
      list.forEach((d) => double.advance(d));
      if (input.status?.in) list = list.filter((d) => input.status.in.includes(d.status));
      if (input.status?.notIn) list = list.filter((d) => !input.status.notIn.includes(d.status));
      list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return double.page(
        list.map((d) => double.deploymentView(d)),
        { first },
      );
    },
    deployment: ({ id }) => {
      const d = double.deployments.get(id);
      if (!d || !double.canReach(d)) throw notFound("Deployment");
      return double.deploymentView(double.advance(d));
    },
    deploymentRollback: ({ id }) => {
      const d = double.deployments.get(id);
      if (!d || !double.canReach(d)) throw notFound("Deployment");
      const instance = double.instance(d.serviceId, d.environmentId);
      if (!instance) throw notFound("ServiceInstance");
      const back = double.deploy(instance, "rollback");
      back.snapshot = structuredClone(d.snapshot);
      back.outcome = "SUCCESS";
      back.rollbackOf = d.id;
      back.image = d.image ?? null;
      if (d.commitSha) back.commitSha = d.commitSha;
      return true;
    },
    deploymentTriggers: ({ projectId, environmentId, serviceId, first, after }) => {
      double.requireProject(projectId);
      return double.page(double.visible([...double.triggers.values()].filter((t) => t.environmentId === environmentId && t.serviceId === serviceId)), {
        first,
        after,
      });
    },
    deploymentTriggerCreate: ({ input }) => {
      const instance = double.writable(input.serviceId, input.environmentId);
      if ([...double.triggers.values()].some((t) => t.serviceId === input.serviceId && t.environmentId === input.environmentId))
        throw refused("Service already has a deployment trigger in this environment");
      return double.addTrigger(instance, input.repository, input.branch, input.checkSuites ?? false, input.rootDirectory ?? null);
    },
    deploymentTriggerUpdate: ({ id, input }) => {
      const trigger = double.triggers.get(id);
      if (!trigger) throw notFound("Deployment trigger");
      for (const key of ["branch", "repository", "checkSuites", "rootDirectory"] as const)
        if (input[key] !== undefined && input[key] !== null) (trigger as unknown as Record<string, unknown>)[key] = input[key];
      return { ...trigger, provider: "github", validCheckSuites: 0 };
    },
    deploymentTriggerDelete: ({ id }) => {
      if (!double.triggers.delete(id)) throw notFound("Deployment trigger");
      return true;
    },
  };
}
