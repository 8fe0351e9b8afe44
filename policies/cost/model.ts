// The one cost model: a monthly estimate of what a stack's resources cost, itemized per resource,
// from the prices in prices.json. Pure; the budget policy and the offline plan both use it.
import prices from "./prices.json";
import { TYPES } from "../types";

export interface CostResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Readonly<Record<string, any>>;
}

export interface CostItem {
  readonly urn: string;
  readonly description: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly monthlyUsd: number;
  readonly items: readonly CostItem[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Replicas of a Railway service instance: one count, or the sum over regions. */
export function replicasOf(props: Readonly<Record<string, any>>): number {
  const multi = props.multiRegionConfig as Record<string, { numReplicas?: number }> | undefined;
  if (multi && typeof multi === "object") return Object.values(multi).reduce((n, r) => n + (r?.numReplicas ?? 0), 0);
  return typeof props.numReplicas === "number" ? props.numReplicas : 1;
}

/** Monthly Railway usage of one replica with these limits, at the assumed shares of each limit. */
export function railwayReplicaMonthly(vcpu: number, memoryGb: number): number {
  const a = prices.assumptions;
  return vcpu * a.cpuShareOfLimit * prices.railway.vcpuMonth + memoryGb * a.memoryShareOfLimit * prices.railway.memoryGbMonth;
}

/** Monthly cost of a Supabase project of this size in a Pro organization (compute less the credit, plus the plan). */
export function supabaseProjectMonthly(computeSize: string): { plan: number; compute: number } {
  const s = prices.supabase;
  if (s.freeSizes.includes(computeSize)) return { plan: 0, compute: 0 };
  const compute = (s.compute as Record<string, number>)[computeSize];
  if (compute === undefined) throw new Error(`No price for Supabase compute size ${JSON.stringify(computeSize)} in policies/cost/prices.json.`);
  return { plan: s.proMonthlyFee, compute: Math.max(0, compute - s.computeCredit) };
}

export function supabaseBranchMonthly(computeSize: string): number {
  const s = prices.supabase;
  if (computeSize === "micro") return s.branchMicroHourly * s.hoursPerMonth;
  return (s.compute as Record<string, number>)[computeSize] ?? 0;
}

export function pitrMonthly(days: number): number {
  return days > 0 ? ((prices.supabase.pitr as Record<string, number>)[String(days)] ?? 0) : 0;
}

/** Itemized monthly estimate for a stack's resources. */
export function estimateCost(resources: readonly CostResource[]): CostEstimate {
  const items: CostItem[] = [];
  let railwayUsage = 0;
  let plan: { urn: string; name: string } | undefined;
  for (const r of resources) {
    const p = r.props;
    switch (r.type) {
      case TYPES.railwayServiceInstance: {
        const replicas = replicasOf(p);
        const usd = replicas * railwayReplicaMonthly(p.vcpu, p.memoryGb);
        railwayUsage += usd;
        items.push({
          urn: r.urn,
          description: `Railway ${p.name}: ${replicas} × (${p.vcpu} vCPU, ${p.memoryGb} GB), at the assumed use of those limits`,
          monthlyUsd: round(usd),
        });
        break;
      }
      case TYPES.railwayVolume: {
        const usd = prices.assumptions.volumeGb * prices.railway.volumeGbMonth;
        railwayUsage += usd;
        items.push({ urn: r.urn, description: `Railway volume of ${p.name}: ${prices.assumptions.volumeGb} GB assumed`, monthlyUsd: round(usd) });
        break;
      }
      case TYPES.railwayEnvironment:
        // An ephemeral (preview) environment lives in a workspace whose plan a real stack pays for.
        if (p.ephemeral !== true) plan = { urn: r.urn, name: String(p.plan) };
        break;
      case TYPES.supabaseProject: {
        // No size: the smallest the organization allows, free in a free organization.
        const size = typeof p.computeSize === "string" ? p.computeSize : "nano";
        const { plan: fee, compute } = supabaseProjectMonthly(size);
        items.push({
          urn: r.urn,
          description:
            fee === 0
              ? `Supabase ${p.computeSize === undefined ? "smallest size" : size} (free organization)`
              : `Supabase Pro plan and ${size} compute, less the $${prices.supabase.computeCredit} compute credit`,
          monthlyUsd: round(fee + compute),
        });
        break;
      }
      case TYPES.supabaseSettings:
        if (p.pitrDays > 0)
          items.push({ urn: r.urn, description: `Supabase point-in-time recovery, ${p.pitrDays} days`, monthlyUsd: round(pitrMonthly(p.pitrDays)) });
        break;
      case TYPES.supabaseBranch:
        items.push({
          urn: r.urn,
          description: `Supabase preview branch, ${p.computeSize ?? "micro"} compute billed hourly`,
          monthlyUsd: round(supabaseBranchMonthly(p.computeSize ?? "micro")),
        });
        break;
    }
  }
  if (plan) {
    const railwayPlan = (prices.railway.plans as Record<string, { monthlyFee: number; includedUsage: number }>)[plan.name];
    if (railwayPlan) {
      // The plan is a monthly minimum that includes as much usage: what usage does not cover.
      const topUp = Math.max(0, railwayPlan.monthlyFee - Math.min(railwayUsage, railwayPlan.includedUsage));
      items.push({
        urn: plan.urn,
        description: `Railway ${plan.name} plan: $${railwayPlan.monthlyFee} minimum, of which usage covers $${round(Math.min(railwayUsage, railwayPlan.includedUsage))}`,
        monthlyUsd: round(topUp),
      });
    }
  }
  return { monthlyUsd: round(items.reduce((n, i) => n + i.monthlyUsd, 0)), items };
}
