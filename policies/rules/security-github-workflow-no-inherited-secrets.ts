// Reusable workflows get named secrets, never all of them.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("no-inherited-secrets", {
  name: "security-github-workflow-no-inherited-secrets",
  description: "Reusable workflows are passed the secrets they need by name, never with secrets: inherit.",
  why: "Inheriting hands every secret to code that needs one or none of them.",
});
