// Every shipped stack's whole lifecycle through the real Pulumi CLI, against one Railway, one
// Supabase and one GitHub that behave as the platforms do: dev, staging, production and a review
// stack named as Pulumi Deployments names them, each `pulumi up` with the policy pack; a refresh
// that finds nothing and a preview that proposes nothing, with no write reaching any platform; the
// previews' URNs equal to the offline plan's; no secret in plain text in `pulumi stack export` or
// any file of the backend; a setting change and a rotation that redeploy exactly what they change;
// a deploy-workflow change on each branch, through its ruleset as the App; staging imported back
// from what runs and from GitHub; the review stack and dev destroyed, staging and production
// untouched, the team's branches kept; production's protection holding against `destroy`; staging
// destroyed last; the repository-wide settings kept when their resources go.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployModel } from "../../components/github/repository";
import { deployWorkflow } from "../../components/github/workflows";
import { runJob } from "../github/runner";
import { ROOT, parse, runEdited, stackRaw } from "../helpers";
import { policyConfigFor } from "../../plan/policy-config";
import { policyResources } from "../../plan/run";
import { POLICIES } from "../../policies/all";
import { evaluatePolicies } from "../../policies/evaluate";
import { readFileSync, writeFileSync } from "node:fs";
import { parse as load, stringify as dump } from "yaml";
import { POLICY_PACK, Workspace, run, suppliedSecrets } from "./pulumi";
import { plainSecretsIn, revealedSecrets, urnsOf } from "./checks";
import { PLATFORM_APP_ID, PLATFORM_APP_INSTALLATION, readOnlyQuery } from "./platforms";
import { worldForFile } from "./world";

const world = worldForFile();
const { railway, supabase, github } = world;
/** The review stack Pulumi Deployments makes for pull request 7 from the `pr` template. */
const REVIEW = "pr-pulumi-converge-nps-platform-7";
const STACKS = ["dev", "staging", "production", REVIEW] as const;
const fileOf = (stack: string) => (stack === REVIEW ? "pr" : stack);
const SERVICES = ["api", "redis", "web"];

let ws: Workspace;
/** Every supplied secret's value, per stack. */
const supplied: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  ws = Workspace.create({ stackFiles: ["dev", "staging", "production", "pr"], env: world.env() });
  // Pulumi Deployments copies the template's config into each review stack it makes.
  const { copyFileSync } = await import("node:fs");
  copyFileSync(`${ws.dir}/Pulumi.pr.yaml`, `${ws.dir}/Pulumi.${REVIEW}.yaml`);
  for (const stack of STACKS) {
    supplied[stack] = suppliedSecrets(fileOf(stack), stack);
    await ws.initStackAtOnce(stack, supplied[stack]!);
  }
  // The review stack's pre-run command, as the README gives it: the pull request's head branch.
  await ws.ok(["config", "set", "--stack", REVIEW, "--path", "platform:supabase.gitBranch", "feature/login"]);
});

afterAll(() => ws?.remove());

const project = () => [...railway.projects.values()].find((p) => p.name === "converge-nps")!;
const env = (name: string) => railway.environmentNamed(project().id, name);
const service = (name: string) => railway.serviceNamed(project().id, name)!;
const deploymentsIn = (stack: string, name: string) => railway.deploymentsOf(service(name).id, env(stack)!.id);

/** Everything Railway holds for one environment, for comparing before and after. */
function environmentSnapshot(name: string) {
  const e = env(name)!;
  return SERVICES.map((s) => {
    const id = service(s).id;
    const instance = railway.instance(id, e.id);
    return {
      service: s,
      instance: instance && { settings: instance.settings, limits: instance.limits, variables: instance.variables, source: instance.source },
      volume: railway.volumeInstanceOf(id, e.id)?.mountPath,
      deployments: railway.deploymentsOf(id, e.id).map((d) => d.id),
    };
  });
}

describe("dev, staging, production and a review stack through `pulumi up`", () => {
  it(
    "each first `up`, with the policy pack, sets up its stack once against platforms that take their time and fail now and then",
    { timeout: 120_000 },
    async () => {
      // New objects show in Railway's lists only after a lookup; one fault in the create of each kind.
      railway.realism = { ...railway.realism, invisibleFor: 1 };
      railway.inject({ kind: "500" }, { operation: "projectCreate" });
      railway.inject({ kind: "lost" }, { operation: "environmentCreate" });
      railway.inject({ kind: "lost" }, { operation: "serviceCreate" });
      railway.inject({ kind: "drop" }, { operation: "volumeCreate" });
      railway.inject({ kind: "lost" }, { operation: "serviceDomainCreate" });
      railway.inject({ kind: "429", retryAfter: "0" }, { operation: "variableCollectionUpsert" });
      railway.inject({ kind: "500" }, { operation: "serviceInstanceUpdate", times: 2 });
      railway.inject({ kind: "lost" }, { operation: "customDomainCreate" });
      supabase.inject({ kind: "lost" }, { operation: "v1-create-a-project" });
      supabase.inject({ kind: "500" }, { operation: "v1-update-ssl-enforcement-config" });
      supabase.inject({ kind: "429", retryAfter: "0" }, { operation: "v1-update-network-restrictions" });
      supabase.inject({ kind: "drop" }, { operation: "v1-get-services-health" });
      supabase.inject({ kind: "lost" }, { operation: "v1-create-a-branch" });
      const outputs: Record<string, string> = {};
      for (const stack of STACKS) {
        const up = await ws.pulumi(["up", "--stack", stack, "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
        expect(up.code, `${stack}:\n${up.output}`).toBe(0);
        outputs[stack] = up.output;
      }
      railway.realism = { ...railway.realism, invisibleFor: 0 };
      // The pack held each stack to its own tier's config, though none was named on the command line:
      // at production strength dev would fail (no PITR, no reviewers, an open database).
      for (const stack of STACKS) {
        expect(outputs[stack], stack).toMatch(/platform@v0\.1\.0 \(local: /);
        expect(outputs[stack], stack).not.toMatch(/\[mandatory\]/);
      }
      // Nothing made twice.
      expect([...railway.projects.values()].filter((p) => p.name === "converge-nps")).toHaveLength(1);
      expect(
        [...railway.services.values()]
          .filter((s) => s.projectId === project().id)
          .map((s) => s.name)
          .sort(),
      ).toEqual(SERVICES);
      expect(railway.rejected).toEqual([]);
      expect(supabase.rejected).toEqual([]);
      expect(supabase.badResponses).toEqual([]);
      expect(supabase.refusedWhileBusy).toEqual([]);
      expect(github.refused).toEqual([]);

      expect(
        [...railway.environments.values()]
          .filter((e) => e.projectId === project().id)
          .map((e) => e.name)
          .sort(),
      ).toEqual([...STACKS].sort());
      for (const stack of STACKS) {
        // Redis is the one service `up` deploys itself: waited for until it succeeded.
        expect(
          deploymentsIn(stack, "redis").map((d) => d.status),
          stack,
        ).toEqual(["SUCCESS"]);
        for (const s of ["api", "web"]) expect(deploymentsIn(stack, s), `${stack} ${s}`).toEqual([]);
      }
      // Each project waited out its late pooler (404 Pooler configuration not found) instead of failing on it.
      expect(supabase.requests.filter((r) => r.operation === "v1-get-pooler-config" && r.status === 404).length).toBeGreaterThan(0);
      for (const stack of ["dev", "staging", "production"]) expect(supabase.projectNamed(`converge-nps-${stack}`), stack).toHaveLength(1);
      // The review stack's branch never showed a password; the provider set one, which its services use.
      const branch = [...supabase.branches.values()].find((b) => b.name === REVIEW)!;
      expect(branch).toMatchObject({ gitBranch: "feature/login", isDefault: false });
      const branchDb = supabase.projects.get(branch.projectRef)!;
      expect(branchDb.passwordResets).toBe(1);
      expect(railway.instance(service("api").id, env(REVIEW)!.id)!.variables.DATABASE_URL).toContain(`:${branchDb.password}@`);
      // GitHub: each non-review stack's workflow on its branch, environment and ruleset; the review stack left GitHub alone.
      const repo = github.repositories.get("converge-nps/converge-nps")!;
      expect([...repo.environments.keys()].sort()).toEqual(["dev", "production", "staging"]);
      expect([...repo.branches.get("develop")!.files.keys()].sort()).toEqual([".github/workflows/ci.yml", ".github/workflows/deploy-dev.yml", "README.md"]);
      expect(repo.environments.get("production")).toMatchObject({ prevent_self_review: true, reviewers: [{ type: "Team", id: 4242 }] });
      // The repository had only main: develop and staging were made from it, and every commit is the App's own, with no author of ours.
      expect([...repo.branches.keys()].sort()).toEqual(["develop", "main", "staging"]);
      const commits = [...repo.branches.values()].flatMap((b) => b.commits);
      expect(commits.length).toBeGreaterThan(0);
      expect([...new Set(commits.map((c) => c.author))]).toEqual(["converge-nps-platform[bot]"]);
      // The reviewer team was looked up without listing its members and repositories.
      expect(github.requests.filter((r) => /\/teams\/[^/]+\/(members|repos)$/.test(r.path))).toEqual([]);
      // Required checks are tied to GitHub Actions.
      const production = [...repo.rulesets.values()].find((r) => r.name === "production: protect main")!;
      const checks = production.rules.find((r) => r.type === "required_status_checks")!.parameters.required_status_checks;
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) expect(check.integration_id, check.context).toBe(15368);
      expect(repo.environments.get("production")!.secrets.get("RAILWAY_TOKEN")).toBe(supplied.production!.RAILWAY_TOKEN);
      // Production's database accepts exactly the static egress of the one service that uses it.
      const productionDb = supabase.projectNamed("converge-nps-production")[0]!;
      const egress = railway.egress.get(`${service("api").id}:${env("production")!.id}`)!.map((g) => `${g.ipv4}/32`);
      expect(productionDb.cidrs).toEqual({ v4: egress, v6: [] });
      expect(productionDb).toMatchObject({
        computeSize: "small",
        ssl: true,
        addons: { compute_instance: "ci_small", pitr: "pitr_7" },
        pooler: { mode: "transaction", poolSize: 30 },
      });
      expect(
        [...railway.domains.values()]
          .filter((d) => d.kind === "custom")
          .map((d) => d.domain)
          .sort(),
      ).toEqual(["api.converge-nps.com", "converge-nps.com"]);
    },
  );

  it(
    "a refresh finds nothing and the preview after it proposes nothing, its URNs the offline plan's, with no write to any platform",
    { timeout: 120_000 },
    async () => {
      for (const stack of STACKS) {
        const before = world.writes();
        const refresh = await ws.pulumi(["refresh", "--stack", stack, "--yes", "--skip-preview", "--expect-no-changes"]);
        expect(refresh.code, `${stack}:\n${refresh.output}`).toBe(0);
        const preview = await ws.pulumi(["preview", "--stack", stack, "--expect-no-changes", "--json", "--show-sames"]);
        expect(preview.code, `${stack}:\n${preview.output}`).toBe(0);
        expect(world.writes(), stack).toEqual(before);
        // What the real preview declares is what the offline plan shows.
        const plan = await runEdited(
          fileOf(stack),
          (c) =>
            stack === REVIEW ? (c["platform:supabase"] = JSON.stringify({ ...JSON.parse(c["platform:supabase"]!), gitBranch: "feature/login" })) : undefined,
          { stack },
        );
        expect(urnsOf(JSON.parse(preview.stdout)), stack).toEqual(plan.resources.map((r) => r.urn).sort());
      }
    },
  );

  it("holds no secret in plain text: not in `pulumi stack export`, not in any file of the backend or the project", { timeout: 60_000 }, async () => {
    const files = ws.files();
    for (const stack of STACKS) {
      const exported = await ws.exportStack(stack);
      const revealed = await ws.exportStack(stack, true);
      const secrets = [
        ...Object.values(supplied[stack]!),
        // Generated values, as only --show-secrets shows them: passwords, random bytes, connection URLs.
        ...revealedSecrets(revealed.deployment),
        // The App's private key, and every installation token minted with it: never stored.
        world.appPrivateKey,
        ...github.minted,
        world.env().RAILWAY_API_TOKEN!,
        world.env().SUPABASE_ACCESS_TOKEN!,
      ];
      expect(secrets.length, stack).toBeGreaterThan(5);
      expect(plainSecretsIn(exported.text, secrets), stack).toEqual([]);
      for (const [file, text] of files) expect(plainSecretsIn(text, secrets), file).toEqual([]);
      // Nor in anything a command printed: the CLI's output carries what the plugins log.
      expect(plainSecretsIn(ws.transcript.join("\n"), secrets), `${stack}: the commands' output`).toEqual([]);
    }
  });

  it("a setting change redeploys only the service it changes, once", { timeout: 90_000 }, async () => {
    // The deploy workflow deploys what `up` connected, so api and web run something to redeploy.
    await runDeployWorkflow("staging");
    const before = {
      api: deploymentsIn("staging", "api").length,
      web: deploymentsIn("staging", "web").length,
      redis: deploymentsIn("staging", "redis").length,
    };
    await ws.ok(["config", "set", "--stack", "staging", "--path", "platform:services.api.healthcheck.timeoutSeconds", "90"]);
    // A preview needs no Railway or Supabase token (pull requests from forks have none): check and diff call no API.
    const requests = railway.requests.length + supabase.requests.length;
    const preview = await ws.ok(["preview", "--stack", "staging", "--json"], { env: { RAILWAY_API_TOKEN: "", SUPABASE_ACCESS_TOKEN: "" } });
    expect(railway.requests.length + supabase.requests.length).toBe(requests);
    const changed = (JSON.parse(preview.stdout) as { steps: Array<{ op: string; urn: string }> }).steps
      .filter((s) => s.op !== "same")
      .map((s) => `${s.op} ${s.urn.split("::").at(-1)}`);
    // The deploy workflow waits for the health check as long as the service allows: it changes too.
    expect(changed.sort()).toEqual(["update platform-api-deployment", "update platform-api-settings", "update platform-github-deploy-workflow"]);
    await ws.ok(["up", "--stack", "staging", "--yes", "--skip-preview"]);
    expect(railway.instance(service("api").id, env("staging")!.id)!.settings.healthcheckTimeout).toBe(90);
    expect(github.repositories.get("converge-nps/converge-nps")!.branches.get("staging")!.files.get(".github/workflows/deploy-staging.yml")!.content).toMatch(
      /healthcheckTimeoutSeconds\\?"?:\s*90\b/,
    );
    expect({
      api: deploymentsIn("staging", "api").length,
      web: deploymentsIn("staging", "web").length,
      redis: deploymentsIn("staging", "redis").length,
    }).toEqual({ ...before, api: before.api + 1 });
    expect(deploymentsIn("staging", "api").at(-1)!.status).toBe("SUCCESS");
  });

  it("a change to dev's and production's deploy workflows goes through their rulesets as the App, touching nothing else", { timeout: 60_000 }, async () => {
    const repo = github.repositories.get("converge-nps/converge-nps")!;
    for (const [stack, branch] of [
      ["dev", "develop"],
      ["production", "main"],
    ] as const) {
      const file = () => repo.branches.get(branch)!.files.get(`.github/workflows/deploy-${stack}.yml`)!;
      const before = { sha: file().sha, railway: railway.count({ type: "mutation" }) };
      await ws.ok(["config", "set", "--stack", stack, "--path", "platform:github.deploy.smoke", 'curl -fsS "$API_URL/health" && curl -fsS "$API_URL/ready"']);
      await ws.ok(["up", "--stack", stack, "--yes", "--skip-preview"]);
      expect(file().sha, stack).not.toBe(before.sha);
      expect(file().content, stack).toContain('curl -fsS "$API_URL/ready"');
      expect(railway.count({ type: "mutation" }), stack).toBe(before.railway);
    }
    expect(github.refused).toEqual([]);
  });

  it(
    "a generated secret past its rotation period gets one new value at the next `up`, and only the services that use it redeploy",
    { timeout: 90_000 },
    async () => {
      const api = () => railway.instance(service("api").id, env("staging")!.id)!.variables;
      const old = { JWT_SECRET: api().JWT_SECRET, JWT_REFRESH_SECRET: api().JWT_REFRESH_SECRET };
      const before = {
        api: deploymentsIn("staging", "api").length,
        web: deploymentsIn("staging", "web").length,
        redis: deploymentsIn("staging", "redis").length,
      };
      // The time provider's clock, 91 days on: both secrets' 90-day periods have passed.
      await ws.ok(["up", "--stack", "staging", "--yes", "--skip-preview"], { env: { PLATFORM_TEST_CLOCK_OFFSET_DAYS: "91" } });
      expect(api().JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
      expect(api().JWT_SECRET).not.toBe(old.JWT_SECRET);
      expect(api().JWT_REFRESH_SECRET).not.toBe(old.JWT_REFRESH_SECRET);
      expect({
        api: deploymentsIn("staging", "api").length,
        web: deploymentsIn("staging", "web").length,
        redis: deploymentsIn("staging", "redis").length,
      }).toEqual({ ...before, api: before.api + 1 });
      // Rotated once: staging's preview in the next test proposes nothing.
    },
  );

  it(
    "staging, imported back by `npm run import` as the App, leaves no key to fill, and is a stack whose first `up` writes nothing to Railway or Supabase",
    { timeout: 90_000 },
    async () => {
      const adopting = Workspace.create({ env: world.env() });
      try {
        const ref = supabase.projectNamed("converge-nps-staging")[0]!.ref;
        const asApp = { ...adopting.env, GITHUB_APP_ID: String(PLATFORM_APP_ID), GITHUB_APP_INSTALLATION_ID: String(PLATFORM_APP_INSTALLATION) };
        const githubWrites = github.writes();
        const imported = await run(
          process.execPath,
          [
            `${ROOT}/dist/plan/import.js`,
            "--stack",
            "cv-staging",
            "--railway-project",
            "converge-nps",
            "--railway-environment",
            "staging",
            "--supabase-project",
            ref,
          ],
          { cwd: adopting.dir, env: asApp },
        );
        // Everything carried over, GitHub's side too; the report's items are only what the first `up`
        // would meet on GitHub, where staging's own stack holds the same names (exit 4).
        const report = imported.output.split("\nNot carried over, or changed by the first `pulumi up` (3):\n")[1]?.split("\n\n")[0] ?? "";
        const reported = report.split("\n").map((l) => l.split(":")[0]);
        expect(reported, imported.output).toEqual([
          '  - GitHub ruleset "staging',
          "  - GitHub environment staging, deployment branch staging",
          "  - GitHub environment staging, variables API_URL, RAILWAY_ENVIRONMENT, WEB_URL",
        ]);
        expect(imported.code, imported.output).toBe(4);
        expect(github.writes()).toBe(githubWrites);
        const file = `${adopting.dir}/Pulumi.cv-staging.yaml`;
        const doc = load(readFileSync(file, "utf8")) as { config: Record<string, any> };
        const config = doc.config;
        // Staging's own GitHub settings, read back from GitHub (the CI and deploy commands aside, which GitHub does not hold).
        const { deploy: _deploy, ...own } = (load(readFileSync(`${ROOT}/Pulumi.staging.yaml`, "utf8")) as { config: Record<string, any> }).config[
          "platform:github"
        ];
        expect(config["platform:github"]).toEqual(own);
        // Staging's own stack holds this repository's side: the copy taken over here writes its
        // GitHub side to a repository of its own.
        github.seedRepository("converge-nps", "converge-nps-adopted", ["main"]);
        config["platform:github"].repository = "converge-nps-adopted";
        writeFileSync(file, dump(doc));
        // The user sets each supplied secret to the value Railway and Supabase hold now.
        const stagingEnv = env("staging")!.id;
        const values = Object.fromEntries(
          Object.keys(config["platform:secrets"]).map((name) => [
            name,
            name === "SUPABASE_DB_PASSWORD"
              ? supabase.projectNamed("converge-nps-staging")[0]!.password
              : name === "RAILWAY_TOKEN"
                ? supplied.staging!.RAILWAY_TOKEN!
                : [...railway.instances.values()].find((i) => i.environmentId === stagingEnv && i.variables[name] !== undefined)!.variables[name]!,
          ]),
        );
        await adopting.initStackAtOnce("cv-staging", values);
        const since = { railway: railway.requests.length, supabase: supabase.requests.length };
        await adopting.ok(["up", "--stack", "cv-staging", "--yes", "--skip-preview"]);
        expect(
          railway.requests
            .slice(since.railway)
            .filter((r) => r.type === "mutation")
            .map((r) => r.operation),
        ).toEqual([]);
        expect(
          supabase.requests
            .slice(since.supabase)
            .filter((r) => r.method !== "GET" && !readOnlyQuery(r))
            .map((r) => r.operation),
        ).toEqual([]);
      } finally {
        adopting.remove();
      }
    },
  );

  it(
    "a production preview that breaks a policy exits non-zero naming it; the pack finds what the offline plan's evaluator finds",
    { timeout: 60_000 },
    async () => {
      await ws.ok(["config", "set", "--stack", "production", "--path", "platform:supabase.pitrDays", "0"]);
      try {
        const preview = await ws.pulumi(["preview", "--stack", "production", "--policy-pack", POLICY_PACK]);
        expect(preview.code).not.toBe(0);
        const reported = [...preview.output.matchAll(/\[mandatory\]\s+([a-z0-9-]+)\s+\(/g)].map((m) => m[1]!);
        expect(reported).toContain("reliability-supabase-pitr-enabled");
        const plan = await runEdited("production", (c) => (c["platform:supabase"] = JSON.stringify({ ...JSON.parse(c["platform:supabase"]!), pitrDays: 0 })));
        const { config } = policyConfigFor(ROOT, "production", "production", POLICIES);
        const planned = (await evaluatePolicies(POLICIES, policyResources(plan), config))
          .filter((v) => v.enforcementLevel === "mandatory")
          .map((v) => v.policy);
        expect([...new Set(reported)].sort()).toEqual([...new Set(planned)].sort());
      } finally {
        await ws.ok(["config", "set", "--stack", "production", "--path", "platform:supabase.pitrDays", "7"]);
      }
    },
  );

  it("drift made by hand in Railway fails the daily check, and its report says what differs in plain words, no secret", { timeout: 60_000 }, async () => {
    const instance = railway.instance(service("api").id, env("dev")!.id)!;
    instance.settings.healthcheckTimeout = 45;
    instance.variables.SENTRY_DSN = "sentry-dsn-changed-by-hand";
    // What drift.yml runs, then its report.
    const preview = await ws.pulumi(["preview", "--stack", "dev", "--refresh", "--expect-no-changes", "--json"]);
    expect(preview.code).not.toBe(0);
    const report = await run(process.execPath, [`${ROOT}/dist/plan/drift.js`, "dev"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
      input: preview.stdout,
    });
    expect(report.code).toBe(0);
    expect(report.stdout).toBe(
      "- `platform-api-settings` (platform:railway:ServiceInstance): `healthcheckTimeout` is 45 in what runs; the stack declares 60.\n" +
        "- `platform-api-variables` (platform:railway:Variables): `secrets` holds secret values; what runs may differ from what the stack declares (not shown).\n",
    );
    expect(plainSecretsIn(preview.stdout + report.stdout, [supplied.dev!.SENTRY_DSN!, "sentry-dsn-changed-by-hand"])).toEqual([]);
    // `pulumi up --refresh` puts back what the stack declares (without the refresh, the state still
    // holds what was declared, and up has nothing to do); the check then passes.
    await ws.ok(["up", "--stack", "dev", "--refresh", "--yes", "--skip-preview"]);
    expect(railway.instance(service("api").id, env("dev")!.id)!.settings.healthcheckTimeout).toBe(60);
    await ws.ok(["preview", "--stack", "dev", "--refresh", "--expect-no-changes"]);
  });

  it(
    "destroying the review stack and dev leaves staging and production exactly as they were, and production's protection holds",
    { timeout: 120_000 },
    async () => {
      const kept = { staging: environmentSnapshot("staging"), production: environmentSnapshot("production") };
      for (const stack of [REVIEW, "dev"]) {
        await ws.ok(["destroy", "--stack", stack, "--yes", "--skip-preview"]);
        expect(env(stack), stack).toBeUndefined();
      }
      expect([...supabase.branches.values()].filter((b) => b.name === REVIEW)).toEqual([]);
      expect(supabase.projectNamed("converge-nps-dev")).toEqual([]);
      // On GitHub, dev's own things went (its workflow files, environment and ruleset); the branch it
      // deployed from is the team's, and stays with the rest of its files.
      const repo = github.repositories.get("converge-nps/converge-nps")!;
      expect(repo.branches.has("develop")).toBe(true);
      expect([...repo.branches.get("develop")!.files.keys()]).toEqual(["README.md"]);
      expect(repo.environments.has("dev")).toBe(false);
      expect([...repo.rulesets.values()].map((r) => r.name).sort()).toEqual(["production: protect main", "staging: protect staging"]);
      expect({ staging: environmentSnapshot("staging"), production: environmentSnapshot("production") }).toEqual(kept);
      for (const stack of ["staging", "production"]) {
        const preview = await ws.pulumi(["preview", "--stack", stack, "--refresh", "--expect-no-changes"]);
        expect(preview.code, `${stack}:\n${preview.output}`).toBe(0);
      }
      // `destroy` as the README gives it, its preview first: the protected resources stop it before any delete.
      const writes = world.writes();
      const production = await ws.pulumi(["destroy", "--stack", "production", "--yes"]);
      expect(production.code).not.toBe(0);
      expect(production.output).toMatch(/protected/);
      expect(world.writes()).toEqual(writes);
      expect(environmentSnapshot("production")).toEqual(kept.production);
      expect(supabase.projectNamed("converge-nps-production")).toHaveLength(1);
    },
  );

  it("staging goes last: its environment and database with it, the shared project and services left for production", { timeout: 90_000 }, async () => {
    await ws.ok(["destroy", "--stack", "staging", "--yes", "--skip-preview"]);
    expect(env("staging")).toBeUndefined();
    expect(env("production")).toBeDefined();
    expect(github.repositories.get("converge-nps/converge-nps")!.branches.has("staging")).toBe(true);
    expect(SERVICES.map((s) => service(s).name)).toEqual(SERVICES);
    expect(railway.rejected).toEqual([]);
    expect(supabase.rejected).toEqual([]);
  });

  it(
    "the repository-wide settings outlive their resources: deleted from production's state, Dependabot alerts stay on and the workflow token read-only",
    { timeout: 60_000 },
    async () => {
      const repo = github.repositories.get("converge-nps/converge-nps")!;
      const types = [
        "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts",
        "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
      ];
      const resources = async () =>
        JSON.parse((await ws.ok(["stack", "export", "--stack", "production"])).stdout).deployment.resources as Array<{ urn: string; type: string }>;
      const urns = (await resources()).filter((r) => types.includes(r.type)).map((r) => r.urn);
      expect(urns).toHaveLength(2);
      const writes = world.writes();
      await ws.ok(["destroy", "--stack", "production", ...urns.flatMap((u) => ["--target", u]), "--yes", "--skip-preview"]);
      expect((await resources()).filter((r) => types.includes(r.type))).toEqual([]);
      expect(repo.vulnerabilityAlerts).toBe(true);
      expect(repo.workflowPermissions).toEqual({ default_workflow_permissions: "read", can_approve_pull_request_reviews: false });
      expect(world.writes()).toEqual(writes);
    },
  );
});

/** The stack's deploy workflow's deploy job, run against the Railway double with the environment's project token. */
async function runDeployWorkflow(stack: string): Promise<void> {
  const config = parse(stackRaw(stack).raw, { stack });
  const app = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  try {
    const job = deployWorkflow(deployModel(config)).jobs.deploy!;
    const r = await runJob(job, {
      sha: "fedcba9876543210fedcba9876543210fedcba98",
      secrets: { RAILWAY_TOKEN: railway.projectToken(project().id, env(stack)!.id) },
      vars: { API_URL: url, WEB_URL: url },
      envOverrides: { RAILWAY_API_URL: railway.url, POLL_SECONDS: "0" },
    });
    expect(r.conclusion, JSON.stringify(r.steps, null, 1)).toBe("success");
  } finally {
    await new Promise<void>((resolve) => app.close(() => resolve()));
  }
}
