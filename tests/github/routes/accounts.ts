// The GitHub double's routes for accounts: users, organizations (their plan) and teams (their
// repositories). State and the shared model are the double's (../double.ts).
import { Refusal, type GithubDouble } from "../double";

/** The answer to a request about an account, or undefined when the path is not one. */
export function accountRoute(double: GithubDouble, method: string, parts: readonly string[]): [number, unknown, Record<string, string>?] | undefined {
  if (parts[0] === "users" && parts.length === 2 && method === "GET") {
    const id = double.users.get(parts[1]!);
    if (id === undefined) throw new Refusal(404, "Not Found");
    return [200, { login: parts[1], id, node_id: `U_${id}` }];
  }
  if (parts[0] === "orgs" && parts.length === 2 && method === "GET") {
    const plan = double.organizations.get(parts[1]!);
    if (plan === undefined) throw new Refusal(404, "Not Found");
    return [200, { login: parts[1], id: 1, plan: { name: plan } }];
  }
  if (parts[0] === "orgs" && parts[2] === "teams" && parts.length === 5 && method === "GET" && ["members", "repos"].includes(parts[4]!)) {
    const slug = `${parts[1]}/${parts[3]}`;
    if (!double.teams.has(slug)) throw new Refusal(404, "Not Found");
    if (parts[4] === "members") return [200, []];
    return [
      200,
      [...(double.teamAccess.get(slug) ?? new Map<string, string>()).entries()].map(([full, permission]) => ({
        full_name: full,
        name: full.split("/")[1],
        permissions: { [permission]: true },
      })),
    ];
  }
  if (parts[0] === "orgs" && parts[2] === "teams" && parts.length === 4 && method === "GET") {
    const id = double.teams.get(`${parts[1]}/${parts[3]}`);
    if (id === undefined) throw new Refusal(404, "Not Found");
    return [200, { id, node_id: `T_${id}`, slug: parts[3], name: parts[3] }];
  }
  return undefined;
}
