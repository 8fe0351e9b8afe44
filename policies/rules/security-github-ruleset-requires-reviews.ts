// Changes reach the deploy branch through reviewed pull requests.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-ruleset-requires-reviews",
    description: "Changes reach the deploy branch only through pull requests with at least one approving review.",
    why: "Unreviewed code goes straight to the environment the branch deploys.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    const reviews = props.rules?.pullRequest?.requiredApprovingReviewCount;
    if (!(typeof reviews === "number" && reviews >= 1)) violate("This ruleset lets changes in without an approving review.");
  },
);
