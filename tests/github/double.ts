// A local stand-in for the part of GitHub's REST API that the GitHub provider calls for this
// program: repositories and their branches, file contents (commits), vulnerability alerts, the
// default workflow token, rulesets, environments with reviewers and branch policies, environment
// secrets and variables, teams and users. One instance is one GitHub: every stack's plugin talks to
// it, so what one stack leaves, the next sees. It refuses what GitHub refuses (FIELD-NOTES §8,
// GitHub's docs): a file on a branch that does not exist, a file write without the file's current
// sha, a stale sha, a write to a branch an active ruleset closes to everyone but its bypass actors,
// `prevent_self_review` without reviewers, a reviewer team that does not exist, a branch created
// twice (422 "Reference already exists"). As GitHub does, it drops a reviewer team that has no
// access to the repository without saying so. The routes, by kind (accounts, the repository, an
// environment's policies, secrets and variables), are in ./routes/; the state and the model they
// share (refusals, rulesets applied to a write, pages) are here.
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer, bodyOf } from "../doubles/http";
import { accountRoute } from "./routes/accounts";
import { environmentRoute } from "./routes/environment";
import { repositoryRoute } from "./routes/repository";

export interface GithubActor {
  readonly login: string;
  readonly id: number;
  /** An App's installation token: the App's id, as rulesets name it (`Integration`). */
  readonly appId?: number;
  /** Holds the repository's admin role (RepositoryRole 5). */
  readonly admin: boolean;
}

export interface FileState {
  content: string;
  sha: string;
}

export interface BranchState {
  files: Map<string, FileState>;
  commits: Array<{ sha: string; message: string; path: string; author: string }>;
}

export interface RulesetState {
  id: number;
  name: string;
  target: string;
  enforcement: string;
  conditions: any;
  bypass_actors: Array<{ actor_id: number | null; actor_type: string; bypass_mode: string }>;
  rules: Array<{ type: string; parameters?: any }>;
}

export interface EnvironmentState {
  name: string;
  wait_timer: number;
  prevent_self_review: boolean;
  can_admins_bypass: boolean;
  reviewers: Array<{ type: "User" | "Team"; id: number }>;
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  policies: Map<number, { id: number; name: string; type: string }>;
  secrets: Map<string, string>;
  variables: Map<string, string>;
}

export interface RepositoryState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  visibility: "public" | "private" | "internal";
  branches: Map<string, BranchState>;
  vulnerabilityAlerts: boolean;
  workflowPermissions: { default_workflow_permissions: string; can_approve_pull_request_reviews: boolean };
  rulesets: Map<number, RulesetState>;
  environments: Map<string, EnvironmentState>;
}

export interface GithubRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const sha = (text: string) => createHash("sha1").update(text).digest("hex");

export class GithubDouble {
  readonly repositories = new Map<string, RepositoryState>();
  /** Organizations by login, with their GitHub plan (`free`, `team`, `enterprise`); any other owner is a personal account. */
  readonly organizations = new Map<string, string>();
  /** `org/slug` → team id. */
  readonly teams = new Map<string, number>();
  /** `org/slug` → the repositories (`owner/name`) the team has access to, with its permission. */
  readonly teamAccess = new Map<string, Map<string, string>>();
  readonly users = new Map<string, number>();
  /** Who each token is, and until when it works (an installation token: an hour). */
  readonly tokens = new Map<string, GithubActor>();
  readonly expiries = new Map<string, number>();
  /** GitHub Apps by App ID: the public half of the App's key, and who each installation acts as. */
  readonly apps = new Map<number, { publicKey: string; installations: Map<number, GithubActor> }>();
  /** Installation tokens minted, in order: what must never be stored. */
  readonly minted: string[] = [];
  readonly requests: GithubRequest[] = [];
  /** Writes GitHub refused, with its message: a test's view of what a real `up` would have hit (reads of what is not there are not refusals). */
  readonly refused: Array<{ method: string; path: string; status: number; message: string }> = [];
  url = "";
  private readonly http = new LocalServer((req, res) => this.handle(req, res));
  nextId = 1000;

  /** A repository with these branches, each holding a README, as a team has it before its first `up`. */
  seedRepository(owner: string, name: string, branches: readonly string[]): RepositoryState {
    const repo: RepositoryState = {
      id: this.nextId++,
      owner,
      name,
      defaultBranch: branches[0] ?? "main",
      visibility: "private",
      branches: new Map(),
      vulnerabilityAlerts: false,
      workflowPermissions: { default_workflow_permissions: "write", can_approve_pull_request_reviews: true },
      rulesets: new Map(),
      environments: new Map(),
    };
    for (const b of branches) repo.branches.set(b, { files: new Map([["README.md", { content: `# ${name}\n`, sha: sha(`# ${name}\n`) }]]), commits: [] });
    this.repositories.set(`${owner}/${name}`, repo);
    return repo;
  }

  /** An App installed with the actor's rights, whose key's public half is `publicKey` (PEM). */
  installApp(appId: number, installationId: number, publicKey: string, actor: Omit<GithubActor, "appId">): void {
    const app = this.apps.get(appId) ?? { publicKey, installations: new Map() };
    app.installations.set(installationId, { ...actor, appId });
    this.apps.set(appId, app);
  }

  /**
   * POST /app/installations/{id}/access_tokens, authenticated by a JWT the App signs with its
   * private key (RS256; `iss` the App ID, at most ten minutes between `iat` and `exp`): an
   * installation token that works for an hour.
   */
  mint(installationId: number, authorization: string): [number, unknown] {
    const jwt = authorization.replace(/^Bearer /, "");
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return [401, { message: "A JSON web token could not be decoded" }];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iat?: number; exp?: number; iss?: string | number };
    const alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string }).alg;
    const app = this.apps.get(Number(claims.iss));
    if (!app || alg !== "RS256") return [401, { message: "Integration not found" }];
    if (!verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(app.publicKey), Buffer.from(signature, "base64url")))
      return [401, { message: "A JSON web token could not be decoded" }];
    const now = Math.floor(Date.now() / 1000);
    if (claims.iat === undefined || claims.exp === undefined || claims.exp - claims.iat > 600 || claims.exp <= now || claims.iat > now + 60) {
      return [401, { message: "'Expiration time' claim ('exp') is too far in the future" }];
    }
    const actor = app.installations.get(installationId);
    if (!actor) return [404, { message: "Not Found" }];
    const token = this.issueToken(actor);
    this.expiries.set(token, Date.now() + 3600_000);
    this.minted.push(token);
    return [201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: "all" }];
  }

  /** A token for this actor. */
  issueToken(actor: GithubActor): string {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    this.tokens.set(token, actor);
    return token;
  }

  /** Requests that change something (minting an installation token changes nothing on GitHub). */
  writes(): number {
    return this.requests.filter((r) => r.method !== "GET" && !/^\/app\/installations\/\d+\/access_tokens$/.test(r.path)).length;
  }

  async start(): Promise<string> {
    this.url = `${await this.http.start()}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = await bodyOf(req);
    const url = new URL(req.url ?? "/", "http://double");
    const method = req.method ?? "GET";
    const record = { method, path: url.pathname, status: 0 };
    this.requests.push(record);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res
        .writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers })
        .end(body === undefined ? "" : JSON.stringify(body));
    };
    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (installation && method === "POST") {
      const [status, answer] = this.mint(Number(installation[1]), String(req.headers.authorization ?? ""));
      return send(status, answer);
    }
    const presented = String(req.headers.authorization ?? "").replace(/^(token|Bearer) /, "");
    const actor = this.tokens.get(presented);
    const expired = (this.expiries.get(presented) ?? Infinity) <= Date.now();
    if (!actor || expired) return send(401, { message: "Bad credentials" });
    try {
      const text = received;
      const body = text ? JSON.parse(text) : {};
      const [status, answer, headers] = this.route(method, url, body, actor);
      send(status, answer, headers);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      if (method !== "GET") this.refused.push({ method, path: url.pathname, status: err.status, message: err.message });
      send(err.status, { message: err.message, documentation_url: "https://docs.github.com/rest" });
    }
  }

  repo(owner: string, name: string): RepositoryState {
    const repo = this.repositories.get(`${owner}/${name}`);
    if (!repo) throw new Refusal(404, "Not Found");
    return repo;
  }

  /** The sha of a branch's last commit (a branch with no commit yet: one derived from its files). */
  headOf(repo: RepositoryState, name: string): string {
    const branch = repo.branches.get(name)!;
    return branch.commits.at(-1)?.sha ?? sha(`${repo.owner}/${repo.name}@${[...branch.files.keys()].sort().join(",")}`);
  }

  /**
   * Whether an active ruleset closes this branch to the actor: a direct write (`update`) where it
   * requires pull requests, a creation or deletion where it has that rule.
   */
  ruleViolation(repo: RepositoryState, branch: string, actor: GithubActor, rule: "update" | "creation" | "deletion" = "update"): string | undefined {
    for (const r of repo.rulesets.values()) {
      if (r.enforcement !== "active" || r.target !== "branch") continue;
      const includes: string[] = r.conditions?.ref_name?.include ?? [];
      const applies = includes.some((ref) => ref === `refs/heads/${branch}` || ref === "~ALL" || (ref === "~DEFAULT_BRANCH" && branch === repo.defaultBranch));
      if (!applies || !r.rules.some((x) => x.type === (rule === "update" ? "pull_request" : rule))) continue;
      // A repository role is a person's: an App holds none, so only its own Integration entry lets it through.
      const person = actor.appId === undefined;
      const bypass = r.bypass_actors.some(
        (a) =>
          (a.actor_type === "RepositoryRole" && a.actor_id === 5 && actor.admin && person) ||
          (a.actor_type === "Integration" && !person && a.actor_id === actor.appId) ||
          (a.actor_type === "OrganizationAdmin" && actor.admin && person),
      );
      const what = {
        update: "Changes must be made through a pull request.",
        creation: "Cannot create ref due to creations being restricted.",
        deletion: "Cannot delete this branch.",
      }[rule];
      if (!bypass) return `Repository rule violations found\n\n${what} (ruleset ${JSON.stringify(r.name)})`;
    }
    return undefined;
  }

  environmentView(repo: RepositoryState, e: EnvironmentState) {
    const rules: any[] = [];
    if (e.reviewers.length > 0 || e.prevent_self_review) {
      // Each reviewer as GitHub shows it: a user with its login, a team with its slug.
      const reviewer = (r: EnvironmentState["reviewers"][number]) => {
        const named = [...(r.type === "Team" ? this.teams : this.users).entries()].find(([, id]) => id === r.id)?.[0];
        return r.type === "Team" ? { id: r.id, slug: named?.split("/")[1], name: named?.split("/")[1] } : { id: r.id, login: named };
      };
      rules.push({
        id: 1,
        type: "required_reviewers",
        prevent_self_review: e.prevent_self_review,
        reviewers: e.reviewers.map((r) => ({ type: r.type, reviewer: reviewer(r) })),
      });
    }
    if (e.deployment_branch_policy) rules.push({ id: 2, type: "branch_policy" });
    return {
      id: this.nextId++,
      name: e.name,
      url: `${this.url}repos/${repo.owner}/${repo.name}/environments/${e.name}`,
      can_admins_bypass: e.can_admins_bypass,
      protection_rules: rules,
      deployment_branch_policy: e.deployment_branch_policy,
    };
  }

  /**
   * One page of a list, as GitHub pages it: `per_page` (at most 100, else `perPage`, the endpoint's
   * default) from `page`, the next page's URL in the Link header; wrapped with its total under `key`
   * where the endpoint wraps it.
   */
  page(url: URL, items: readonly unknown[], perPage: number, key?: string): [number, unknown, Record<string, string>] {
    const size = Math.min(100, Number(url.searchParams.get("per_page") ?? perPage) || perPage);
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const slice = items.slice((page - 1) * size, page * size);
    const headers: Record<string, string> = {};
    if (page * size < items.length) {
      const next = new URL(url.pathname.replace(/^\//, "") + url.search, this.url);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return [200, key ? { total_count: items.length, [key]: slice } : slice, headers];
  }

  route(method: string, url: URL, body: any, actor: GithubActor): [number, unknown, Record<string, string>?] {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const account = accountRoute(this, method, parts);
    if (account) return account;
    if (parts[0] !== "repos" || parts.length < 3) throw new Refusal(404, "Not Found");
    const repo = this.repo(parts[1]!, parts[2]!);
    const rest = parts.slice(3);
    const key = `${method} ${rest.map((p, i) => (["branches", "contents", "rulesets", "environments", "secrets", "variables", "deployment-branch-policies"].includes(rest[i - 1] ?? "") ? ":" : p)).join("/")}`;
    return repositoryRoute(this, repo, { method, url, rest, key, body, actor }) ?? environmentRoute(this, repo, { method, url, rest, body });
  }
}
