// Redis keeps its data on a volume across restarts.
import { isUnder, ofType, siblings, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "reliability-redis-persistence",
    description: "Redis persists its data (RDB snapshots or an append-only file) to a volume.",
    why: "Without persistence a restart empties Redis: sessions, queues and rate limits with it.",
  },
  (resources, violate) => {
    for (const settings of ofType(resources, TYPES.railwayServiceInstance).filter((r) => isUnder(r, TYPES.redis))) {
      const command = String(settings.props.startCommand ?? "");
      const persists = /--appendonly yes/.test(command) || /--save \d/.test(command);
      const volume = siblings(resources, settings).some((r) => r.type === TYPES.railwayVolume);
      if (!persists || !volume) violate("Redis loses its data on restart: it persists nothing, or has no volume.", settings);
    }
  },
);
