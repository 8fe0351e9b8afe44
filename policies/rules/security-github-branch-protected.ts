// Every GitHub environment's branch is protected by a ruleset in the same stack, or by the stack
// named as its owner (platform:github.branchOwner; the plan checks across stacks that the owner
// protects it).
import { ofType, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "security-github-branch-protected",
    description: "Every stack that deploys from a branch protects that branch with a ruleset, or names the stack that does.",
    why: "An unprotected deploy branch takes any push, from anyone with write access, to the environment.",
  },
  (resources, violate) => {
    if (ofType(resources, TYPES.githubRepository).some((r) => typeof r.props.branchOwner === "string")) return;
    const protectedRefs = new Set(ofType(resources, TYPES.githubRuleset).flatMap((r) => (r.props.conditions?.refName?.includes ?? []) as string[]));
    for (const policy of ofType(resources, TYPES.githubEnvironmentPolicy)) {
      const branch = policy.props.branchPattern as string;
      if (!protectedRefs.has(`refs/heads/${branch}`))
        violate("The branch this environment deploys from has no ruleset, and no other stack is named as its owner (platform:github.branchOwner).", policy);
    }
  },
);
