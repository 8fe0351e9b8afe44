// The Railway resource kinds, each a dynamic resource with its own type token
// `pulumi-nodejs:dynamic/railway-<kind>:<Kind>`, by which policies and the plan tell them apart.
// All share one provider; the `kind` input says which handler runs each.
import * as pulumi from "@pulumi/pulumi";
import { railwayProvider, type RailwayKind } from "./providers";

type In<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };


export interface ProjectInputs {
  name: string;
  workspaceId?: string;
  /** Managed only when set: whether Railway opens an environment per pull request. */
  prDeploys?: boolean;
}

export class Project extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  constructor(name: string, args: In<ProjectInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "project" satisfies RailwayKind, projectId: undefined, ...args }, opts, "railway-project", "Project");
  }
}

export interface EnvironmentInputs {
  projectId: string;
  name: string;
  /** Fork this environment (by name) instead of starting empty. */
  sourceEnvironmentName?: string;
  ephemeral: boolean;
  /** Make this the environment pull-request environments copy. */
  prBase: boolean;
  /** The workspace's Railway plan; not sent to Railway, recorded for the cost model and the policies. */
  plan: string;
}

export class Environment extends pulumi.dynamic.Resource {
  declare readonly environmentId: pulumi.Output<string>;
  constructor(name: string, args: In<EnvironmentInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "environment" satisfies RailwayKind, environmentId: undefined, ...args }, opts, "railway-environment", "Environment");
  }
}

export interface ServiceInputs {
  projectId: string;
  environmentId: string;
  name: string;
  /** GitHub `owner/name` Railway builds from, with the branch it deploys in this environment. */
  repo?: string;
  branch?: string;
}

export class Service extends pulumi.dynamic.Resource {
  declare readonly serviceId: pulumi.Output<string>;
  constructor(name: string, args: In<ServiceInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "service" satisfies RailwayKind, serviceId: undefined, ...args }, opts, "railway-service", "Service");
  }
}

export interface ServiceInstanceInputs {
  serviceId: string;
  environmentId: string;
  /** The service's name, for messages. */
  name: string;
  source: { repo?: string; image?: string };
  rootDirectory?: string;
  dockerfilePath?: string;
  numReplicas?: number;
  region?: string;
  /** Replicas per region, instead of numReplicas in one region. */
  multiRegionConfig?: Record<string, { numReplicas: number }>;
  healthcheckPath?: string;
  healthcheckTimeout?: number;
  restartPolicyType: "ON_FAILURE" | "ALWAYS" | "NEVER";
  restartPolicyMaxRetries: number;
  startCommand?: string;
  vcpu: number;
  memoryGb: number;
}

export class ServiceInstance extends pulumi.dynamic.Resource {
  constructor(name: string, args: In<ServiceInstanceInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "service-instance" satisfies RailwayKind, ...args }, opts, "railway-service-instance", "ServiceInstance");
  }
}

export interface VariablesInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  /** Plain variables, shown in plans and state. */
  variables: Record<string, string>;
  /** Secret variables: the whole map is a secret output. */
  secrets: Record<string, pulumi.Input<string>>;
}

export class Variables extends pulumi.dynamic.Resource {
  constructor(name: string, args: In<VariablesInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "variables" satisfies RailwayKind, ...args }, { ...opts, additionalSecretOutputs: ["secrets"] }, "railway-variables", "Variables");
  }
}

export interface CustomDomainInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  domain: string;
  targetPort?: number;
}

export class CustomDomain extends pulumi.dynamic.Resource {
  constructor(name: string, args: In<CustomDomainInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "custom-domain" satisfies RailwayKind, ...args }, opts, "railway-custom-domain", "CustomDomain");
  }
}

export interface ServiceDomainInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  targetPort?: number;
}

export class ServiceDomain extends pulumi.dynamic.Resource {
  /** The generated `*.up.railway.app` host name. */
  declare readonly domain: pulumi.Output<string>;
  constructor(name: string, args: In<ServiceDomainInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "service-domain" satisfies RailwayKind, domain: undefined, ...args }, opts, "railway-service-domain", "ServiceDomain");
  }
}

export interface VolumeInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  mountPath: string;
}

export class Volume extends pulumi.dynamic.Resource {
  constructor(name: string, args: In<VolumeInputs>, opts?: pulumi.CustomResourceOptions) {
    super(railwayProvider, name, { kind: "volume" satisfies RailwayKind, ...args }, opts, "railway-volume", "Volume");
  }
}
