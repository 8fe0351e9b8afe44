// The GitHub Actions workflows the program commits into the application's repository: a typed
// model, pure builders (CI, and one deploy workflow per environment), and YAML emitted by a YAML
// library. Rules every workflow keeps: actions pinned by SHA, `permissions: {}` at the top with
// grants per job, checkout without persisted credentials, no `${{ }}` inside `run:`, secrets only
// in jobs that declare an environment, no `pull_request_target`.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { REGISTRY_SECRET } from "../../config";
import { envName } from "../../config/names";
import { RAILWAY_GRAPHQL_URL, deployJobGql } from "../railway/documents";
import { uses } from "./actions";

export interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly run?: string;
  readonly shell?: string;
  readonly "working-directory"?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly "timeout-minutes"?: number;
}

export interface Job {
  readonly name: string;
  readonly "runs-on": string;
  readonly "timeout-minutes": number;
  readonly needs?: readonly string[];
  readonly if?: string;
  readonly environment?: { readonly name: string; readonly url?: string };
  readonly permissions: Readonly<Record<string, "read" | "write" | "none">>;
  readonly strategy?: { readonly "fail-fast": boolean; readonly matrix: Readonly<Record<string, readonly unknown[]>> };
  readonly services?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions: Readonly<Record<string, "read" | "none">>;
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
  readonly jobs: Readonly<Record<string, Job>>;
}

// The label the linters know; GitHub moves it to each new Ubuntu LTS.
const RUNNER = "ubuntu-latest";

/** Checkout that leaves no token behind in the workspace's git config. */
const checkout: Step = { name: "Check out", uses: uses("checkout"), with: { "persist-credentials": false } };

// ---------------------------------------------------------------------------------------------
// CI: lint, test, audit the dependencies, build and scan each image.

export interface CiModel {
  readonly runtime: "node" | "python";
  readonly version: string;
  readonly install: string;
  readonly lint: string;
  readonly test: string;
  readonly audit: string;
  readonly services: readonly ("postgres" | "redis")[];
  /** The folders holding code (each service's root directory); the jobs run in each. */
  readonly directories: readonly string[];
  /** The Dockerfiles to build and scan: one per service. */
  readonly images: readonly { readonly name: string; readonly context: string; readonly dockerfile: string }[];
  /** Branches whose pushes run CI (pull requests always do). */
  readonly branches: readonly string[];
}

function setupRuntime(m: Pick<CiModel, "runtime" | "version">): Step {
  return m.runtime === "node"
    ? { name: "Set up Node.js", uses: uses("setupNode"), with: { "node-version": m.version } }
    : { name: "Set up Python", uses: uses("setupPython"), with: { "python-version": m.version } };
}

const TEST_SERVICES: Record<"postgres" | "redis", { env: Record<string, string>; service: unknown }> = {
  postgres: {
    env: { DATABASE_URL: "postgresql://postgres:postgres@localhost:5432/postgres" },
    service: {
      image: "postgres:16",
      env: { POSTGRES_PASSWORD: "postgres" },
      ports: ["5432:5432"],
      options: "--health-cmd pg_isready --health-interval 5s --health-timeout 5s --health-retries 10",
    },
  },
  redis: {
    env: { REDIS_URL: "redis://localhost:6379/0" },
    service: {
      image: "redis:8.2",
      ports: ["6379:6379"],
      options: '--health-cmd "redis-cli ping" --health-interval 5s --health-timeout 5s --health-retries 10',
    },
  },
};

/**
 * A step running one of the stack's commands. The command is the team's own shell code; it reaches
 * the runner as data (`env:`) and runs in its own bash, so no text of it becomes part of the
 * workflow's script or its expressions.
 */
export function command(name: string, directory: string, variable: string, text: string): Step {
  return { name, "working-directory": directory, env: { [variable]: text }, run: `bash -eo pipefail -c "$${variable}"` };
}

export function ciWorkflow(m: CiModel): Workflow {
  const matrix = { "fail-fast": false, matrix: { directory: [...m.directories] } };
  const inDirectory = "${{ matrix.directory }}";
  const read = { contents: "read" } as const;
  const prepare: Step[] = [checkout, setupRuntime(m), command("Install dependencies", inDirectory, "INSTALL_COMMAND", m.install)];
  const jobs: Record<string, Job> = {
    lint: {
      name: "Lint (${{ matrix.directory }})",
      "runs-on": RUNNER,
      "timeout-minutes": 15,
      permissions: read,
      strategy: matrix,
      steps: [...prepare, command("Lint", inDirectory, "LINT_COMMAND", m.lint)],
    },
    test: {
      name: "Test (${{ matrix.directory }})",
      "runs-on": RUNNER,
      "timeout-minutes": 30,
      permissions: read,
      strategy: matrix,
      ...(m.services.length > 0 ? { services: Object.fromEntries(m.services.map((s) => [s, TEST_SERVICES[s].service])) } : {}),
      ...(m.services.length > 0 ? { env: Object.assign({}, ...m.services.map((s) => TEST_SERVICES[s].env)) } : {}),
      steps: [...prepare, command("Test", inDirectory, "TEST_COMMAND", m.test)],
    },
    security: {
      name: "Security scan (${{ matrix.directory }})",
      "runs-on": RUNNER,
      "timeout-minutes": 15,
      permissions: read,
      strategy: matrix,
      steps: [
        checkout,
        setupRuntime(m),
        command("Audit dependencies", inDirectory, "AUDIT_COMMAND", m.audit),
        {
          name: "Scan files for vulnerabilities and secrets",
          uses: uses("trivy"),
          with: {
            "scan-type": "fs",
            "scan-ref": inDirectory,
            scanners: "vuln,secret,misconfig",
            severity: "HIGH,CRITICAL",
            "exit-code": 1,
            "ignore-unfixed": true,
          },
        },
      ],
    },
  };
  if (m.images.length > 0) {
    jobs.image = {
      name: "Build image (${{ matrix.name }})",
      "runs-on": RUNNER,
      "timeout-minutes": 30,
      needs: ["lint", "test"],
      permissions: read,
      strategy: { "fail-fast": false, matrix: { include: m.images.map((i) => ({ name: i.name, context: i.context, dockerfile: i.dockerfile })) } },
      steps: [
        checkout,
        {
          name: "Build",
          uses: uses("dockerBuildPush"),
          with: {
            context: "${{ matrix.context }}",
            file: "${{ matrix.dockerfile }}",
            push: false,
            load: true,
            tags: "ci/${{ matrix.name }}:${{ github.sha }}",
          },
        },
        {
          name: "Scan the image",
          uses: uses("trivy"),
          with: { "image-ref": "ci/${{ matrix.name }}:${{ github.sha }}", severity: "HIGH,CRITICAL", "exit-code": 1, "ignore-unfixed": true },
        },
      ],
    };
  }
  return {
    name: "CI",
    on: { push: { branches: m.branches.map(branchFilter) }, pull_request: {} },
    permissions: {},
    concurrency: { group: "ci-${{ github.ref }}", "cancel-in-progress": true },
    jobs,
  };
}

// ---------------------------------------------------------------------------------------------
// Deploy: one workflow per environment, its one deploy authority (Railway deploys nothing by
// itself). It deploys exactly what it checked out: Railway builds this commit from the connected
// repository, and an image service runs the digest this job built. It then waits for each new
// deployment's own status through Railway's API, checks health and runs the smoke test against
// the new deployments, and on failure, timeout or cancellation rolls every service back.
//
// No config text is part of a script: the scripts below are the same for every stack, and the
// stack's values (service names, paths, commands) reach them as data through `env:`.

export interface DeployService {
  readonly name: string;
  /** Set when the job builds the service's image: where from, and the image repository it pushes to. */
  readonly build?: { readonly context: string; readonly dockerfile: string; readonly image: string };
  readonly healthcheckPath?: string;
  readonly healthcheckTimeoutSeconds: number;
}

export interface DeployModel {
  /** The GitHub and Railway environment name. */
  readonly environment: string;
  readonly branch: string;
  readonly services: readonly DeployService[];
  readonly smoke?: string;
}

/** How long the job waits for Railway to build and start the new deployments. */
export const DEPLOY_WAIT_SECONDS = 1200;

/** The deploy job's scripts, one file per step (./scripts), beside this file in the source tree. */
const SCRIPTS = path.resolve(__dirname, __filename.endsWith(".js") ? "../../../components/github/scripts" : "scripts");

/**
 * A script's text as a step runs it: its header (the `#!` line, then any `# shellcheck` directives)
 * is for editors and for shellcheck linting the file alone; the step's shell is bash.
 */
function script(name: string): string {
  return readFileSync(path.join(SCRIPTS, `${name}.sh`), "utf8")
    .replace(/^#!.*\n(?:# shellcheck .*\n)*/, "")
    .replace(/\n$/, "");
}

/**
 * Shared by every step but the health check (prelude.sh): `railway` sends one GraphQL request and
 * prints its data, failing on an HTTP error and on GraphQL `errors` (which Railway sends with HTTP
 * 200); the state file carries ids from step to step.
 */
const PRELUDE = script("prelude");

const SMOKE = `bash -eo pipefail -c "$SMOKE_COMMAND"`;

/** The generated deploy steps' scripts by step name, prelude included: what the tests run and lint. */
export const DEPLOY_SCRIPTS = {
  resolve: `${PRELUDE}\n${script("resolve")}`,
  deploy: `${PRELUDE}\n${script("deploy")}`,
  wait: `${PRELUDE}\n${script("wait")}`,
  health: script("health"),
  smoke: SMOKE,
  rollback: `${PRELUDE}\n${script("rollback")}`,
} as const;

/**
 * A branch name as a workflow branch filter, its pattern characters escaped: `+` and `!` are legal
 * in branch names (`*`, `?`, `[` and `\\` are not, and `]` means nothing without `[`).
 */
export function branchFilter(branch: string): string {
  return branch.replace(/[+!]/g, (ch) => `\\${ch}`);
}

/** A string literal in a GitHub expression: quotes doubled, so no value can end the literal. */
export function expressionLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function deployWorkflow(m: DeployModel): Workflow {
  const built = m.services.filter((s) => s.build);
  const services = m.services.map((s) => ({
    name: s.name,
    urlVariable: `${envName(s.name)}_URL`,
    ...(s.healthcheckPath ? { healthcheckPath: s.healthcheckPath } : {}),
    healthcheckTimeoutSeconds: s.healthcheckTimeoutSeconds,
    ...(s.build ? { image: s.build.image } : {}),
  }));
  const steps: Step[] = [];
  if (built.length > 0) {
    // With the token that pushed the package's first image (`pulumi up`, GHCR_TOKEN): that push
    // left the package unlinked, so the job's own GITHUB_TOKEN would get 403 on it. Each image is
    // labelled with its repository, which links the package to it from this push on.
    steps.push(checkout, {
      name: "Log in to GitHub's container registry",
      uses: uses("dockerLogin"),
      with: { registry: "ghcr.io", username: "${{ github.repository_owner }}", password: `\${{ secrets.${REGISTRY_SECRET} }}` },
    });
    for (const s of built) {
      steps.push({
        name: `Build and push ${s.name}`,
        id: `build-${s.name}`,
        uses: uses("dockerBuildPush"),
        with: {
          context: s.build!.context,
          file: `${s.build!.context}/${s.build!.dockerfile}`,
          push: true,
          tags: `${s.build!.image}:\${{ github.sha }}`,
          platforms: "linux/amd64",
          labels: "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}",
        },
      });
    }
  }
  const waitMinutes = Math.ceil(DEPLOY_WAIT_SECONDS / 60) + 5;
  const healthMinutes = Math.ceil(Math.max(0, ...m.services.map((s) => s.healthcheckTimeoutSeconds)) / 60) + 5;
  steps.push(
    { name: "Record what runs now", run: DEPLOY_SCRIPTS.resolve, env: { Q_RESOLVE: deployJobGql.resolve, Q_RUNNING: deployJobGql.running } },
    {
      name: "Deploy",
      run: DEPLOY_SCRIPTS.deploy,
      env: {
        Q_DEPLOY_COMMIT: deployJobGql.deployCommit,
        Q_DEPLOY_IMAGE: deployJobGql.deployImage,
        ...(built.length > 0
          ? { IMAGE_DIGESTS: JSON.stringify(Object.fromEntries(built.map((s) => [s.name, `\${{ steps.build-${s.name}.outputs.digest }}`]))) }
          : {}),
      },
    },
    { name: "Wait for the new deployments", "timeout-minutes": waitMinutes, run: DEPLOY_SCRIPTS.wait, env: { Q_STATUS: deployJobGql.status } },
  );
  if (m.services.some((s) => s.healthcheckPath)) steps.push({ name: "Check health", "timeout-minutes": healthMinutes, run: DEPLOY_SCRIPTS.health });
  if (m.smoke) steps.push({ name: "Smoke test", "timeout-minutes": 15, run: DEPLOY_SCRIPTS.smoke, env: { SMOKE_COMMAND: m.smoke } });
  steps.push({
    name: "Roll back",
    if: "failure() || cancelled()",
    "timeout-minutes": 10,
    run: DEPLOY_SCRIPTS.rollback,
    env: { Q_ROLLBACK: deployJobGql.rollback },
  });

  const urls = Object.fromEntries(services.map((s) => [s.urlVariable, `\${{ vars.${s.urlVariable} }}`]));
  return {
    name: `Deploy ${m.environment}`,
    on: { push: { branches: [branchFilter(m.branch)] }, workflow_dispatch: {} },
    permissions: {},
    concurrency: { group: `deploy-${m.environment}`, "cancel-in-progress": false },
    jobs: {
      deploy: {
        name: `Deploy to ${m.environment}`,
        "runs-on": RUNNER,
        "timeout-minutes": waitMinutes + healthMinutes + 30,
        // Only from the environment's branch, even when started by hand.
        if: `github.ref == ${expressionLiteral(`refs/heads/${m.branch}`)}`,
        environment: { name: m.environment },
        permissions: { contents: "read", ...(built.length > 0 ? { packages: "write" } : {}) },
        env: {
          RAILWAY_TOKEN: "${{ secrets.RAILWAY_TOKEN }}",
          RAILWAY_API_URL: RAILWAY_GRAPHQL_URL,
          RAILWAY_ENVIRONMENT: m.environment,
          DEPLOY_SERVICES: JSON.stringify(services),
          DEPLOY_WAIT_SECONDS: String(DEPLOY_WAIT_SECONDS),
          POLL_SECONDS: "10",
          ...urls,
        },
        steps,
      },
    },
  };
}

/** The workflow as YAML, with a header saying where it comes from. */
export function renderWorkflow(workflow: Workflow): string {
  // No anchors (aliasDuplicateObjects off): shared step objects are written out in full, as GitHub expects.
  const header = "# Generated by the platform program (Pulumi) from the stack's config; edit the config, not this file.\n";
  return header + stringify(workflow, { aliasDuplicateObjects: false, lineWidth: 0 });
}
