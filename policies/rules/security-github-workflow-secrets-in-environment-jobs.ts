// Only jobs bound to an environment use deploy secrets.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("secrets-in-environment-jobs", {
  name: "security-github-workflow-secrets-in-environment-jobs",
  description: "Only jobs that declare an environment use secrets.",
  why: "An environment's branch rules and reviewers guard its secrets only for jobs that run in it.",
});
