// Before any test file runs: build dist/ (the compiled program, the plan and the policies) if its
// inputs changed, as `npm run plan` does, so every test that runs the program the way Pulumi or a
// user does (the plan CLI, the SDK's cmd/run) shares one compiled program.
import * as path from "node:path";

export default function setup(): void {
  const { build } = require(path.resolve(__dirname, "../../plan/build.cjs")) as { build(): boolean };
  build();
}
