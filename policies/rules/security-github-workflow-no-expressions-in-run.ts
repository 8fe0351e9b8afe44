// No expressions are expanded inside scripts.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("no-expressions-in-run", {
  name: "security-github-workflow-no-expressions-in-run",
  description: "Workflow scripts take values through environment variables, not `${{ }}` expressions.",
  why: "An expression is pasted into the script before it runs, so text from a pull request or an issue can become shell commands.",
});
