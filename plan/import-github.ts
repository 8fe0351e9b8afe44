// `npm run import`'s GitHub side: what the repository holds for the environment being taken over
// (the ruleset on its branch with its bypass actors and required checks, the environment's
// reviewers and branch policy, its secrets' names and its variables), read with the credential the
// GitHub provider takes, then mapped to `platform:github` by a pure function.
import { createSign } from "node:crypto";
import { looksSecret } from "../config";
import { platformGithubVariables } from "../config/names";
import type { Tier } from "../config/catalog";

type Props = Record<string, any>;

/** How the import reaches GitHub: the provider's own environment variables. */
export interface GithubAccess {
  readonly baseUrl: string;
  readonly token?: string;
  /** The App to run as (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE). */
  readonly app?: { readonly id: number; readonly installationId: number; readonly pem: string };
}

/** The access the environment gives, or undefined when it gives none (GitHub is then not read). */
export function githubAccessFrom(env: NodeJS.ProcessEnv): GithubAccess | undefined {
  const baseUrl = env.GITHUB_BASE_URL || "https://api.github.com/";
  const [id, installationId, pem] = [Number(env.GITHUB_APP_ID), Number(env.GITHUB_APP_INSTALLATION_ID), env.GITHUB_APP_PEM_FILE];
  if (pem && Number.isInteger(id) && id > 0 && Number.isInteger(installationId) && installationId > 0) return { baseUrl, app: { id, installationId, pem } };
  return env.GITHUB_TOKEN ? { baseUrl, token: env.GITHUB_TOKEN } : undefined;
}

/** A refusal or failure from GitHub, with what was asked. */
export class GithubReadError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface LiveRuleset {
  readonly id: number;
  readonly name: string;
  readonly enforcement: string;
  readonly target: string;
  readonly includes: readonly string[];
  readonly bypassActors: ReadonlyArray<{ actor_id: number | null; actor_type: string }>;
  readonly requiredChecks: readonly string[];
}

export interface LiveGithub {
  readonly owner: string;
  readonly repository: string;
  readonly defaultBranch: string;
  readonly rulesets: readonly LiveRuleset[];
  /** The environment named after the Railway environment; undefined when the repository has none. */
  readonly environment?: {
    readonly name: string;
    readonly reviewers: ReadonlyArray<{ type: string; login?: string; slug?: string }>;
    readonly branchPolicies: readonly string[];
    readonly secrets: readonly string[];
    readonly variables: Readonly<Record<string, string>>;
  };
  /** The App the import ran as, when it ran as one. */
  readonly app?: { readonly id: number; readonly installationId: number };
}

/** A client for GitHub's REST API with the access given: an App mints its installation token first. */
function client(access: GithubAccess) {
  const base = access.baseUrl.endsWith("/") ? access.baseUrl : `${access.baseUrl}/`;
  let token = access.token;
  const request = async (method: string, path: string, auth: string): Promise<{ status: number; body: any; next?: string }> => {
    const res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${auth}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    });
    const text = await res.text();
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
    return { status: res.status, body: text ? JSON.parse(text) : undefined, ...(next ? { next } : {}) };
  };
  const authorization = async (): Promise<string> => {
    if (token) return token;
    const app = access.app!;
    // The App's JWT (RS256, issued a minute back, valid for ten), exchanged for an installation token.
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + 540, iss: String(app.id) })}`;
    const signature = createSign("RSA-SHA256").update(unsigned).sign(app.pem.replace(/\\n/g, "\n")).toString("base64url");
    const minted = await request("POST", `app/installations/${app.installationId}/access_tokens`, `${unsigned}.${signature}`);
    if (minted.status !== 201)
      throw new GithubReadError(
        minted.status,
        `GitHub refused an installation token for the App ${app.id}, installation ${app.installationId}: ${minted.status} ${minted.body?.message ?? ""}`.trim(),
      );
    token = String(minted.body.token);
    return token;
  };
  /** One object, or undefined on 404. */
  const get = async (path: string): Promise<any> => {
    const r = await request("GET", path, await authorization());
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new GithubReadError(r.status, `GET ${path}: GitHub answered ${r.status} ${r.body?.message ?? ""}`.trim());
    return r.body;
  };
  /** Every page of a list (under `key` when GitHub wraps it), or undefined on 404. */
  const list = async (path: string, key?: string): Promise<any[] | undefined> => {
    const items: any[] = [];
    let next: string | undefined = `${path}${path.includes("?") ? "&" : "?"}per_page=100`;
    while (next) {
      const r = await request("GET", next, await authorization());
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new GithubReadError(r.status, `GET ${path}: GitHub answered ${r.status} ${r.body?.message ?? ""}`.trim());
      items.push(...(key ? r.body[key] : r.body));
      next = r.next;
    }
    return items;
  };
  return { get, list };
}

/** What GitHub holds for `owner/repository` and the environment `environment`. */
export async function readGithub(access: GithubAccess, owner: string, repository: string, environment: string): Promise<LiveGithub> {
  const { get, list } = client(access);
  const repo = `repos/${owner}/${repository}`;
  const found = await get(repo);
  if (!found) throw new GithubReadError(404, `GitHub has no repository ${owner}/${repository} that this credential can see.`);
  const rulesets: LiveRuleset[] = [];
  for (const summary of (await list(`${repo}/rulesets?includes_parents=false`)) ?? []) {
    const r = await get(`${repo}/rulesets/${summary.id}`);
    if (!r) continue;
    const checks = (r.rules ?? []).find((x: Props) => x.type === "required_status_checks")?.parameters?.required_status_checks ?? [];
    rulesets.push({
      id: r.id,
      name: r.name,
      enforcement: r.enforcement,
      target: r.target ?? "branch",
      includes: r.conditions?.ref_name?.include ?? [],
      bypassActors: r.bypass_actors ?? [],
      requiredChecks: checks.map((c: Props) => String(c.context)),
    });
  }
  const env = await get(`${repo}/environments/${encodeURIComponent(environment)}`);
  const envPath = `${repo}/environments/${encodeURIComponent(environment)}`;
  const reviewers = (env?.protection_rules ?? []).filter((r: Props) => r.type === "required_reviewers").flatMap((r: Props) => r.reviewers ?? []);
  return {
    owner,
    repository,
    defaultBranch: found.default_branch,
    rulesets,
    ...(env
      ? {
          environment: {
            name: environment,
            reviewers: reviewers.map((r: Props) => ({
              type: r.type,
              ...(r.reviewer?.login ? { login: r.reviewer.login } : {}),
              ...(r.reviewer?.slug ? { slug: r.reviewer.slug } : {}),
            })),
            branchPolicies: env.deployment_branch_policy?.custom_branch_policies
              ? ((await list(`${envPath}/deployment-branch-policies`, "branch_policies")) ?? [])
                  .filter((p) => (p.type ?? "branch") === "branch")
                  .map((p) => String(p.name))
              : [],
            secrets: ((await list(`${envPath}/secrets`, "secrets")) ?? []).map((s) => String(s.name)),
            variables: Object.fromEntries(((await list(`${envPath}/variables`, "variables")) ?? []).map((v) => [String(v.name), String(v.value)])),
          },
        }
      : {}),
    ...(access.app ? { app: { id: access.app.id, installationId: access.app.installationId } } : {}),
  };
}

/** The program's own ruleset name for an environment's branch (components/github/repository.ts). */
const RULESET_NAME = /^(.+): protect (.+)$/;

export interface GithubImport {
  /** `platform:github`'s keys that GitHub settles (owner and repository aside). */
  readonly github: Props;
  /** Secret names the environment holds: declared `{ supplied: true }`, their values set by the user. */
  readonly secrets: readonly string[];
  readonly report: ReadonlyArray<{ where: string; what: string }>;
  readonly notes: readonly string[];
  /** True when the App that runs `up` is not known: `platform:github.app` is left to fill. */
  readonly appUnknown: boolean;
}

/**
 * `platform:github` from what GitHub holds: the branch the environment deploys from (its one branch
 * policy, else Railway's), the ruleset on that branch (its required checks, and its bypass actors:
 * the App that runs `up`, and the others), or the stack that owns it when the ruleset is another
 * environment's, the reviewers, the secrets' names, and the variables the program does not set
 * itself. Pure.
 */
export function githubConfig(live: LiveGithub, o: { tier: Tier; railwayBranch: string; services: readonly string[] }): GithubImport {
  const report: Array<{ where: string; what: string }> = [];
  const notes: string[] = [];
  const production = o.tier === "production";
  const repo = `${live.owner}/${live.repository}`;
  const env = live.environment;
  const github: Props = {};

  const policies = env?.branchPolicies ?? [];
  const branch = policies.length === 1 && !/[*?[]/.test(policies[0]!) ? policies[0]! : o.railwayBranch;
  github.branch = branch;
  if (policies.length > 1 || (policies.length === 1 && branch !== policies[0])) {
    report.push({
      where: `GitHub environment ${env!.name}, deployment branches ${policies.join(", ")}`,
      what: `the program allows deployments from one branch; the stack takes ${JSON.stringify(branch)}, and the first \`pulumi up\` adds it beside these, which stay.`,
    });
  }

  const applies = (r: LiveRuleset) =>
    r.enforcement === "active" &&
    r.target === "branch" &&
    r.includes.some((ref) => ref === `refs/heads/${branch}` || ref === "~ALL" || (ref === "~DEFAULT_BRANCH" && branch === live.defaultBranch));
  const onBranch = live.rulesets.filter(applies);
  const ours = onBranch.find((r) => RULESET_NAME.exec(r.name)?.[1] === env?.name && RULESET_NAME.exec(r.name)?.[2] === branch);
  const another = onBranch.find((r) => r !== ours && RULESET_NAME.exec(r.name)?.[2] === branch);
  const theirs = ours ?? (another && !production ? undefined : onBranch[0]);
  if (!ours && another && !production) {
    github.branchOwner = RULESET_NAME.exec(another.name)![1];
    notes.push(
      `${JSON.stringify(branch)} is protected by the ruleset ${JSON.stringify(another.name)}, the stack ${JSON.stringify(github.branchOwner)}'s: platform:github.branchOwner names it, and this stack makes no ruleset.`,
    );
  }
  const app = live.app ?? undefined;
  const integration = [
    ...new Set([...onBranch].flatMap((r) => r.bypassActors.filter((a) => a.actor_type === "Integration" && a.actor_id !== null).map((a) => a.actor_id!))),
  ];
  let appUnknown = false;
  if (app && (onBranch.length === 0 || integration.includes(app.id))) github.app = { id: app.id, installationId: app.installationId };
  else if (app) {
    github.app = { id: app.id, installationId: app.installationId };
    report.push({
      where: `the ruleset${onBranch.length > 1 ? "s" : ""} on ${branch}`,
      what: `let${onBranch.length > 1 ? "" : "s"} no GitHub App through, and the import ran as the App ${app.id}, which the stack names: the first \`pulumi up\` makes its own ruleset with the App as a bypass actor.`,
    });
  } else appUnknown = true;
  if (theirs) {
    github.requiredChecks = [...theirs.requiredChecks];
    const others = theirs.bypassActors.filter(
      (a) => !(a.actor_type === "Integration" && a.actor_id === app?.id) && !(a.actor_type === "RepositoryRole" && a.actor_id === 5 && !production),
    );
    if (others.length > 0) github.bypassActors = others.map((a) => ({ type: a.actor_type, ...(a.actor_id !== null ? { id: a.actor_id } : {}) }));
  }
  for (const r of onBranch.filter((r) => r !== ours && r !== another)) {
    report.push({
      where: `GitHub ruleset ${JSON.stringify(r.name)} on ${branch}`,
      what: `is not the program's; its checks and bypass actors are carried over, and the first \`pulumi up\` adds the ruleset ${JSON.stringify(`${env?.name ?? "<environment>"}: protect ${branch}`)}. Every active ruleset applies: delete this one once that is in place.`,
    });
  }
  if (ours) {
    report.push({
      where: `GitHub ruleset ${JSON.stringify(ours.name)} on ${branch}`,
      what: "has the name of the program's own ruleset for this environment; the first `pulumi up` creates it, and GitHub refuses a second ruleset of one name (422). Its checks and bypass actors are carried over: delete it just before the first `up`.",
    });
  }
  if (!theirs && !github.branchOwner)
    report.push({ where: `GitHub branch ${branch} of ${repo}`, what: "no ruleset protects it; the first `pulumi up` adds one." });

  if (!env) {
    report.push({ where: `GitHub environment of ${repo}`, what: "none is named after the Railway environment; the first `pulumi up` creates it." });
    return { github, secrets: [], report, notes, appUnknown };
  }
  if (policies.includes(branch)) {
    report.push({
      where: `GitHub environment ${env.name}, deployment branch ${branch}`,
      what: "exists, and the first `pulumi up` creates it (GitHub answers 303 for a branch policy that exists): delete it just before the first `up`.",
    });
  }
  const reviewers = env.reviewers.flatMap((r) => (r.type === "Team" && r.slug ? [`${live.owner}/${r.slug}`] : r.type === "User" && r.login ? [r.login] : []));
  if (reviewers.length > 0) github.reviewers = reviewers;
  if (env.secrets.length > 0) github.secrets = [...env.secrets].sort();
  const reserved = platformGithubVariables(o.services);
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env.variables).sort(([a], [b]) => a.localeCompare(b))) {
    if (reserved.includes(name)) continue;
    if (looksSecret(name)) {
      report.push({
        where: `GitHub environment ${env.name}, variable ${name}`,
        what: "looks like a secret, and Actions variables are plain text: the stack leaves it out. Store it as an environment secret, then list it in platform:secrets and platform:github.secrets.",
      });
    } else variables[name] = value;
  }
  if (Object.keys(variables).length > 0) github.variables = variables;
  const existing = Object.keys(env.variables)
    .filter((n) => reserved.includes(n) || n in variables)
    .sort();
  if (existing.length > 0) {
    report.push({
      where: `GitHub environment ${env.name}, variables ${existing.join(", ")}`,
      what: "exist, and the first `pulumi up` creates each (GitHub refuses a variable that exists: 409). Their values are in this stack file or set by the program: delete them in the repository's Settings → Environments just before the first `up`.",
    });
  }
  return { github, secrets: [...env.secrets].sort(), report, notes, appUnknown };
}
