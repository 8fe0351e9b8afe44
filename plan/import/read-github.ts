// Reading GitHub for `npm run import`: what the repository holds for the environment being taken
// over (the rulesets with their bypass actors and required checks, the environment's reviewers and
// branch policies, its secrets' names and its variables), with the credential the GitHub provider
// takes. I/O only; the mapping to config is ./map-github.ts.
import { createSign } from "node:crypto";

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
