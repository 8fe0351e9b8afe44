// GitHub Actions cannot approve pull requests.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-github-actions-cannot-approve-pull-requests",
    description: "Workflows cannot approve pull requests.",
    why: "A workflow that approves pull requests turns the review rule into a formality any workflow can satisfy.",
    type: TYPES.githubWorkflowPermissions,
  },
  (props, violate) => {
    if (props.canApprovePullRequestReviews !== false) violate("Workflows may approve pull requests in this repository.");
  },
);
