// One owner for each thing on GitHub that stacks could share: a branch's ruleset, a file on a
// branch, an environment. The plan compares what the stacks declare; the example project shows
// the refusal end to end, the pure check each case.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as load, stringify } from "yaml";
import { ownershipProblems } from "../../plan/ownership";
import type { PlannedResource } from "../../plan/run";
import { ROOT, planInProcess } from "../helpers";

const EXAMPLE = path.join(ROOT, "examples/founderhouse");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the Founderhouse project, its program and provider still this repository's, with a stack file edited. */
function founderhouseWith(stack: string, edit: (github: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ownership-"));
  dirs.push(dir);
  cpSync(EXAMPLE, dir, { recursive: true });
  const project = load(readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"));
  project.main = path.relative(dir, ROOT);
  project.plugins.providers[0].path = path.relative(dir, path.join(ROOT, "provider"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const doc = load(readFileSync(file, "utf8"));
  edit(doc.config["platform:github"]);
  writeFileSync(file, stringify(doc));
  return dir;
}

describe("npm run plan: one owner per branch", () => {
  it("refuses Founderhouse's staging and production both protecting main, naming the key in each, and plans once staging names production as the owner", async () => {
    const both = await planInProcess(["--dir", founderhouseWith("staging", (gh) => delete gh.branchOwner)]);
    expect(both.code).toBe(2);
    for (const [stack, other] of [
      ["staging", "production"],
      ["production", "staging"],
    ]) {
      expect(both.stderr).toContain(
        `Stack '${stack}' has invalid configuration (1 problem); nothing was created.\n` +
          `  - platform:github.branchOwner: this stack protects 'main' of founderhouse/founderhouse with a ruleset, and so does the stack '${other}'; ` +
          "every active ruleset on a branch applies to each write there, so one stack protects it, and the others name it in their platform:github.branchOwner (production always protects its own branch).",
      );
    }
    expect(both.stdout.match(/Not planned: the configuration is invalid/g)).toHaveLength(2);
    const owned = await planInProcess(["--dir", EXAMPLE, "--json"]);
    expect(owned.code).toBe(0);
    const rulesets = JSON.parse(owned.stdout).stacks.map(
      (s: { resources: PlannedResource[] }) => s.resources.filter((r) => r.type === "github:index/repositoryRuleset:RepositoryRuleset").length,
    );
    expect(rulesets).toEqual([0, 1]);
  });

  it("refuses an owner that is no stack of the project, and one that does not protect the branch", async () => {
    const missing = await planInProcess(["--dir", founderhouseWith("staging", (gh) => (gh.branchOwner = "prod"))]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "  - platform:github.branchOwner: names the stack 'prod', which this project does not have: name the stack whose ruleset protects 'main' of founderhouse/founderhouse.",
    );
    // Planned alone, the owner is not there to ask: nothing is said.
    expect((await planInProcess(["--dir", founderhouseWith("staging", (gh) => (gh.branchOwner = "prod")), "--stack", "staging"])).code).toBe(0);
  });
});

/** A stack's GitHub resources as the program declares them, reduced to what the check reads. */
function stackOf(o: { branch: string; environment: string; ruleset?: boolean; branchOwner?: string; files?: string[] }): PlannedResource[] {
  const resource = (type: string, inputs: Record<string, unknown>): PlannedResource => ({
    urn: `urn:${type}:${Object.values(inputs).join(":")}`,
    type,
    name: type,
    parent: null,
    custom: true,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    inputs,
    policyProps: inputs,
  });
  const repository = "app";
  return [
    resource("pulumi:providers:github", { owner: "acme" }),
    resource("platform:github:GithubRepository", o.branchOwner ? { branchOwner: o.branchOwner } : {}),
    resource("github:index/repositoryEnvironment:RepositoryEnvironment", { repository, environment: o.environment }),
    resource("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", {
      repository,
      environment: o.environment,
      branchPattern: o.branch,
    }),
    ...(o.ruleset === false
      ? []
      : [
          resource("github:index/repositoryRuleset:RepositoryRuleset", {
            repository,
            conditions: { refName: { includes: [`refs/heads/${o.branch}`], excludes: [] } },
          }),
        ]),
    ...(o.files ?? [`.github/workflows/deploy-${o.environment}.yml`]).map((file) =>
      resource("github:index/repositoryFile:RepositoryFile", { repository, branch: o.branch, file }),
    ),
  ];
}

const messages = (problems: Map<string, Array<{ key: string; message: string }>>) =>
  Object.fromEntries([...problems].map(([stack, list]) => [stack, list.map((p) => `${p.key}: ${p.message}`)]));

describe("ownershipProblems", () => {
  it("finds nothing where each branch, file and environment has one owner", () => {
    const stacks = [
      { stack: "dev", resources: stackOf({ branch: "develop", environment: "dev" }) },
      { stack: "staging", resources: stackOf({ branch: "main", environment: "staging", ruleset: false, branchOwner: "production" }) },
      {
        stack: "production",
        resources: stackOf({ branch: "main", environment: "production", files: [".github/workflows/ci.yml", ".github/workflows/deploy-production.yml"] }),
      },
    ];
    expect(messages(ownershipProblems(stacks, ["dev", "staging", "production"]))).toEqual({});
  });

  it("names a shared file and a shared environment in each stack that declares them", () => {
    const stacks = [
      {
        stack: "staging",
        resources: stackOf({ branch: "staging", environment: "live", files: [".github/workflows/ci.yml", ".github/workflows/deploy-live.yml"] }),
      },
      { stack: "production", resources: stackOf({ branch: "main", environment: "live" }) },
      {
        stack: "qa",
        resources: stackOf({ branch: "staging", environment: "qa", ruleset: false, branchOwner: "staging", files: [".github/workflows/ci.yml"] }),
      },
    ];
    const found = messages(ownershipProblems(stacks));
    expect(found.staging).toEqual([
      "platform:railway.environment: this stack makes the GitHub environment 'live' of acme/app, and so does the stack 'production'; each stack has its own GitHub environment, named after its Railway environment: give each stack its own platform:railway.environment.",
      "platform:github.manageRepository: this stack commits .github/workflows/ci.yml to 'staging' of acme/app, and so does the stack 'qa'; one stack owns the CI workflow on a branch: manageRepository in the one that owns the repository, requiredChecks only in the one that protects the branch.",
    ]);
    expect(found.production).toEqual([found.staging![0]!.replace("stack 'production'", "stack 'staging'")]);
    expect(found.qa).toEqual([found.staging![1]!.replace("stack 'qa'", "stack 'staging'")]);
  });

  it("refuses an owner that does not protect the branch", () => {
    const stacks = [
      { stack: "staging", resources: stackOf({ branch: "main", environment: "staging", ruleset: false, branchOwner: "production" }) },
      { stack: "production", resources: stackOf({ branch: "release", environment: "production" }) },
    ];
    expect(messages(ownershipProblems(stacks))).toEqual({
      staging: [
        "platform:github.branchOwner: names the stack 'production', which does not protect 'main' of acme/app: name the stack that does, or leave branchOwner out so this stack protects it.",
      ],
    });
  });
});
