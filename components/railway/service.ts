// One service of the stack on Railway: the service, its settings and limits in this environment,
// its variables, its domains and its volume.
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig } from "../../config";
import { domainResourceName } from "../../config/names";
import { CustomDomain, Service, ServiceDomain, ServiceInstance, Variables, Volume } from "./resources";

export interface RailwayServiceArgs {
  readonly projectId: pulumi.Input<string>;
  readonly environmentId: pulumi.Input<string>;
  /** The region replicas run in, unless the service lists `regions`. */
  readonly region: string;
  /** The service's validated config. */
  readonly service: Omit<ServiceConfig, "variables" | "secrets" | "uses">;
  /** The service's plain variables. */
  readonly variables: Readonly<Record<string, string>>;
  /** The service's secret variables (Pulumi secrets). */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Give the service a generated `*.up.railway.app` domain. @default true for services with a health check */
  readonly publicDomain: boolean;
  /** Protect the volume from deletion (production data). */
  readonly protectData: boolean;
  /** For image services built by this program: the pushed image by digest, run instead of `source.image`. */
  readonly image?: pulumi.Input<string>;
}

export class RailwayService extends pulumi.ComponentResource {
  public readonly serviceId: pulumi.Output<string>;
  /** `https://<generated domain>` when the service has a public domain. */
  public readonly url?: pulumi.Output<string>;
  /** The host name other services reach it by on the private network. */
  public readonly privateHost: string;

  constructor(name: string, args: RailwayServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:railway:RailwayService", name, {}, opts);
    const s = args.service;
    const child = { parent: this };
    const service = new Service(
      `${name}-service`,
      {
        projectId: args.projectId,
        environmentId: args.environmentId,
        name: s.name,
        ...(s.source.kind === "repo" ? { repo: s.source.repo, branch: s.source.branch } : {}),
      },
      child,
    );
    const ids = { projectId: args.projectId, environmentId: args.environmentId, serviceId: service.serviceId };

    new ServiceInstance(
      `${name}-settings`,
      {
        serviceId: service.serviceId,
        environmentId: args.environmentId,
        name: s.name,
        source: s.source.kind === "repo" ? { repo: s.source.repo } : pulumi.output(args.image ?? s.source.image).apply((image) => ({ image })),
        ...(s.source.kind === "repo" && s.source.rootDirectory ? { rootDirectory: s.source.rootDirectory } : {}),
        ...(s.source.kind === "repo" && s.source.dockerfile ? { dockerfilePath: s.source.dockerfile } : {}),
        ...(s.regions
          ? { multiRegionConfig: Object.fromEntries(Object.entries(s.regions).map(([region, n]) => [region, { numReplicas: n }])) }
          : { numReplicas: s.replicas, region: args.region }),
        ...(s.healthcheck ? { healthcheckPath: s.healthcheck.path, healthcheckTimeout: s.healthcheck.timeoutSeconds } : {}),
        restartPolicyType: s.restart.policy,
        restartPolicyMaxRetries: s.restart.maxRetries,
        ...(s.startCommand ? { startCommand: s.startCommand } : {}),
        vcpu: s.resources.vcpu,
        memoryGb: s.resources.memoryGb,
      },
      child,
    );

    new Variables(`${name}-variables`, { ...ids, name: s.name, variables: { ...args.variables }, secrets: { ...args.secrets } }, child);

    if (args.publicDomain) {
      const domain = new ServiceDomain(`${name}-railway-domain`, { ...ids, name: s.name, targetPort: s.port }, child);
      this.url = pulumi.interpolate`https://${domain.domain}`;
    }
    for (const domain of s.domains) {
      new CustomDomain(`${name}-domain-${domainResourceName(domain)}`, { ...ids, domain, targetPort: s.port }, child);
    }
    if (s.volume) {
      new Volume(`${name}-volume`, { ...ids, name: s.name, mountPath: s.volume.mountPath }, { ...child, protect: args.protectData });
    }

    this.serviceId = service.serviceId;
    this.privateHost = `${s.name}.railway.internal`;
    this.registerOutputs({ serviceId: this.serviceId, url: this.url, privateHost: this.privateHost });
  }
}
