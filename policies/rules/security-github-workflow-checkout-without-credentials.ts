// Checkout leaves no token in the workspace.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("checkout-without-credentials", {
  name: "security-github-workflow-checkout-without-credentials",
  description: "Workflows check out code with persist-credentials turned off.",
  why: "A token left in the git config can be read by every later step, and leaked in artifacts.",
});
