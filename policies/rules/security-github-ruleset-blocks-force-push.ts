// The deploy branch's ruleset forbids force pushes.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-ruleset-blocks-force-push",
    description: "The deploy branch's ruleset forbids force pushes.",
    why: "A force push rewrites what was reviewed and deployed, and can erase history.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    if (props.rules?.nonFastForward !== true) violate("This ruleset allows force pushes.");
  },
);
