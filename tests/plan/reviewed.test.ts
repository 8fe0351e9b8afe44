// plan/reviewed.ts as the workflows run it, where it stops before running `pulumi` at all: its
// arguments, and `apply` with no reviewed plan or another stack's (tests/cli/reviewed.test.ts runs
// `save` and `apply` through the real CLI).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../cli/pulumi";
import { ROOT } from "../helpers";

const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// No `pulumi` on the PATH: nothing here may get as far as running it.
const reviewed = (...args: string[]) =>
  run(process.execPath, [path.join(ROOT, "dist/plan/reviewed.js"), ...args], { cwd: dir, env: { PATH: path.dirname(process.execPath) } });

describe("node dist/plan/reviewed.js", () => {
  it("refuses other arguments with its usage (exit 2)", async () => {
    for (const args of [[], ["save", "staging"], ["plan", "staging", dir], ["apply", "staging", dir, "extra"]]) {
      const r = await reviewed(...args);
      expect([r.code, r.stderr.split("\n")[0]], args.join(" ")).toEqual([2, "Usage: node dist/plan/reviewed.js save|apply STACK DIR"]);
    }
  });

  it("applies nothing from a folder without a reviewed plan, or with another stack's, saying what to do (exit 2)", async () => {
    const none = await reviewed("apply", "staging", dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      `Stack staging: ${dir} holds no reviewed plan (reviewed.json, from 'save'). Re-run the pull request's preview for this stack, review what it shows, then re-run this deploy.\n`,
    );
    writeFileSync(path.join(dir, "reviewed.json"), JSON.stringify({ stack: "production", lastUpdate: null }));
    writeFileSync(path.join(dir, "plan.json"), "{}");
    const other = await reviewed("apply", "staging", dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`Stack staging: ${dir} holds the reviewed plan of stack "production".`);
  });
});
