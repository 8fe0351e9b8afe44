// The Railway double's resolvers for custom and Railway-generated domains.
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { randomBytes } from "node:crypto";
import { notFound, refused, type DomainState, type RailwayDouble } from "../double";

export function domainResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  /** A new domain of either kind, held by the double (and hidden from lists at first, as Railway's are). */
  const added = (
    kind: DomainState["kind"],
    name: string,
    input: { serviceId: string; environmentId: string; targetPort?: number | null },
    projectId: string,
  ): DomainState => {
    const domain: DomainState = {
      id: double.uuid(),
      kind,
      domain: name,
      targetPort: input.targetPort ?? null,
      serviceId: input.serviceId,
      environmentId: input.environmentId,
      projectId,
      ...double.hiddenAtCreation(),
    };
    double.domains.set(domain.id, domain);
    return domain;
  };
  return {
    // -- domains
    domains: ({ projectId, environmentId, serviceId }) => {
      double.requireProject(projectId);
      if (!double.instance(serviceId, environmentId)) throw notFound("ServiceInstance");
      return double.domainsView(serviceId, environmentId);
    },
    customDomainCreate: ({ input }) => {
      double.writable(input.serviceId, input.environmentId);
      if ([...double.domains.values()].some((d) => d.domain === input.domain)) throw refused(`Domain ${input.domain} is already in use`);
      return double.customDomainView(added("custom", input.domain, input, input.projectId));
    },
    customDomainUpdate: ({ id, targetPort }) => {
      const domain = double.domains.get(id);
      if (!domain || domain.kind !== "custom") throw notFound("Custom domain");
      domain.targetPort = targetPort ?? null;
      return true;
    },
    customDomainDelete: ({ id }) => {
      if (double.domains.get(id)?.kind !== "custom") throw notFound("Custom domain");
      double.domains.delete(id);
      return true;
    },
    serviceDomainCreate: ({ input }) => {
      double.writable(input.serviceId, input.environmentId);
      const service = double.services.get(input.serviceId)!;
      if (
        double.realism.oneRailwayDomainPerService &&
        [...double.domains.values()].some((d) => d.kind === "service" && d.serviceId === input.serviceId && d.environmentId === input.environmentId)
      ) {
        throw refused("Service already has a Railway domain in this environment");
      }
      return added("service", `${service.name}-${randomBytes(3).toString("hex")}.up.railway.app`, input, service.projectId);
    },
    serviceDomainUpdate: ({ input }) => {
      const domain = double.domains.get(input.serviceDomainId);
      if (!domain || domain.kind !== "service") throw notFound("Service domain");
      domain.targetPort = input.targetPort ?? null;
      return true;
    },
    serviceDomainDelete: ({ id }) => {
      if (double.domains.get(id)?.kind !== "service") throw notFound("Service domain");
      double.domains.delete(id);
      return true;
    },
  };
}
