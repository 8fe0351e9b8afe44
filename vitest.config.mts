import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/build.ts"],
    // Each file would otherwise import the Pulumi SDK afresh (~0.4 s a file); files reset the
    // SDK's mock runtime themselves before they use it.
    isolate: false,
    pool: "forks",
    testTimeout: 30_000,
  },
});
