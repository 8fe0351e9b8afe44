// Workflows get a read-only token unless a job asks for more.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-workflow-token-read-only",
    description: "The repository's default workflow token is read-only.",
    why: "A compromised step with a write token can push code, tags and releases.",
    type: TYPES.githubWorkflowPermissions,
  },
  (props, violate) => {
    if (props.defaultWorkflowPermissions !== "read") violate("The repository's default workflow token can write.");
  },
);
