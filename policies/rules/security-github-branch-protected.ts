// Every GitHub environment's branch is protected by a ruleset in the same stack.
import { ofType, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "security-github-branch-protected",
    description: "Every stack that deploys from a branch protects that branch with a ruleset.",
    why: "An unprotected deploy branch takes any push, from anyone with write access, to the environment.",
  },
  (resources, violate) => {
    const protectedRefs = new Set(ofType(resources, TYPES.githubRuleset).flatMap((r) => (r.props.conditions?.refName?.includes ?? []) as string[]));
    for (const policy of ofType(resources, TYPES.githubEnvironmentPolicy)) {
      const branch = policy.props.branchPattern as string;
      if (!protectedRefs.has(`refs/heads/${branch}`)) violate("The branch this environment deploys from has no ruleset.", policy);
    }
  },
);
