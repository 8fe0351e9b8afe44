// Benchmark: reading a hostile stack file with 20,000 and 200,000 keys (duplicate keys checked as
// the file is read). Prints each time and their ratio: 10 times the keys should take about 10
// times as long (linear), and 200,000 keys under 5 s.
import { parseStackFile } from "../config/stack-file";

function file(keys: number): Buffer {
  const lines = ["config:"];
  for (let i = 0; i < keys; i++) lines.push(`  platform:k${i}: v${i}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

function time(keys: number): number {
  const bytes = file(keys);
  const start = performance.now();
  parseStackFile(bytes, `Pulumi.bench-${keys}.yaml`, "platform");
  return performance.now() - start;
}

time(20_000); // warm up the parser
const small = time(20_000);
const large = time(200_000);
console.log(`stack file, 20,000 keys:  ${small.toFixed(0)} ms`);
console.log(`stack file, 200,000 keys: ${large.toFixed(0)} ms (target < 5000)`);
console.log(`ratio 200,000 / 20,000 keys: ${(large / small).toFixed(1)} (linear: about 10)`);
