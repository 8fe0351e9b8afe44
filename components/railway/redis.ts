// Redis as a Railway service, run the way Railway's own template runs it: the official image with
// its flags in the start command (the image ignores REDIS_ARGS), a password, and a volume at /data
// unless nothing is persisted. Reached only over the private network.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RedisConfig } from "../../config/schema";
import { RailwayService } from "./service";

export const REDIS_IMAGE = "redis:8.2";
export const REDIS_PORT = 6379;
export const REDIS_SERVICE_NAME = "redis";
export const REDIS_DATA_PATH = "/data";
/** The variables the Redis service holds: plain ones, then secret ones. */
export const REDIS_VARIABLES = ["REDISUSER", "REDISPORT", "REDIS_PASSWORD", "REDIS_URL"] as const;

/** Redis's own save points for RDB snapshots: after 1 h with 1 change, 5 min with 100, 1 min with 10,000. */
const RDB_SAVE_POINTS = "3600 1 300 100 60 10000";

/**
 * The start command: a shell line Railway runs in the container, reading REDISPORT,
 * REDIS_PASSWORD and RAILWAY_VOLUME_MOUNT_PATH from the service's environment.
 */
export function redisStartCommand(config: RedisConfig): string {
  const rdb = config.persistence === "rdb" || config.persistence === "rdb+aof";
  const aof = config.persistence === "aof" || config.persistence === "rdb+aof";
  const flags = [
    "--port $REDISPORT",
    "--requirepass $REDIS_PASSWORD",
    `--maxmemory ${config.memoryMb}mb`,
    `--maxmemory-policy ${config.evictionPolicy}`,
    rdb ? `--save ${RDB_SAVE_POINTS}` : "--save ''",
    aof ? "--appendonly yes --appendfsync everysec" : "--appendonly no",
    ...(config.persistence === "none" ? [] : ["--dir $RAILWAY_VOLUME_MOUNT_PATH"]),
  ];
  return `/bin/sh -c "exec redis-server ${flags.join(" ")}"`;
}

/** Redis runs on one core; a small cache needs half of one. */
export function redisContainerVcpu(config: RedisConfig): number {
  return config.memoryMb <= 256 ? 0.5 : 1;
}

/** The container's memory: twice `maxmemory`, for copy-on-write during saves and for overhead. */
export function redisContainerMemoryGb(config: RedisConfig): number {
  return Math.max(0.25, Math.ceil((2 * config.memoryMb) / 256) / 4);
}

export interface RedisArgs {
  readonly config: RedisConfig;
  readonly projectId: pulumi.Input<string>;
  readonly environmentId: pulumi.Input<string>;
  readonly region: string;
  /** Protect the data volume from deletion (production). */
  readonly protectData: boolean;
  /** A running Redis to take over (platform:adopt): its service id, and its password (supplied), which it keeps. */
  readonly adopt?: { readonly serviceId: string; readonly password: pulumi.Input<string> };
}

export class Redis extends pulumi.ComponentResource {
  /** `redis://default:<password>@redis.railway.internal:6379`, a secret. */
  public readonly url: pulumi.Output<string>;
  public readonly service: RailwayService;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:railway:Redis", name, {}, opts);
    const password = args.adopt
      ? pulumi.output(args.adopt.password)
      : new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this }).result;
    const host = `${REDIS_SERVICE_NAME}.railway.internal`;
    this.url = pulumi.secret(pulumi.interpolate`redis://default:${password}@${host}:${REDIS_PORT}`);
    this.service = new RailwayService(
      `${name}-service`,
      {
        projectId: args.projectId,
        environmentId: args.environmentId,
        region: args.region,
        service: {
          name: REDIS_SERVICE_NAME,
          source: { kind: "image", image: REDIS_IMAGE },
          port: REDIS_PORT,
          startCommand: redisStartCommand(args.config),
          replicas: 1,
          resources: { vcpu: redisContainerVcpu(args.config), memoryGb: redisContainerMemoryGb(args.config) },
          restart: { policy: "ON_FAILURE", maxRetries: 10 },
          domains: [],
          autoDeploy: false,
          ...(args.config.persistence === "none" ? {} : { volume: { mountPath: REDIS_DATA_PATH } }),
        },
        variables: { REDISUSER: "default", REDISPORT: String(REDIS_PORT) },
        secrets: { REDIS_PASSWORD: pulumi.secret(password), REDIS_URL: this.url },
        publicDomain: false,
        protectData: args.protectData,
        ...(args.adopt ? { adoptId: args.adopt.serviceId } : {}),
      },
      { parent: this },
    );
    this.registerOutputs({ url: this.url });
  }
}
