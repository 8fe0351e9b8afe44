// Point-in-time recovery is on only where the stack's budget plans for it.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-supabase-pitr-budgeted",
    description: "Point-in-time recovery is on only in stacks whose budget plans for it.",
    why: "PITR costs $100 to $400 a month, more than the whole of a small stack.",
    type: TYPES.supabaseSettings,
    settings: { allowPitr: { type: "boolean", default: true, description: "Whether the budget plans for point-in-time recovery." } },
  },
  (props, violate, { allowPitr }) => {
    if (!allowPitr && props.pitrDays > 0) violate("This Supabase project has point-in-time recovery, which the stack's budget does not plan for.");
  },
);
