// Rules across platform:github and the rest: the secrets and variables it hands to Actions, its
// reviewers, the CI runtime, the branch's owner, and the App that runs `pulumi up`.
import { CI_DEFAULTS } from "../defaults";
import { MIN_NODE_MAJOR } from "../catalog";
import { closest } from "../errors";
import { looksSecret, platformGithubVariables } from "../names";
import type { GithubConfig } from "../schema";
import { isObject, type Problem, type Rule, type RuleInput } from "./rule";

/** A rule about platform:github, run when it parsed. */
function githubRule(name: string, check: (github: GithubConfig, input: RuleInput) => Problem[]): Rule {
  return { name, check: (input) => (input.github ? check(input.github, input) : []) };
}

export const GITHUB_RULES: readonly Rule[] = [
  githubRule("github-secrets-declared", (github, { declaredSecrets, show }) =>
    github.secrets.flatMap((name, i) => {
      if (declaredSecrets.has(name)) return [];
      const guess = closest(name, [...declaredSecrets]);
      return [
        {
          path: ["github", "secrets", i],
          message: `names the secret ${show(["github"], name)}, which platform:secrets does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it (usually { supplied: true }) or remove it here.`,
        },
      ];
    }),
  ),

  githubRule("github-variables-not-the-platforms", (github, { raw }) => {
    const reserved = platformGithubVariables(Object.keys(isObject(raw.services) ? raw.services : {}));
    return Object.keys(github.variables)
      .filter((name) => reserved.includes(name))
      .map((name) => ({
        path: ["github", "variables", name],
        message: `is set by the platform in every environment (${reserved.join(", ")}); use another name.`,
      }));
  }),

  githubRule("github-variables-not-secret", (github) =>
    Object.keys(github.variables)
      .filter(looksSecret)
      .map((name) => ({
        path: ["github", "variables", name],
        message:
          "looks like a secret, and Actions variables are stored in plain text. Declare it under platform:secrets and list it in platform:github.secrets.",
      })),
  ),

  // GitHub looks a team up in the repository owner's organization; another org's team is not one GitHub can take.
  githubRule("reviewer-teams-of-the-owner", (github, { show }) =>
    github.reviewers.flatMap((reviewer, i) => {
      const org = reviewer.includes("/") ? reviewer.split("/")[0]! : undefined;
      if (org === undefined || org.toLowerCase() === github.owner.toLowerCase()) return [];
      return [
        {
          path: ["github", "reviewers", i],
          message: `names ${show(["github", "reviewers"], reviewer)}, a team of the organization '${org}', but the repository belongs to ${show(["github"], github.owner)}: a reviewer team must be one of ${show(["github"], github.owner)}'s teams (write '${github.owner}/${reviewer.split("/")[1]}').`,
        },
      ];
    }),
  ),

  githubRule("migrations-run-in-railway", (github) =>
    github.deploy.migrate !== undefined
      ? [
          {
            path: ["github", "deploy", "migrate"],
            message:
              "is no longer supported: migrations run inside Railway, before a new deployment takes traffic, with the service's own DIRECT_URL. " +
              "Move the command to platform:services.<name>.preDeployCommand (e.g. preDeployCommand: npx prisma migrate deploy) and remove github.deploy.migrate.",
          },
        ]
      : [],
  ),

  githubRule("supported-node-version", (github, { show }) =>
    github.ci.runtime === "node" && Number(github.ci.version.split(".")[0]) < MIN_NODE_MAJOR
      ? [
          {
            path: ["github", "ci", "version"],
            message: `${show(["github", "ci"], github.ci.version)} is a Node.js release past its end of life; use ${MIN_NODE_MAJOR} or newer (the default is ${String(CI_DEFAULTS.node.version)}).`,
          },
        ]
      : [],
  ),

  // One ruleset per branch: every active ruleset on a branch applies to each write there, so a
  // stack that leaves the protection of its branch to another has no checks of its own to require,
  // and production's branch is protected by production, whose ruleset exempts only the App.
  githubRule("one-owner-per-branch", (github, { tier, stack, show }) => {
    if (github.branchOwner !== undefined && tier === "production") {
      return [
        {
          path: ["github", "branchOwner"],
          message: `names ${show(["github"], github.branchOwner)}, but production protects the branch it deploys from (${show(["github"], github.branch)}) itself: its ruleset lets nobody but the App and bypassActors past. Name production as branchOwner in the other stacks that deploy from that branch instead.`,
        },
      ];
    }
    if (github.branchOwner === stack) {
      return [
        {
          path: ["github", "branchOwner"],
          message: `names this stack itself; leave it out (a stack protects its own branch unless it names another stack that does).`,
        },
      ];
    }
    if (github.branchOwner !== undefined && github.requiredChecks.length > 0) {
      return [
        {
          path: ["github", "requiredChecks"],
          message: `is set, but the ruleset on ${show(["github"], github.branch)} is the stack ${show(["github"], github.branchOwner)}'s (branchOwner), and this stack makes none to require them. List them in that stack, or remove them here.`,
        },
      ];
    }
    return [];
  }),

  // The stack commits its workflow files to the branch its ruleset protects with pull requests:
  // whoever runs `pulumi up` must be able to bypass that ruleset, or a workflow change fails with
  // "Repository rule violations found". Staging and production run as a GitHub App, the bypass
  // actor of every ruleset the program makes (rulesets stack: each one on a branch applies to
  // every write there). Dev may run with a personal token instead, as a repository admin.
  githubRule("staging-and-production-run-as-an-app", (github, { tier, show }) =>
    (tier === "production" || tier === "staging") && github.app === undefined
      ? [
          {
            path: ["github", "app"],
            message:
              `is required in a ${tier} stack: its \`pulumi up\` runs as a GitHub App, which commits the workflow files to ${show(["github"], github.branch)} past the rulesets. ` +
              "Write { id: <the App ID, on the App's settings page>, installationId: <the id at the end of the installation's settings URL> }, and give the App's private key in GITHUB_APP_PEM_FILE.",
          },
        ]
      : [],
  ),
];
