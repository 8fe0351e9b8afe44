// Redis is reachable on the private network only.
import { isUnder, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "security-redis-private-only",
    description: "Redis has no public domain: services reach it on Railway's private network.",
    why: "A public Redis endpoint is scanned and attacked within minutes of going up.",
  },
  (resources, violate) => {
    for (const r of resources) {
      if ((r.type === TYPES.railwayServiceDomain || r.type === TYPES.railwayCustomDomain) && isUnder(r, TYPES.redis))
        violate("The Redis service has a public domain.", r);
    }
  },
);
