// The composition root: one child component per concern, all fed from the validated stack config.
import * as pulumi from "@pulumi/pulumi";
import { ADOPTED_DB_PASSWORD, ADOPTED_REDIS_PASSWORD, REGISTRY_SECRET, type PlatformConfig, type ServiceConfig } from "../config";
import { GithubRepository } from "./github/repository";
import { PlatformProvider } from "./provider/resources";
import { ContainerImage } from "./images/image";
import { RailwayEnvironment } from "./railway/environment";
import { Redis, REDIS_SERVICE_NAME } from "./railway/redis";
import { RailwayService } from "./railway/service";
import { Secrets } from "./secrets/secrets";
import { SupabaseDatabase } from "./supabase/database";

/** What the providers authenticate with, as Pulumi secrets; each left out falls back to its provider's own default. */
export interface PlatformCredentials {
  /** The GitHub provider's token. */
  readonly githubToken?: pulumi.Input<string>;
  /** The private key of the GitHub App in `platform:github.app`. */
  readonly githubAppPrivateKey?: pulumi.Input<string>;
}

export class Platform extends pulumi.ComponentResource {
  public readonly secrets: Secrets;
  public readonly railway: RailwayEnvironment;
  public readonly redis?: Redis;
  public readonly database?: SupabaseDatabase;
  public readonly github?: GithubRepository;
  public readonly images: Readonly<Record<string, ContainerImage>>;
  public readonly services: Readonly<Record<string, RailwayService>>;
  /** Each service's public `https://` URL on its Railway domain. */
  public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, config: PlatformConfig, credentials: PlatformCredentials = {}, opts?: pulumi.ComponentResourceOptions) {
    // The tier, the budget and the confirmed losses are the component's inputs, so policies (the
    // stack's budget) and the destructive-change gate (plan/gate.ts) read them from a preview.
    super(
      "platform:index:Platform",
      name,
      {
        tier: config.tier,
        budgetUsd: config.budget.monthlyUsd,
        ...(config.confirmDestructive.length > 0 ? { confirmDestructive: [...config.confirmDestructive] } : {}),
      },
      { ...opts, transformations: [...(opts?.transformations ?? []), unprotectConfirmed(config.confirmDestructive)] },
    );
    const child = { parent: this };
    const production = config.tier === "production";
    // Railway and Supabase through the project's own provider plugin, as one explicit provider.
    const platformProvider = new PlatformProvider(`${name}-provider`, {}, child);
    const viaPlatform = { parent: this, providers: [platformProvider] };

    this.secrets = new Secrets(`${name}-secrets`, { secrets: config.secrets }, child);
    this.railway = new RailwayEnvironment(
      `${name}-railway`,
      {
        project: config.railway.project,
        ...(config.railway.workspace ? { workspace: config.railway.workspace } : {}),
        environment: config.railway.environment,
        ...(config.railway.sourceEnvironment ? { sourceEnvironment: config.railway.sourceEnvironment } : {}),
        ephemeral: config.tier === "preview",
        prEnvironments: config.railway.prEnvironments,
        protect: production,
        plan: config.railway.plan,
        ...(config.adopt?.railway ? { adopt: { project: config.adopt.railway.project, environment: config.adopt.railway.environment } } : {}),
      },
      viaPlatform,
    );
    const adoptIds = config.adopt?.railway?.services ?? {};
    const placement = { projectId: this.railway.projectId, environmentId: this.railway.environmentId, region: config.railway.region };
    if (config.redis) {
      this.redis = new Redis(
        `${name}-redis`,
        {
          ...placement,
          config: config.redis,
          protectData: production,
          ...(adoptIds[REDIS_SERVICE_NAME]
            ? { adopt: { serviceId: adoptIds[REDIS_SERVICE_NAME], password: this.secrets.values[ADOPTED_REDIS_PASSWORD]! } }
            : {}),
        },
        viaPlatform,
      );
    }

    if (config.supabase) {
      this.database = new SupabaseDatabase(
        `${name}-supabase`,
        {
          config: config.supabase,
          preview: config.tier === "preview",
          parentGitBranch: config.github.branch,
          branchName: config.stack,
          production,
          confirmDestructive: config.confirmDestructive,
          ...(this.secrets.values[ADOPTED_DB_PASSWORD] ? { adoptedPassword: this.secrets.values[ADOPTED_DB_PASSWORD] } : {}),
        },
        viaPlatform,
      );
    }

    // Services that use a database restricted to them get static egress, and deploy only once the
    // database accepts their addresses (their pre-deploy command may migrate it).
    const restricted = config.supabase?.restrictToServices === true && this.database !== undefined && config.tier !== "preview";
    let networkReady: (resources: pulumi.Resource[]) => void = () => {};
    const deployAfter = new Promise<pulumi.Resource[]>((resolve) => (networkReady = resolve));
    const services: Record<string, RailwayService> = {};
    const images: Record<string, ContainerImage> = {};
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const service of config.services) {
      const { variables, secrets, uses, ...settings } = service;
      const build = service.source.kind === "image" ? service.source.build : undefined;
      if (build) {
        images[service.name] = new ContainerImage(
          `${name}-${service.name}-image`,
          {
            owner: config.github.owner,
            service: service.name,
            tag: config.stack,
            context: build.context,
            dockerfile: build.dockerfile,
            registryToken: this.secrets.values[REGISTRY_SECRET]!,
          },
          child,
        );
      }
      services[service.name] = new RailwayService(
        `${name}-${service.name}`,
        {
          ...placement,
          service: settings,
          ...this.variablesOf(service),
          publicDomain: true,
          protectData: production,
          ...(images[service.name] ? { image: images[service.name]!.digestRef } : {}),
          ...(service.source.kind === "image" && service.source.registryCredentials
            ? { registryPassword: this.secrets.values[service.source.registryCredentials.secret]! }
            : {}),
          ...(restricted && service.uses.includes("supabase") ? { staticEgress: true } : {}),
          ...(this.database ? { deployAfter } : {}),
          ...(adoptIds[service.name] ? { adoptId: adoptIds[service.name] } : {}),
        },
        viaPlatform,
      );
      const url = services[service.name]!.url;
      if (url) urls[service.name] = url;
    }
    const serviceIps = Object.values(services).flatMap((s) => (s.egressIps ? [s.egressIps] : []));
    const network = this.database?.restrict(pulumi.all(serviceIps).apply((lists) => lists.flat()));
    networkReady(network ? [network] : []);
    this.services = services;
    this.images = images;
    this.urls = urls;
    // Preview stacks leave GitHub alone: their pull request is the review.
    if (config.tier !== "preview") {
      this.github = new GithubRepository(
        `${name}-github`,
        {
          config,
          secretValues: this.secrets.values,
          urls,
          ...(credentials.githubToken ? { token: credentials.githubToken } : {}),
          ...(credentials.githubAppPrivateKey ? { appPrivateKey: credentials.githubAppPrivateKey } : {}),
        },
        child,
      );
    }
    this.registerOutputs({
      tier: config.tier,
      budgetUsd: config.budget.monthlyUsd,
      secretNames: this.secrets.names,
      urls: this.urls,
      workflowFiles: this.github?.workflowFiles ?? [],
    });
  }

  /** A service's variables: its own and PORT in plain text; its named secrets and what its `uses` wire in, as secrets. */
  private variablesOf(service: ServiceConfig): { variables: Record<string, string>; secrets: Record<string, pulumi.Output<string>> } {
    const secrets: Record<string, pulumi.Output<string>> = {};
    for (const name of service.secrets) secrets[name] = this.secrets.values[name]!;
    if (service.uses.includes("redis") && this.redis) secrets.REDIS_URL = this.redis.url;
    if (service.uses.includes("supabase") && this.database) Object.assign(secrets, this.database.variables);
    return { variables: { PORT: String(service.port), ...service.variables }, secrets };
  }
}

/**
 * A resource the change confirms deleting or replacing (platform:confirmDestructive names it) is
 * not protected, so the engine lets the confirmed change through: the one place a confirmation
 * lifts production's protection.
 */
function unprotectConfirmed(confirmed: readonly string[]): pulumi.ResourceTransformation {
  return (args) => (args.opts.protect && confirmed.includes(args.name) ? { props: args.props, opts: { ...args.opts, protect: false } } : undefined);
}
