// The plan CLI: its exit codes, its JSON, and no secret in its output. Exit codes 0, 1 and 2 are
// checked on the compiled CLI as a user runs it (a subprocess); the rest through its entry in this
// process, which is the same code without a second of loading the Pulumi SDK for each case.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as load, stringify } from "yaml";

const toYaml = (value: unknown) => stringify(value, { aliasDuplicateObjects: false });
import { describe, expect, it } from "vitest";
import { ROOT, planInProcess, runPlanCli } from "../helpers";

const parseYaml = (text: string): any => load(text);

const plan = (args: string[]) => planInProcess(args);
/** As a user runs it: `node dist/plan/cli.js`, its exit code the process's. */
const planProcess = (args: string[]) => runPlanCli(args);

/**
 * A project directory whose Pulumi.yaml points `main` at this repository's program, with this
 * repository's tier policy configs (unless `tierConfigs` is false) and the given ones.
 */
function projectWith(stacks: Record<string, unknown>, policyConfigs: Record<string, unknown> = {}, tierConfigs = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-test-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "platform", runtime: "nodejs", main: path.relative(dir, ROOT) }));
  for (const [name, doc] of Object.entries(stacks)) writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), toYaml(doc));
  mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
  if (tierConfigs)
    for (const tier of ["dev", "staging", "production", "preview"])
      copyFileSync(path.join(ROOT, "policies/config", `${tier}.json`), path.join(dir, "policies/config", `${tier}.json`));
  for (const [name, config] of Object.entries(policyConfigs))
    writeFileSync(path.join(dir, "policies", "config", `${name}.json`), typeof config === "string" ? config : JSON.stringify(config));
  return dir;
}

function shippedPolicyConfig(name: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(ROOT, `policies/config/${name}.json`), "utf8"));
}

function shippedStack(name: string): { config: Record<string, any> } {
  return parseYaml(readFileSync(path.join(ROOT, `Pulumi.${name}.yaml`), "utf8"));
}

describe.concurrent("npm run plan", () => {
  it("plans the shipped stacks and the review-stack template, and exits 0", async () => {
    const r = await planProcess([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const headings = r.stdout.split("\n").filter((l) => l.startsWith("Stack "));
    expect(headings.map((h) => h.split(" ").slice(0, 4).join(" "))).toEqual([
      "Stack dev (tier dev)",
      "Stack staging (tier staging)",
      "Stack production (tier production)",
      "Stack pr (tier preview)",
    ]);
    expect(r.stdout).toMatch(/\+ {3}pulumi:pulumi:Stack +platform-dev/);
    expect(r.stdout.match(/\+ \d+ to create/g)).toHaveLength(4);
  });

  it("--json prints the stacks with every resource's urn, type, name, parent and inputs", async () => {
    const r = await plan(["--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.stacks.map((s: { stack: string; tier: string }) => [s.stack, s.tier])).toEqual([
      ["dev", "dev"],
      ["staging", "staging"],
      ["production", "production"],
      ["pr", "preview"],
    ]);
    for (const stack of json.stacks) {
      expect(stack.resources.length).toBeGreaterThan(3);
      for (const resource of stack.resources) {
        expect(Object.keys(resource)).toEqual(expect.arrayContaining(["urn", "type", "name", "parent", "inputs"]));
        expect(resource.urn).toMatch(new RegExp(`^urn:pulumi:${stack.stack}::platform::`));
      }
      const urns = new Set(stack.resources.map((x: { urn: string }) => x.urn));
      for (const resource of stack.resources) if (resource.parent !== null) expect(urns.has(resource.parent)).toBe(true);
    }
  });

  it("--stack takes several stacks", async () => {
    const r = await plan(["--stack", "production,dev", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stacks.map((s: { stack: string }) => s.stack)).toEqual(["dev", "production"]);
  });

  it("--stack picks one stack and --markdown renders it for a pull request", async () => {
    const r = await plan(["--stack", "production", "--markdown"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## Offline plan\n/);
    expect(r.stdout).toContain("| production | production |");
    expect(r.stdout).not.toContain("| dev |");
  });

  it("exits 2 naming the key when a stack's config is invalid", async () => {
    const bad = shippedStack("dev");
    bad.config["platform:services"].api.replicas = 99;
    bad.config["platform:redis"].evictionPolicy = "allkeys-lfru";
    const dir = projectWith({ dev: bad, staging: shippedStack("staging") });
    const r = await planProcess(["--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Stack 'dev' has invalid configuration (2 problems)");
    expect(r.stderr).toContain("platform:services.api.replicas: 99 is above the Railway pro plan's limit");
    expect(r.stderr).toContain('platform:redis.evictionPolicy: "allkeys-lfru" is not allowed');
    // The valid stack is still planned.
    expect(r.stdout).toContain("Stack staging (tier staging)");
  });

  it("shows each stack's monthly cost against its budget, and what the policies report", async () => {
    const r = await plan(["--json"]);
    const stacks = JSON.parse(r.stdout).stacks;
    for (const stack of stacks) {
      expect(stack.cost.budgetUsd).toBe({ dev: 50, staging: 100, production: 350, pr: 30 }[stack.stack as string]);
      expect(stack.cost.monthlyUsd).toBeLessThanOrEqual(stack.cost.budgetUsd);
      expect(stack.cost.items.reduce((n: number, i: { monthlyUsd: number }) => n + i.monthlyUsd, 0)).toBeCloseTo(stack.cost.monthlyUsd, 2);
      for (const item of stack.cost.items) expect(stack.resources.map((x: { urn: string }) => x.urn)).toContain(item.urn);
      expect(stack.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    }
    const text = await plan(["--stack", "production"]);
    expect(text.stdout).toMatch(/Monthly cost: \$\d+\.\d\d \(budget \$350\.00\)/);
    expect(text.stdout).toContain("Policies: no violations (config policies/config/production.json)");
  });

  it("exits 1 on a mandatory breach of any production-tier stack, whatever its name, and of a review stack over budget", async () => {
    // Each on a branch of its own: stacks of one project that protect one branch are refused (exit 2).
    const production = (mutate: (c: Record<string, any>) => void, branch: string) => {
      const stack = shippedStack("production");
      stack.config["platform:tier"] = "production";
      stack.config["platform:github"].branch = branch;
      mutate(stack.config);
      return stack;
    };
    const pr = shippedStack("pr");
    pr.config["platform:budget"].monthlyUsd = 10;
    const dir = projectWith(
      {
        "prod-replicas": production((c) => (c["platform:services"].api.replicas = 1), "replicas"),
        "prod-redis": production((c) => (c["platform:redis"].persistence = "none"), "redis"),
        "prod-budget": production(() => {}, "budget"),
        "prod-eu": production((c) => {
          c["platform:services"].api.replicas = 1;
          c["platform:supabase"].pitrDays = 0;
          c["platform:supabase"].sslEnforcement = false;
          c["platform:github"].reviewers = [];
        }, "eu"),
        "pr-7": pr,
      },
      // A stack's own file may set its budget lower than its platform:budget.
      { "prod-budget": { "cost-stack-within-budget": { budgetUsd: 100 } } },
    );
    const r = await planProcess(["--dir", dir, "--json"]);
    expect(r.code).toBe(1);
    const mandatory = Object.fromEntries(
      JSON.parse(r.stdout).stacks.map((s: { stack: string; violations: { policy: string; enforcementLevel: string }[] }) => [
        s.stack,
        s.violations
          .filter((v) => v.enforcementLevel === "mandatory")
          .map((v) => v.policy)
          .sort(),
      ]),
    );
    expect(mandatory).toEqual({
      "prod-budget": ["cost-stack-within-budget"],
      "prod-eu": [
        "reliability-railway-stateless-replicas",
        "reliability-supabase-pitr-enabled",
        "security-github-environment-requires-reviewers",
        "security-supabase-ssl-enforced",
      ],
      "prod-redis": ["reliability-redis-persistence"],
      "prod-replicas": ["reliability-railway-stateless-replicas"],
      "pr-7": ["cost-stack-within-budget"],
    });
    const text = await plan(["--dir", dir, "--stack", "prod-eu,pr-7"]);
    expect(text.stdout).toContain("Policies: 4 violation(s) (config ");
    expect(text.stdout).toContain("policies/config/production.json)");
    expect(text.stdout).toContain("policies/config/preview.json)");
    expect(text.stdout).toContain(
      "[mandatory] security-supabase-ssl-enforced (platform-supabase-settings): This Supabase project accepts connections without TLS.",
    );
  });

  it("exits 2 when a stack's policy config is missing, broken, or laxer than its tier's, naming the file and key", async () => {
    const asProduction = shippedStack("staging");
    asProduction.config["platform:tier"] = "production";
    (asProduction.config["platform:github"] as Record<string, unknown>).bypassActors = [{ type: "Integration", id: 1 }];
    const qa = shippedStack("staging");
    qa.config["platform:tier"] = "staging";
    const r = await plan([
      "--dir",
      projectWith(
        { staging: asProduction, qa, eu: { config: { ...shippedStack("dev").config, "platform:tier": "dev" } } },
        { qa: '{ "all": ', staging: shippedPolicyConfig("staging"), production: {} },
        false,
      ),
      "--json",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "policies/config/staging.json: 'reliability-data-protected' is disabled there, but stack 'staging' is production tier, where policies/config/production.json makes it mandatory.",
    );
    expect(r.stderr).toMatch(/policies\/config\/qa\.json: not valid JSON/);
    expect(r.stderr).toContain("Stack 'eu' (tier dev) has no policy config: add policies/config/eu.json or policies/config/dev.json.");
    for (const stack of JSON.parse(r.stdout).stacks) expect(stack.errors.length, stack.stack).toBeGreaterThan(0);
  });

  it("reads an empty or comment-only stack file as no config, and lists what the tier requires", async () => {
    const dir = projectWith({});
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "");
    writeFileSync(path.join(dir, "Pulumi.staging.yaml"), "# staging: not written yet\n");
    const r = await plan(["--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("not valid YAML");
    for (const stack of ["dev", "staging"])
      expect(r.stderr).toContain(
        `Stack '${stack}' has invalid configuration (1 problem); nothing was created.\n  - platform:github: is required: { owner, repository } of the application's GitHub repository.`,
      );
  });

  it("exits 2 for a missing stack or project", async () => {
    const missing = await plan(["--stack", "qa"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no stack 'qa'");
    const noProject = await plan(["--dir", tmpdir()]);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain("no Pulumi.yaml");
  });

  it("never prints a secure value, and refuses a plain-text one without echoing it", async () => {
    const withSecrets = shippedStack("production");
    const ciphertexts: string[] = [];
    for (const name of ["SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN", "RAILWAY_TOKEN"]) {
      const ciphertext = `AAABAC${name}ciphertextQ29udmVyZ2U=`;
      ciphertexts.push(ciphertext);
      withSecrets.config["platform:secrets"][name].value = { secure: ciphertext };
    }
    const ok = await plan(["--dir", projectWith({ production: withSecrets }), "--json"]);
    expect(ok.code).toBe(0);
    for (const text of [ok.stdout, ok.stderr]) {
      for (const c of ciphertexts) expect(text).not.toContain(c);
      expect(text).not.toContain("plan-stand-in-");
    }
    // With the secrets set, nothing is left to warn about.
    expect(JSON.parse(ok.stdout).stacks[0].warnings).toEqual([]);

    // A plain value beside encrypted ones; encrypted values where plain ones belong: refused by
    // key (exit 2, not a crash), and nothing of them printed.
    const plain = shippedStack("production");
    plain.config["platform:secrets"].SENDGRID_API_KEY.value = "SG.plain-text-key-value";
    plain.config["platform:secrets"].SENTRY_DSN.value = { secure: "AAABACsentrydsnciphertext" };
    const misplaced = shippedStack("staging");
    misplaced.config["platform:services"].api.startCommand = { secure: "AAABACstartcommandciphertext" };
    misplaced.config["platform:github"].variables = { SENTRY_ORG: { secure: "AAABACgithubvariableciphertext" } };
    const refused = await plan(["--dir", projectWith({ production: plain, staging: misplaced })]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("platform:secrets.SENDGRID_API_KEY.value: is stored in plain text");
    expect(refused.stderr).toContain("platform:services.api.startCommand: holds an encrypted (secure:) value, but only a supplied secret's value may");
    expect(refused.stderr).toContain("platform:github.variables.SENTRY_ORG: holds an encrypted (secure:) value, but only a supplied secret's value may");
    for (const text of ["plain-text-key-value", "ciphertext", "plan-stand-in-"]) expect(refused.stdout + refused.stderr).not.toContain(text);
  });
});
