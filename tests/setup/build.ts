// Before any test file runs: compile the program, the plan and the policies to dist/ once (the
// incremental build `npm run plan` uses), so every test that runs the program the way Pulumi or a
// user does (the plan CLI, the SDK's cmd/run) shares one compiled program.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function setup(): void {
  const root = path.resolve(__dirname, "../..");
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
