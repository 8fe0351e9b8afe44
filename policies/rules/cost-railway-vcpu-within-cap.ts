// Each Railway service's vCPU limit per replica stays under the stack's cap.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-railway-vcpu-within-cap",
    description: "Each Railway service's vCPU limit per replica is at most the stack's cap.",
    why: "Railway bills the CPU a service uses up to its limit, so a high limit lets a runaway process run up the bill.",
    type: TYPES.railwayServiceInstance,
    configSchema: { properties: { maxVcpu: { type: "number", default: 8 } } },
  },
  (props, violate, args) => {
    const { maxVcpu = 8 } = args.getConfig<{ maxVcpu?: number }>();
    if (props.vcpu > maxVcpu) violate(`This service's vCPU limit per replica is over the cap of ${maxVcpu}.`);
  },
);
