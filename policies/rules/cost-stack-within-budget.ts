// The stack's estimated monthly cost stays within its budget: `platform:budget.monthlyUsd`, which
// the Platform component carries, unless the stack's policy config sets another.
import { estimateCost } from "../cost/model";
import { ofType, stackPolicy } from "../policy";
import { TYPES } from "../types";

export default stackPolicy(
  {
    name: "cost-stack-within-budget",
    description: "The stack's estimated monthly cost is within its budget.",
    why: "A stack that costs more than planned is found on the invoice, a month late.",
    settings: { budgetUsd: { type: "number", minimum: 0, description: "The monthly budget in USD; the stack's platform:budget.monthlyUsd when not set." } },
  },
  (resources, violate, { budgetUsd }) => {
    const budget: unknown = budgetUsd ?? ofType(resources, TYPES.platform)[0]?.props.budgetUsd;
    const estimate = estimateCost(resources);
    if (typeof budget !== "number") violate("The stack declares no budget (platform:budget.monthlyUsd), so its cost cannot be held to one.");
    else if (estimate.monthlyUsd > budget)
      violate(`The estimated monthly cost, $${estimate.monthlyUsd.toFixed(2)}, is over the budget of $${budget.toFixed(2)}.`);
  },
);
