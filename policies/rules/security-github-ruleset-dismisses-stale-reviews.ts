// A new push to a pull request dismisses the approvals given before it.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-ruleset-dismisses-stale-reviews",
    description: "New commits to a pull request dismiss the approvals given before them.",
    why: "Otherwise code pushed after the review merges under an approval that never saw it.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    if (props.rules?.pullRequest?.dismissStaleReviewsOnPush !== true) violate("This ruleset keeps approvals after new commits.");
  },
);
