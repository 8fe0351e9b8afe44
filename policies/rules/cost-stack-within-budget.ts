// The stack's estimated monthly cost stays within its budget.
import { estimateCost } from "../cost/model";
import { stackPolicy } from "../policy";

export default stackPolicy(
  {
    name: "cost-stack-within-budget",
    description: "The stack's estimated monthly cost is within its budget.",
    why: "A stack that costs more than planned is found on the invoice, a month late.",
    configSchema: { properties: { budgetUsd: { type: "number", minimum: 0 } }, required: ["budgetUsd"] },
  },
  (resources, violate, args) => {
    const { budgetUsd } = args.getConfig<{ budgetUsd: number }>();
    const estimate = estimateCost(resources);
    if (estimate.monthlyUsd > budgetUsd) violate(`The estimated monthly cost, $${estimate.monthlyUsd.toFixed(2)}, is over the budget of $${budgetUsd.toFixed(2)}.`);
  },
);
