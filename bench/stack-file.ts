// Benchmark: the stack-file reader on the largest file it reads and on hostile ones it refuses.
// Prints each time in ms: a file just under the size limit (128 KiB of keys and values, below the
// key limit), and the refusals of an alias bomb, brackets nested 60,000 deep, a file over the size
// limit and one over the key limit. Each should be well under a second.
import { UserError } from "../config/errors";
import { parseStackFile, STACK_FILE_LIMITS } from "../config/stack-file";

function time(label: string, text: string): void {
  const bytes = Buffer.from(text);
  const start = performance.now();
  let outcome = "read";
  try {
    parseStackFile(bytes, "Pulumi.bench.yaml", "platform");
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    outcome = "refused";
  }
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(1).padStart(7)} ms  ${outcome} (${(bytes.length / 1024).toFixed(0)} KiB)`);
}

const near = ["config:", "  platform:m:"];
for (let i = 0; near.join("\n").length < STACK_FILE_LIMITS.bytes - 200 && i < STACK_FILE_LIMITS.keys - 10; i++)
  near.push(`    key${i}: ${"v".repeat(48)}-${i}`);
const bomb = ["config:", "  platform:a: &a [x, x, x, x, x, x, x, x, x, x]"];
for (let i = 1; i < 10; i++)
  bomb.push(
    `  platform:${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
      .fill(`*${"abcdefghij"[i - 1]}`)
      .join(", ")}]`,
  );
const many = ["config:", "  platform:m:"];
for (let i = 0; i < 3_000; i++) many.push(`    k${i}: v`);

time("largest file read (under every limit)", `${near.join("\n")}\n`);
time("alias bomb (10^9 values)", `${bomb.join("\n")}\n`);
time("brackets 60,000 deep", `config:\n  platform:v: ${"[".repeat(60_000)}${"]".repeat(60_000)}\n`.slice(0, STACK_FILE_LIMITS.bytes));
time("over the size limit", `config:\n  platform:v: "${"x".repeat(STACK_FILE_LIMITS.bytes)}"\n`);
time("over the key limit (3,000 keys)", `${many.join("\n")}\n`);
