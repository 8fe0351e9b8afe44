// The deploy branch's ruleset forbids deleting the branch.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-ruleset-blocks-deletion",
    description: "The deploy branch's ruleset forbids deleting the branch.",
    why: "Deleting the branch an environment deploys from stops deployments and loses unmerged history.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    if (props.rules?.deletion !== true) violate("This ruleset allows deleting the branch.");
  },
);
