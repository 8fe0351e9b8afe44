// Benchmark: the policy pack over 1,000 and 5,000 synthetic resources (copies of the production
// stack's), in process, as the offline plan evaluates it. Prints medians; targets ≤ 100 ms and ≤ 300 ms.
import * as path from "node:path";
import { POLICIES } from "../policies/all";
import { evaluatePolicies, type EvaluatedResource } from "../policies/evaluate";
import { policyConfigFor } from "../plan/policy-config";
import { policyResources, runStack } from "../plan/run";
import { readProjectDir } from "../plan/stacks";

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const project = readProjectDir(ROOT, "bench-stand-in", "production");
  const stack = project.stacks[0]!;
  const run = await runStack({ program: project.program, project: project.project, stack: stack.name, config: stack.config, secretKeys: stack.secretKeys });
  const base: EvaluatedResource[] = policyResources(run);
  const { config } = policyConfigFor(ROOT, "production", "production", POLICIES);
  console.log(`${POLICIES.length} policies; the production stack has ${base.length} resources`);
  for (const count of [1_000, 5_000]) {
    // Copies keep their own parents, so stack policies see as many components as resources.
    const resources: EvaluatedResource[] = [];
    for (let copy = 0; resources.length < count; copy++) {
      for (const r of base) {
        if (resources.length >= count) break;
        resources.push({ ...r, urn: `${r.urn}-${copy}`, parent: r.parent ? `${r.parent}-${copy}` : null });
      }
    }
    const times: number[] = [];
    let found = 0;
    await evaluatePolicies(POLICIES, resources, config);
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      found = (await evaluatePolicies(POLICIES, resources, config)).length;
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    console.log(
      `${String(count).padStart(5)} resources: median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}), ${found} violations; target ${count === 1_000 ? "≤ 100" : "≤ 300"} ms`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
