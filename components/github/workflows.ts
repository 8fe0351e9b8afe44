// The GitHub Actions workflows the program commits into the application's repository: a typed
// model, pure builders (CI, and one deploy workflow per environment), and YAML emitted by a YAML
// library. Rules every workflow keeps: actions pinned by SHA, `permissions: {}` at the top with
// grants per job, checkout without persisted credentials, no `${{ }}` inside `run:`, secrets only
// in jobs that declare an environment, no `pull_request_target`.
import { stringify } from "yaml";
import { REGISTRY_SECRET } from "../../config";
import { envName } from "../../config/names";
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

export const RAILWAY_GRAPHQL = "https://backboard.railway.com/graphql/v2";

/** How long the job waits for Railway to build and start the new deployments. */
export const DEPLOY_WAIT_SECONDS = 1200;

/** What the deploy job asks Railway, with the environment's project token. */
export const DEPLOY_QUERIES = {
  resolve: `query resolve($after: String) { projectToken { projectId environmentId project { services(first: 100, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } } } }`,
  running: `query running($input: DeploymentListInput!) { deployments(input: $input, first: 1) { edges { node { id } } } }`,
  deployCommit: `mutation deployCommit($serviceId: String!, $environmentId: String!, $commitSha: String) { serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha) }`,
  deployImage: `mutation deployImage($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input) serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId) }`,
  status: `query status($id: String!) { deployment(id: $id) { status } }`,
  rollback: `mutation rollback($id: String!) { deploymentRollback(id: $id) }`,
} as const;

/**
 * Shared by every step: `railway` sends one GraphQL request and prints its data, failing on an
 * HTTP error and on GraphQL `errors` (which Railway sends with HTTP 200); the state file carries
 * ids from step to step.
 */
const PRELUDE = `state="$RUNNER_TEMP/railway-deploy.json"
# railway BODY [FILTER]: sends one request and prints FILTER (default: all) of its data.
railway() {
  local response
  if ! response=$(curl -sS --fail-with-body --retry 3 --max-time 60 "$RAILWAY_API_URL" -H "Project-Access-Token: $RAILWAY_TOKEN" -H 'content-type: application/json' --data-binary "$1"); then
    echo "Railway API request failed: $response" >&2
    return 1
  fi
  jq -r 'if (.errors // []) | length > 0 then "Railway API error: \\([.errors[].message] | join("; "))\\n" | halt_error(1) else .data | '"\${2:-.}"' end' <<<"$response\"
}
# Name, then one field of each service this job deploys, tab-separated.
services() { jq -r --arg f "$1" '.[] | [.name, (.[$f] // "" | tostring)] | @tsv' <<<"$DEPLOY_SERVICES"; }`;

const RESOLVE = `# The ids of the environment and its services, and what each runs now: what a rollback returns to.
known="[]" after=null
while :; do
  data=$(railway "$(jq -n --arg q "$Q_RESOLVE" --argjson after "$after" '{query: $q, variables: {after: $after}}')" '.projectToken')
  known=$(jq -c --argjson known "$known" '$known + [.project.services.edges[].node]' <<<"$data")
  [ "$(jq -r '.project.services.pageInfo.hasNextPage' <<<"$data")" = true ] || break
  after=$(jq -c '.project.services.pageInfo.endCursor' <<<"$data")
done
jq '{projectId, environmentId, services: {}}' <<<"$data" >"$state"
while IFS=$'\\t' read -r name _; do
  if ! body=$(jq -e --arg q "$Q_RUNNING" --arg n "$name" --argjson known "$known" '{query: $q, variables: {input: {projectId, environmentId, serviceId: ([$known[] | select(.name == $n) | .id][0] // null | values), status: {in: ["SUCCESS"]}}}}' <<<"$data"); then
    echo "Service '$name' is not in this Railway environment; run 'pulumi up' for this stack first." >&2
    exit 1
  fi
  previous=$(railway "$body" '.deployments.edges[0].node.id // empty')
  jq --arg n "$name" --argjson body "$body" --arg prev "$previous" '.services[$n] = {id: $body.variables.input.serviceId, previous: $prev}' "$state" >"$state.new" && mv "$state.new" "$state"
  echo "$name: running \${previous:-nothing yet}"
done < <(services name)`;

const DEPLOY = `# Each service deploys this commit (Railway builds it from the connected repository) or the
# image digest this job built.
while IFS=$'\\t' read -r name image; do
  if [ -n "$image" ]; then
    digest=$(jq -r --arg n "$name" '.[$n] // empty' <<<"\${IMAGE_DIGESTS:-{\\}}")
    if [ -z "$digest" ]; then
      echo "$name: the image build reported no digest" >&2
      exit 1
    fi
    body=$(jq --arg q "$Q_DEPLOY_IMAGE" --arg n "$name" --arg image "$image@$digest" '{query: $q, variables: {serviceId: .services[$n].id, environmentId, input: {source: {image: $image}}}}' "$state")
    what="$image@$digest"
  else
    body=$(jq --arg q "$Q_DEPLOY_COMMIT" --arg n "$name" --arg sha "$GITHUB_SHA" '{query: $q, variables: {serviceId: .services[$n].id, environmentId, commitSha: $sha}}' "$state")
    what="commit $GITHUB_SHA"
  fi
  deployment=$(railway "$body" '.serviceInstanceDeployV2')
  jq --arg n "$name" --arg d "$deployment" '.services[$n].deployment = $d' "$state" >"$state.new" && mv "$state.new" "$state"
  echo "$name: deploying $what as $deployment"
done < <(services image)`;

const WAIT = `# Each new deployment's own status, until every one is SUCCESS; any other end fails the job.
declare -A deployments
while IFS=$'\\t' read -r name deployment; do deployments[$name]=$deployment; done < <(jq -r '.services | to_entries[] | [.key, .value.deployment] | @tsv' "$state")
deadline=$((SECONDS + DEPLOY_WAIT_SECONDS))
pending="\${!deployments[*]}"
while [ -n "$pending" ]; do
  waiting=""
  for name in $pending; do
    deployment=\${deployments[$name]}
    status=$(railway "$(jq -n --arg q "$Q_STATUS" --arg id "$deployment" '{query: $q, variables: {id: $id}}')" '.deployment.status')
    case "$status" in
      SUCCESS) echo "$name: $deployment is live" ;;
      FAILED | CRASHED | REMOVED | REMOVING | SKIPPED)
        echo "$name: deployment $deployment ended $status" >&2
        exit 1
        ;;
      *) waiting="$waiting $name" ;;
    esac
  done
  pending="\${waiting# }"
  if [ -n "$pending" ]; then
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "Not live within $DEPLOY_WAIT_SECONDS s: $pending" >&2
      exit 1
    fi
    sleep "$POLL_SECONDS"
  fi
done`;

const HEALTH = `# Each service's health check, on its public URL, now served by the new deployment.
# Fields that may be empty come last: read joins runs of tabs.
while IFS=$'\\t' read -r name variable timeout path; do
  [ -n "$path" ] || continue
  url="\${!variable}$path"
  deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 10 "$url"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name: $url did not answer within $timeout s" >&2
      exit 1
    fi
    sleep "$POLL_SECONDS"
  done
  echo "$name: healthy"
done < <(jq -r '.[] | [.name, .urlVariable, .healthcheckTimeoutSeconds, (.healthcheckPath // "")] | @tsv' <<<"$DEPLOY_SERVICES")`;

const SMOKE = `bash -eo pipefail -c "$SMOKE_COMMAND"`;

const ROLLBACK = `# Every service back to what ran before this job, carrying on past a failure; the summary names
# what was rolled back and what could not be.
if [ ! -f "$state" ]; then
  echo "Nothing to roll back: the job failed before it recorded what runs." | tee -a "$GITHUB_STEP_SUMMARY"
  exit 0
fi
rolled="" failed="" none=""
while IFS=$'\\t' read -r name previous; do
  if [ -z "$previous" ]; then
    none="$none $name"
    continue
  fi
  if railway "$(jq -n --arg q "$Q_ROLLBACK" --arg id "$previous" '{query: $q, variables: {id: $id}}')" >/dev/null; then
    rolled="$rolled $name"
    echo "$name: rolled back to $previous"
  else
    failed="$failed $name"
    echo "$name: could not roll back to $previous" >&2
  fi
done < <(jq -r '.services | to_entries[] | [.key, .value.previous] | @tsv' "$state")
{
  echo "### Deploy to $RAILWAY_ENVIRONMENT failed"
  echo "- rolled back:\${rolled:- none}"
  echo "- could not be rolled back:\${failed:- none}"
  echo "- had no earlier deployment:\${none:- none}"
} | tee -a "$GITHUB_STEP_SUMMARY"
[ -z "$failed" ]`;

/** The generated deploy steps' scripts by step name, prelude included: what the tests run and lint. */
export const DEPLOY_SCRIPTS = {
  resolve: `${PRELUDE}\n${RESOLVE}`,
  deploy: `${PRELUDE}\n${DEPLOY}`,
  wait: `${PRELUDE}\n${WAIT}`,
  health: HEALTH,
  smoke: SMOKE,
  rollback: `${PRELUDE}\n${ROLLBACK}`,
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
    { name: "Record what runs now", run: DEPLOY_SCRIPTS.resolve, env: { Q_RESOLVE: DEPLOY_QUERIES.resolve, Q_RUNNING: DEPLOY_QUERIES.running } },
    {
      name: "Deploy",
      run: DEPLOY_SCRIPTS.deploy,
      env: {
        Q_DEPLOY_COMMIT: DEPLOY_QUERIES.deployCommit,
        Q_DEPLOY_IMAGE: DEPLOY_QUERIES.deployImage,
        ...(built.length > 0
          ? { IMAGE_DIGESTS: JSON.stringify(Object.fromEntries(built.map((s) => [s.name, `\${{ steps.build-${s.name}.outputs.digest }}`]))) }
          : {}),
      },
    },
    { name: "Wait for the new deployments", "timeout-minutes": waitMinutes, run: DEPLOY_SCRIPTS.wait, env: { Q_STATUS: DEPLOY_QUERIES.status } },
  );
  if (m.services.some((s) => s.healthcheckPath)) steps.push({ name: "Check health", "timeout-minutes": healthMinutes, run: DEPLOY_SCRIPTS.health });
  if (m.smoke) steps.push({ name: "Smoke test", "timeout-minutes": 15, run: DEPLOY_SCRIPTS.smoke, env: { SMOKE_COMMAND: m.smoke } });
  steps.push({
    name: "Roll back",
    if: "failure() || cancelled()",
    "timeout-minutes": 10,
    run: DEPLOY_SCRIPTS.rollback,
    env: { Q_ROLLBACK: DEPLOY_QUERIES.rollback },
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
          RAILWAY_API_URL: RAILWAY_GRAPHQL,
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
