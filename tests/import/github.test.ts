// The import's GitHub side: the pure mapping from what a repository holds to `platform:github`, case
// by case, and the reader against the GitHub double (paged lists, a token instead of the App).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubConfig } from "../../plan/import/map-github";
import { githubAccessFrom, readGithub, type LiveGithub, type LiveRuleset } from "../../plan/import/read-github";
import { GithubDouble } from "../github/double";

const ruleset = (name: string, o: Partial<LiveRuleset> = {}): LiveRuleset => ({
  id: 1,
  name,
  enforcement: "active",
  target: "branch",
  includes: ["refs/heads/main"],
  bypassActors: [],
  requiredChecks: [],
  ...o,
});

const live = (o: Partial<LiveGithub> = {}): LiveGithub => ({
  owner: "acme",
  repository: "shop",
  defaultBranch: "main",
  rulesets: [],
  environment: { name: "staging", reviewers: [], branchPolicies: [], secrets: [], variables: {} },
  ...o,
});

describe("githubConfig", () => {
  it("takes the program's own ruleset as it is, and says the first `up` would meet its name", () => {
    const found = githubConfig(
      live({
        app: { id: 9, installationId: 10 },
        rulesets: [
          ruleset("staging: protect main", {
            requiredChecks: ["Test (.)"],
            bypassActors: [
              { actor_id: 9, actor_type: "Integration" },
              { actor_id: 5, actor_type: "RepositoryRole" },
            ],
          }),
        ],
      }),
      { tier: "staging", railwayBranch: "main", services: ["api"] },
    );
    // Admins' bypass is the program's own outside production: not carried as an extra actor.
    expect(found.github).toEqual({ branch: "main", app: { id: 9, installationId: 10 }, requiredChecks: ["Test (.)"] });
    expect(found.report.map((r) => r.where)).toEqual(['GitHub ruleset "staging: protect main" on main']);
  });

  it("names the stack that owns the branch when its ruleset is another environment's, outside production", () => {
    const rulesets = [ruleset("production: protect main", { requiredChecks: ["build"], bypassActors: [{ actor_id: 9, actor_type: "Integration" }] })];
    const staging = githubConfig(live({ app: { id: 9, installationId: 10 }, rulesets }), { tier: "staging", railwayBranch: "main", services: [] });
    expect(staging.github).toEqual({ branch: "main", branchOwner: "production", app: { id: 9, installationId: 10 } });
    expect(staging.report).toEqual([]);
    // Production protects its own branch: another environment's ruleset there is carried over and reported.
    const production = githubConfig(live({ app: { id: 9, installationId: 10 }, rulesets, environment: { ...live().environment!, name: "production" } }), {
      tier: "production",
      railwayBranch: "main",
      services: [],
    });
    expect(production.github).toEqual({ branch: "main", app: { id: 9, installationId: 10 }, requiredChecks: ["build"] });
    expect(production.report.map((r) => r.where)).toEqual(['GitHub ruleset "production: protect main" on main']);
  });

  it("takes the branch from the environment's one branch policy, and leaves a glob to Railway's branch", () => {
    const policy = (branchPolicies: string[]) =>
      githubConfig(live({ environment: { ...live().environment!, branchPolicies } }), { tier: "dev", railwayBranch: "develop", services: [] });
    expect(policy(["release"]).github.branch).toBe("release");
    expect(policy(["release/*"]).github.branch).toBe("develop");
    expect(policy(["release/*"]).report[0]!.where).toBe("GitHub environment staging, deployment branches release/*");
    expect(policy([]).github.branch).toBe("develop");
  });

  it("applies only active branch rulesets that reach the branch, ~DEFAULT_BRANCH and ~ALL included", () => {
    const map = (rulesets: LiveRuleset[]) => githubConfig(live({ rulesets }), { tier: "dev", railwayBranch: "main", services: [] }).github.requiredChecks;
    expect(map([ruleset("team", { includes: ["~DEFAULT_BRANCH"], requiredChecks: ["a"] })])).toEqual(["a"]);
    expect(map([ruleset("team", { includes: ["~ALL"], requiredChecks: ["b"] })])).toEqual(["b"]);
    expect(map([ruleset("team", { enforcement: "evaluate", requiredChecks: ["c"] })])).toBeUndefined();
    expect(map([ruleset("team", { target: "tag", requiredChecks: ["d"] })])).toBeUndefined();
    expect(map([ruleset("team", { includes: ["refs/heads/develop"], requiredChecks: ["e"] })])).toBeUndefined();
  });

  it("without the App, says the App is unknown; with it, but not among the bypass actors, names it and says the first `up` makes its own ruleset", () => {
    const rulesets = [
      ruleset("team", {
        bypassActors: [
          { actor_id: 44, actor_type: "Integration" },
          { actor_id: 3, actor_type: "Team" },
        ],
      }),
    ];
    const byToken = githubConfig(live({ rulesets }), { tier: "staging", railwayBranch: "main", services: [] });
    expect(byToken.github.app).toBeUndefined();
    expect(byToken.github.bypassActors).toEqual([
      { type: "Integration", id: 44 },
      { type: "Team", id: 3 },
    ]);
    const asAnother = githubConfig(live({ rulesets, app: { id: 9, installationId: 10 } }), { tier: "staging", railwayBranch: "main", services: [] });
    expect(asAnother.github.app).toEqual({ id: 9, installationId: 10 });
    expect(asAnother.report.map((r) => r.where)).toContain("the ruleset on main");
  });

  it("maps reviewers, secrets and variables, leaving out what the program sets and what looks secret", () => {
    const found = githubConfig(
      live({
        environment: {
          name: "production",
          reviewers: [
            { type: "Team", slug: "ops" },
            { type: "User", login: "dana" },
          ],
          branchPolicies: ["main"],
          secrets: ["SENTRY_DSN", "RAILWAY_TOKEN"],
          variables: { RAILWAY_ENVIRONMENT: "production", WEB_APP_URL: "https://x", LOG_LEVEL: "info", DB_PASSWORD: "p" },
        },
      }),
      { tier: "production", railwayBranch: "main", services: ["web-app"] },
    );
    expect(found.github).toEqual({
      branch: "main",
      reviewers: ["acme/ops", "dana"],
      secrets: ["RAILWAY_TOKEN", "SENTRY_DSN"],
      variables: { LOG_LEVEL: "info" },
    });
    expect(found.secrets).toEqual(["RAILWAY_TOKEN", "SENTRY_DSN"]);
    expect(found.report.map((r) => r.where)).toEqual([
      "GitHub branch main of acme/shop",
      "GitHub environment production, deployment branch main",
      "GitHub environment production, variable DB_PASSWORD",
      "GitHub environment production, variables LOG_LEVEL, RAILWAY_ENVIRONMENT, WEB_APP_URL",
    ]);
    expect(JSON.stringify(found)).not.toContain('"p"');
  });

  it("reports a missing environment, which the first `up` creates", () => {
    const found = githubConfig(live({ environment: undefined }), { tier: "dev", railwayBranch: "develop", services: [] });
    expect(found.report.map((r) => r.where)).toEqual(["GitHub branch develop of acme/shop", "GitHub environment of acme/shop"]);
  });
});

describe("githubAccessFrom", () => {
  it("takes the App when all three of its variables are set, else the token, else nothing", () => {
    expect(githubAccessFrom({ GITHUB_APP_ID: "1", GITHUB_APP_INSTALLATION_ID: "2", GITHUB_APP_PEM_FILE: "pem", GITHUB_TOKEN: "t" })).toEqual({
      baseUrl: "https://api.github.com/",
      app: { id: 1, installationId: 2, pem: "pem" },
    });
    expect(githubAccessFrom({ GITHUB_APP_ID: "1", GITHUB_TOKEN: "t", GITHUB_BASE_URL: "http://127.0.0.1:1/" })).toEqual({
      baseUrl: "http://127.0.0.1:1/",
      token: "t",
    });
    expect(githubAccessFrom({})).toBeUndefined();
  });
});

describe("readGithub against the GitHub double", () => {
  const github = new GithubDouble();
  let token = "";
  beforeAll(async () => {
    await github.start();
    token = github.issueToken({ login: "dana", id: 78, admin: true });
  });
  afterAll(() => github.stop());

  it("follows every page of a list, and reads only", async () => {
    const repo = github.seedRepository("acme", "paged", ["main"]);
    const variables = new Map(Array.from({ length: 120 }, (_, i) => [`V_${String(i).padStart(3, "0")}`, String(i)] as [string, string]));
    repo.environments.set("dev", {
      name: "dev",
      wait_timer: 0,
      prevent_self_review: false,
      can_admins_bypass: true,
      reviewers: [],
      deployment_branch_policy: null,
      policies: new Map(),
      secrets: new Map(),
      variables,
    });
    const found = await readGithub({ baseUrl: github.url, token }, "acme", "paged", "dev");
    expect(Object.keys(found.environment!.variables)).toHaveLength(120);
    expect(github.requests.filter((r) => r.path.endsWith("/variables")).length).toBe(2);
    expect(github.writes()).toBe(0);
  });

  it("says which repository it cannot see", async () => {
    await expect(readGithub({ baseUrl: github.url, token }, "acme", "missing", "dev")).rejects.toThrow(
      "GitHub has no repository acme/missing that this credential can see.",
    );
    await expect(readGithub({ baseUrl: github.url, token: "wrong" }, "acme", "paged", "dev")).rejects.toThrow(
      /GET repos\/acme\/paged: GitHub answered 401 Bad credentials/,
    );
  });
});
