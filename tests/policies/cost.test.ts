// The cost model: each price item, and the shipped stacks' totals against the design's figures.
import { describe, expect, it, beforeAll } from "vitest";
import prices from "../../policies/cost/prices.json";
import {
  estimateCost,
  pitrMonthly,
  railwayReplicaMonthly,
  replicasOf,
  supabaseBranchMonthly,
  supabaseProjectMonthly,
  type CostResource,
} from "../../policies/cost/model";
import { TYPES } from "../../policies/types";
import { policyResources } from "../../plan/run";
import { SHIPPED_STACKS, shippedRun } from "../helpers";

const resource = (type: string, props: Record<string, unknown>, name = "r"): CostResource => ({ type, urn: `urn:${name}`, name, props });

describe("price items", () => {
  it("Railway usage: vCPU and memory at the assumed share of each limit", () => {
    expect(prices.railway).toMatchObject({ vcpuMonth: 20, memoryGbMonth: 10, volumeGbMonth: 0.15 });
    expect(railwayReplicaMonthly(1, 1)).toBe(1 * 0.25 * 20 + 1 * 0.5 * 10);
    expect(railwayReplicaMonthly(2, 4)).toBe(2 * 0.25 * 20 + 4 * 0.5 * 10);
    expect(replicasOf({ numReplicas: 3 })).toBe(3);
    expect(replicasOf({ multiRegionConfig: { a: { numReplicas: 2 }, b: { numReplicas: 1 } } })).toBe(3);
  });

  it("Supabase: plan fee plus compute less the credit; free sizes cost nothing", () => {
    expect(supabaseProjectMonthly("nano")).toEqual({ plan: 0, compute: 0 });
    expect(supabaseProjectMonthly("micro")).toEqual({ plan: 25, compute: 0 });
    expect(supabaseProjectMonthly("small")).toEqual({ plan: 25, compute: 5 });
    expect(supabaseProjectMonthly("large")).toEqual({ plan: 25, compute: 100 });
    expect(supabaseProjectMonthly("16xlarge")).toEqual({ plan: 25, compute: 3720 });
    expect(() => supabaseProjectMonthly("24xlarge")).toThrow('No price for Supabase compute size "24xlarge" in policies/cost/prices.json.');
  });

  it("PITR and preview branches", () => {
    expect([0, 7, 14, 28].map(pitrMonthly)).toEqual([0, 100, 200, 400]);
    expect(supabaseBranchMonthly("micro")).toBeCloseTo(0.01344 * 730, 6);
  });

  it("the Railway plan's minimum is charged for what usage leaves of it", () => {
    const env = resource(TYPES.railwayEnvironment, { plan: "pro" }, "env");
    const small = resource(TYPES.railwayServiceInstance, { name: "api", vcpu: 0.5, memoryGb: 0.5, numReplicas: 1 });
    const estimate = estimateCost([small, env]);
    expect(estimate.items.map((i) => i.monthlyUsd)).toEqual([5, 15]);
    expect(estimate.monthlyUsd).toBe(20);
    const big = resource(TYPES.railwayServiceInstance, { name: "api", vcpu: 4, memoryGb: 4, numReplicas: 2 });
    expect(estimateCost([big, env]).monthlyUsd).toBe(2 * (4 * 0.25 * 20 + 4 * 0.5 * 10));
  });

  it("itemizes each resource with its URN", () => {
    const estimate = estimateCost([
      resource(TYPES.supabaseProject, { computeSize: "medium" }, "db"),
      resource(TYPES.supabaseSettings, { pitrDays: 14 }, "settings"),
      resource(TYPES.railwayVolume, { name: "redis" }, "vol"),
      resource(TYPES.supabaseBranch, { computeSize: "micro" }, "branch"),
    ]);
    expect(estimate.items.map((i) => [i.urn, i.monthlyUsd])).toEqual([
      ["urn:db", 75],
      ["urn:settings", 200],
      ["urn:vol", 0.15],
      ["urn:branch", 9.81],
    ]);
    expect(estimate.monthlyUsd).toBe(284.96);
  });
});

describe("the shipped stacks (Converge-NPS)", () => {
  const totals: Record<string, number> = {};
  beforeAll(async () => {
    for (const stack of SHIPPED_STACKS) totals[stack] = estimateCost(policyResources(await shippedRun(stack))).monthlyUsd;
  });

  it("cost what the design expects: dev about $20, staging about $60, production $135–285", () => {
    expect(totals.dev).toBeGreaterThanOrEqual(15);
    expect(totals.dev).toBeLessThanOrEqual(25);
    expect(totals.staging).toBeGreaterThanOrEqual(50);
    expect(totals.staging).toBeLessThanOrEqual(70);
    expect(totals.production).toBeGreaterThanOrEqual(135);
    expect(totals.production).toBeLessThanOrEqual(285);
  });

  it("stay within the $500 the design allows for all three", () => {
    expect(SHIPPED_STACKS.reduce((n, s) => n + totals[s]!, 0)).toBeLessThanOrEqual(500);
  });
});
