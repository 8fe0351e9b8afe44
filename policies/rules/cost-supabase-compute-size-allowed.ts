// The Supabase project's compute size is one the stack's tier allows.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "cost-supabase-compute-size-allowed",
    description: "The Supabase project runs on a compute size allowed for the stack.",
    why: "Compute sizes range from free to thousands of dollars a month; each tier gets the sizes its budget can carry.",
    type: TYPES.supabaseProject,
    settings: {
      allowedSizes: {
        type: "array",
        items: { type: "string" },
        default: ["small", "medium", "large"],
        description: "The compute sizes the project may run on.",
      },
    },
  },
  (props, violate, { allowedSizes }) => {
    // No size: the smallest the organization allows.
    if (props.computeSize !== undefined && !allowedSizes.includes(props.computeSize))
      violate("This Supabase project runs on a compute size the stack's policy config does not allow.");
  },
);
