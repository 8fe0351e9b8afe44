// Preview branches run on the smallest paid compute size.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-supabase-branch-smallest-size",
    description: "A preview branch's database runs on micro compute.",
    why: "Branch compute is billed by the hour and not covered by the compute credit, once per open pull request.",
    type: TYPES.supabaseBranch,
  },
  (props, violate) => {
    if (props.computeSize !== undefined && props.computeSize !== "micro") violate("This preview branch runs on a compute size larger than micro.");
  },
);
