// From what GitHub holds to `platform:github`, for `npm run import`: a pure function of what
// ./read-github.ts read.
import { looksSecret } from "../../config";
import type { Tier } from "../../config/catalog";
import { platformGithubVariables } from "../../config/names";
import type { LiveGithub, LiveRuleset } from "./read-github";

type Props = Record<string, any>;

/** The program's own ruleset name for an environment's branch (components/github/repository.ts). */
const RULESET_NAME = /^(.+): protect (.+)$/;

export interface GithubImport {
  /** `platform:github`'s keys that GitHub settles (owner and repository aside). */
  readonly github: Props;
  /** Secret names the environment holds: declared `{ supplied: true }`, their values set by the user. */
  readonly secrets: readonly string[];
  readonly report: ReadonlyArray<{ where: string; what: string }>;
  readonly notes: readonly string[];
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
  const app = live.app;
  if (app) github.app = { id: app.id, installationId: app.installationId };
  if (app && onBranch.length > 0 && !onBranch.some((r) => r.bypassActors.some((a) => a.actor_type === "Integration" && a.actor_id === app.id))) {
    report.push({
      where: `the ruleset${onBranch.length > 1 ? "s" : ""} on ${branch}`,
      what: `let${onBranch.length > 1 ? "" : "s"} no GitHub App through, and the import ran as the App ${app.id}, which the stack names: the first \`pulumi up\` makes its own ruleset with the App as a bypass actor.`,
    });
  }
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
    return { github, secrets: [], report, notes };
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
  return { github, secrets: [...env.secrets].sort(), report, notes };
}
