// The GitHub double's routes for a repository itself: the repository, its teams, branches and
// refs, file contents (commits), vulnerability alerts, the workflow token, rulesets and environments.
// State and the shared model are the double's (../double.ts).
import { randomBytes } from "node:crypto";
import { Refusal, sha, type GithubActor, type GithubDouble, type RepositoryState, type RulesetState, type EnvironmentState } from "../double";

/** The answer to a request under /repos/{owner}/{name}/, or undefined when it is under an environment. */
export function repositoryRoute(
  double: GithubDouble,
  repo: RepositoryState,
  request: { method: string; url: URL; rest: readonly string[]; key: string; body: any; actor: GithubActor },
): [number, unknown, Record<string, string>?] | undefined {
  const { method, url, rest, key, body, actor } = request;
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
      const teams = [...double.teams.entries()].filter(([slug]) => double.teamAccess.get(slug)?.has(full));
      return [200, teams.map(([slug, id]) => ({ id, slug: slug.split("/")[1], name: slug.split("/")[1], permission: double.teamAccess.get(slug)!.get(full) }))];
    }
    case key.startsWith("GET git/ref/heads/"): {
      const name = rest.slice(3).join("/");
      const branch = repo.branches.get(name);
      if (!branch) throw new Refusal(404, "Not Found");
      return [200, { ref: `refs/heads/${name}`, object: { type: "commit", sha: double.headOf(repo, name) } }];
    }
    case key === "POST git/refs": {
      const ref = String(body.ref ?? "");
      if (!/^refs\/heads\/./.test(ref)) throw new Refusal(422, "Reference name must start with 'refs/' and have at least two slashes.");
      const name = ref.slice("refs/heads/".length);
      if (repo.branches.has(name)) throw new Refusal(422, "Reference already exists");
      const source = [...repo.branches.keys()].find((b) => double.headOf(repo, b) === body.sha);
      if (!source) throw new Refusal(422, "Object does not exist");
      // Creating a branch is a write the rulesets that cover its name govern too.
      const violation = double.ruleViolation(repo, name, actor, "creation");
      if (violation) throw new Refusal(422, violation);
      const from = repo.branches.get(source)!;
      repo.branches.set(name, { files: new Map([...from.files].map(([path, file]) => [path, { ...file }])), commits: [...from.commits] });
      return [201, { ref, object: { type: "commit", sha: body.sha } }];
    }
    case key.startsWith("DELETE git/refs/heads/"): {
      const name = rest.slice(3).join("/");
      if (!repo.branches.has(name)) throw new Refusal(422, "Reference does not exist");
      const violation = double.ruleViolation(repo, name, actor, "deletion");
      if (violation) throw new Refusal(422, violation);
      repo.branches.delete(name);
      return [204, undefined];
    }
    case key === "GET branches/:": {
      const branch = repo.branches.get(rest[1]!);
      if (!branch) throw new Refusal(404, "Branch not found");
      return [200, { name: rest[1], commit: { sha: double.headOf(repo, rest[1]!) } }];
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
      const violation = double.ruleViolation(repo, ref, actor);
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
      if (repo.visibility !== "public" && (double.organizations.get(repo.owner) ?? "free") === "free")
        throw new Refusal(403, "Upgrade to GitHub Team or make this repository public to enable this feature.");
      const id = method === "POST" ? double.nextId++ : Number(rest[1]);
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
      return double.page(
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
      return [200, double.environmentView(repo, e)];
    }
    case key === "PUT environments/:": {
      const reviewers: Array<{ type: "User" | "Team"; id: number }> = body.reviewers ?? [];
      if (body.prevent_self_review && reviewers.length === 0)
        throw new Refusal(422, "Required reviewers must have at least one reviewer to set prevent_self_review");
      // Required reviewers on a private or internal repository: GitHub Enterprise only (the message is ours; GitHub's docs state the rule).
      if (reviewers.length > 0 && repo.visibility !== "public" && double.organizations.get(repo.owner) !== "enterprise")
        throw new Refusal(422, "Required reviewers are not available for private repositories on this plan");
      for (const r of reviewers) {
        const known = r.type === "Team" ? [...double.teams.values()].includes(r.id) : [...double.users.values()].includes(r.id);
        if (!known) throw new Refusal(422, `Reviewer ${r.type} ${r.id} does not exist`);
      }
      // A team without access to the repository is dropped from the reviewers, with no error.
      const full = `${repo.owner}/${repo.name}`;
      const kept = reviewers.filter(
        (r) => r.type !== "Team" || [...double.teams.entries()].some(([slug, id]) => id === r.id && double.teamAccess.get(slug)?.has(full)),
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
      return [200, double.environmentView(repo, e)];
    }
    case key === "DELETE environments/:":
      if (!repo.environments.delete(rest[1]!)) throw new Refusal(404, "Not Found");
      return [204, undefined];
  }
  return undefined;
}
