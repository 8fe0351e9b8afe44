// Railway's resource classes, one per kind, built from the provider's table of kinds.
import { KINDS } from "../provider/kinds";
import { resourceClass } from "../provider/resources";

export const Project = resourceClass(KINDS.railwayProject);
export type Project = InstanceType<typeof Project>;
export const Environment = resourceClass(KINDS.railwayEnvironment);
export type Environment = InstanceType<typeof Environment>;
export const Service = resourceClass(KINDS.railwayService);
export type Service = InstanceType<typeof Service>;
export const ServiceInstance = resourceClass(KINDS.railwayServiceInstance);
export type ServiceInstance = InstanceType<typeof ServiceInstance>;
export const Variables = resourceClass(KINDS.railwayVariables);
export type Variables = InstanceType<typeof Variables>;
export const Volume = resourceClass(KINDS.railwayVolume);
export type Volume = InstanceType<typeof Volume>;
export const ServiceDomain = resourceClass(KINDS.railwayServiceDomain);
export type ServiceDomain = InstanceType<typeof ServiceDomain>;
export const CustomDomain = resourceClass(KINDS.railwayCustomDomain);
export type CustomDomain = InstanceType<typeof CustomDomain>;
export const Deployment = resourceClass(KINDS.railwayDeployment);
export type Deployment = InstanceType<typeof Deployment>;
export const Egress = resourceClass(KINDS.railwayEgress);
export type Egress = InstanceType<typeof Egress>;
