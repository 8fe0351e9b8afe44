// One world of doubles for a CLI test file (./platforms.ts): started before the file's first test
// and stopped after its last.
import { afterAll, beforeAll } from "vitest";
import { createWorld, type World } from "./platforms";
import { stopRunning } from "./pulumi";

export { PLATFORM_APP_ID, SUPABASE_AT_TEST_SPEED, type World } from "./platforms";

export function worldForFile(): World {
  const world = createWorld();
  beforeAll(() => world.start());
  // A command a timed-out test left running goes first: it would otherwise outlive the suite.
  afterAll(async () => {
    await stopRunning();
    await world.stop();
  });
  return world;
}
