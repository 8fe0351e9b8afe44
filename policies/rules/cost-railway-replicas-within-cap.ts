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
    settings: { maxReplicas: { type: "integer", default: 5, description: "The most replicas a service may run." } },
  },
  (props, violate, { maxReplicas }) => {
    const replicas = replicasOf(props);
    if (replicas > maxReplicas) violate(`This service runs ${replicas} replicas, over the cap of ${maxReplicas}.`);
  },
);
