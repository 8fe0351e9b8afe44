// Stateless services run at least two replicas.
import { replicasOf } from "../cost/model";
import { isUnder, ofType, siblings, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "reliability-railway-stateless-replicas",
    description: "Every stateless Railway service (one without a volume, Redis aside) runs at least two replicas.",
    why: "With one replica, every deploy, crash or host failure is downtime.",
  },
  (resources, violate) => {
    // Redis holds state in memory whatever its volume: a second replica would be a second database.
    for (const settings of ofType(resources, TYPES.railwayServiceInstance).filter((r) => !isUnder(r, TYPES.redis))) {
      const stateful = siblings(resources, settings).some((r) => r.type === TYPES.railwayVolume);
      if (!stateful && replicasOf(settings.props) < 2) violate("This stateless service runs a single replica.", settings);
    }
  },
);
