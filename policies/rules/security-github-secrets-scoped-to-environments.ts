// Actions secrets live in environments, not in the repository.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-secrets-scoped-to-environments",
    description: "GitHub Actions secrets are stored in an environment, never repository-wide.",
    why: "A repository secret is readable by every workflow on every branch; an environment secret only by jobs its rules admit.",
    type: TYPES.githubActionsSecret,
  },
  (props, violate) => {
    violate("This secret is stored for the whole repository.");
  },
);
