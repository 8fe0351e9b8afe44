// The GitHub double's routes under a repository's environment: branch policies, secrets and
// variables. State and the shared model are the double's (../double.ts).
import { Refusal, type GithubDouble, type RepositoryState } from "../double";

export function environmentRoute(
  double: GithubDouble,
  repo: RepositoryState,
  request: { method: string; url: URL; rest: readonly string[]; body: any },
): [number, unknown, Record<string, string>?] {
  const { method, url, rest, body } = request;
  // Under an environment: branch policies, secrets, variables.
  const e = rest[0] === "environments" ? repo.environments.get(rest[1]!) : undefined;
  if (rest[0] !== "environments" || !e) throw new Refusal(404, "Not Found");
  const sub = rest.slice(2);
  const name = sub[1];
  switch (sub.join("/") === "secrets/public-key" ? `${method} secrets/public-key` : `${method} ${sub[0]}${sub.length > 1 ? "/:" : ""}`) {
    case "POST deployment-branch-policies": {
      if (!e.deployment_branch_policy?.custom_branch_policies) throw new Refusal(404, "Custom branch policies are not enabled for this environment");
      if ([...e.policies.values()].some((p) => p.name === body.name)) throw new Refusal(303, "A policy for this branch already exists");
      const policy = { id: double.nextId++, name: body.name, type: body.type ?? "branch" };
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
      return double.page(
        url,
        [...e.policies.values()].map((p) => ({ ...p, node_id: `MDE2OkdhdGVCcmFuY2hQb2xpY3kx${p.id}` })),
        30,
        "branch_policies",
      );
    case "GET secrets":
      return double.page(
        url,
        [...e.secrets.keys()].sort().map((n) => ({ name: n, created_at: "2026-12-06T00:00:00Z", updated_at: "2026-12-06T00:00:00Z" })),
        30,
        "secrets",
      );
    case "GET variables":
      // Ten to a page unless asked: GitHub's default for this list.
      return double.page(
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
