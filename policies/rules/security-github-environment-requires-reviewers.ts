// Deployments to the environment wait for a reviewer's approval.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-environment-requires-reviewers",
    description: "Deployments to the environment wait for an approval from its reviewers.",
    why: "Without reviewers, every merge reaches the environment with nobody deciding when.",
    type: TYPES.githubEnvironment,
  },
  (props, violate) => {
    const reviewers: Array<{ teams?: unknown[]; users?: unknown[] }> = props.reviewers ?? [];
    const count = reviewers.reduce((n, r) => n + (r.teams?.length ?? 0) + (r.users?.length ?? 0), 0);
    if (count === 0) violate("This environment has no required reviewers.");
  },
);
