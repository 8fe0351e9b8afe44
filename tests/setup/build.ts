// Before any test file runs: build dist/ (the compiled program, the plan and the policies) if its
// inputs changed, as `npm run plan` does, so every test that runs the program the way Pulumi or a
// user does (the plan CLI, the SDK's cmd/run) shares one compiled program. After the last one:
// nothing the tests started may outlive them.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** Processes still running one of the SDK's hosts from this checkout, or a redis-server the tests started. */
export function leftovers(): string[] {
  const lines = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" }).split("\n");
  const hosts = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/");
  return lines.map((l) => l.trim()).filter((l) => l.includes(hosts) || /redis-server (127\.0\.0\.1|\*):\d+/.test(l));
}

export default function setup(): () => void {
  const { build } = require(path.resolve(__dirname, "../../plan/build.cjs")) as { build(): boolean };
  build();
  const before = new Set(leftovers());
  return () => {
    const left = leftovers().filter((l) => !before.has(l));
    if (left.length > 0) throw new Error(`The tests left processes running:\n${left.join("\n")}`);
  };
}
