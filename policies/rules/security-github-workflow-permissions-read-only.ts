// Workflows grant write access per job, never at the top.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("read-only-top-permissions", {
  name: "security-github-workflow-permissions-read-only",
  description: "A workflow's top-level permissions are empty or read-only, with writes granted per job.",
  why: "Top-level write permissions give every job, and every action in it, a token that can change the repository.",
});
