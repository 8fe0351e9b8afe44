// Every service with a public domain has a health check.
import { ofType, siblings, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "reliability-railway-healthcheck-on-public-services",
    description: "Every Railway service with a public domain has an HTTP health check.",
    why: "Without one, Railway sends traffic to a new deployment before it can answer, and keeps a broken one.",
  },
  (resources, violate) => {
    for (const settings of ofType(resources, TYPES.railwayServiceInstance)) {
      const isPublic = siblings(resources, settings).some((r) => r.type === TYPES.railwayServiceDomain || r.type === TYPES.railwayCustomDomain);
      if (isPublic && !settings.props.healthcheckPath) violate("This service is public but has no health check.", settings);
    }
  },
);
