// `github` as the provider behind @pulumi/github 6.15 (terraform-provider-github) behaves for the
// resources this program declares, over GitHub's REST API at the configured `baseUrl` (the tests'
// GitHub double): each create, read, update and delete is the request that provider sends, so GitHub
// (the double) decides what is refused. Where the provider's schema forces a replacement (a file's
// path or branch, an environment's name, a secret's value), so does this plugin; an environment
// secret is replaced delete-first, as @pulumi/github sets it, since both share one name on GitHub.
import { createSign } from "node:crypto";
import type { PluginProvider } from "../../components/provider/serve";
import { diffKeys, outputsFor, plain, type Props } from "../../components/provider/values";

interface Config {
  owner: string;
  token: string;
  baseUrl: string;
  /** The App to run as (the provider's app_auth): it mints an installation token before the first request. */
  app?: { id: string; installationId: string; pemFile: string };
}

let config: Config = { owner: "", token: "", baseUrl: "https://api.github.com/" };

/**
 * The installation token of the configured App, as the provider gets one: a JWT signed with the
 * App's private key (RS256; issued a minute back, valid for ten), exchanged at
 * POST /app/installations/{id}/access_tokens. Kept for the run, never stored.
 */
async function appToken(app: NonNullable<Config["app"]>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + 540, iss: app.id })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(app.pemFile.replace(/\\n/g, "\n")).toString("base64url");
  const url = new URL(`app/installations/${app.installationId}/access_tokens`, config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`);
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${unsigned}.${signature}`, accept: "application/vnd.github+json" } });
  const body = (await res.json()) as { token?: string; message?: string };
  if (res.status !== 201 || !body.token) throw new GithubError(res.status, `POST ${url.toString()}: ${res.status} ${body.message ?? ""}`.trim());
  return body.token;
}

class GithubError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function api(method: string, path: string, body?: unknown): Promise<any> {
  if (!config.token && config.app) config.token = await appToken(config.app);
  if (!config.token) throw new Error("github: no token configured (github:token or GITHUB_TOKEN)");
  const url = new URL(path.replace(/^\//, ""), config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`);
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${config.token}`,
      accept: "application/vnd.github+json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // A 204 answers with no body: present, with nothing to say.
  const data = text ? JSON.parse(text) : {};
  if (res.status >= 300) throw new GithubError(res.status, `${method} ${url.toString()}: ${res.status} ${data?.message ?? ""}`.trim());
  return data;
}

/** A read of something that may be gone: undefined on 404, as the provider then removes it from state. */
async function found<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GithubError && err.status === 404) return undefined;
    throw err;
  }
}

const repoPath = (p: Props) => `repos/${config.owner}/${p.repository}`;
const envPath = (p: Props) => `${repoPath(p)}/environments/${encodeURIComponent(p.environment)}`;

interface Kind {
  readonly inputs: readonly string[];
  readonly replace: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  create(p: Props): Promise<{ id: string; outs: Props }>;
  /** What GitHub holds now, as outputs; undefined when it is gone. */
  read(id: string, p: Props): Promise<Props | undefined>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, p: Props): Promise<void>;
}

const fileKind: Kind = {
  inputs: [
    "repository",
    "file",
    "branch",
    "content",
    "commitMessage",
    "commitAuthor",
    "commitEmail",
    "overwriteOnCreate",
    "autocreateBranch",
    "autocreateBranchSourceBranch",
  ],
  replace: ["repository", "file", "branch"],
  async create(p) {
    await api("GET", repoPath(p));
    const branch = await found(() => api("GET", `${repoPath(p)}/branches/${encodeURIComponent(p.branch)}`));
    if (!branch && !p.autocreateBranch)
      throw new Error(`branch ${p.branch} not found in repository ${config.owner}/${p.repository} or repository is not readable`);
    if (!branch) {
      // autocreate_branch: the branch made from its source branch's tip (default main), whose sha is kept.
      const source = p.autocreateBranchSourceBranch ?? "main";
      p = { ...p, autocreateBranchSourceSha: p.autocreateBranchSourceSha ?? (await api("GET", `${repoPath(p)}/git/ref/heads/${source}`)).object.sha };
      await api("POST", `${repoPath(p)}/git/refs`, { ref: `refs/heads/${p.branch}`, sha: p.autocreateBranchSourceSha });
    }
    const existing = await found(() => api("GET", `${repoPath(p)}/contents/${p.file}?ref=${encodeURIComponent(p.branch)}`));
    if (existing && !p.overwriteOnCreate) throw new Error("refusing to overwrite existing file: configure `overwrite_on_create` to `true` to override");
    const written = await api("PUT", `${repoPath(p)}/contents/${p.file}`, fileBody(p, existing?.sha));
    return { id: `${p.repository}/${p.file}`, outs: { ...p, sha: written.content.sha, commitSha: written.commit.sha, ref: p.branch } };
  },
  async read(_id, p) {
    const file = await found(() => api("GET", `${repoPath(p)}/contents/${p.file}?ref=${encodeURIComponent(p.branch)}`));
    if (!file) return undefined;
    return { ...p, content: Buffer.from(file.content, "base64").toString("utf8"), sha: file.sha };
  },
  async update(_id, olds, news) {
    // The sha in state: a file changed outside Pulumi since makes this a 409 until a refresh.
    const written = await api("PUT", `${repoPath(news)}/contents/${news.file}`, fileBody(news, olds.sha));
    return { ...news, sha: written.content.sha, commitSha: written.commit.sha, ref: news.branch };
  },
  async delete(_id, p) {
    await found(() => api("DELETE", `${repoPath(p)}/contents/${p.file}`, { message: `Delete ${p.file}`, sha: p.sha, branch: p.branch }));
  },
};

function fileBody(p: Props, sha: string | undefined) {
  return {
    message: p.commitMessage ?? `Add ${p.file}`,
    content: Buffer.from(String(p.content)).toString("base64"),
    branch: p.branch,
    ...(sha ? { sha } : {}),
    ...(p.commitAuthor && p.commitEmail
      ? { author: { name: p.commitAuthor, email: p.commitEmail }, committer: { name: p.commitAuthor, email: p.commitEmail } }
      : {}),
  };
}

const alertsKind: Kind = {
  inputs: ["repository", "enabled"],
  replace: ["repository"],
  async create(p) {
    await api(p.enabled === false ? "DELETE" : "PUT", `${repoPath(p)}/vulnerability-alerts`);
    return { id: p.repository, outs: p };
  },
  async read(_id, p) {
    const on = await found(() => api("GET", `${repoPath(p)}/vulnerability-alerts`));
    return { ...p, enabled: on !== undefined };
  },
  async update(id, _olds, news) {
    return (await this.create(news)).outs;
  },
  // The provider's delete turns the alerts off.
  async delete(_id, p) {
    await api("DELETE", `${repoPath(p)}/vulnerability-alerts`);
  },
};

const workflowPermissionsKind: Kind = {
  inputs: ["repository", "defaultWorkflowPermissions", "canApprovePullRequestReviews"],
  replace: ["repository"],
  async create(p) {
    await api("PUT", `${repoPath(p)}/actions/permissions/workflow`, {
      default_workflow_permissions: p.defaultWorkflowPermissions,
      can_approve_pull_request_reviews: p.canApprovePullRequestReviews,
    });
    return { id: p.repository, outs: p };
  },
  async read(_id, p) {
    const now = await api("GET", `${repoPath(p)}/actions/permissions/workflow`);
    return { ...p, defaultWorkflowPermissions: now.default_workflow_permissions, canApprovePullRequestReviews: now.can_approve_pull_request_reviews };
  },
  async update(_id, _olds, news) {
    return (await this.create(news)).outs;
  },
  // Deleting puts GitHub's defaults back.
  async delete(_id, p) {
    await api("PUT", `${repoPath(p)}/actions/permissions/workflow`, { default_workflow_permissions: "read", can_approve_pull_request_reviews: false });
  },
};

function rulesetBody(p: Props) {
  const r = p.rules ?? {};
  const rules: Array<{ type: string; parameters?: unknown }> = [];
  if (r.creation) rules.push({ type: "creation" });
  if (r.deletion) rules.push({ type: "deletion" });
  if (r.nonFastForward) rules.push({ type: "non_fast_forward" });
  if (r.pullRequest) {
    const pr = r.pullRequest;
    rules.push({
      type: "pull_request",
      parameters: {
        required_approving_review_count: pr.requiredApprovingReviewCount ?? 0,
        dismiss_stale_reviews_on_push: pr.dismissStaleReviewsOnPush ?? false,
        require_last_push_approval: pr.requireLastPushApproval ?? false,
        required_review_thread_resolution: pr.requiredReviewThreadResolution ?? false,
        require_code_owner_review: pr.requireCodeOwnerReview ?? false,
      },
    });
  }
  if (r.requiredStatusChecks) {
    rules.push({
      type: "required_status_checks",
      parameters: {
        required_status_checks: (r.requiredStatusChecks.requiredChecks ?? []).map((c: Props) => ({
          context: c.context,
          ...(c.integrationId ? { integration_id: c.integrationId } : {}),
        })),
        strict_required_status_checks_policy: r.requiredStatusChecks.strictRequiredStatusChecksPolicy ?? false,
      },
    });
  }
  return {
    name: p.name,
    target: p.target,
    enforcement: p.enforcement,
    conditions: { ref_name: { include: p.conditions?.refName?.includes ?? [], exclude: p.conditions?.refName?.excludes ?? [] } },
    bypass_actors: (p.bypassActors ?? []).map((a: Props) => ({ actor_id: a.actorId ?? null, actor_type: a.actorType, bypass_mode: a.bypassMode })),
    rules,
  };
}

/** GitHub's rules in the provider's shape (the inverse of rulesetBody's). */
function rulesFromGithub(rules: Array<{ type: string; parameters?: any }>): Props {
  const out: Props = {};
  for (const rule of rules) {
    const p = rule.parameters ?? {};
    if (rule.type === "creation") out.creation = true;
    if (rule.type === "deletion") out.deletion = true;
    if (rule.type === "non_fast_forward") out.nonFastForward = true;
    if (rule.type === "pull_request") {
      out.pullRequest = {
        requiredApprovingReviewCount: p.required_approving_review_count,
        dismissStaleReviewsOnPush: p.dismiss_stale_reviews_on_push,
        requireLastPushApproval: p.require_last_push_approval,
        requiredReviewThreadResolution: p.required_review_thread_resolution,
        ...(p.require_code_owner_review ? { requireCodeOwnerReview: true } : {}),
      };
    }
    if (rule.type === "required_status_checks") {
      out.requiredStatusChecks = {
        requiredChecks: p.required_status_checks.map((c: Props) => ({ context: c.context, ...(c.integration_id ? { integrationId: c.integration_id } : {}) })),
        strictRequiredStatusChecksPolicy: p.strict_required_status_checks_policy,
      };
    }
  }
  return out;
}

const rulesetKind: Kind = {
  inputs: ["repository", "name", "target", "enforcement", "conditions", "bypassActors", "rules"],
  replace: ["repository"],
  async create(p) {
    const made = await api("POST", `${repoPath(p)}/rulesets`, rulesetBody(p));
    return { id: String(made.id), outs: { ...p, rulesetId: made.id, nodeId: made.node_id } };
  },
  async read(id, p) {
    const now = await found(() => api("GET", `${repoPath(p)}/rulesets/${id}`));
    if (!now) return undefined;
    const bypassActors = now.bypass_actors.map((a: Props) => ({
      ...(a.actor_id !== null ? { actorId: a.actor_id } : {}),
      actorType: a.actor_type,
      bypassMode: a.bypass_mode,
    }));
    return { ...p, name: now.name, enforcement: now.enforcement, bypassActors, rules: rulesFromGithub(now.rules) };
  },
  async update(id, _olds, news) {
    await api("PUT", `${repoPath(news)}/rulesets/${id}`, rulesetBody(news));
    return { ...news, rulesetId: Number(id), nodeId: `RRS_${id}` };
  },
  async delete(id, p) {
    await found(() => api("DELETE", `${repoPath(p)}/rulesets/${id}`));
  },
};

const environmentKind: Kind = {
  inputs: ["repository", "environment", "reviewers", "preventSelfReview", "canAdminsBypass", "deploymentBranchPolicy", "waitTimer"],
  replace: ["repository", "environment"],
  async create(p) {
    await this.update("", {}, p);
    return { id: `${p.repository}:${p.environment}`, outs: p };
  },
  async read(_id, p) {
    const now = await found(() => api("GET", envPath(p)));
    if (!now) return undefined;
    const policy = now.deployment_branch_policy;
    return {
      ...p,
      canAdminsBypass: now.can_admins_bypass,
      deploymentBranchPolicy: policy ? { protectedBranches: policy.protected_branches, customBranchPolicies: policy.custom_branch_policies } : undefined,
    };
  },
  async update(_id, _olds, news) {
    const reviewers = (news.reviewers ?? []).flatMap((r: Props) => [
      ...(r.teams ?? []).map((id: number) => ({ type: "Team", id })),
      ...(r.users ?? []).map((id: number) => ({ type: "User", id })),
    ]);
    const dbp = news.deploymentBranchPolicy;
    await api("PUT", envPath(news), {
      wait_timer: news.waitTimer ?? 0,
      prevent_self_review: news.preventSelfReview ?? false,
      can_admins_bypass: news.canAdminsBypass ?? true,
      reviewers,
      deployment_branch_policy: dbp ? { protected_branches: dbp.protectedBranches, custom_branch_policies: dbp.customBranchPolicies } : null,
    });
    return news;
  },
  async delete(_id, p) {
    await found(() => api("DELETE", envPath(p)));
  },
};

const deploymentPolicyKind: Kind = {
  inputs: ["repository", "environment", "branchPattern", "tagPattern"],
  replace: ["repository", "environment"],
  async create(p) {
    const made = await api("POST", `${envPath(p)}/deployment-branch-policies`, {
      name: p.branchPattern ?? p.tagPattern,
      type: p.branchPattern ? "branch" : "tag",
    });
    return { id: `${p.repository}:${p.environment}:${made.id}`, outs: p };
  },
  async read(id, p) {
    const now = await found(() => api("GET", `${envPath(p)}/deployment-branch-policies/${id.split(":").at(-1)}`));
    return now ? { ...p, ...(now.type === "branch" ? { branchPattern: now.name } : { tagPattern: now.name }) } : undefined;
  },
  async update(id, _olds, news) {
    await api("PUT", `${envPath(news)}/deployment-branch-policies/${id.split(":").at(-1)}`, { name: news.branchPattern ?? news.tagPattern });
    return news;
  },
  async delete(id, p) {
    await found(() => api("DELETE", `${envPath(p)}/deployment-branch-policies/${id.split(":").at(-1)}`));
  },
};

const secretKind: Kind = {
  inputs: ["repository", "environment", "secretName", "value", "plaintextValue", "encryptedValue"],
  replace: ["repository", "environment", "secretName", "value", "plaintextValue", "encryptedValue"],
  deleteBeforeReplace: true,
  async create(p) {
    const key = await api("GET", `${envPath(p)}/secrets/public-key`);
    // The double takes the value base64-encoded where GitHub takes it sealed with the key.
    await api("PUT", `${envPath(p)}/secrets/${p.secretName}`, {
      encrypted_value: Buffer.from(String(p.value ?? p.plaintextValue)).toString("base64"),
      key_id: key.key_id,
    });
    const stamp = new Date().toISOString();
    return { id: `${p.repository}:${p.environment}:${p.secretName}`, outs: { ...p, createdAt: stamp, updatedAt: stamp } };
  },
  async read(_id, p) {
    const now = await found(() => api("GET", `${envPath(p)}/secrets/${p.secretName}`));
    return now ? p : undefined;
  },
  async update(_id, _olds, news) {
    return news;
  },
  async delete(_id, p) {
    await found(() => api("DELETE", `${envPath(p)}/secrets/${p.secretName}`));
  },
};

const variableKind: Kind = {
  inputs: ["repository", "environment", "variableName", "value"],
  replace: ["repository", "environment", "variableName"],
  async create(p) {
    await api("POST", `${envPath(p)}/variables`, { name: p.variableName, value: p.value });
    return { id: `${p.repository}:${p.environment}:${p.variableName}`, outs: p };
  },
  async read(_id, p) {
    const now = await found(() => api("GET", `${envPath(p)}/variables/${p.variableName}`));
    return now ? { ...p, value: now.value } : undefined;
  },
  async update(_id, _olds, news) {
    await api("PATCH", `${envPath(news)}/variables/${news.variableName}`, { name: news.variableName, value: news.value });
    return news;
  },
  async delete(_id, p) {
    await found(() => api("DELETE", `${envPath(p)}/variables/${p.variableName}`));
  },
};

/** Type token → kind: the resources @pulumi/github declares that this program uses. */
export const GITHUB_KINDS: Readonly<Record<string, Kind>> = {
  "github:index/repositoryFile:RepositoryFile": fileKind,
  "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts": alertsKind,
  "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions": workflowPermissionsKind,
  "github:index/repositoryRuleset:RepositoryRuleset": rulesetKind,
  "github:index/repositoryEnvironment:RepositoryEnvironment": environmentKind,
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": deploymentPolicyKind,
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": secretKind,
  "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": variableKind,
};

function kindOf(urn: string): Kind {
  const type = urn.split("::")[2]!.split("$").at(-1)!;
  const kind = GITHUB_KINDS[type];
  if (!kind) throw new Error(`github: the test plugin does not model ${type}`);
  return kind;
}

export const githubProvider: PluginProvider = {
  version: "6.15.0",
  replaceOnChange: ["owner", "baseUrl"],
  configure(c) {
    // app_auth arrives as JSON text (the SDK stringifies it); with it the provider runs as the App, not as GITHUB_TOKEN.
    const appAuth = typeof c.appAuth === "string" && c.appAuth !== "" ? JSON.parse(c.appAuth) : c.appAuth;
    const app =
      appAuth && appAuth.pemFile ? { id: String(appAuth.id), installationId: String(appAuth.installationId), pemFile: String(appAuth.pemFile) } : undefined;
    config = {
      owner: String(c.owner ?? ""),
      token: app ? "" : String(c.token ?? process.env.GITHUB_TOKEN ?? ""),
      baseUrl: String(c.baseUrl ?? process.env.GITHUB_BASE_URL ?? "https://api.github.com/"),
      ...(app ? { app } : {}),
    };
  },
  async check(urn, _olds, news) {
    kindOf(urn);
    return { inputs: news };
  },
  async diff(_id, urn, olds, news) {
    const kind = kindOf(urn);
    return diffKeys(olds, news, kind.inputs, kind.replace, kind.deleteBeforeReplace === true);
  },
  async create(urn, inputs) {
    const { id, outs } = await kindOf(urn).create(plain(inputs));
    return { id, outs: outputsFor(inputs, outs) };
  },
  async read(id, urn, props) {
    const now = await kindOf(urn).read(id, plain(props ?? {}));
    return now ? { id, props: outputsFor(props ?? {}, now) } : { id: "", props: {} };
  },
  async update(id, urn, olds, news) {
    return { outs: outputsFor(news, await kindOf(urn).update(id, plain(olds), plain(news))) };
  },
  async delete(id, urn, props) {
    await kindOf(urn).delete(id, plain(props));
  },
  async invoke(token, inputs) {
    const args = plain(inputs);
    if (token === "github:index/getTeam:getTeam") {
      const team = await api("GET", `orgs/${config.owner}/teams/${args.slug}`);
      if (!args.summaryOnly) {
        // Without summary_only the provider lists every member and repository of the team, page by page.
        await api("GET", `orgs/${config.owner}/teams/${args.slug}/members?per_page=100`);
        await api("GET", `orgs/${config.owner}/teams/${args.slug}/repos?per_page=100`);
      }
      return { outputs: { ...args, id: String(team.id), nodeId: team.node_id, name: team.name } };
    }
    if (token === "github:index/getRepository:getRepository") {
      const repo = await api("GET", `repos/${config.owner}/${args.name}`);
      return {
        outputs: {
          ...args,
          id: repo.name,
          fullName: repo.full_name,
          defaultBranch: repo.default_branch,
          visibility: repo.visibility,
          private: repo.private,
          repoId: repo.id,
        },
      };
    }
    if (token === "github:index/getOrganization:getOrganization") {
      // summary_only: the organization alone, not its repositories and members.
      const org = await api("GET", `orgs/${args.name}`);
      return { outputs: { ...args, id: String(org.id), login: org.login, name: org.login, plan: org.plan?.name ?? "" } };
    }
    if (token === "github:index/getRepositoryTeams:getRepositoryTeams") {
      const teams = await api("GET", `repos/${config.owner}/${args.name}/teams?per_page=100`);
      return {
        outputs: {
          ...args,
          id: `${config.owner}/${args.name}`,
          fullName: `${config.owner}/${args.name}`,
          teams: teams.map((t: Props) => ({ name: t.name, slug: t.slug, permission: t.permission })),
        },
      };
    }
    if (token === "github:index/getUser:getUser") {
      const user = await api("GET", `users/${args.username}`);
      return { outputs: { ...args, id: String(user.id), nodeId: user.node_id, login: user.login } };
    }
    throw new Error(`github: the test plugin does not model the function ${token}`);
  },
};
