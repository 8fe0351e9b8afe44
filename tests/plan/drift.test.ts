// The drift report from a refreshed preview's JSON: a line per resource and setting, in plain words,
// secrets never shown. Through the real CLI in tests/cli/lifecycle.test.ts; here each kind of step.
import { describe, expect, it } from "vitest";
import { driftReport } from "../../plan/drift";

const urn = (name: string, type = "platform:railway:ServiceInstance") => `urn:pulumi:staging::platform::platform:index:Platform$${type}::${name}`;

describe("driftReport", () => {
  it("names what is missing, what is no longer declared, what differs and what only a replacement puts back, by resource name", () => {
    const steps = [
      { op: "same", urn: urn("platform-web-settings") },
      {
        op: "create",
        urn: urn("platform-api-railway-domain", "platform:railway:ServiceDomain"),
        newState: { type: "platform:railway:ServiceDomain", inputs: {} },
      },
      { op: "delete", urn: urn("platform-old-volume", "platform:railway:Volume"), oldState: { type: "platform:railway:Volume", inputs: {} } },
      {
        op: "update",
        urn: urn("platform-api-settings"),
        oldState: { type: "platform:railway:ServiceInstance", inputs: { numReplicas: 2, startCommand: "a" }, outputs: { numReplicas: 3, startCommand: null } },
        newState: { type: "platform:railway:ServiceInstance", inputs: { numReplicas: 2, startCommand: "a" } },
      },
      {
        op: "replace",
        urn: urn("platform-supabase-project", "platform:supabase:Project"),
        oldState: { type: "platform:supabase:Project", outputs: { region: "eu-west-1", password: "[secret]" } },
        newState: { type: "platform:supabase:Project", inputs: { region: "us-east-1", password: "[secret]" } },
      },
      {
        op: "update",
        urn: urn("platform-api-variables", "platform:railway:Variables"),
        oldState: { outputs: { secrets: "[secret]" } },
        newState: { inputs: { secrets: { A: "[secret]" } } },
      },
    ];
    expect(driftReport("staging", { steps })).toEqual([
      "- `platform-api-railway-domain` (platform:railway:ServiceDomain) is missing from what runs; `pulumi up --refresh --stack staging` would create it again.",
      "- `platform-api-settings` (platform:railway:ServiceInstance): `numReplicas` is 3 in what runs; the stack declares 2.",
      '- `platform-api-settings` (platform:railway:ServiceInstance): `startCommand` is not set in what runs; the stack declares "a".',
      "- `platform-api-variables` (platform:railway:Variables): `secrets` holds secret values; what runs may differ from what the stack declares (not shown).",
      "- `platform-old-volume` (platform:railway:Volume) runs, but the stack no longer declares it; `pulumi up --refresh --stack staging` would delete it.",
      '- `platform-supabase-project` (platform:supabase:Project): `region` is "eu-west-1" in what runs; the stack declares "us-east-1" (putting it back replaces the resource).',
    ]);
  });

  it("says nothing for a preview with no changes", () => {
    expect(
      driftReport("dev", {
        steps: [
          { op: "same", urn: urn("x") },
          { op: "refresh", urn: urn("y") },
        ],
      }),
    ).toEqual([]);
  });
});
