// One owner for each thing on GitHub that stacks could share: a branch's ruleset, a file on a
// branch, an environment. A stack plans alone and cannot see the others, so the plan, which runs
// every stack of the project, compares what they declare. Every active ruleset on a branch applies
// to every write there; two stacks writing one file or one environment overwrite each other at
// each `up`.
import type { ConfigProblem } from "../config/errors";
import type { PlannedResource } from "./run";

interface Declared {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
}

/** What one stack claims: a thing's identity, the config key behind it, and how to say it. */
interface Claim {
  readonly id: string;
  readonly key: string;
  readonly what: string;
  readonly fix: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** What a ruleset on a branch claims: one owner per branch of a repository. */
const rulesetClaim = (repository: string, branch: string) => `ruleset ${repository} ${branch}`;

function claimsOf(resources: readonly PlannedResource[]): Claim[] {
  const owner = text(resources.find((r) => r.type === "pulumi:providers:github")?.inputs.owner) ?? "";
  const claims: Claim[] = [];
  for (const r of resources) {
    const repository = `${owner}/${text(r.inputs.repository) ?? ""}`;
    if (r.type === "github:index/repositoryRuleset:RepositoryRuleset") {
      const refName = (r.inputs.conditions as { refName?: { includes?: unknown[] } } | undefined)?.refName;
      for (const ref of (refName?.includes ?? []).map(text).filter((x): x is string => x !== undefined)) {
        const branch = ref.replace(/^refs\/heads\//, "");
        claims.push({
          id: rulesetClaim(repository, branch),
          key: "platform:github.branchOwner",
          what: `protects '${branch}' of ${repository} with a ruleset`,
          fix: "every active ruleset on a branch applies to each write there, so one stack protects it, and the others name it in their platform:github.branchOwner (production always protects its own branch)",
        });
      }
    } else if (r.type === "github:index/repositoryFile:RepositoryFile") {
      const [branch, file] = [text(r.inputs.branch), text(r.inputs.file)];
      const ci = file?.endsWith("/ci.yml") === true;
      claims.push({
        id: `file ${repository} ${branch} ${file}`,
        key: ci ? "platform:github.manageRepository" : "platform:railway.environment",
        what: `commits ${file} to '${branch}' of ${repository}`,
        fix: ci
          ? "one stack owns the CI workflow on a branch: manageRepository in the one that owns the repository, requiredChecks only in the one that protects the branch"
          : "each stack deploys its own Railway environment, whose name names its deploy workflow: give each stack its own platform:railway.environment",
      });
    } else if (r.type === "github:index/repositoryEnvironment:RepositoryEnvironment") {
      const environment = text(r.inputs.environment);
      claims.push({
        id: `environment ${repository} ${environment}`,
        key: "platform:railway.environment",
        what: `makes the GitHub environment '${environment}' of ${repository}`,
        fix: "each stack has its own GitHub environment, named after its Railway environment: give each stack its own platform:railway.environment",
      });
    }
  }
  return claims;
}

/** The stack a stack names as the owner of the branch it deploys from, if it names one, with that branch's claim. */
function namedOwner(resources: readonly PlannedResource[]): { owner: string; claim: string; where: string } | undefined {
  const owner = text(resources.find((r) => r.type === "platform:github:GithubRepository")?.inputs.branchOwner);
  const branch = text(
    resources.find((r) => r.type === "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy")?.inputs.branchPattern,
  );
  const account = text(resources.find((r) => r.type === "pulumi:providers:github")?.inputs.owner) ?? "";
  const repository = text(resources.find((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment")?.inputs.repository) ?? "";
  if (owner === undefined || branch === undefined) return undefined;
  return { owner, claim: rulesetClaim(`${account}/${repository}`, branch), where: `'${branch}' of ${account}/${repository}` };
}

/**
 * Each stack's problems with what another planned stack also claims, or with the owner it names
 * for its branch (which must protect it, and be one of `projectStacks` when every stack's name is
 * known), by stack; none when each thing has one owner.
 */
export function ownershipProblems(stacks: readonly Declared[], projectStacks?: readonly string[]): Map<string, ConfigProblem[]> {
  const owners = new Map<string, { claim: Claim; stacks: string[] }>();
  for (const { stack, resources } of stacks) {
    for (const claim of claimsOf(resources)) {
      const entry = owners.get(claim.id) ?? { claim, stacks: [] };
      if (!entry.stacks.includes(stack)) entry.stacks.push(stack);
      owners.set(claim.id, entry);
    }
  }
  const problems = new Map<string, ConfigProblem[]>();
  for (const { stack, resources } of stacks) {
    const named = namedOwner(resources);
    if (!named) continue;
    const { owner, claim, where } = named;
    let message: string | undefined;
    if (!stacks.some((s) => s.stack === owner)) {
      // Not planned: refused only when the project's stacks are all known and it is not one of them.
      if (projectStacks !== undefined && !projectStacks.includes(owner)) {
        message = `names the stack '${owner}', which this project does not have: name the stack whose ruleset protects ${where}.`;
      }
    } else if (!owners.get(claim)?.stacks.includes(owner)) {
      message = `names the stack '${owner}', which does not protect ${where}: name the stack that does, or leave branchOwner out so this stack protects it.`;
    }
    if (message !== undefined) problems.set(stack, [{ key: "platform:github.branchOwner", message }]);
  }
  for (const { claim, stacks: shared } of owners.values()) {
    if (shared.length < 2) continue;
    for (const stack of shared) {
      const others = shared.filter((s) => s !== stack).map((s) => `'${s}'`);
      const message = `this stack ${claim.what}, and so does the stack ${others.join(" and ")}; ${claim.fix}.`;
      problems.set(stack, [...(problems.get(stack) ?? []), { key: claim.key, message }]);
    }
  }
  return problems;
}
