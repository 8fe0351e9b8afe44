// The GitHub Actions workflows the program commits into the application's repository: a typed
// model, pure builders (CI, and one deploy workflow per environment), and YAML emitted by a YAML
// library. Rules every workflow keeps: actions pinned by SHA, `permissions: {}` at the top with
// grants per job, checkout without persisted credentials, no `${{ }}` inside `run:`, secrets only
// in jobs that declare an environment, no `pull_request_target`.
import { dump } from "js-yaml";
import { envName } from "../../config/names";
import { RAILWAY_CLI, uses } from "./actions";

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
    service: { image: "redis:8.2", ports: ["6379:6379"], options: "--health-cmd \"redis-cli ping\" --health-interval 5s --health-timeout 5s --health-retries 10" },
  },
};

export function ciWorkflow(m: CiModel): Workflow {
  const matrix = { "fail-fast": false, matrix: { directory: [...m.directories] } };
  const inDirectory = "${{ matrix.directory }}";
  const read = { contents: "read" } as const;
  const prepare: Step[] = [checkout, setupRuntime(m), { name: "Install dependencies", "working-directory": inDirectory, run: m.install }];
  const jobs: Record<string, Job> = {
    lint: { name: "Lint (${{ matrix.directory }})", "runs-on": RUNNER, "timeout-minutes": 15, permissions: read, strategy: matrix, steps: [...prepare, { name: "Lint", "working-directory": inDirectory, run: m.lint }] },
    test: {
      name: "Test (${{ matrix.directory }})",
      "runs-on": RUNNER,
      "timeout-minutes": 30,
      permissions: read,
      strategy: matrix,
      ...(m.services.length > 0 ? { services: Object.fromEntries(m.services.map((s) => [s, TEST_SERVICES[s].service])) } : {}),
      ...(m.services.length > 0 ? { env: Object.assign({}, ...m.services.map((s) => TEST_SERVICES[s].env)) } : {}),
      steps: [...prepare, { name: "Test", "working-directory": inDirectory, run: m.test }],
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
        { name: "Audit dependencies", "working-directory": inDirectory, run: m.audit },
        { name: "Scan files for vulnerabilities and secrets", uses: uses("trivy"), with: { "scan-type": "fs", "scan-ref": inDirectory, scanners: "vuln,secret,misconfig", severity: "HIGH,CRITICAL", "exit-code": 1, "ignore-unfixed": true } },
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
        { name: "Build", uses: uses("dockerBuildPush"), with: { context: "${{ matrix.context }}", file: "${{ matrix.dockerfile }}", push: false, load: true, tags: "ci/${{ matrix.name }}:${{ github.sha }}" } },
        { name: "Scan the image", uses: uses("trivy"), with: { "image-ref": "ci/${{ matrix.name }}:${{ github.sha }}", severity: "HIGH,CRITICAL", "exit-code": 1, "ignore-unfixed": true } },
      ],
    };
  }
  return {
    name: "CI",
    on: { push: { branches: [...m.branches] }, pull_request: {} },
    permissions: {},
    concurrency: { group: "ci-${{ github.ref }}", "cancel-in-progress": true },
    jobs,
  };
}

// ---------------------------------------------------------------------------------------------
// Deploy: one workflow per environment. Deploy to Railway, run migrations, wait for the health
// checks, smoke test, and roll back to the previous deployments if any of it fails.

export interface DeployService {
  readonly name: string;
  /** The folder `railway up` uploads. */
  readonly directory: string;
  readonly healthcheckPath?: string;
  readonly healthcheckTimeoutSeconds: number;
}

export interface DeployModel {
  /** The GitHub and Railway environment name. */
  readonly environment: string;
  readonly branch: string;
  readonly services: readonly DeployService[];
  readonly migrate?: { readonly service: string; readonly directory: string; readonly command: string };
  readonly smoke?: string;
  readonly production: boolean;
}

const RAILWAY_GRAPHQL = "https://backboard.railway.com/graphql/v2";

/**
 * What the deploy job asks Railway with its project token (which names one project and one
 * environment): the ids and domains of the services, found by name at run time.
 */
export const DEPLOY_QUERIES = {
  resolve: `query resolve { projectToken { projectId environmentId project { services { edges { node { id name serviceInstances { edges { node { environmentId domains { serviceDomains { domain } customDomains { domain } } } } } } } } } } }`,
  lastDeployment: `query last($input: DeploymentListInput!) { deployments(input: $input, first: 1) { edges { node { id } } } }`,
  rollback: `mutation rollback($id: String!) { deploymentRollback(id: $id) }`,
} as const;

function gql(): string {
  return `curl -fsS "${RAILWAY_GRAPHQL}" -H "Project-Access-Token: $RAILWAY_TOKEN" -H 'content-type: application/json' -d "$body"`;
}

function resolveScript(services: readonly DeployService[]): string {
  return [
    "# Ids, public URLs and running deployments of the services, looked up by name with the",
    "# project token; the running deployment is what a failed deploy rolls back to.",
    `body=$(jq -n --arg q '${DEPLOY_QUERIES.resolve}' '{query: $q}')`,
    `data=$(${gql()})`,
    `project=$(jq -r '.data.projectToken.projectId' <<<"$data")`,
    `environment=$(jq -r '.data.projectToken.environmentId' <<<"$data")`,
    `last='${DEPLOY_QUERIES.lastDeployment}'`,
    ...services.flatMap((s) => [
      `service=$(jq -r --arg n '${s.name}' '.data.projectToken.project.services.edges[].node | select(.name == $n) | .id' <<<"$data")`,
      `domain=$(jq -r --arg n '${s.name}' --arg e "$environment" '.data.projectToken.project.services.edges[].node | select(.name == $n) | .serviceInstances.edges[].node | select(.environmentId == $e) | (.domains.customDomains + .domains.serviceDomains)[0].domain // empty' <<<"$data")`,
      `body=$(jq -n --arg q "$last" --arg p "$project" --arg e "$environment" --arg s "$service" '{query: $q, variables: {input: {projectId: $p, environmentId: $e, serviceId: $s, status: {in: ["SUCCESS"]}}}}')`,
      `previous=$(${gql()} | jq -r '.data.deployments.edges[0].node.id // empty')`,
      `{ echo "${envName(s.name)}_URL=https://$domain"; echo "PREVIOUS_${envName(s.name)}=$previous"; } >> "$GITHUB_ENV"`,
    ]),
  ].join("\n");
}

function healthScript(services: readonly DeployService[]): string {
  const checked = services.filter((s) => s.healthcheckPath);
  return checked
    .map((s) =>
      [
        `url="$${envName(s.name)}_URL${s.healthcheckPath}"`,
        `deadline=$((SECONDS + ${s.healthcheckTimeoutSeconds}))`,
        `until curl -fsS -o /dev/null "$url"; do`,
        `  if [ "$SECONDS" -ge "$deadline" ]; then echo "${s.name}: $url did not answer within ${s.healthcheckTimeoutSeconds} s" >&2; exit 1; fi`,
        "  sleep 5",
        "done",
        `echo "${s.name}: healthy"`,
      ].join("\n"),
    )
    .join("\n");
}

function rollbackScript(services: readonly DeployService[]): string {
  return services
    .flatMap((s) => [
      `if [ -n "$PREVIOUS_${envName(s.name)}" ]; then`,
      `  body=$(jq -n --arg q '${DEPLOY_QUERIES.rollback}' --arg id "$PREVIOUS_${envName(s.name)}" '{query: $q, variables: {id: $id}}')`,
      `  ${gql()}`,
      `  echo "${s.name}: rolled back"`,
      "fi",
    ])
    .join("\n");
}

export function deployWorkflow(m: DeployModel): Workflow {
  const steps: Step[] = [
    checkout,
    { name: "Set up Node.js", uses: uses("setupNode"), with: { "node-version": "20" } },
    { name: "Look up the services", run: resolveScript(m.services) },
    ...m.services.map(
      (s): Step => ({ name: `Deploy ${s.name}`, run: `npx --yes ${RAILWAY_CLI} up --ci --service ${s.name} --environment "$RAILWAY_ENVIRONMENT" ${s.directory}` }),
    ),
  ];
  if (m.migrate) {
    steps.push({
      name: "Run migrations",
      "working-directory": m.migrate.directory,
      run: `npx --yes ${RAILWAY_CLI} run --service ${m.migrate.service} --environment "$RAILWAY_ENVIRONMENT" -- ${m.migrate.command}`,
    });
  }
  if (m.services.some((s) => s.healthcheckPath)) steps.push({ name: "Wait for the health checks", run: healthScript(m.services) });
  if (m.smoke) steps.push({ name: "Smoke test", run: m.smoke });
  steps.push({ name: "Roll back", if: "failure()", run: rollbackScript(m.services) });

  const production = m.production;
  return {
    name: `Deploy ${m.environment}`,
    on: { push: { branches: [m.branch] }, workflow_dispatch: {} },
    permissions: {},
    concurrency: { group: `deploy-${m.environment}`, "cancel-in-progress": false },
    jobs: {
      deploy: {
        name: `Deploy to ${m.environment}`,
        "runs-on": RUNNER,
        "timeout-minutes": production ? 60 : 30,
        // Only from the environment's branch, even when started by hand.
        if: `github.ref == 'refs/heads/${m.branch}'`,
        environment: { name: m.environment },
        permissions: { contents: "read" },
        env: { RAILWAY_TOKEN: "${{ secrets.RAILWAY_TOKEN }}", RAILWAY_ENVIRONMENT: m.environment },
        steps,
      },
    },
  };
}

/** The workflow as YAML, with a header saying where it comes from. */
export function renderWorkflow(workflow: Workflow): string {
  // No anchors (noRefs): shared step objects are written out in full, as GitHub expects.
  const header = "# Generated by the platform program (Pulumi) from the stack's config; edit the config, not this file.\n";
  return header + dump(workflow, { noRefs: true, lineWidth: -1 });
}
