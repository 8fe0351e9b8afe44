// The test plugins behave as the real providers do wherever a lifecycle can tell the difference,
// called here method by method (the CLI tests run them as plugins): random values made once and
// replaced on any change; a rotation timer replaced, and gone on read, once its time has passed; an
// image's digest; GitHub's resources over its REST API, refused where GitHub refuses.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GithubDouble } from "../github/double";
import { dockerProvider } from "./docker";
import { githubProvider } from "./github";
import { randomProvider } from "./random";
import { timeProvider } from "./time";
import { isSecret, secret } from "../../components/provider/values";
import { planLimitProblems, reviewerTeamProblem } from "../../components/github/repository";

const urn = (type: string, name = "r") => `urn:pulumi:dev::platform::${type}::${name}`;

describe("random", () => {
  const bytes = urn("random:index/randomBytes:RandomBytes");
  it("makes a value once, keeps it on read, and replaces it when any input changes, keepers included", async () => {
    const { inputs } = await randomProvider.check!(bytes, {}, { length: 32, keepers: { rotation: "a" } });
    const made = await randomProvider.create!(bytes, inputs);
    expect(made.outs.hex).toMatch(/^[0-9a-f]{64}$/);
    expect((await randomProvider.read!(made.id, bytes, made.outs)).props).toEqual(made.outs);
    expect(await randomProvider.diff!(made.id, bytes, made.outs, inputs)).toMatchObject({ changes: false });
    expect(await randomProvider.diff!(made.id, bytes, made.outs, { ...inputs, keepers: { rotation: "b" } })).toMatchObject({
      changes: true,
      replaces: ["keepers"],
    });
  });

  it("keeps a secret input's value a secret in its outputs", async () => {
    const password = urn("random:index/randomPassword:RandomPassword");
    const { inputs } = await randomProvider.check!(password, {}, { length: 20, special: false, keepers: secret("k") });
    const made = await randomProvider.create!(password, inputs);
    expect(made.outs.result).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(isSecret(made.outs.keepers)).toBe(true);
  });
});

describe("time", () => {
  const rotating = urn("time:index/rotating:Rotating");
  afterEach(() => {
    delete process.env.PLATFORM_TEST_CLOCK_OFFSET_DAYS;
  });

  it("is replaced at the next plan and gone on read once its rotation time has passed, never before", async () => {
    const made = await timeProvider.create!(rotating, { rotationDays: 90 });
    expect(made.id).toBe(made.outs.rfc3339);
    expect(Date.parse(made.outs.rotationRfc3339) - Date.parse(made.outs.rfc3339)).toBe(90 * 86_400_000);
    expect(await timeProvider.diff!(made.id, rotating, made.outs, { rotationDays: 90 })).toMatchObject({ changes: false });
    expect((await timeProvider.read!(made.id, rotating, made.outs)).id).toBe(made.id);
    process.env.PLATFORM_TEST_CLOCK_OFFSET_DAYS = "91";
    expect(await timeProvider.diff!(made.id, rotating, made.outs, { rotationDays: 90 })).toMatchObject({ changes: true, replaces: ["rotationRfc3339"] });
    expect((await timeProvider.read!(made.id, rotating, made.outs)).id).toBe("");
  });
});

describe("docker", () => {
  it("answers a pushed image's digest, and keeps it when the build changes (the program ignores those changes)", async () => {
    const image = urn("docker:index/image:Image");
    const made = await dockerProvider.create!(image, { imageName: "ghcr.io/acme/api:staging", build: { context: "." } });
    expect(made.outs.repoDigest).toMatch(/^ghcr\.io\/acme\/api@sha256:[0-9a-f]{64}$/);
    expect(
      (await dockerProvider.update!(made.id, image, made.outs, { imageName: "ghcr.io/acme/api:staging", build: { context: "app" } })).outs.repoDigest,
    ).toBe(made.outs.repoDigest);
  });
});

describe("github, against the GitHub double", () => {
  const github = new GithubDouble();
  let repo: ReturnType<GithubDouble["seedRepository"]>;
  beforeAll(async () => {
    await github.start();
    repo = github.seedRepository("acme", "shop", ["main"]);
    github.organizations.set("acme", "enterprise");
    githubProvider.configure!({ owner: "acme", token: github.issueToken({ login: "dev", id: 7, admin: false }), baseUrl: github.url });
  });
  afterAll(() => github.stop());

  const file = urn("github:index/repositoryFile:RepositoryFile");
  const fileInputs = (branch: string, content: string) => ({
    repository: "shop",
    branch,
    file: ".github/workflows/ci.yml",
    content,
    commitMessage: "ci",
    overwriteOnCreate: true,
  });

  it("commits a file to a branch that exists, refuses one that does not, and reads a change made outside Pulumi back", async () => {
    await expect(githubProvider.create!(file, fileInputs("develop", "a"))).rejects.toThrow(
      "branch develop not found in repository acme/shop or repository is not readable",
    );
    const made = await githubProvider.create!(file, fileInputs("main", "a"));
    expect(repo.branches.get("main")!.files.get(".github/workflows/ci.yml")!.content).toBe("a");
    repo.branches.get("main")!.files.set(".github/workflows/ci.yml", { content: "edited", sha: "0".repeat(40) });
    expect((await githubProvider.read!(made.id, file, made.outs)).props.content).toBe("edited");
    // An update from the stale state is GitHub's 409, until a refresh.
    await expect(githubProvider.update!(made.id, file, made.outs, fileInputs("main", "b"))).rejects.toThrow(/409/);
  });

  it("refuses a write to a branch an active ruleset closes to everyone but its bypass actors", async () => {
    const ruleset = urn("github:index/repositoryRuleset:RepositoryRuleset");
    await githubProvider.create!(ruleset, {
      repository: "shop",
      name: "production: protect main",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
      bypassActors: [{ actorId: 1027384, actorType: "Integration", bypassMode: "always" }],
      rules: { deletion: true, pullRequest: { requiredApprovingReviewCount: 1 } },
    });
    const other = { ...fileInputs("main", "x"), file: ".github/workflows/deploy.yml" };
    await expect(githubProvider.create!(file, other)).rejects.toThrow(/409 Repository rule violations found/);
    expect(github.refused.at(-1)).toMatchObject({ method: "PUT", status: 409 });
  });

  it("with autocreateBranch, makes a missing branch from its source branch's tip at the first commit, and is held to a ruleset that restricts creation", async () => {
    const made = await githubProvider.create!(file, { ...fileInputs("develop", "d"), autocreateBranch: true, autocreateBranchSourceBranch: "main" });
    expect(repo.branches.get("develop")!.files.get("README.md")).toEqual(repo.branches.get("main")!.files.get("README.md"));
    expect(repo.branches.get("develop")!.files.get(".github/workflows/ci.yml")!.content).toBe("d");
    expect(made.outs.autocreateBranchSourceSha).toMatch(/^[0-9a-f]{40}$/);
    // Two files at once on a missing branch both create it: the second gets GitHub's 422.
    const both = await Promise.allSettled(
      ["a.md", "b.md"].map((f) =>
        githubProvider.create!(file, { ...fileInputs("feature", "f"), file: f, autocreateBranch: true, autocreateBranchSourceBranch: "main" }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(String((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason)).toMatch(/422 Reference already exists/);
    // A second file on the branch, which now exists: no second creation.
    const before = github.refused.length;
    await githubProvider.create!(file, { ...fileInputs("develop", "e"), file: "docs/x.md", autocreateBranch: true, autocreateBranchSourceBranch: "main" });
    expect(github.refused.slice(before)).toEqual([]);
    // Creating a branch twice is GitHub's 422.
    const sha = repo.branches.get("main")!.commits.at(-1)?.sha;
    const twice = await fetch(`${github.url}repos/acme/shop/git/refs`, {
      method: "POST",
      headers: { authorization: `Bearer ${[...github.tokens.keys()][0]}` },
      body: JSON.stringify({ ref: "refs/heads/develop", sha }),
    });
    expect([twice.status, ((await twice.json()) as { message: string }).message]).toEqual([422, "Reference already exists"]);
    // A ruleset that restricts creating matching branches refuses whoever may not bypass it.
    const ruleset = urn("github:index/repositoryRuleset:RepositoryRuleset");
    await githubProvider.create!(ruleset, {
      repository: "shop",
      name: "releases",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/release"], excludes: [] } },
      bypassActors: [],
      rules: { creation: true },
    });
    await expect(githubProvider.create!(file, { ...fileInputs("release", "r"), autocreateBranch: true, autocreateBranchSourceBranch: "main" })).rejects.toThrow(
      /422 Repository rule violations found\n\nCannot create ref due to creations being restricted/,
    );
    expect(repo.branches.has("release")).toBe(false);
  });

  it("drops a reviewer team without access to the repository, saying nothing, and lists the teams that have access", async () => {
    github.teams.set("acme/ops", 61);
    github.teams.set("acme/qa", 62);
    github.teamAccess.set("acme/ops", new Map([["acme/shop", "push"]]));
    const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment");
    await githubProvider.create!(environment, {
      repository: "shop",
      environment: "review",
      reviewers: [{ teams: [61, 62], users: [] }],
      preventSelfReview: true,
    });
    expect(repo.environments.get("review")!.reviewers).toEqual([{ type: "Team", id: 61 }]);
    const listed = await githubProvider.invoke!("github:index/getRepositoryTeams:getRepositoryTeams", { name: "shop" });
    expect(listed.outputs.teams).toEqual([{ name: "ops", slug: "ops", permission: "push" }]);
    expect(reviewerTeamProblem("acme/shop", "ops", listed.outputs.teams as Array<{ slug: string }>)).toBeUndefined();
    expect(reviewerTeamProblem("acme/shop", "qa", listed.outputs.teams as Array<{ slug: string }>)).toMatch(
      /^platform:github\.reviewers: the team 'qa' has no access to acme\/shop, so GitHub would drop it/,
    );
    // Unknown (the offline plan): nothing to say yet.
    expect(reviewerTeamProblem("acme/shop", "qa", undefined)).toBeUndefined();
  });

  it("looks a team up alone with summaryOnly; without it, lists its members and repositories as the provider does", async () => {
    const listing = () => github.requests.filter((r) => /\/teams\/ops\/(members|repos)$/.test(r.path)).length;
    await githubProvider.invoke!("github:index/getTeam:getTeam", { slug: "ops", summaryOnly: true });
    expect(listing()).toBe(0);
    await githubProvider.invoke!("github:index/getTeam:getTeam", { slug: "ops" });
    expect(listing()).toBe(2);
  });

  it("holds a private repository to its plan: rulesets need a paid organization, required reviewers GitHub Enterprise; the program says so at preview", async () => {
    const free = github.seedRepository("thrift", "app", ["main"]);
    github.organizations.set("thrift", "free");
    githubProvider.configure!({ owner: "thrift", token: [...github.tokens.keys()][0]!, baseUrl: github.url });
    try {
      const ruleset = urn("github:index/repositoryRuleset:RepositoryRuleset");
      const inputs = {
        repository: "app",
        name: "dev: protect main",
        target: "branch",
        enforcement: "active",
        conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
        bypassActors: [],
        rules: { deletion: true },
      };
      await expect(githubProvider.create!(ruleset, inputs)).rejects.toThrow(/403 Upgrade to GitHub Team or make this repository public/);
      github.organizations.set("thrift", "team");
      await githubProvider.create!(ruleset, inputs);
      github.teams.set("thrift/ops", 71);
      github.teamAccess.set("thrift/ops", new Map([["thrift/app", "push"]]));
      const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment");
      await expect(
        githubProvider.create!(environment, { repository: "app", environment: "production", reviewers: [{ teams: [71], users: [] }] }),
      ).rejects.toThrow(/422 Required reviewers are not available/);
      free.visibility = "public";
      await githubProvider.create!(environment, { repository: "app", environment: "production", reviewers: [{ teams: [71], users: [] }] });
      // What the program reads at preview, and what it makes of it.
      const org = await githubProvider.invoke!("github:index/getOrganization:getOrganization", { name: "thrift", summaryOnly: true });
      expect(org.outputs.plan).toBe("team");
      const gh = { owner: "thrift", repository: "app", reviewers: ["thrift/ops"] };
      expect(planLimitProblems(gh, "private", "team")).toEqual([
        expect.stringMatching(
          /^platform:github\.reviewers: required reviewers on a private or internal repository need GitHub Enterprise .*thrift\/app is private and thrift is on GitHub's 'team' plan/,
        ),
      ]);
      expect(planLimitProblems(gh, "private", "free").map((p) => p.split(":")[1])).toEqual(["github.reviewers", "github.branch"]);
      expect(planLimitProblems(gh, "private", "personal")[0]).toContain("thrift is a personal account");
      // A stack that leaves its branch's ruleset to another asks the plan for no ruleset.
      expect(planLimitProblems({ ...gh, reviewers: [], branchOwner: "production" }, "private", "free")).toEqual([]);
      expect([
        planLimitProblems(gh, "public", "free"),
        planLimitProblems(gh, "private", "enterprise"),
        planLimitProblems(gh, undefined, "free"),
        planLimitProblems(gh, "private", undefined),
      ]).toEqual([[], [], [], []]);
    } finally {
      githubProvider.configure!({ owner: "acme", token: [...github.tokens.keys()][0]!, baseUrl: github.url });
    }
  });

  it("refuses preventSelfReview without reviewers, as GitHub does", async () => {
    const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment");
    await expect(githubProvider.create!(environment, { repository: "shop", environment: "production", preventSelfReview: true })).rejects.toThrow(
      /422 Required reviewers must have at least one reviewer to set prevent_self_review/,
    );
  });

  it("replaces an environment secret whose value changed delete-first, as @pulumi/github declares it, and stores the new value", async () => {
    const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment");
    await githubProvider.create!(environment, { repository: "shop", environment: "staging" });
    const secretUrn = urn("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    const inputs = { repository: "shop", environment: "staging", secretName: "RAILWAY_TOKEN", value: secret("one") };
    const made = await githubProvider.create!(secretUrn, inputs);
    expect(isSecret(made.outs.value)).toBe(true);
    expect(repo.environments.get("staging")!.secrets.get("RAILWAY_TOKEN")).toBe("one");
    expect(await githubProvider.diff!(made.id, secretUrn, made.outs, { ...inputs, value: secret("two") })).toMatchObject({
      changes: true,
      replaces: ["value"],
      deleteBeforeReplace: true,
    });
  });
});
