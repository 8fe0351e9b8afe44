// Workflows use actions pinned to a commit.
import { workflowRulePolicy } from "../workflow-policy";

export default workflowRulePolicy("pinned-actions", {
  name: "security-github-workflow-actions-pinned",
  description: "Every action a workflow uses is pinned to a full commit SHA.",
  why: "A tag can be moved to different code at any time; a commit cannot.",
});
