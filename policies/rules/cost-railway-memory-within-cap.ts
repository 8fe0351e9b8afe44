// Each Railway service's memory limit per replica stays under the stack's cap.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-railway-memory-within-cap",
    description: "Each Railway service's memory limit per replica is at most the stack's cap.",
    why: "Railway bills the memory a service uses up to its limit, so a leak under a high limit becomes a bill.",
    type: TYPES.railwayServiceInstance,
    settings: { maxMemoryGb: { type: "number", default: 4, description: "The most memory, in GB, a replica may have." } },
  },
  (props, violate, { maxMemoryGb }) => {
    if (props.memoryGb > maxMemoryGb) violate(`This service's memory limit per replica is over the cap of ${maxMemoryGb} GB.`);
  },
);
