// A service's settings in one environment, and its per-replica limits. Writing them never deploys
// (Railway's settings and limits do not): the deployment resource deploys once, after everything.
import { changedKeys, diffOf, unlessNotFound, type Props } from "../../provider-kit";
import { ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface ServiceInstanceInputs {
  serviceId: string;
  environmentId: string;
  /** The service's name, for messages. */
  name: string;
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
  /** Run inside Railway before a new deployment takes traffic: migrations. */
  preDeployCommand?: string;
  vcpu: number;
  memoryGb: number;
  /** A service taken over (platform:adopt): its settings are written only where they differ from what it has. */
  adopted?: boolean;
}

/** The settings written with serviceInstanceUpdate. */
export const SETTINGS = [
  "rootDirectory",
  "dockerfilePath",
  "numReplicas",
  "multiRegionConfig",
  "region",
  "healthcheckPath",
  "healthcheckTimeout",
  "restartPolicyType",
  "restartPolicyMaxRetries",
  "startCommand",
  "preDeployCommand",
] as const;
const LIMITS = ["vcpu", "memoryGb"] as const;
const INPUTS = ["serviceId", "environmentId", "name", ...SETTINGS, ...LIMITS] as const;

/** The ServiceInstanceUpdateInput for these settings: absent ones are sent as null, which clears them. */
export function instanceUpdateInput(inputs: Props): Props {
  const input: Props = {};
  for (const key of SETTINGS) input[key] = inputs[key] ?? null;
  if (typeof inputs.preDeployCommand === "string") input.preDeployCommand = [inputs.preDeployCommand];
  // Railway takes either a replica count in one region or a per-region map.
  if (inputs.multiRegionConfig) {
    delete input.numReplicas;
    delete input.region;
  } else delete input.multiRegionConfig;
  // A service taken over keeps the region it runs in: Railway does not read it back, so the stack cannot know it.
  if (inputs.adopted && !inputs.multiRegionConfig) delete input.region;
  return input;
}

/** Settings and limits, in one request. */
async function write(inputs: Props, c: RequestContext): Promise<void> {
  await railway(
    gql.SERVICE_INSTANCE_WRITE,
    {
      serviceId: inputs.serviceId,
      environmentId: inputs.environmentId,
      input: instanceUpdateInput(inputs),
      limits: { serviceId: inputs.serviceId, environmentId: inputs.environmentId, vCPUs: inputs.vcpu, memoryGB: inputs.memoryGb },
    },
    c,
  );
}

/**
 * Settings as read back, in the shape of the inputs. Railway reads the region back as null and
 * cannot read the per-region map: for those the last known value stands. Every other null means
 * unset.
 */
export function normalizeRead(props: Props, instance: Props, limits: Props | null): Props {
  const read: Props = { ...props };
  for (const key of SETTINGS) {
    if (key === "region" || key === "multiRegionConfig") continue;
    if (key === "numReplicas" && props.multiRegionConfig) continue;
    let value = instance[key];
    if (key === "preDeployCommand" && Array.isArray(value)) value = value.join(" && ");
    if (value === null || value === undefined) delete read[key];
    else read[key] = value;
  }
  if (limits && typeof limits.vCPUs === "number") read.vcpu = limits.vCPUs;
  if (limits && typeof limits.memoryGB === "number") read.memoryGb = limits.memoryGB;
  return read;
}

/**
 * Whether a service taken over already has these settings and limits. Railway reads the region
 * (and the per-region map) back as null, so those cannot be compared: what runs keeps its region.
 */
async function alreadySet(inputs: Props, c: RequestContext): Promise<boolean> {
  const read = await readBack(inputs, c);
  return read !== undefined && changedKeys(read, inputs, [...SETTINGS.filter((k) => k !== "region" && k !== "multiRegionConfig"), ...LIMITS]).length === 0;
}

/** The settings and limits Railway holds, in the shape of `props`; undefined when the instance is gone. */
async function readBack(props: Props, c: RequestContext): Promise<Props | undefined> {
  const data = await unlessNotFound(() =>
    railway<{ serviceInstance: Props; serviceInstanceLimits: Props | null }>(
      gql.SERVICE_INSTANCE,
      { serviceId: props.serviceId, environmentId: props.environmentId },
      c,
    ),
  );
  return data && normalizeRead(props, data.serviceInstance, data.serviceInstanceLimits);
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    return diffOf(olds, news, INPUTS, ["serviceId", "environmentId"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    const c = ctx("service settings for", inputs.name, "create");
    const unchanged = Boolean(inputs.adopted) && (await alreadySet(inputs, c));
    if (!unchanged) await write(inputs, c);
    // A service taken over redeploys only when its takeover changed something it runs with.
    return { id: `${inputs.serviceId}:${inputs.environmentId}`, outs: { ...inputs, ...(inputs.adopted ? { adoptionWrote: !unchanged } : {}) } };
  },
  async read(id, props) {
    const read = await readBack(props!, ctx("service settings for", props?.name, "read"));
    return read ? { id, props: read } : {};
  },
  async update(_id, olds, news) {
    if (changedKeys(olds, news, [...SETTINGS, ...LIMITS]).length > 0) await write(news, ctx("service settings for", news.name, "update"));
    return { outs: news };
  },
  // Settings live and die with the service's instance in this environment (the service resource's).
  async delete() {},
};

export const serviceInstanceKind = defineKind<ServiceInstanceInputs, { adoptionWrote: boolean | undefined }>({
  token: "platform:railway:ServiceInstance",
  outputs: ["adoptionWrote"],
  secretOutputs: [],
  handler: provider,
});
