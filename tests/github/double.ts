// A local stand-in for the part of GitHub's REST API that the GitHub provider calls for this
// program: repositories and their branches, file contents (commits), vulnerability alerts, the
// default workflow token, rulesets, environments with reviewers and branch policies, environment
// secrets and variables, teams and users. One instance is one GitHub: every stack's plugin talks to
// it, so what one stack leaves, the next sees. It refuses what GitHub refuses (FIELD-NOTES §8,
// GitHub's docs): a file on a branch that does not exist, a file write without the file's current
// sha, a stale sha, a write to a branch an active ruleset closes to everyone but its bypass actors,
// `prevent_self_review` without reviewers, a reviewer team that does not exist, a branch created
// twice (422 "Reference already exists"). As GitHub does, it drops a reviewer team that has no
// access to the repository without saying so.
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer, bodyOf } from "../doubles/http";

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

class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const sha = (text: string) => createHash("sha1").update(text).digest("hex");

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
  private nextId = 1000;

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
  private mint(installationId: number, authorization: string): [number, unknown] {
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  private repo(owner: string, name: string): RepositoryState {
    const repo = this.repositories.get(`${owner}/${name}`);
    if (!repo) throw new Refusal(404, "Not Found");
    return repo;
  }

  /** The sha of a branch's last commit (a branch with no commit yet: one derived from its files). */
  private headOf(repo: RepositoryState, name: string): string {
    const branch = repo.branches.get(name)!;
    return branch.commits.at(-1)?.sha ?? sha(`${repo.owner}/${repo.name}@${[...branch.files.keys()].sort().join(",")}`);
  }

  /**
   * Whether an active ruleset closes this branch to the actor: a direct write (`update`) where it
   * requires pull requests, a creation or deletion where it has that rule.
   */
  private ruleViolation(repo: RepositoryState, branch: string, actor: GithubActor, rule: "update" | "creation" | "deletion" = "update"): string | undefined {
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

  private environmentView(repo: RepositoryState, e: EnvironmentState) {
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
  private page(url: URL, items: readonly unknown[], perPage: number, key?: string): [number, unknown, Record<string, string>] {
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

  private route(method: string, url: URL, body: any, actor: GithubActor): [number, unknown, Record<string, string>?] {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "users" && parts.length === 2 && method === "GET") {
      const id = this.users.get(parts[1]!);
      if (id === undefined) throw new Refusal(404, "Not Found");
      return [200, { login: parts[1], id, node_id: `U_${id}` }];
    }
    if (parts[0] === "orgs" && parts.length === 2 && method === "GET") {
      const plan = this.organizations.get(parts[1]!);
      if (plan === undefined) throw new Refusal(404, "Not Found");
      return [200, { login: parts[1], id: 1, plan: { name: plan } }];
    }
    if (parts[0] === "orgs" && parts[2] === "teams" && parts.length === 5 && method === "GET" && ["members", "repos"].includes(parts[4]!)) {
      const slug = `${parts[1]}/${parts[3]}`;
      if (!this.teams.has(slug)) throw new Refusal(404, "Not Found");
      if (parts[4] === "members") return [200, []];
      return [
        200,
        [...(this.teamAccess.get(slug) ?? new Map<string, string>()).entries()].map(([full, permission]) => ({
          full_name: full,
          name: full.split("/")[1],
          permissions: { [permission]: true },
        })),
      ];
    }
    if (parts[0] === "orgs" && parts[2] === "teams" && parts.length === 4 && method === "GET") {
      const id = this.teams.get(`${parts[1]}/${parts[3]}`);
      if (id === undefined) throw new Refusal(404, "Not Found");
      return [200, { id, node_id: `T_${id}`, slug: parts[3], name: parts[3] }];
    }
    if (parts[0] !== "repos" || parts.length < 3) throw new Refusal(404, "Not Found");
    const repo = this.repo(parts[1]!, parts[2]!);
    const rest = parts.slice(3);
    const key = `${method} ${rest.map((p, i) => (["branches", "contents", "rulesets", "environments", "secrets", "variables", "deployment-branch-policies"].includes(rest[i - 1] ?? "") ? ":" : p)).join("/")}`;
    switch (true) {
      case key === "GET ":
        return [
          200,
          {
            id: repo.id,
            name: repo.name,
            full_name: `${repo.owner}/${repo.name}`,
            default_branch: repo.defaultBranch,
            visibility: repo.visibility,
            private: repo.visibility !== "public",
            owner: { login: repo.owner },
          },
        ];
      case key === "GET teams": {
        const full = `${repo.owner}/${repo.name}`;
        const teams = [...this.teams.entries()].filter(([slug]) => this.teamAccess.get(slug)?.has(full));
        return [200, teams.map(([slug, id]) => ({ id, slug: slug.split("/")[1], name: slug.split("/")[1], permission: this.teamAccess.get(slug)!.get(full) }))];
      }
      case key.startsWith("GET git/ref/heads/"): {
        const name = rest.slice(3).join("/");
        const branch = repo.branches.get(name);
        if (!branch) throw new Refusal(404, "Not Found");
        return [200, { ref: `refs/heads/${name}`, object: { type: "commit", sha: this.headOf(repo, name) } }];
      }
      case key === "POST git/refs": {
        const ref = String(body.ref ?? "");
        if (!/^refs\/heads\/./.test(ref)) throw new Refusal(422, "Reference name must start with 'refs/' and have at least two slashes.");
        const name = ref.slice("refs/heads/".length);
        if (repo.branches.has(name)) throw new Refusal(422, "Reference already exists");
        const source = [...repo.branches.keys()].find((b) => this.headOf(repo, b) === body.sha);
        if (!source) throw new Refusal(422, "Object does not exist");
        // Creating a branch is a write the rulesets that cover its name govern too.
        const violation = this.ruleViolation(repo, name, actor, "creation");
        if (violation) throw new Refusal(422, violation);
        const from = repo.branches.get(source)!;
        repo.branches.set(name, { files: new Map([...from.files].map(([path, file]) => [path, { ...file }])), commits: [...from.commits] });
        return [201, { ref, object: { type: "commit", sha: body.sha } }];
      }
      case key.startsWith("DELETE git/refs/heads/"): {
        const name = rest.slice(3).join("/");
        if (!repo.branches.has(name)) throw new Refusal(422, "Reference does not exist");
        const violation = this.ruleViolation(repo, name, actor, "deletion");
        if (violation) throw new Refusal(422, violation);
        repo.branches.delete(name);
        return [204, undefined];
      }
      case key === "GET branches/:": {
        const branch = repo.branches.get(rest[1]!);
        if (!branch) throw new Refusal(404, "Branch not found");
        return [200, { name: rest[1], commit: { sha: this.headOf(repo, rest[1]!) } }];
      }
      case key.startsWith("GET contents/"): {
        const ref = url.searchParams.get("ref") ?? repo.defaultBranch;
        const branch = repo.branches.get(ref);
        if (!branch) throw new Refusal(404, `No commit found for the ref ${ref}`);
        const path = rest.slice(1).join("/");
        const file = branch.files.get(path);
        if (!file) throw new Refusal(404, "Not Found");
        return [
          200,
          { type: "file", path, name: path.split("/").at(-1), sha: file.sha, encoding: "base64", content: Buffer.from(file.content).toString("base64") },
        ];
      }
      case key.startsWith("PUT contents/"):
      case key.startsWith("DELETE contents/"): {
        const path = rest.slice(1).join("/");
        const ref = body.branch ?? repo.defaultBranch;
        const branch = repo.branches.get(ref);
        if (!branch) throw new Refusal(404, `Branch ${ref} not found`);
        const violation = this.ruleViolation(repo, ref, actor);
        if (violation) throw new Refusal(409, violation);
        const file = branch.files.get(path);
        if (file && body.sha === undefined) throw new Refusal(422, `Invalid request.\n\n"sha" wasn't supplied.`);
        if (file && body.sha !== file.sha) throw new Refusal(409, `${path} does not match ${body.sha}`);
        if (!file && method === "DELETE") throw new Refusal(404, "Not Found");
        const commitSha = sha(`${ref}${path}${randomBytes(8).toString("hex")}`);
        branch.commits.push({ sha: commitSha, message: String(body.message ?? ""), path, author: body.author?.email ?? actor.login });
        if (method === "DELETE") {
          branch.files.delete(path);
          return [200, { content: null, commit: { sha: commitSha } }];
        }
        const content = Buffer.from(String(body.content ?? ""), "base64").toString("utf8");
        const next = { content, sha: sha(`blob ${content}`) };
        branch.files.set(path, next);
        return [file ? 200 : 201, { content: { path, sha: next.sha }, commit: { sha: commitSha } }];
      }
      case key === "GET vulnerability-alerts":
        return repo.vulnerabilityAlerts
          ? [204, undefined]
          : (() => {
              throw new Refusal(404, "Vulnerability alerts are disabled.");
            })();
      case key === "PUT vulnerability-alerts":
        repo.vulnerabilityAlerts = true;
        return [204, undefined];
      case key === "DELETE vulnerability-alerts":
        repo.vulnerabilityAlerts = false;
        return [204, undefined];
      case key === "GET actions/permissions/workflow":
        return [200, repo.workflowPermissions];
      case key === "PUT actions/permissions/workflow":
        repo.workflowPermissions = {
          default_workflow_permissions: body.default_workflow_permissions ?? "read",
          can_approve_pull_request_reviews: body.can_approve_pull_request_reviews ?? false,
        };
        return [204, undefined];
      case key === "POST rulesets":
      case key === "PUT rulesets/:": {
        // Rulesets on a private repository need a paid plan (an organization on Team or Enterprise).
        if (repo.visibility !== "public" && (this.organizations.get(repo.owner) ?? "free") === "free")
          throw new Refusal(403, "Upgrade to GitHub Team or make this repository public to enable this feature.");
        const id = method === "POST" ? this.nextId++ : Number(rest[1]);
        if (method === "PUT" && !repo.rulesets.has(id)) throw new Refusal(404, "Not Found");
        if ([...repo.rulesets.values()].some((r) => r.name === body.name && r.id !== id)) throw new Refusal(422, `Validation Failed: Name must be unique`);
        const ruleset: RulesetState = {
          id,
          name: body.name,
          target: body.target ?? "branch",
          enforcement: body.enforcement,
          conditions: body.conditions,
          bypass_actors: body.bypass_actors ?? [],
          rules: body.rules ?? [],
        };
        repo.rulesets.set(id, ruleset);
        return [method === "POST" ? 201 : 200, { ...ruleset, node_id: `RRS_${id}`, source: `${repo.owner}/${repo.name}`, source_type: "Repository" }];
      }
      case key === "GET rulesets":
        // The list holds each ruleset's summary; its rules and bypass actors come from GET rulesets/{id}.
        return this.page(
          url,
          [...repo.rulesets.values()].map((r) => ({
            id: r.id,
            name: r.name,
            target: r.target,
            enforcement: r.enforcement,
            source: `${repo.owner}/${repo.name}`,
            source_type: "Repository",
            node_id: `RRS_${r.id}`,
          })),
          30,
        );
      case key === "GET rulesets/:": {
        const r = repo.rulesets.get(Number(rest[1]));
        if (!r) throw new Refusal(404, "Not Found");
        return [200, { ...r, node_id: `RRS_${r.id}`, source: `${repo.owner}/${repo.name}`, source_type: "Repository" }];
      }
      case key === "DELETE rulesets/:":
        if (!repo.rulesets.delete(Number(rest[1]))) throw new Refusal(404, "Not Found");
        return [204, undefined];
      case key === "GET environments/:": {
        const e = repo.environments.get(rest[1]!);
        if (!e) throw new Refusal(404, "Not Found");
        return [200, this.environmentView(repo, e)];
      }
      case key === "PUT environments/:": {
        const reviewers: Array<{ type: "User" | "Team"; id: number }> = body.reviewers ?? [];
        if (body.prevent_self_review && reviewers.length === 0)
          throw new Refusal(422, "Required reviewers must have at least one reviewer to set prevent_self_review");
        // Required reviewers on a private or internal repository: GitHub Enterprise only (the message is ours; GitHub's docs state the rule).
        if (reviewers.length > 0 && repo.visibility !== "public" && this.organizations.get(repo.owner) !== "enterprise")
          throw new Refusal(422, "Required reviewers are not available for private repositories on this plan");
        for (const r of reviewers) {
          const known = r.type === "Team" ? [...this.teams.values()].includes(r.id) : [...this.users.values()].includes(r.id);
          if (!known) throw new Refusal(422, `Reviewer ${r.type} ${r.id} does not exist`);
        }
        // A team without access to the repository is dropped from the reviewers, with no error.
        const full = `${repo.owner}/${repo.name}`;
        const kept = reviewers.filter(
          (r) => r.type !== "Team" || [...this.teams.entries()].some(([slug, id]) => id === r.id && this.teamAccess.get(slug)?.has(full)),
        );
        const existing = repo.environments.get(rest[1]!);
        const e: EnvironmentState = {
          name: rest[1]!,
          wait_timer: body.wait_timer ?? 0,
          prevent_self_review: body.prevent_self_review ?? false,
          can_admins_bypass: body.can_admins_bypass ?? true,
          reviewers: kept,
          deployment_branch_policy: body.deployment_branch_policy ?? null,
          policies: existing?.policies ?? new Map(),
          secrets: existing?.secrets ?? new Map(),
          variables: existing?.variables ?? new Map(),
        };
        repo.environments.set(e.name, e);
        return [200, this.environmentView(repo, e)];
      }
      case key === "DELETE environments/:":
        if (!repo.environments.delete(rest[1]!)) throw new Refusal(404, "Not Found");
        return [204, undefined];
    }
    // Under an environment: branch policies, secrets, variables.
    const e = rest[0] === "environments" ? repo.environments.get(rest[1]!) : undefined;
    if (rest[0] !== "environments" || !e) throw new Refusal(404, "Not Found");
    const sub = rest.slice(2);
    const name = sub[1];
    switch (sub.join("/") === "secrets/public-key" ? `${method} secrets/public-key` : `${method} ${sub[0]}${sub.length > 1 ? "/:" : ""}`) {
      case "POST deployment-branch-policies": {
        if (!e.deployment_branch_policy?.custom_branch_policies) throw new Refusal(404, "Custom branch policies are not enabled for this environment");
        if ([...e.policies.values()].some((p) => p.name === body.name)) throw new Refusal(303, "A policy for this branch already exists");
        const policy = { id: this.nextId++, name: body.name, type: body.type ?? "branch" };
        e.policies.set(policy.id, policy);
        return [200, policy];
      }
      case "GET deployment-branch-policies/:":
      case "PUT deployment-branch-policies/:": {
        const policy = e.policies.get(Number(name));
        if (!policy) throw new Refusal(404, "Not Found");
        if (method === "PUT") policy.name = body.name;
        return [200, policy];
      }
      case "DELETE deployment-branch-policies/:":
        if (!e.policies.delete(Number(name))) throw new Refusal(404, "Not Found");
        return [204, undefined];
      case "GET deployment-branch-policies":
        return this.page(
          url,
          [...e.policies.values()].map((p) => ({ ...p, node_id: `MDE2OkdhdGVCcmFuY2hQb2xpY3kx${p.id}` })),
          30,
          "branch_policies",
        );
      case "GET secrets":
        return this.page(
          url,
          [...e.secrets.keys()].sort().map((n) => ({ name: n, created_at: "2026-12-06T00:00:00Z", updated_at: "2026-12-06T00:00:00Z" })),
          30,
          "secrets",
        );
      case "GET variables":
        // Ten to a page unless asked: GitHub's default for this list.
        return this.page(
          url,
          [...e.variables.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([n, value]) => ({ name: n, value, created_at: "2026-12-06T00:00:00Z", updated_at: "2026-12-06T00:00:00Z" })),
          10,
          "variables",
        );
      case "GET secrets/public-key":
        return [200, { key_id: "double-key", key: Buffer.from("double-public-key").toString("base64") }];
      case "GET secrets/:":
        if (!e.secrets.has(name!)) throw new Refusal(404, "Not Found");
        return [200, { name, created_at: "2026-12-06T00:00:00Z", updated_at: "2026-12-06T00:00:00Z" }];
      case "PUT secrets/:": {
        const created = !e.secrets.has(name!);
        // GitHub stores the sealed value; the double keeps what the plugin sealed it from.
        e.secrets.set(name!, Buffer.from(String(body.encrypted_value), "base64").toString("utf8"));
        return [created ? 201 : 204, undefined];
      }
      case "DELETE secrets/:":
        if (!e.secrets.delete(name!)) throw new Refusal(404, "Not Found");
        return [204, undefined];
      case "POST variables":
        if (e.variables.has(body.name)) throw new Refusal(409, "Already exists");
        e.variables.set(body.name, body.value);
        return [201, {}];
      case "GET variables/:":
        if (!e.variables.has(name!)) throw new Refusal(404, "Not Found");
        return [200, { name, value: e.variables.get(name!), created_at: "2026-12-06T00:00:00Z", updated_at: "2026-12-06T00:00:00Z" }];
      case "PATCH variables/:":
        if (!e.variables.has(name!)) throw new Refusal(404, "Not Found");
        e.variables.set(name!, body.value);
        return [204, undefined];
      case "DELETE variables/:":
        if (!e.variables.delete(name!)) throw new Refusal(404, "Not Found");
        return [204, undefined];
    }
    throw new Refusal(404, "Not Found");
  }
}
