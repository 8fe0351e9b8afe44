// A service's deployment in one environment: the last step, after its settings, limits, variables,
// volume and domains are in place. It connects what runs, and deploys it when this program is the
// one that decides what runs:
// - an image given by name: connected with its registry credentials and deployed, by this program;
// - a repository Railway deploys on its own pushes (autoDeploy, never production): a deploy trigger
//   on the branch, waiting for CI, and a first deployment;
// - a repository the deploy workflow deploys (the default): the repository connected with no
//   trigger at all, so the workflow, which deploys the commit it checked out, is the environment's
//   one deploy authority; nothing is deployed before the workflow's first run;
// - an image the deploy workflow builds: the first build connected and deployed; after that the
//   workflow moves the image, by digest, and this program keeps what it deployed.
// A configuration change redeploys what runs. Its `digest` covers everything a deployment runs with,
// so any change redeploys each affected service exactly once per `pulumi up`; it is a secret when it
// covers secret values.
// Every deployment `pulumi up` starts is waited for until Railway says how it ended (bounded): one
// that fails, crashes or is removed fails the `up`, naming the service and the deployment, and is
// kept in the state as not finished, so the next `up` deploys again.
import { apiError, createOnce, diffOf, pick, sleep, unfinishedCreate, unlessNotFound, type Props } from "../../provider-kit";
import { all, ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface RepoSource {
  repository: string;
  branch: string;
  rootDirectory?: string;
  /** Wait for the commit's GitHub checks before deploying it. */
  checkSuites: boolean;
}

export interface DeploymentInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  /** An image to run. */
  image?: string;
  /** A repository Railway builds and deploys on its own pushes. */
  repo?: RepoSource;
  /** A repository (owner/name) whose commits the deploy workflow deploys: connected, never triggered. */
  repository?: string;
  /** The deploy workflow builds this image and deploys each build by digest; `image` is the first. */
  followsWorkflow?: boolean;
  /** For a private registry (GHCR packages start private). */
  registryCredentials?: { username: string; password: string };
  /** A digest of what the deployment runs with: settings, limits, variables, volume. */
  digest: string;
  /** A service taken over (platform:adopt): what already runs from this source is kept, not deployed again. */
  adopted?: boolean;
  /** For a service taken over: whether its settings or variables were just written, so what runs must be redeployed with them. */
  adoptionWrote?: boolean;
}

const INPUTS = ["projectId", "environmentId", "serviceId", "name", "image", "repo", "repository", "followsWorkflow", "registryCredentials", "digest"] as const;

interface Trigger {
  id: string;
  repository: string;
  branch: string;
  checkSuites: boolean;
}

interface DeployState {
  source: { repo: string | null; image: string | null } | null;
  latest: string | undefined;
  triggers: Trigger[];
}

async function state(inputs: Props, c: RequestContext): Promise<DeployState> {
  const ids = { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId };
  const data = await railway<{ serviceInstance: { source: DeployState["source"]; latestDeployment: { id: string } | null }; deploymentTriggers: any }>(
    gql.DEPLOY_STATE,
    ids,
    c,
  );
  let triggers: Trigger[] = data.deploymentTriggers.edges.map((e: { node: Trigger }) => e.node);
  if (data.deploymentTriggers.pageInfo.hasNextPage)
    triggers = await all<Trigger, { deploymentTriggers: any }>(gql.DEPLOYMENT_TRIGGERS, ids, c, (d) => d.deploymentTriggers);
  return { source: data.serviceInstance.source, latest: data.serviceInstance.latestDeployment?.id, triggers };
}

/** Makes the triggers what the inputs say: one on the branch when Railway deploys on push, none otherwise. */
async function reconcileTriggers(inputs: Props, triggers: Trigger[], c: RequestContext): Promise<void> {
  const repo: RepoSource | undefined = inputs.repo;
  const [keep, ...extra] = repo ? triggers : [];
  for (const t of repo ? extra : triggers) await unlessNotFound(() => railway(gql.DEPLOYMENT_TRIGGER_DELETE, { id: t.id }, c));
  if (!repo) return;
  const wanted = {
    repository: repo.repository,
    branch: repo.branch,
    checkSuites: repo.checkSuites,
    ...(repo.rootDirectory ? { rootDirectory: repo.rootDirectory } : {}),
  };
  if (!keep) {
    await railway(
      gql.DEPLOYMENT_TRIGGER_CREATE,
      { input: { ...wanted, projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, provider: "github" } },
      c,
    );
  } else if (keep.repository !== repo.repository || keep.branch !== repo.branch || keep.checkSuites !== repo.checkSuites) {
    await railway(gql.DEPLOYMENT_TRIGGER_UPDATE, { id: keep.id, input: wanted }, c);
  }
}

/** How a deployment can end: only SUCCESS (and SLEEPING, a serverless service at rest after it) means it runs. */
export const DEPLOYMENT_SUCCEEDED = ["SUCCESS", "SLEEPING"];
export const DEPLOYMENT_FAILED = ["FAILED", "CRASHED", "REMOVED", "REMOVING", "SKIPPED"];

function deployWaitPolicy(): { intervalMs: number; timeoutMs: number } {
  const interval = Number(process.env.PLATFORM_RAILWAY_POLL_MS);
  const timeout = Number(process.env.PLATFORM_RAILWAY_DEPLOY_TIMEOUT_MS);
  return {
    intervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5_000,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 20 * 60_000,
  };
}

/**
 * Waits until a deployment this `up` started has ended, and throws unless it succeeded: a failure
 * or a timeout names the service, the deployment and its last status, and says what to do.
 */
export async function waitForDeployment(inputs: Props, deploymentId: string, c: RequestContext): Promise<void> {
  const { intervalMs, timeoutMs } = deployWaitPolicy();
  const deadline = Date.now() + timeoutMs;
  const where = `service ${JSON.stringify(inputs.name)} (deployment ${deploymentId}, environment ${inputs.environmentId})`;
  for (;;) {
    const status = (await railway<{ deployment: { status: string } }>(gql.DEPLOYMENT_STATUS, { id: deploymentId }, c)).deployment.status;
    if (DEPLOYMENT_SUCCEEDED.includes(status)) return;
    if (DEPLOYMENT_FAILED.includes(status)) {
      throw apiError(
        `Railway deployment of ${where} ended ${status}. Read its build and deploy logs in the Railway dashboard, fix the cause, and run 'pulumi up' again: it deploys again.`,
      );
    }
    if (Date.now() >= deadline) {
      throw apiError(
        `Railway deployment of ${where} did not finish within ${Math.round(timeoutMs / 1000)} s; last status ${status}. ` +
          `Run 'pulumi up' again once it has ended (PLATFORM_RAILWAY_DEPLOY_TIMEOUT_MS sets the bound in ms).`,
      );
    }
    await sleep(intervalMs);
  }
}

/** `ghcr.io/owner/app` of `ghcr.io/owner/app@sha256:…` or `ghcr.io/owner/app:tag`. */
export function imageRepositoryOf(image: string): string {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(":");
  return colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
}

/** Whether the image running now is a later build the deploy workflow deployed: kept, not drift. */
function movedByWorkflow(inputs: Props, running: string | null | undefined): running is string {
  return Boolean(inputs.followsWorkflow && inputs.image && running && imageRepositoryOf(running) === imageRepositoryOf(inputs.image));
}

async function redeploy(inputs: Props, before: DeployState, c: RequestContext): Promise<string | undefined> {
  if (before.latest === undefined) return undefined;
  await railway(gql.SERVICE_INSTANCE_REDEPLOY, pick(inputs, ["serviceId", "environmentId"]), c, { write: true });
  return (await state(inputs, c)).latest;
}

/**
 * Connects what runs and deploys it once. After a failure that leaves it unknown whether Railway
 * deployed, a new latest deployment means it did: it is not deployed twice.
 */
async function deploy(inputs: Props, before: DeployState, c: RequestContext): Promise<string | undefined> {
  await reconcileTriggers(inputs, before.triggers, c);
  const ids = pick(inputs, ["serviceId", "environmentId"]);
  if (inputs.repository) {
    // The deploy workflow deploys the code; a change of configuration redeploys what runs, if anything does yet.
    if (before.source?.repo !== inputs.repository) await railway(gql.CONNECT_SOURCE, { ...ids, input: { source: { repo: inputs.repository } } }, c);
    return redeploy(inputs, before, c);
  }
  if (before.latest !== undefined && movedByWorkflow(inputs, before.source?.image)) {
    if (inputs.registryCredentials) await railway(gql.CONNECT_SOURCE, { ...ids, input: { registryCredentials: inputs.registryCredentials } }, c);
    return redeploy(inputs, before, c);
  }
  if (!inputs.image && !inputs.repo) return redeploy(inputs, before, c);
  const input = inputs.image
    ? { source: { image: inputs.image }, ...(inputs.registryCredentials ? { registryCredentials: inputs.registryCredentials } : {}) }
    : { source: { repo: inputs.repo.repository } };
  return createOnce(
    async () => {
      const now = (await state(inputs, c)).latest;
      return now !== before.latest ? now : undefined;
    },
    async () => (await railway<{ serviceInstanceDeployV2: string }>(gql.CONNECT_AND_DEPLOY, { ...ids, input }, c, { write: true })).serviceInstanceDeployV2,
  );
}

/** Whether a service taken over already runs what the inputs say, from the same source: nothing to deploy. */
function alreadyRunning(inputs: Props, now: DeployState): boolean {
  if (now.latest === undefined || !now.source) return false;
  // The deploy workflow's repository: connected, and no trigger deploying pushes beside it.
  if (inputs.repository) return now.source.repo === inputs.repository && now.triggers.length === 0;
  if (inputs.repo) {
    const t = now.triggers[0];
    return (
      now.source.repo === inputs.repo.repository &&
      now.triggers.length === 1 &&
      t!.repository === inputs.repo.repository &&
      t!.branch === inputs.repo.branch &&
      t!.checkSuites === inputs.repo.checkSuites
    );
  }
  if (inputs.image) return now.source.image === inputs.image || movedByWorkflow(inputs, now.source.image);
  return false;
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    return diffOf(olds, news, INPUTS, ["projectId", "environmentId", "serviceId"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    const c = ctx("deployment of service", inputs.name, "create");
    const id = `${inputs.serviceId}:${inputs.environmentId}:deployment`;
    const now = await state(inputs, c);
    let deploymentId: string | undefined;
    let started: boolean;
    if (inputs.adopted && alreadyRunning(inputs, now)) {
      // What runs is kept; it is redeployed only when the takeover changed what it runs with.
      started = inputs.adoptionWrote === true;
      deploymentId = started ? await redeploy(inputs, now, c) : now.latest;
    } else {
      deploymentId = await deploy(inputs, now, c);
      started = deploymentId !== undefined && deploymentId !== now.latest;
    }
    const outs = { ...inputs, ...(deploymentId ? { deploymentId } : {}) };
    if (started && deploymentId) {
      try {
        await waitForDeployment(inputs, deploymentId, c);
      } catch (err) {
        // What it connected stays in the state; the next `up` updates it, which deploys again.
        throw unfinishedCreate(id, outs, err);
      }
    }
    return { id, outs };
  },
  async read(id, props) {
    const current = await unlessNotFound(() => state(props!, ctx("deployment of service", props?.name, "read")));
    if (!current) return {};
    const trigger = current.triggers[0];
    const read: Props = { ...props };
    if (props!.image !== undefined && !movedByWorkflow(props!, current.source?.image)) read.image = current.source?.image ?? undefined;
    if (props!.repository !== undefined) read.repository = current.source?.repo ?? undefined;
    if (trigger) read.repo = { ...(props!.repo ?? {}), repository: trigger.repository, branch: trigger.branch, checkSuites: trigger.checkSuites };
    else delete read.repo;
    if (current.latest) read.deploymentId = current.latest;
    return { id, props: read };
  },
  async update(_id, _olds, news) {
    const c = ctx("deployment of service", news.name, "update");
    const before = await state(news, c);
    const deploymentId = await deploy(news, before, c);
    if (deploymentId !== undefined && deploymentId !== before.latest) await waitForDeployment(news, deploymentId, c);
    return { outs: { ...news, ...(deploymentId ? { deploymentId } : {}) } };
  },
  // What runs goes with the service's instance in this environment (the service resource's).
  async delete() {},
};

export const deploymentKind = defineKind<DeploymentInputs, { deploymentId: string | undefined }>({
  token: "platform:railway:Deployment",
  outputs: ["deploymentId"],
  secretOutputs: ["registryCredentials"],
  handler: provider,
});
