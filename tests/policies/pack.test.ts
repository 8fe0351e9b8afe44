// The pack itself loads: its index.ts compiles and constructs the PolicyPack in a child process,
// which then serves it (and prints the port, as the policy runtime expects).
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers";

describe("the policy pack", () => {
  it("starts from policies/index.ts", async () => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "index.ts"], { cwd: path.join(ROOT, "policies") });
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      child.stderr.on("data", (d) => (err += String(d)));
      child.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${err}`)));
    });
    child.kill();
    expect(port).toMatch(/^\d+$/);
  });
});
