// Railway restarts a service that crashes.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "reliability-railway-restart-not-never",
    description: "Railway restarts each service when it crashes.",
    why: "With restarts off, one crash is an outage until someone notices.",
    type: TYPES.railwayServiceInstance,
  },
  (props, violate) => {
    if (props.restartPolicyType === "NEVER") violate("This service is never restarted after a crash.");
  },
);
