// The stack-file reader agrees with the real CLI: the same files go to `pulumi config --json
// --show-secrets` and to the reader, and every value the reader accepts is the one Pulumi gives a
// program; where it refuses a key, the value its message names is the one Pulumi would have used.
// A sample of generated files (tests/config/stack-files.ts) goes the same way.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../config/errors";
import { parseStackFile } from "../../config/stack-file";
import { readStackFileText, stackTextOf, TRICKY_SCALARS } from "../config/stack-files";
import { Workspace } from "./pulumi";

let ws: Workspace;
beforeAll(() => {
  ws = Workspace.create();
});
afterAll(() => ws?.remove());

/** What `pulumi config --json --show-secrets` gives for a stack file: each key's value, objects parsed. */
async function cliConfig(stack: string, text: string): Promise<Record<string, unknown>> {
  writeFileSync(path.join(ws.dir, `Pulumi.${stack}.yaml`), text);
  await ws.ok(["stack", "init", stack]);
  const out = JSON.parse((await ws.ok(["config", "--json", "--show-secrets", "--stack", stack])).stdout) as Record<
    string,
    { value: string; objectValue?: unknown }
  >;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.objectValue !== undefined ? v.objectValue : v.value]));
}

/** The reader's values in the same form: top-level text as text, objects as values. */
function ours(text: string): Record<string, unknown> {
  const { config } = readStackFileText(text);
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
}

describe("the reader and `pulumi config --json` read the same files the same way", () => {
  it("every tricky scalar: the same value where the reader takes it, and the value Pulumi uses named where it refuses", { timeout: 60_000 }, async () => {
    // .inf and .nan make the whole file unreadable to Pulumi; they are refused on their own (tests/config).
    const scalars = TRICKY_SCALARS.filter((s) => !/inf|nan/i.test(s));
    const lines = scalars.map((s, i) => `  platform:top${i}: ${s}\n  platform:nested${i}: {v: ${s}, list: [${s}]}`);
    const text = `config:\n${lines.join("\n")}\n`;
    const cli = await cliConfig("tricky", text);
    for (const [i, s] of scalars.entries()) {
      const one = `config:\n  platform:top${i}: ${s}\n  platform:nested${i}: {v: ${s}, list: [${s}]}\n`;
      let mine: Record<string, unknown> | undefined;
      try {
        mine = ours(one);
      } catch (err) {
        expect(err, s).toBeInstanceOf(UserError);
        // A refusal says what Pulumi reads: that number, or (for a date) that it becomes Go's text.
        const pulumiReads = (cli[`platform:nested${i}`] as { v: unknown }).v;
        const message = (err as Error).message;
        if (typeof pulumiReads === "number")
          expect(message, s).toMatch(new RegExp(`(the number ${pulumiReads}\\b|write it out \\(${pulumiReads}\\)|too large)`));
        else expect(message, s).toMatch(/date-time|too large|tag/);
        continue;
      }
      expect(mine![`platform:top${i}`], s).toEqual(cli[`platform:top${i}`]);
      expect(mine![`platform:nested${i}`], s).toEqual(cli[`platform:nested${i}`]);
    }
  });

  it("a sample of generated files: whatever the reader accepts, Pulumi reads the same", { timeout: 60_000 }, async () => {
    const sample = fc.sample(stackTextOf(), { numRuns: 400, seed: 4242 });
    const accepted: string[] = [];
    for (const [n, text] of sample.entries()) {
      try {
        parseStackFile(Buffer.from(text), "sample", "platform");
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        continue;
      }
      // One file for the CLI: each sample's keys and anchors renamed apart.
      accepted.push(
        text
          .replace(/^config:\n/, "")
          .replace(/platform:(s\d+|alias)/g, `platform:f${n}_$1`)
          .replace(/&first/g, `&f${n}`)
          .replace(/\*first/g, `*f${n}`)
          .trimEnd(),
      );
    }
    expect(accepted.length).toBeGreaterThan(20);
    const combined = `config:\n${accepted.join("\n")}\n`;
    expect(ours(combined)).toEqual(await cliConfig("sample", combined));
  });
});
