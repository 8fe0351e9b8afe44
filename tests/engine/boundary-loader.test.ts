// The engine boundary for production, loaded the way `pulumi up` loads it by default (index.ts
// through Pulumi's own TypeScript loader, type-checked), and for the second example system
// (Founderhouse, its own project directory and policy config), through the compiled program.
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers";
import { COMPILED_PROGRAM, expectSameFindings, expectSameRegistrations, previewAndPlan, stopEngines } from "./boundary";

afterAll(stopEngines);

describe("the engine boundary", () => {
  it("production, through Pulumi's TypeScript loader: registers what the plan shows, and the analyzer agrees with it", async () => {
    const compared = await previewAndPlan(ROOT, "production", ".");
    expect(compared.preview.registrations.length).toBeGreaterThan(40);
    expectSameRegistrations(compared);
    await expectSameFindings(compared, ROOT);
  });

  describe.each(["staging", "production"])("examples/founderhouse, stack %s", (stack) => {
    it("registers what the plan shows, and the analyzer agrees with it", async () => {
      const dir = path.join(ROOT, "examples/founderhouse");
      const compared = await previewAndPlan(dir, stack, COMPILED_PROGRAM);
      expectSameRegistrations(compared);
      await expectSameFindings(compared, dir);
    });
  });
});
