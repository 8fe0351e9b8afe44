// `npm run plan -- --base FILE`: what a change does to each stack against an earlier `--json` plan,
// and the cost gate `--max-increase-usd`. Each case plans a base project and a head project (copies
// of the shipped stacks, edited) through the plan CLI's entry, in the test process (tests/plan/cli.test.ts runs it as a process).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify } from "yaml";

const toYaml = (value: unknown) => stringify(value, { aliasDuplicateObjects: false });
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, planInProcess } from "../helpers";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

type Stacks = Record<string, { config: Record<string, any> }>;

function shipped(name: string): { config: Record<string, any> } {
  return parseYaml(readFileSync(path.join(ROOT, `Pulumi.${name}.yaml`), "utf8")) as { config: Record<string, any> };
}

function project(stacks: Stacks): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-diff-"));
  made.push(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "platform", runtime: "nodejs", main: path.relative(dir, ROOT) }));
  for (const [name, doc] of Object.entries(stacks)) writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), toYaml(doc));
  mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
  for (const tier of ["dev", "staging", "production", "preview"])
    copyFileSync(path.join(ROOT, "policies/config", `${tier}.json`), path.join(dir, "policies/config", `${tier}.json`));
  return dir;
}

/** The base plan of `stacks`, as a file. */
async function baseFile(stacks: Stacks): Promise<string> {
  const r = await planInProcess(["--dir", project(stacks), "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(made.at(-1)!, "base.json");
  writeFileSync(file, r.stdout);
  return file;
}

const withSecret = (stack: { config: Record<string, any> }, ciphertext: string) => {
  const copy = structuredClone(stack);
  copy.config["platform:secrets"].SENTRY_DSN = { supplied: true, value: { secure: ciphertext } };
  return copy;
};

let production: { config: Record<string, any> };
let base: string;
let baseJson: any;

beforeAll(async () => {
  production = withSecret(shipped("production"), "v1:QmFzZUNpcGhlcnRleHQ=");
  base = await baseFile({ production, dev: shipped("dev") });
  baseJson = JSON.parse(readFileSync(base, "utf8"));
});

const stackOf = (json: any, name: string) => json.stacks.find((s: { stack: string }) => s.stack === name);
const names = (urns: string[]) => urns.map((u) => u.slice(u.lastIndexOf("::") + 2)).sort();

describe.concurrent("npm run plan -- --base", () => {
  it("finds nothing to do between identical plans: no change, a cost delta of 0", async () => {
    const r = await planInProcess(["--dir", project({ production, dev: shipped("dev") }), "--base", base, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    for (const s of JSON.parse(r.stdout).stacks)
      expect(s.diff, s.stack).toMatchObject({ create: [], update: [], delete: [], costDeltaUsd: 0, costChanges: [] });
  });

  it("shows more replicas, a larger database and a removed service, with a cost delta equal to the difference of the totals; the gate exits 1 below that delta", async () => {
    const head = structuredClone(production);
    head.config["platform:services"].api.replicas = 3;
    head.config["platform:supabase"].computeSize = "medium";
    delete head.config["platform:services"].web;
    head.config["platform:github"].requiredChecks = head.config["platform:github"].requiredChecks.filter((c: string) => !c.includes("frontend"));
    head.config["platform:budget"].monthlyUsd = 1000;
    const dir = project({ production: head, dev: shipped("dev") });
    const json = await planInProcess(["--dir", dir, "--base", base, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const diff = stackOf(JSON.parse(json.stdout), "production").diff;
    expect(names(diff.update)).toEqual(expect.arrayContaining(["platform-api-settings", "platform-supabase-project"]));
    expect(names(diff.delete)).toEqual(expect.arrayContaining(["platform-web", "platform-web-service", "platform-web-settings", "platform-web-deployment"]));
    expect(diff.create).toEqual([]);
    const headTotal = stackOf(JSON.parse(json.stdout), "production").cost.monthlyUsd;
    const baseTotal = stackOf(baseJson, "production").cost.monthlyUsd;
    expect(diff.costDeltaUsd).toBeCloseTo(headTotal - baseTotal, 2);
    expect(diff.costDeltaUsd).toBeGreaterThan(0);
    expect(diff.costChanges.map((c: { description: string }) => c.description)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Railway api: 3 ×/), expect.stringMatching(/^Supabase/), expect.stringMatching(/^Railway web:/)]),
    );
    // Dev is untouched.
    expect(stackOf(JSON.parse(json.stdout), "dev").diff).toMatchObject({ create: [], update: [], delete: [], costDeltaUsd: 0 });

    const md = await planInProcess(["--dir", dir, "--base", base, "--markdown"]);
    expect(md.code).toBe(0);
    const counts = `+0 ~${diff.update.length} -${diff.delete.length}`;
    expect(md.stdout).toContain(
      `| production | production | ${counts} | $${baseTotal.toFixed(2)} → $${headTotal.toFixed(2)} (+$${diff.costDeltaUsd.toFixed(2)}/month) |`,
    );
    expect(md.stdout).toContain(`- ${diff.delete[0]}`);
    expect(md.stdout).toContain(`~ ${diff.update[0]}`);
    expect(md.stdout).toMatch(/\| \$\d+\.\d\d \| \$\d+\.\d\d \| Railway api: 3 ×/);

    const text = await planInProcess(["--dir", dir, "--base", base, "--stack", "production"]);
    expect(text.stdout).toContain(`Changes against the base: ${counts}`);
    expect(text.stdout).toContain(`Monthly cost: $${baseTotal.toFixed(2)} → $${headTotal.toFixed(2)} (+$${diff.costDeltaUsd.toFixed(2)}/month)`);

    const below = await planInProcess(["--dir", dir, "--base", base, "--max-increase-usd", String(Math.floor(diff.costDeltaUsd - 1))]);
    expect(below.code).toBe(1);
    expect(below.stdout).toMatch(/\[mandatory\] cost-increase-within-limit: The estimated monthly cost rises by \$\d+\.\d\d, over the limit of \$\d+\.00\./);
    const above = await planInProcess(["--dir", dir, "--base", base, "--max-increase-usd", String(Math.ceil(diff.costDeltaUsd + 1))]);
    expect(above.code, above.stdout).toBe(0);
    const gatedMd = await planInProcess(["--dir", dir, "--base", base, "--markdown", "--max-increase-usd", "0"]);
    expect(gatedMd.code).toBe(1);
    expect(gatedMd.stdout).toMatch(/\| mandatory \| cost-increase-within-limit \| stack \| The estimated monthly cost rises by/);
  });

  it("shows a stack added as all create and a stack removed as all delete", async () => {
    const r = await planInProcess(["--dir", project({ production, staging: shipped("staging") }), "--base", base, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const staging = stackOf(json, "staging");
    expect(staging.diff.create.length).toBe(staging.resources.length);
    expect(staging.diff).toMatchObject({ update: [], delete: [], baseCostUsd: 0 });
    expect(staging.diff.costDeltaUsd).toBeCloseTo(staging.cost.monthlyUsd, 2);
    const dev = stackOf(json, "dev");
    expect(dev.removed).toBe(true);
    expect(dev.diff.delete.length).toBe(stackOf(baseJson, "dev").resources.length);
    expect(dev.diff.costDeltaUsd).toBeCloseTo(-stackOf(baseJson, "dev").cost.monthlyUsd, 2);
    const text = await planInProcess(["--dir", project({ production, staging: shipped("staging") }), "--base", base]);
    expect(text.stdout).toContain("Stack dev: only in the base plan, so everything it declared goes");
  });

  it("shows a rotated secret as an update of what holds it, without its value", async () => {
    const rotated = withSecret(shipped("production"), "v1:SGVhZENpcGhlcnRleHQ=");
    const r = await planInProcess(["--dir", project({ production: rotated, dev: shipped("dev") }), "--base", base, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const diff = stackOf(JSON.parse(r.stdout), "production").diff;
    expect(names(diff.update)).toEqual(["platform-api-variables"]);
    expect(diff).toMatchObject({ create: [], delete: [], costDeltaUsd: 0 });
    expect(r.stdout).not.toMatch(/QmFzZUNpcGhlcnRleHQ|SGVhZENpcGhlcnRleHQ/);
  });

  it("refuses a malformed base, or one of an older plan format, naming the file (exit 2)", async () => {
    const dir = project({ dev: shipped("dev") });
    const cases: Array<[string, RegExp]> = [
      ["{ not json", /is not JSON/],
      [JSON.stringify({ stacks: [{ stack: "dev", tier: "dev", resources: [] }] }), /is a plan of format 1 \(no 'format'\); this plan compares with format 2/],
      [
        JSON.stringify({ format: 2, stacks: [{ stack: "dev" }] }),
        /is not a plan from 'npm run plan -- --json': \/stacks\/0 must have required property 'resources'/,
      ],
      [JSON.stringify([1, 2]), /is not a plan from 'npm run plan -- --json'/],
    ];
    for (const [text, message] of cases) {
      const file = path.join(dir, "bad.json");
      writeFileSync(file, text);
      const r = await planInProcess(["--dir", dir, "--base", file]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toContain(`--base ${file}: `);
      expect(r.stderr).toMatch(message);
    }
    const missing = await planInProcess(["--dir", dir, "--base", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot be read \(ENOENT\)/);
  });

  it("refuses a cost limit that is not an amount, or one without a base (exit 2)", async () => {
    const dir = project({ dev: shipped("dev") });
    const bad = await planInProcess(["--dir", dir, "--base", base, "--max-increase-usd", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-increase-usd "lots" is not an amount of USD');
    const alone = await planInProcess(["--dir", dir, "--max-increase-usd", "10"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--max-increase-usd needs --base FILE");
  });
});

describe.concurrent("npm run plan -- --base: the destructive-change gate", () => {
  const staging = shipped("staging");
  let stagingBase: string;
  beforeAll(async () => {
    stagingBase = await baseFile({ staging });
  });

  it("fails a change that replaces staging's Supabase project, naming it and how to confirm; passes it confirmed", async () => {
    const moved = structuredClone(staging);
    moved.config["platform:supabase"].region = "eu-west-1";
    moved.config["platform:supabase"].project = "converge-nps-staging-eu";
    const refused = await planInProcess(["--dir", project({ staging: moved }), "--base", stagingBase, "--json"]);
    expect(refused.code, refused.stderr).toBe(1);
    const violations = stackOf(JSON.parse(refused.stdout), "staging").violations.filter((v: { policy: string }) => v.policy === "destructive-change-confirmed");
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ enforcementLevel: "mandatory" });
    expect(violations[0].message).toContain(
      '`platform-supabase-project` (platform:supabase:Project) in stack staging would be replaced, and with it its Postgres database: the new project "converge-nps-staging-eu" starts empty',
    );
    expect(violations[0].message).toContain("list `platform-supabase-project` under `platform:confirmDestructive` in Pulumi.staging.yaml");

    moved.config["platform:confirmDestructive"] = ["platform-supabase-project"];
    const confirmed = await planInProcess(["--dir", project({ staging: moved }), "--base", stagingBase, "--json"]);
    expect(confirmed.code, confirmed.stdout + confirmed.stderr).toBe(0);
    expect(stackOf(JSON.parse(confirmed.stdout), "staging").violations.map((v: { policy: string }) => v.policy)).not.toContain("destructive-change-confirmed");
  });

  it("fails removing staging's Redis: its service goes with its volume, and each is named; confirmed, both pass", async () => {
    const without = structuredClone(staging);
    delete without.config["platform:redis"];
    without.config["platform:services"].api.uses = ["supabase"];
    const refused = await planInProcess(["--dir", project({ staging: without }), "--base", stagingBase, "--markdown"]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toContain(
      "`platform-redis-service-service` (platform:railway:Service) in stack staging would be deleted, and with it its volume and the data on it.",
    );
    expect(refused.stdout).toContain(
      "`platform-redis-service-volume` (platform:railway:Volume) in stack staging would be deleted, and with it Redis's data on its volume.",
    );

    without.config["platform:confirmDestructive"] = ["platform-redis-service-volume"];
    const half = await planInProcess(["--dir", project({ staging: without }), "--base", stagingBase, "--json"]);
    expect(half.code).toBe(1);
    const left = stackOf(JSON.parse(half.stdout), "staging").violations.filter((v: { policy: string }) => v.policy === "destructive-change-confirmed");
    expect(left.map((v: { message: string }) => v.message.match(/`([^`]+)`/)![1])).toEqual(["platform-redis-service-service"]);

    without.config["platform:confirmDestructive"].push("platform-redis-service-service");
    const both = await planInProcess(["--dir", project({ staging: without }), "--base", stagingBase, "--json"]);
    expect(both.code, both.stderr).toBe(0);
  });

  it("lets go what holds no data: a service without a volume", async () => {
    const smaller = structuredClone(staging);
    delete smaller.config["platform:services"].web;
    smaller.config["platform:github"].requiredChecks = smaller.config["platform:github"].requiredChecks.filter((c: string) => !c.includes("frontend"));
    const r = await planInProcess(["--dir", project({ staging: smaller }), "--base", stagingBase, "--json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(stackOf(JSON.parse(r.stdout), "staging").diff.delete.length).toBeGreaterThan(3);
  });
});
