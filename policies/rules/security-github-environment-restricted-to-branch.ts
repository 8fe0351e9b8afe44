// The environment takes deployments only from the branches its policies name.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-environment-restricted-to-branch",
    description: "The environment accepts deployments only from the branches its deployment policies name.",
    why: "Otherwise a workflow run from any branch, reviewed or not, can use the environment's secrets and deploy.",
    type: TYPES.githubEnvironment,
  },
  (props, violate) => {
    const policy = props.deploymentBranchPolicy;
    if (policy?.customBranchPolicies !== true) violate("This environment accepts deployments from any branch.");
  },
);
