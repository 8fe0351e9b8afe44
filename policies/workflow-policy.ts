// A policy for one of the workflow rules, over every workflow file a stack commits.
import { checkWorkflow, type WorkflowRule } from "../components/github/workflow-rules";
import { resourcePolicy, type PlatformResourcePolicy } from "./policy";
import { TYPES } from "./types";

export function workflowRulePolicy(rule: WorkflowRule, meta: { name: string; description: string; why: string }): PlatformResourcePolicy {
  return resourcePolicy({ ...meta, type: TYPES.githubFile }, (props, violate) => {
    if (!String(props.file).startsWith(".github/workflows/")) return;
    for (const finding of checkWorkflow(String(props.content))) {
      if (finding.rule === rule) violate(finding.message);
    }
  });
}
