// What the GitHub credential needs, per resource type and function the program uses: the
// fine-grained permissions (a GitHub App's, or a fine-grained token's) for `pulumi up`, and the read
// access a `pulumi preview --refresh` needs. The README's token table is rendered from this and
// checked against it, and a test holds it to the types the program declares.

export type Level = "read" | "write";

/** A permission of the repository, or of the organization (`org:`). */
export type Permission = readonly [scope: string, level: Level];

export interface Needs {
  /** Creating, updating and deleting it. */
  readonly up: readonly Permission[];
  /** Reading it back (a refresh, a preview with --refresh). */
  readonly read: readonly Permission[];
}

/** By type token (resources) or function token (invokes). From GitHub's REST reference, endpoint by endpoint. */
export const GITHUB_PERMISSIONS: Readonly<Record<string, Needs>> = {
  // PUT /repos/{o}/{r}/contents/{path} (and POST git/refs when the branch is made): files under
  // .github/workflows/ need Workflows too.
  "github:index/repositoryFile:RepositoryFile": {
    up: [
      ["Contents", "write"],
      ["Workflows", "write"],
    ],
    read: [["Contents", "read"]],
  },
  "github:index/repositoryRuleset:RepositoryRuleset": { up: [["Administration", "write"]], read: [["Administration", "read"]] },
  "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts": { up: [["Administration", "write"]], read: [["Administration", "read"]] },
  "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions": { up: [["Administration", "write"]], read: [["Administration", "read"]] },
  // PUT environments needs Administration; GET environments and their branch policies, Actions.
  "github:index/repositoryEnvironment:RepositoryEnvironment": {
    up: [
      ["Administration", "write"],
      ["Actions", "read"],
    ],
    read: [["Actions", "read"]],
  },
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": {
    up: [
      ["Administration", "write"],
      ["Actions", "read"],
    ],
    read: [["Actions", "read"]],
  },
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": { up: [["Environments", "write"]], read: [["Environments", "read"]] },
  "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": { up: [["Environments", "write"]], read: [["Environments", "read"]] },
  "github:index/getTeam:getTeam": { up: [["org:Members", "read"]], read: [["org:Members", "read"]] },
  "github:index/getRepositoryTeams:getRepositoryTeams": { up: [["Administration", "read"]], read: [["Administration", "read"]] },
  "github:index/getUser:getUser": { up: [], read: [] },
  // GET /repos/{o}/{r}: Metadata, which every credential has.
  "github:index/getRepository:getRepository": { up: [], read: [] },
  // GET /orgs/{org}: its plan shows only to a credential with the organization's Plan permission.
  "github:index/getOrganization:getOrganization": { up: [["org:Plan", "read"]], read: [["org:Plan", "read"]] },
};

const ORDER = ["Actions", "Administration", "Contents", "Environments", "Metadata", "Workflows"];

/** The strongest level of each permission the given needs ask, Metadata read always (GitHub grants it to every token). */
function union(lists: ReadonlyArray<readonly Permission[]>): Map<string, Level> {
  const out = new Map<string, Level>([["Metadata", "read"]]);
  for (const [scope, level] of lists.flat()) if (out.get(scope) !== "write") out.set(scope, level);
  return out;
}

/** "Actions read, Administration read and write, …; on the organization, Members read": for the README. */
export function renderPermissions(which: "up" | "read", types: readonly string[] = Object.keys(GITHUB_PERMISSIONS)): string {
  const all = union(types.map((t) => GITHUB_PERMISSIONS[t]![which]));
  const word = (level: Level) => (level === "write" ? "read and write" : "read");
  const repo = [...all].filter(([s]) => !s.startsWith("org:")).sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b) || a.localeCompare(b));
  const org = [...all].filter(([s]) => s.startsWith("org:"));
  return `${repo.map(([s, l]) => `${s} ${word(l)}`).join(", ")}${org.length > 0 ? `; on the organization, ${org.map(([s, l]) => `${s.slice(4)} ${word(l)}`).join(", ")}` : ""}`;
}
