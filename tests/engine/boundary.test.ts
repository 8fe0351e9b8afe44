// The engine boundary, for this repository's stacks: each previewed through the SDK's real
// `cmd/run` (the compiled program) against the stand-in engine, with the real
// `cmd/run-policy-pack` serving the policy pack, registers exactly what the offline plan shows,
// URNs included, and the analyzer finds exactly what the plan's evaluator finds.
// Pinned to @pulumi/pulumi 3.248.0: a change of SDK version fails the first test on purpose.
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers";
import { COMPILED_PROGRAM, expectSameFindings, expectSameRegistrations, previewAndPlan, stopEngines } from "./boundary";

afterAll(stopEngines);
import { PINNED_SDK_VERSION, SDK_VERSION } from "./hosts";

describe("the engine boundary", () => {
  it("speaks the protocol of the SDK it is pinned to", () => {
    expect(SDK_VERSION).toBe(PINNED_SDK_VERSION);
  });

  describe.each(["dev", "staging", "pr"])("stack %s", (stack) => {
    it("registers what the plan shows and the analyzer finds what the plan's policies find", async () => {
      const compared = await previewAndPlan(ROOT, stack, COMPILED_PROGRAM);
      expect(compared.preview.registrations.length).toBeGreaterThan(20);
      expectSameRegistrations(compared);
      await expectSameFindings(compared, ROOT);
    });
  });
});
