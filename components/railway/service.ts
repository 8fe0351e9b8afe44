// One service of the stack on Railway, set up in the order Railway needs: the service (with an
// instance in this environment, no source yet), its settings and limits, its variables, its volume
// and domains, and last its deployment, which connects what runs and deploys it once. The
// deployment's digest covers everything a deployment runs with, so a later change of any of it
// redeploys the service exactly once.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig } from "../../config";
import { domainResourceName } from "../../config/names";
import { CustomDomain, Deployment, Egress, Service, ServiceDomain, ServiceInstance, Variables, Volume } from "./resources";

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
  /** Give the service a generated `*.up.railway.app` domain. */
  readonly publicDomain: boolean;
  /** Protect the volume from deletion (production data). */
  readonly protectData: boolean;
  /** For image services built by this program: the pushed image by digest, run instead of `source.image`. */
  readonly image?: pulumi.Input<string>;
  /** The password of the image's registry credentials (a Pulumi secret), when it has some. */
  readonly registryPassword?: pulumi.Input<string>;
  /** Give the service static outbound addresses (Railway Pro), for a database that accepts only them. */
  readonly staticEgress?: boolean;
  /** Resources the deployment waits for besides the service's own (the database's network restrictions). */
  readonly deployAfter?: Promise<pulumi.Resource[]>;
  /** The id of the running service to take over (platform:adopt): nothing is created, and only what differs is written. */
  readonly adoptId?: string;
}

/** A digest of what a deployment runs with; a change of any part of it redeploys. */
export function deploymentDigest(parts: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash("sha256")
    .update(JSON.stringify(sorted(parts)))
    .digest("hex");
}

export class RailwayService extends pulumi.ComponentResource {
  public readonly serviceId: pulumi.Output<string>;
  /** `https://<generated domain>` when the service has a public domain. */
  public readonly url?: pulumi.Output<string>;
  /** The host name other services reach it by on the private network. */
  public readonly privateHost: string;
  /** Its static outbound IPv4 addresses, when it has them. */
  public readonly egressIps?: pulumi.Output<string[]>;

  constructor(name: string, args: RailwayServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:railway:RailwayService", name, {}, opts);
    const s = args.service;
    const child = { parent: this };
    const service = new Service(
      `${name}-service`,
      { projectId: args.projectId, environmentId: args.environmentId, name: s.name, ...(args.adoptId ? { adoptId: args.adoptId } : {}) },
      child,
    );
    const adopted = args.adoptId ? { adopted: true } : {};
    const ids = { projectId: args.projectId, environmentId: args.environmentId, serviceId: service.serviceId };

    const settingsInputs = {
      ...(s.source.kind === "repo" && s.source.rootDirectory ? { rootDirectory: s.source.rootDirectory } : {}),
      ...(s.source.kind === "repo" && s.source.dockerfile ? { dockerfilePath: s.source.dockerfile } : {}),
      ...(s.regions
        ? { multiRegionConfig: Object.fromEntries(Object.entries(s.regions).map(([region, n]) => [region, { numReplicas: n }])) }
        : { numReplicas: s.replicas, region: args.region }),
      ...(s.healthcheck ? { healthcheckPath: s.healthcheck.path, healthcheckTimeout: s.healthcheck.timeoutSeconds } : {}),
      restartPolicyType: s.restart.policy,
      restartPolicyMaxRetries: s.restart.maxRetries,
      ...(s.startCommand ? { startCommand: s.startCommand } : {}),
      ...(s.preDeployCommand ? { preDeployCommand: s.preDeployCommand } : {}),
      vcpu: s.resources.vcpu,
      memoryGb: s.resources.memoryGb,
    };
    const settings = new ServiceInstance(
      `${name}-settings`,
      { serviceId: service.serviceId, environmentId: args.environmentId, name: s.name, ...settingsInputs, ...adopted },
      child,
    );
    const variables = new Variables(
      `${name}-variables`,
      { ...ids, name: s.name, variables: { ...args.variables }, secrets: { ...args.secrets }, ...adopted },
      child,
    );

    const after: pulumi.Resource[] = [settings, variables];
    if (args.staticEgress) {
      const egress = new Egress(
        `${name}-egress`,
        { environmentId: args.environmentId, serviceId: service.serviceId, name: s.name },
        { parent: this, dependsOn: [settings] },
      );
      this.egressIps = egress.ips;
    }
    if (args.publicDomain) {
      const domain = new ServiceDomain(`${name}-railway-domain`, { ...ids, name: s.name, targetPort: s.port }, child);
      this.url = pulumi.interpolate`https://${domain.domain}`;
      after.push(domain);
    }
    for (const domain of s.domains) {
      after.push(new CustomDomain(`${name}-domain-${domainResourceName(domain)}`, { ...ids, domain, targetPort: s.port }, child));
    }
    if (s.volume) {
      after.push(new Volume(`${name}-volume`, { ...ids, name: s.name, mountPath: s.volume.mountPath }, { ...child, protect: args.protectData }));
    }

    const image = s.source.kind === "image" ? pulumi.output(args.image ?? s.source.image) : undefined;
    const credentials =
      s.source.kind === "image" && s.source.registryCredentials && args.registryPassword !== undefined
        ? pulumi.output({ username: s.source.registryCredentials.username, password: args.registryPassword })
        : undefined;
    const digest = pulumi
      .all([settingsInputs, args.variables, args.secrets, s.volume?.mountPath ?? null, image ?? null])
      .apply(([settingsValues, plain, secret, mountPath, runs]) =>
        deploymentDigest({ settings: settingsValues, variables: plain, secrets: secret, volume: mountPath, image: runs }),
      );
    const deployDependencies: Promise<pulumi.Resource[]> = (args.deployAfter ?? Promise.resolve([])).then((more) => [...after, ...more]);
    new Deployment(
      `${name}-deployment`,
      {
        ...ids,
        name: s.name,
        ...(image ? { image } : {}),
        ...(s.source.kind === "repo" && s.autoDeploy
          ? {
              repo: {
                repository: s.source.repo,
                branch: s.source.branch,
                checkSuites: true,
                ...(s.source.rootDirectory ? { rootDirectory: s.source.rootDirectory } : {}),
              },
            }
          : {}),
        ...(s.source.kind === "repo" && !s.autoDeploy ? { repository: s.source.repo } : {}),
        ...(s.source.kind === "image" && s.source.build ? { followsWorkflow: true } : {}),
        ...(credentials ? { registryCredentials: credentials } : {}),
        digest,
        ...(args.adoptId
          ? { adopted: true, adoptionWrote: pulumi.all([settings.adoptionWrote, variables.adoptionWrote]).apply((w) => w.some((x) => x === true)) }
          : {}),
      },
      { ...child, dependsOn: deployDependencies },
    );

    this.serviceId = service.serviceId;
    this.privateHost = `${s.name}.railway.internal`;
    this.registerOutputs({ serviceId: this.serviceId, url: this.url, privateHost: this.privateHost });
  }
}
