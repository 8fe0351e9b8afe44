// Each Railway service's vCPU limit per replica stays under the stack's cap.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-railway-vcpu-within-cap",
    description: "Each Railway service's vCPU limit per replica is at most the stack's cap.",
    why: "Railway bills the CPU a service uses up to its limit, so a high limit lets a runaway process run up the bill.",
    type: TYPES.railwayServiceInstance,
    settings: { maxVcpu: { type: "number", default: 4, description: "The most vCPU a replica may have." } },
  },
  (props, violate, { maxVcpu }) => {
    if (props.vcpu > maxVcpu) violate(`This service's vCPU limit per replica is over the cap of ${maxVcpu}.`);
  },
);
