// The program under Pulumi's mock runtime, per shipped stack: branch protection, the environment,
// its secrets and variables, the repository-wide settings; and the image build of a service whose
// source is an image built from the repository.
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource, StackRun } from "../../plan/run";
import { policyConfigFor } from "../../plan/policy-config";
import { policyResources } from "../../plan/run";
import { POLICIES } from "../../policies/all";
import { evaluatePolicies } from "../../policies/evaluate";
import { ROOT, SHIPPED_STACKS, runEdited, shippedRun } from "../helpers";

const runs = new Map<string, StackRun>();

beforeAll(async () => {
  for (const stack of SHIPPED_STACKS) runs.set(stack, await shippedRun(stack));
});

function ofType(stack: string, type: string): PlannedResource[] {
  return runs.get(stack)!.resources.filter((r) => r.type === `github:index/${type}`);
}

const BRANCH = { dev: "develop", staging: "staging", production: "main" } as const;

describe.each(SHIPPED_STACKS)("GitHub, stack %s", (stack) => {
  it("protects the deploy branch: no force push or deletion, reviewed PRs, required checks", () => {
    const [ruleset] = ofType(stack, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset!.inputs).toMatchObject({
      repository: "converge-nps",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: [`refs/heads/${BRANCH[stack]}`] } },
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: { requiredApprovingReviewCount: 1, dismissStaleReviewsOnPush: true },
        requiredStatusChecks: { strictRequiredStatusChecksPolicy: true },
      },
    });
    const checks = (ruleset!.inputs.rules as any).requiredStatusChecks.requiredChecks as Array<{ context: string; integrationId?: number }>;
    expect(checks.map((c) => c.context)).toContain("Test (backend)");
    // Each check tied to GitHub Actions (app 15368): a commit status posted by anyone else does not satisfy it.
    for (const check of checks) expect(check.integrationId, check.context).toBe(15368);
    // The App that runs `up` bypasses every ruleset (stacks that share a branch never lock each
    // other out); outside production repository admins may too.
    const app = { actorId: 1027384, actorType: "Integration", bypassMode: "always" };
    expect(ruleset!.inputs.bypassActors).toEqual(stack === "production" ? [app] : [app, { actorId: 5, actorType: "RepositoryRole", bypassMode: "always" }]);
  });

  it("has an environment restricted to its branch, with production's reviewers", () => {
    const [environment] = ofType(stack, "repositoryEnvironment:RepositoryEnvironment");
    expect(environment!.inputs).toMatchObject({
      environment: stack,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      preventSelfReview: stack === "production",
      canAdminsBypass: stack !== "production",
    });
    if (stack === "production") expect(environment!.inputs.reviewers).toEqual([{ teams: ["[unknown]"], users: [] }]);
    else expect(environment!.inputs.reviewers).toBeUndefined();
    const [policy] = ofType(stack, "repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policy!.inputs).toMatchObject({ branchPattern: BRANCH[stack] });
  });

  it("keeps the Railway token as an environment secret, never in plain text", () => {
    const secrets = ofType(stack, "actionsEnvironmentSecret:ActionsEnvironmentSecret");
    // Not set in the shipped stacks, so unknown; shown as what it is declared to be, a secret.
    expect(secrets.map((s) => [s.inputs.secretName, s.inputs.value])).toEqual([["RAILWAY_TOKEN", "[secret]"]]);
    // `plaintextValue` is deprecated in favour of `value`.
    expect(secrets.map((s) => s.inputs.plaintextValue)).toEqual([undefined]);
    // With a value set, the value is a secret.
    const variables = ofType(stack, "actionsEnvironmentVariable:ActionsEnvironmentVariable").map((v) => v.inputs.variableName);
    expect(variables.sort()).toEqual(["API_URL", "RAILWAY_ENVIRONMENT", "WEB_URL"]);
  });

  it("owns the repository-wide settings only in production", () => {
    const alerts = ofType(stack, "repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts");
    const permissions = ofType(stack, "workflowRepositoryPermissions:WorkflowRepositoryPermissions");
    if (stack === "production") {
      expect(alerts.map((a) => a.inputs.enabled)).toEqual([true]);
      expect(permissions.map((p) => p.inputs)).toEqual([expect.objectContaining({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false })]);
      // Kept when the stack goes: the provider's delete turns Dependabot alerts off.
      expect([...alerts, ...permissions].map((r) => r.retainOnDelete)).toEqual([true, true]);
    } else {
      expect([alerts.length, permissions.length]).toEqual([0, 0]);
    }
  });

  it("commits its workflow files to its branch, one after another (a missing branch is made once)", () => {
    const files = ofType(stack, "repositoryFile:RepositoryFile");
    expect(files.length).toBeGreaterThan(0);
    files.forEach((file, i) => expect(file.dependencies).toEqual(expect.arrayContaining(files.slice(0, i).map((f) => f.urn))));
    for (const file of files) {
      // The branch is made from the default branch by its first file when missing.
      expect(file.inputs).toMatchObject({ branch: BRANCH[stack], overwriteOnCreate: true, autocreateBranch: true });
      // No author: the commit is the acting identity's (an App's are signed), not a stranger's noreply address.
      expect([file.inputs.commitAuthor, file.inputs.commitEmail]).toEqual([undefined, undefined]);
    }
  });
});

describe("a production environment without reviewers", () => {
  it("does not ask GitHub to prevent self-review, which GitHub refuses without reviewers; the policies name the missing reviewers", async () => {
    const run = await runEdited("production", (config) => {
      const gh = JSON.parse(config["platform:github"]!);
      gh.reviewers = [];
      config["platform:github"] = JSON.stringify(gh);
    });
    expect(run.error).toBeUndefined();
    const environment = run.resources.find((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment")!;
    expect(environment.inputs).toMatchObject({ preventSelfReview: false });
    expect(environment.inputs.reviewers).toBeUndefined();
    const { config } = policyConfigFor(ROOT, "production", "production", POLICIES);
    const violated = (await evaluatePolicies(POLICIES, policyResources(run), config)).map((v) => v.policy);
    expect(violated).toContain("security-github-environment-requires-reviewers");
    expect(violated).not.toContain("security-github-environment-prevents-self-review");
  });
});

/** Makes the api an image built from the repository instead of a repository Railway builds. */
function buildApiImage(config: Record<string, string>): void {
  const services = JSON.parse(config["platform:services"]!);
  services.api.source = { image: "ghcr.io/converge-nps/api", build: { context: "backend", dockerfile: "Dockerfile" } };
  config["platform:services"] = JSON.stringify(services);
}

describe("a service built from the repository into an image", () => {
  it("is built and pushed to ghcr.io, and Railway runs it by digest", async () => {
    const run = await runEdited(
      "staging",
      (config) => {
        buildApiImage(config);
        const secrets = JSON.parse(config["platform:secrets"]!);
        secrets.GHCR_TOKEN = { supplied: true, value: "stand-in" };
        config["platform:secrets"] = JSON.stringify(secrets);
      },
      { secretKeys: ["platform:secrets"] },
    );
    expect(run.error).toBeUndefined();
    const image = run.resources.find((r) => r.type === "docker:index/image:Image")!;
    expect(image.inputs).toMatchObject({
      imageName: "ghcr.io/converge-nps/api:staging",
      build: { context: "backend", dockerfile: "backend/Dockerfile", platform: "linux/amd64" },
      registry: { server: "ghcr.io", username: "converge-nps", password: "[secret]" },
    });
    // Railway runs the pushed image by digest (unknown until it is pushed), pulled with the owner and GHCR_TOKEN.
    const deployment = run.resources.find((r) => r.name === "platform-api-deployment")!;
    expect(deployment.inputs).toMatchObject({ image: "[unknown]", registryCredentials: "[secret]" });
    // The deploy workflow pushes later images with the token that pushed the first: an environment secret, kept secret.
    const secrets = run.resources
      .filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret")
      .map((r) => [r.inputs.secretName, r.inputs.value]);
    expect(secrets).toEqual(expect.arrayContaining([["GHCR_TOKEN", "[secret]"]]));
    // Image services are deployed by pulumi up, not by the deploy workflow.
    const deploy = run.resources.find((r) => r.inputs.file === ".github/workflows/deploy-staging.yml")!;
    expect(deploy.inputs.content).not.toContain("Deploy api");
  });

  it("needs a registry token", async () => {
    const run = await runEdited("staging", buildApiImage, { secretKeys: [] });
    expect((run.error as Error).message).toContain("platform:secrets: needs GHCR_TOKEN");
  });
});
