import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/build.ts"],
    // Each file would otherwise import the Pulumi SDK afresh (~0.4 s a file); files reset the
    // SDK's mock runtime themselves before they use it.
    isolate: false,
    pool: "forks",
    // Both cores: the CLI tests spend much of their time waiting on their child processes and the
    // doubles' waits, and vitest's default (cores - 1) leaves one of two idle.
    maxWorkers: 2,
    // A bound on a hung test, not a measure of speed (bench/ measures): the CLI and plan tests spawn
    // processes that share two cores with the other worker.
    testTimeout: 60_000,
  },
});
