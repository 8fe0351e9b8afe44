// The deploy branch requires status checks (CI) to pass before merging.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-ruleset-requires-status-checks",
    description: "The deploy branch requires status checks to pass before a merge.",
    why: "Without required checks, code that fails its tests or security scan can be merged and deployed.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    const checks = props.rules?.requiredStatusChecks?.requiredChecks;
    if (!Array.isArray(checks) || checks.length === 0) violate("This ruleset requires no status checks.");
  },
);
