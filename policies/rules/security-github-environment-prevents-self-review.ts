// The person who starts a deployment cannot approve it.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-environment-prevents-self-review",
    description: "Whoever starts a deployment to the environment cannot approve it.",
    why: "A reviewer who approves their own deployment is no second pair of eyes.",
    type: TYPES.githubEnvironment,
  },
  (props, violate) => {
    // With no reviewers nobody approves anything (security-github-environment-requires-reviewers
    // says so), and GitHub refuses prevent_self_review there.
    const reviewers: Array<{ teams?: unknown[]; users?: unknown[] }> = props.reviewers ?? [];
    if (reviewers.every((r) => (r.teams?.length ?? 0) + (r.users?.length ?? 0) === 0)) return;
    if (props.preventSelfReview !== true) violate("This environment lets people approve their own deployments.");
  },
);
