// One Railway double for a test file: started before its first test, stopped after its last.
import { afterAll, beforeAll } from "vitest";
import { RailwayDouble } from "./double";

export function railwayDoubleForFile(): RailwayDouble {
  const double = new RailwayDouble();
  beforeAll(async () => {
    await double.start();
  });
  afterAll(async () => {
    await double.stop();
  });
  return double;
}
