// Benchmark: the offline plan of the three shipped stacks (one process) against a bare
// `require("@pulumi/pulumi")` in the same run (target ratio ≤ 2.5), and a repeated `npm run plan`
// (which builds dist/ only when its inputs changed) against the compiled CLI alone (target ≤ 1.3).
import { execFileSync } from "node:child_process";
import * as path from "node:path";

// Runs compiled, from dist/bench (npm run bench builds first).
const ROOT = path.resolve(__dirname, "../..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  if (args[0] === "npm") execFileSync("npm", args.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "ignore"] });
  else execFileSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const cases: Record<string, string[]> = {
  "bare SDK import": ["-e", 'require("@pulumi/pulumi")'],
  "plan, 3 stacks": ["dist/plan/cli.js", "--stack", "dev,staging,production", "--json"],
  "npm run plan": ["npm", "run", "--silent", "plan"],
  "compiled CLI alone": ["dist/plan/cli.js"],
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
time(cases["plan, 3 stacks"]!); // warm the transform cache and the file cache
for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) samples[name]!.push(time(args));

const base = median(samples["bare SDK import"]!);
const plan = median(samples["plan, 3 stacks"]!);
console.log(`runs: ${RUNS} each, interleaved`);
for (const [name, values] of Object.entries(samples))
  console.log(`${name.padEnd(18)} median ${median(values).toFixed(0)} ms  (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`);
console.log(`ratio plan / bare import: ${(plan / base).toFixed(2)} (target ≤ 2.5)`);
console.log(
  `ratio repeated npm run plan / compiled CLI: ${(median(samples["npm run plan"]!) / median(samples["compiled CLI alone"]!)).toFixed(2)} (target ≤ 1.3)`,
);
