// Points the providers at an API double for each test: sets its environment variables before each
// test and restores the process's own after.
import { afterEach, beforeEach } from "vitest";

export function useDoubleEnv(env: () => Record<string, string>, after?: () => void): void {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [k, v] of Object.entries(env())) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterEach(() => {
    after?.();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}
