// Before any test file runs: build dist/ (the compiled program, the plan, the policies and the test
// plugins) if its inputs changed, as `npm run plan` does, so every test that runs the program the
// way Pulumi or a user does shares one compiled program; and find the pinned Pulumi toolchain
// (PULUMI_TOOLCHAIN, else scripts/toolchain.sh builds it once into its cache). After the last one:
// nothing the tests started may outlive them.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const TOOLCHAIN_FILES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

/** Processes still running one of the SDK's hosts, a test plugin or the toolchain's CLI, or a redis-server the tests started. */
export function leftovers(): string[] {
  const lines = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" }).split("\n");
  const ours = [
    path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/"),
    path.join(ROOT, "dist/tests/plugins/"),
    ...(process.env.PULUMI_TOOLCHAIN ? [path.join(process.env.PULUMI_TOOLCHAIN, "pulumi")] : []),
  ];
  return lines.map((l) => l.trim()).filter((l) => ours.some((p) => l.includes(p)) || /redis-server (127\.0\.0\.1|\*):\d+/.test(l));
}

/** The toolchain folder: PULUMI_TOOLCHAIN when set (it must be complete), else the cached build, built now when missing. */
export function resolveToolchain(): string {
  const given = process.env.PULUMI_TOOLCHAIN;
  if (given) {
    const missing = TOOLCHAIN_FILES.filter((f) => !existsSync(path.join(given, f)));
    if (missing.length > 0)
      throw new Error(
        `PULUMI_TOOLCHAIN=${given} lacks ${missing.join(", ")}. Point it at a folder holding ${TOOLCHAIN_FILES.join(", ")}, or unset it and run \`npm run toolchain\` (needs Go 1.26).`,
      );
    return path.resolve(given);
  }
  try {
    return execFileSync(path.join(ROOT, "scripts/toolchain.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .at(-1)!;
  } catch {
    throw new Error(
      "The Pulumi toolchain could not be built (scripts/toolchain.sh failed; its output is above). Install Go 1.26 and run `npm run toolchain`, or set PULUMI_TOOLCHAIN to a folder holding " +
        `${TOOLCHAIN_FILES.join(", ")}.`,
    );
  }
}

export default function setup(): () => void {
  const { build } = require(path.resolve(__dirname, "../../plan/build.cjs")) as { build(): boolean };
  build();
  // Workers start after this and inherit the environment.
  process.env.PULUMI_TOOLCHAIN = resolveToolchain();
  const before = new Set(leftovers());
  return () => {
    const left = leftovers().filter((l) => !before.has(l));
    if (left.length > 0) throw new Error(`The tests left processes running:\n${left.join("\n")}`);
  };
}
