// Which policy config a stack is held to, and refusals of configs that would loosen it: the file
// for the stack's name, else its tier's; none at all, a misspelt policy or level, a setting of the
// wrong type, bad JSON, or a stack file laxer than its tier's, each refused by file and key.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../policies/all";
import { UserError } from "../../config/errors";
import { levelOf, policyConfigFor, stackPolicyConfig } from "../../plan/policy-config";

function dirWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "policy-config-"));
  mkdirSync(path.join(dir, "policies/config"), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(dir, "policies/config", `${name}.json`), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

function problems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof UserError) return err.problems;
    throw err;
  }
  throw new Error("expected a UserError");
}

const policy = (name: string) => POLICIES.find((p) => p.name === name)!;

describe("choosing a stack's policy config", () => {
  it("takes the stack's own file when there is one", () => {
    const dir = dirWith({ production: {}, "prod-eu": { "cost-railway-replicas-within-cap": { maxReplicas: 3 } } });
    expect(policyConfigFor(dir, "prod-eu", "production", POLICIES)).toEqual({
      file: "policies/config/prod-eu.json",
      config: { "cost-railway-replicas-within-cap": { maxReplicas: 3 } },
    });
  });

  it("falls back to the tier's file, whatever the stack is called", () => {
    const dir = dirWith({ production: {}, preview: { all: "advisory" } });
    expect(policyConfigFor(dir, "prod-eu", "production", POLICIES).file).toBe("policies/config/production.json");
    expect(policyConfigFor(dir, "pr-7", "preview", POLICIES).file).toBe("policies/config/preview.json");
    expect(policyConfigFor(dir, "pr-123", "preview", POLICIES).config).toEqual({ all: "advisory" });
  });

  it("refuses a stack file with no tier file to hold it to", () => {
    expect(problems(() => policyConfigFor(dirWith({ staging: { all: "advisory" } }), "staging", "production", POLICIES))).toEqual([
      "policies/config/staging.json: stack 'staging' is production tier, but there is no policies/config/production.json to check its file against; add it.",
    ]);
  });

  it("refuses a stack that has neither", () => {
    expect(problems(() => policyConfigFor(dirWith({ dev: {} }), "eu", "production", POLICIES))).toEqual([
      "Stack 'eu' (tier production) has no policy config: add policies/config/eu.json or policies/config/production.json. A stack is never planned without one.",
    ]);
  });

  it("refuses a stack file that is laxer than its tier's, naming each policy it relaxes", () => {
    const dir = dirWith({ production: {}, staging: { all: "advisory", "cost-stack-within-budget": "mandatory", "reliability-data-protected": "disabled" } });
    const found = problems(() => policyConfigFor(dir, "staging", "production", POLICIES));
    expect(found).toHaveLength(POLICIES.length - 1);
    expect(found).toContain(
      "policies/config/staging.json: 'reliability-data-protected' is disabled there, but stack 'staging' is production tier, where policies/config/production.json makes it mandatory. A stack's file may tighten its tier's policies, never relax them.",
    );
    expect(found.join("\n")).not.toContain("'cost-stack-within-budget'");
    // Tightening is fine.
    const tighter = dirWith({ dev: { all: "advisory" }, "dev-eu": { all: "mandatory" } });
    expect(policyConfigFor(tighter, "dev-eu", "dev", POLICIES).file).toBe("policies/config/dev-eu.json");
  });
});

describe("policy config files are held to the pack", () => {
  it.each([
    ["not JSON", "{ all: advisory", /^policies\/config\/production\.json: not valid JSON \(/],
    ["not an object", "[]", "policies/config/production.json: must be a JSON object of policy names to levels or settings."],
    [
      "a misspelt level",
      { "reliability-data-protected": "mandtory" },
      "policies/config/production.json: 'reliability-data-protected' has enforcement level \"mandtory\"; use one of advisory, mandatory, remediate, disabled. Did you mean 'mandatory'?",
    ],
    [
      "a misspelt level for all",
      { all: "warn" },
      "policies/config/production.json: 'all' has enforcement level \"warn\"; use one of advisory, mandatory, remediate, disabled.",
    ],
    [
      "a misspelt level in an object",
      { "cost-railway-vcpu-within-cap": { enforcementLevel: "Mandatory", maxVcpu: 2 } },
      "policies/config/production.json: 'cost-railway-vcpu-within-cap' has enforcement level \"Mandatory\"; use one of advisory, mandatory, remediate, disabled. Did you mean 'mandatory'?",
    ],
    [
      "an unknown policy",
      { "cost-stack-within-budgt": "mandatory" },
      "policies/config/production.json: 'cost-stack-within-budgt' is not a policy of the pack. Did you mean 'cost-stack-within-budget'?",
    ],
    [
      "an unknown setting",
      { "cost-railway-vcpu-within-cap": { maxVCPU: 2 } },
      "policies/config/production.json: 'cost-railway-vcpu-within-cap.maxVCPU' must NOT have additional properties. Settings of this policy: maxVcpu.",
    ],
    [
      "a setting of the wrong type",
      { "cost-railway-replicas-within-cap": { maxReplicas: "five" } },
      "policies/config/production.json: 'cost-railway-replicas-within-cap.maxReplicas' must be integer.",
    ],
    [
      "an entry that is neither",
      { "cost-railway-replicas-within-cap": 5 },
      "policies/config/production.json: 'cost-railway-replicas-within-cap' must be an enforcement level or an object of { enforcementLevel, ...settings }.",
    ],
  ])("refuses %s, naming the file and key", (_what, content, expected) => {
    const found = problems(() => policyConfigFor(dirWith({ production: content }), "production", "production", POLICIES));
    expect(found).toHaveLength(1);
    if (typeof expected === "string") expect(found[0]).toBe(expected);
    else expect(found[0]).toMatch(expected);
  });

  it("lists every problem of a file at once", () => {
    const found = problems(() =>
      policyConfigFor(
        dirWith({ production: { all: "none", "no-such-policy": "mandatory", "cost-railway-vcpu-within-cap": { maxVcpu: true } } }),
        "production",
        "production",
        POLICIES,
      ),
    );
    expect(found).toHaveLength(3);
  });

  it("gives a policy its entry's level, else all's, else the pack's mandatory", () => {
    const p = policy("reliability-data-protected");
    expect(levelOf({}, p)).toBe("mandatory");
    expect(levelOf({ all: "advisory" }, p)).toBe("advisory");
    expect(levelOf({ all: "advisory", "reliability-data-protected": "disabled" }, p)).toBe("disabled");
    expect(levelOf({ all: "disabled", "reliability-data-protected": { enforcementLevel: "mandatory" } }, p)).toBe("mandatory");
  });
});

describe("the pack's own choice of config, from the stack the CLI names", () => {
  const dir = dirWith({
    dev: { all: "advisory", "cost-stack-within-budget": "mandatory", "cost-railway-vcpu-within-cap": { maxVcpu: 1 } },
    production: { "cost-railway-vcpu-within-cap": { maxVcpu: 4 } },
    preview: { all: "disabled" },
  });

  it("takes the tier from the stack's name, spells `all` out per policy and keeps each policy's settings", () => {
    const config = stackPolicyConfig(dir, "dev", new Map(), POLICIES);
    expect(config["cost-stack-within-budget"]).toEqual({ enforcementLevel: "mandatory" });
    expect(config["cost-railway-vcpu-within-cap"]).toEqual({ enforcementLevel: "advisory", maxVcpu: 1 });
    expect(config["security-supabase-ssl-enforced"]).toEqual({ enforcementLevel: "advisory" });
    expect(Object.keys(config).sort()).toEqual(POLICIES.map((p) => p.name).sort());
  });

  it("takes `platform:tier` from the stack's config over its name, and knows Pulumi Deployments' review stacks", () => {
    expect(stackPolicyConfig(dir, "qa", new Map([["platform:tier", "dev"]]), POLICIES)["security-supabase-ssl-enforced"]).toEqual({
      enforcementLevel: "advisory",
    });
    expect(stackPolicyConfig(dir, "pr-pulumi-acme-platform-3", new Map(), POLICIES)["security-supabase-ssl-enforced"]).toEqual({
      enforcementLevel: "disabled",
    });
  });

  it("holds a stack whose tier is neither set nor implied to production's file, and refuses a stack with no file, naming it", () => {
    expect(stackPolicyConfig(dir, "qa", new Map(), POLICIES)["cost-railway-vcpu-within-cap"]).toEqual({
      enforcementLevel: levelOf({}, policy("cost-railway-vcpu-within-cap")),
      maxVcpu: 4,
    });
    expect(problems(() => stackPolicyConfig(dir, "eu", new Map([["platform:tier", "staging"]]), POLICIES))).toEqual([
      "Stack 'eu' (tier staging) has no policy config: add policies/config/eu.json or policies/config/staging.json. A stack is never planned without one.",
    ]);
  });
});
