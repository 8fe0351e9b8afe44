// Generated stack files, for the reader's property tests: `config:` keys whose values are flow-style
// YAML built from the scalars whose reading differs between YAML dialects (a leading zero, an
// underscore, an exponent, `yes`, `~`, a date, hex, octal, binary, huge numbers, non-finite
// numbers), quoted text, nesting, anchors and aliases, and now and then a key given twice.
import fc from "fast-check";
import { parseStackFile } from "../../config/stack-file";
import { stackConfigOf } from "../../plan/stacks";

/** Plain scalars YAML dialects read differently, and ordinary ones. */
export const TRICKY_SCALARS = [
  "0100",
  "-0100",
  "08",
  "00",
  "0",
  "-0",
  "+3",
  "1_000",
  "1e3",
  "1E3",
  "1.e3",
  "0.1e-2",
  ".5",
  "-.5",
  "1.",
  "0.9",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "True",
  "TRUE",
  "tRUE",
  "false",
  "~",
  "null",
  "NULL",
  "nULL",
  "0x1F",
  "-0x10",
  "0o17",
  "0b101",
  "2002-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "12345678901234567890",
  "1e400",
  ".inf",
  "-.Inf",
  ".nan",
  "3000",
  "-15",
  "api",
  "hello-world",
  "x_y",
  "v1.2.3",
  "1.2.3",
];

const plain = fc.constantFrom(...TRICKY_SCALARS);
const quoted = fc.stringMatching(/^[A-Za-z0-9 ._-]{0,12}$/).map((s) => `'${s}'`);
const keyName = fc.oneof(
  { weight: 9, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/) },
  { weight: 1, arbitrary: fc.constantFrom("1", "true", "null", "yes", "'1'") },
);

/** A flow-style YAML value, with `anchors` it may refer back to. */
function valueText(depth: number): fc.Arbitrary<string> {
  const scalar = fc.oneof(plain, quoted);
  if (depth <= 0) return scalar;
  return fc.oneof(
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(valueText(depth - 1), { maxLength: 4 }).map((items) => `[${items.join(", ")}]`) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(keyName, valueText(depth - 1)), { maxLength: 4 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    },
  );
}

/** A whole stack file: up to eight `platform:` keys, the first value anchored and now and then aliased. */
export function stackTextOf(): fc.Arbitrary<string> {
  return fc.tuple(fc.array(valueText(3), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean()).map(([values, alias, twice]) => {
    const lines = values.map((v, i) => `  platform:s${i}: ${i === 0 && v.startsWith("{") ? `&first ${v}` : v}`);
    if (alias && values[0]!.startsWith("{")) lines.push(`  platform:alias: *first`);
    if (twice) lines.push(lines[0]!);
    return `config:\n${lines.join("\n")}\n`;
  });
}

/** A stack file's text as the plan reads it: what the CLI would hand the program. */
export function readStackFileText(text: string) {
  return stackConfigOf(parseStackFile(Buffer.from(text), "Pulumi.t.yaml", "platform").values, "stand-in");
}
