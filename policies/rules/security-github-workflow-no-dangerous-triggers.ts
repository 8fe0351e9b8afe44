// No workflow runs on pull_request_target or workflow_run.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("no-dangerous-triggers", {
  name: "security-github-workflow-no-dangerous-triggers",
  description: "No workflow runs on pull_request_target or workflow_run.",
  why: "Both run with the repository's secrets and a write token in reach of code from forks.",
});
