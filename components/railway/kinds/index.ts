// The registry of Railway resource kinds: the one list of them. The provider that dispatches to each
// kind, the type tokens the policy pack and the plan tell resources apart by, and the test tables
// all come from here. Import kinds from this module, not from their files, so the registry is
// complete before any kind's resource class is used.
import type * as pulumi from "@pulumi/pulumi";
import { providerForKinds } from "../../provider-kit";
import * as deployment from "./deployment";
import * as domains from "./domains";
import * as egress from "./egress";
import * as environment from "./environment";
import * as project from "./project";
import * as service from "./service";
import * as serviceInstance from "./service-instance";
import * as variables from "./variables";
import * as volume from "./volume";

/** A resource's inputs, each of which may come from another resource. */
export type In<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** Each kind: its provider, and the class name in its type token `pulumi-nodejs:dynamic/railway-<kind>:<Class>`. */
export const RAILWAY_KINDS = {
  project: { provider: project.provider, className: "Project" },
  environment: { provider: environment.provider, className: "Environment" },
  service: { provider: service.provider, className: "Service" },
  "service-instance": { provider: serviceInstance.provider, className: "ServiceInstance" },
  variables: { provider: variables.provider, className: "Variables" },
  volume: { provider: volume.provider, className: "Volume" },
  "service-domain": { provider: domains.serviceDomainProvider, className: "ServiceDomain" },
  "custom-domain": { provider: domains.customDomainProvider, className: "CustomDomain" },
  deployment: { provider: deployment.provider, className: "Deployment" },
  egress: { provider: egress.provider, className: "Egress" },
} as const satisfies Record<string, { provider: pulumi.dynamic.ResourceProvider; className: string }>;

export type RailwayKind = keyof typeof RAILWAY_KINDS;

/** The type token a kind's resources are registered with. */
export function railwayType(kind: RailwayKind): string {
  return `pulumi-nodejs:dynamic/railway-${kind}:${RAILWAY_KINDS[kind].className}`;
}

/** One provider for every kind: Pulumi serializes it once for the whole program. */
export const railwayProvider = providerForKinds(
  "Railway",
  Object.fromEntries(Object.entries(RAILWAY_KINDS).map(([kind, k]) => [kind, k.provider])),
);

export { Deployment } from "./deployment";
export { CustomDomain, ServiceDomain } from "./domains";
export { Egress } from "./egress";
export { Environment } from "./environment";
export { Project } from "./project";
export { Service } from "./service";
export { ServiceInstance } from "./service-instance";
export { Variables } from "./variables";
export { Volume } from "./volume";
