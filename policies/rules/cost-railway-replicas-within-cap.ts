// Each Railway service runs at most the stack's cap of replicas.
import { replicasOf } from "../cost/model";
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-railway-replicas-within-cap",
    description: "Each Railway service runs at most the stack's cap of replicas.",
    why: "Every replica is billed in full, so replicas multiply the cost of a service.",
    type: TYPES.railwayServiceInstance,
    configSchema: { properties: { maxReplicas: { type: "integer", default: 6 } } },
  },
  (props, violate, args) => {
    const { maxReplicas = 6 } = args.getConfig<{ maxReplicas?: number }>();
    const replicas = replicasOf(props);
    if (replicas > maxReplicas) violate(`This service runs ${replicas} replicas, over the cap of ${maxReplicas}.`);
  },
);
