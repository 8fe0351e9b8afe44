// Benchmark: how the plan scales. A synthetic stack of 50 services, and 100 preview stacks in one
// process, timed in stages to show cost per mocked resource stays flat (target: linear, ≤ 1 ms per
// extra resource). Prints figures; asserts nothing.
import * as path from "node:path";
import { runStack } from "../plan/run";
import { readProjectDir } from "../plan/stacks";

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const STAND_IN = "bench-stand-in";

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await run();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

async function main(): Promise<void> {
  const project = readProjectDir(ROOT, STAND_IN);
  const byName = Object.fromEntries(project.stacks.map((s) => [s.name, s]));
  const plan = (stack: string, config: Record<string, string>, secretKeys: string[]) =>
    runStack({ program: project.program, project: project.project, stack, config, secretKeys });

  // Warm up: load modules and serialize the providers once, as any run does first.
  await plan("dev", byName.dev!.config, byName.dev!.secretKeys);

  // 50 services in one stack.
  const dev = byName.dev!;
  const services = JSON.parse(dev.config["platform:services"]!);
  const many: Record<string, unknown> = { api: services.api, web: services.web };
  for (let i = 3; i <= 50; i++) many[`svc-${String(i).padStart(2, "0")}`] = { ...services.web, domains: [] };
  const [big, bigMs] = await timed(() => plan("dev", { ...dev.config, "platform:services": JSON.stringify(many) }, dev.secretKeys));
  if (big.error) throw big.error;
  console.log(`50-service stack: ${big.resources.length} resources in ${bigMs.toFixed(0)} ms (${(bigMs / big.resources.length).toFixed(2)} ms per resource)`);

  // 100 preview stacks from the review-stack template, in batches of 25.
  const pr = byName.pr!;
  let total = 0;
  let resources = 0;
  const batches: Array<{ resources: number; ms: number }> = [];
  for (let batch = 0; batch < 4; batch++) {
    let batchResources = 0;
    const [, ms] = await timed(async () => {
      for (let i = 1; i <= 25; i++) {
        const run = await plan(`pr-${batch * 25 + i}`, pr.config, pr.secretKeys);
        if (run.error) throw run.error;
        batchResources += run.resources.length;
      }
    });
    batches.push({ resources: batchResources, ms });
    total += ms;
    resources += batchResources;
  }
  console.log(
    `100 preview stacks: ${resources} resources in ${total.toFixed(0)} ms (${(total / 100).toFixed(1)} ms per stack, ${(total / resources).toFixed(2)} ms per resource)`,
  );
  console.log(
    `  per batch of 25 stacks: ${batches.map((b) => `${(b.ms / b.resources).toFixed(2)} ms/resource`).join(", ")} (flat means linear; target ≤ 1 ms)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
