// Redis requires a password from every client.
import { isUnder, ofType, siblings, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "security-redis-requires-password",
    description: "Redis starts with a password that every client must give.",
    why: "Redis without a password lets anything that can reach it read, change or wipe every key.",
  },
  (resources, violate) => {
    for (const settings of ofType(resources, TYPES.railwayServiceInstance).filter((r) => isUnder(r, TYPES.redis))) {
      // Whether the password is set, not what it is: a generated one is unknown until it exists.
      const secrets: Record<string, unknown> = siblings(resources, settings).find((r) => r.type === TYPES.railwayVariables)?.props.secrets ?? {};
      const command = String(settings.props.startCommand ?? "");
      if (!/--requirepass \$REDIS_PASSWORD\b/.test(command) || !("REDIS_PASSWORD" in secrets))
        violate("The Redis service does not require a password.", settings);
    }
  },
);
