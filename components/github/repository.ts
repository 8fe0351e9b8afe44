// The application repository's side of a stack on GitHub: protection of the deploy branch, the
// stack's environment (reviewers, branch policy), its Actions secrets and variables, and the
// generated workflows. Repository-wide settings and the CI workflow belong to the one stack with
// `platform:github.manageRepository` (production by default).
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { REGISTRY_SECRET, type PlatformConfig } from "../../config";
import { TOP_LEVEL_DEFAULTS } from "../../config/defaults";
import { envName } from "../../config/names";
import { ciCheckNames, ciModel, deployModel } from "./models";
import { ciWorkflow, deployWorkflow, renderWorkflow, type DeployModel } from "./workflows";

export { ciCheckNames, ciModel, deployModel } from "./models";

export interface GithubRepositoryArgs {
  readonly config: PlatformConfig;
  /** Every declared secret's value, by name (Pulumi secrets). */
  readonly secretValues: Readonly<Record<string, pulumi.Output<string>>>;
  /** Each public service's `https://` URL, by service name. */
  readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
  /** A token for the provider (kept a secret): dev's personal token, or a preview's read-only one. */
  readonly token?: pulumi.Input<string>;
  /** The private key of the GitHub App named in `platform:github.app` (kept a secret): the provider mints its own installation tokens with it. */
  readonly appPrivateKey?: pulumi.Input<string>;
}

/** The branch the repository-managing stack (production by default) commits CI to. */
const MANAGED_BRANCH = (TOP_LEVEL_DEFAULTS.production.github as { branch: string }).branch;

/**
 * The GitHub Actions app's id: a required check tied to it is satisfied only by a check run from
 * Actions, not by a commit status anyone with write access can post.
 */
export const GITHUB_ACTIONS_APP_ID = 15368;

/** GitHub's built-in repository role ids (rulesets' RepositoryRole actors): 5 is admin. */
const ADMIN_ROLE = 5;

/**
 * Fails the run with the problems, if any, once they are known: each logged as an error, and the
 * program's exit code the one that tells Pulumi's language host an error was already reported (32,
 * the Node runtime's own for a RunError). Not by throwing: an error in a resource's input, or a
 * rejection left unhandled, leaves the run waiting on a registration that never comes.
 */
const ERROR_ALREADY_REPORTED = 32;
function failWith(problems: pulumi.Output<string[]>): void {
  problems.apply((found) => {
    if (found.length === 0) return;
    void pulumi.log.error(found.join("\n"));
    process.exitCode = ERROR_ALREADY_REPORTED;
  });
}

/**
 * What GitHub would refuse for this repository: required reviewers on a private or internal
 * repository outside GitHub Enterprise, and rulesets on a private repository of a Free organization
 * (GitHub's docs: environments' protection rules and rulesets by plan). `plan` is the organization's,
 * "personal" for a personal account (never on Enterprise); nothing is said of what is unknown.
 */
export function planLimitProblems(
  gh: Pick<PlatformConfig["github"], "owner" | "repository" | "reviewers" | "branchOwner">,
  visibility: string | undefined,
  plan: string | undefined,
): string[] {
  if (visibility === undefined || visibility === "public") return [];
  const problems: string[] = [];
  const where = `${gh.owner}/${gh.repository} is ${visibility}${plan === "personal" ? ` and ${gh.owner} is a personal account` : plan ? ` and ${gh.owner} is on GitHub's '${plan}' plan` : ""}`;
  if (gh.reviewers.length > 0 && plan !== undefined && plan !== "enterprise") {
    problems.push(
      `platform:github.reviewers: required reviewers on a private or internal repository need GitHub Enterprise (GitHub Free, Pro and Team offer them on public repositories only), and ${where}; GitHub would refuse the environment. Remove the reviewers, make the repository public, or move to GitHub Enterprise.`,
    );
  }
  if (plan === "free" && gh.branchOwner === undefined) {
    problems.push(
      `platform:github.branch: rulesets on a private repository need GitHub Team or Enterprise for an organization, and ${where}; GitHub would refuse the branch's ruleset. Make the repository public or upgrade the organization's plan.`,
    );
  }
  return problems;
}

/**
 * Why GitHub would drop this reviewer team from the environment: it has no access to the
 * repository. `access` lists the teams that have (undefined when unknown, as in the offline plan).
 */
export function reviewerTeamProblem(repository: string, slug: string, access: ReadonlyArray<{ slug: string }> | undefined): string | undefined {
  if (access === undefined || access.some((t) => t.slug === slug)) return undefined;
  return (
    `platform:github.reviewers: the team '${slug}' has no access to ${repository}, so GitHub would drop it from the environment's reviewers without an error, ` +
    `and deployments would wait for nobody. Give the team read access (the repository's Settings → Collaborators and teams), then run this again.`
  );
}

/**
 * Who may bypass a ruleset the program makes: the App that runs `up` (in every ruleset, so the
 * stacks that share a branch never lock each other out), repository admins outside production,
 * and the actors config names, each once.
 */
export function bypassActorsOf(
  gh: Pick<PlatformConfig["github"], "app" | "bypassActors">,
  production: boolean,
): Array<{ actorId?: number; actorType: string; bypassMode: string }> {
  const actors = [
    ...(gh.app ? [{ actorId: gh.app.id, actorType: "Integration" }] : []),
    ...(production ? [] : [{ actorId: ADMIN_ROLE, actorType: "RepositoryRole" }]),
    ...gh.bypassActors.map((a) => ({ ...(a.id !== undefined ? { actorId: a.id } : {}), actorType: a.type })),
  ];
  const seen = new Set<string>();
  return actors.filter((a) => !seen.has(`${a.actorType}:${a.actorId}`) && seen.add(`${a.actorType}:${a.actorId}`)).map((a) => ({ ...a, bypassMode: "always" }));
}

/** What every step of the repository's side reads: the config, its deploy workflow's model, and the options of its resources. */
interface Step {
  readonly name: string;
  readonly config: PlatformConfig;
  readonly deploy: DeployModel;
  readonly child: { readonly parent: pulumi.Resource; readonly provider: github.Provider };
}

export class GithubRepository extends pulumi.ComponentResource {
  /** The workflow files this stack commits, by path. */
  public readonly workflowFiles: readonly string[];

  constructor(name: string, args: GithubRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    // The stack that protects the branch, when it is another: the policies read it here.
    const owner = args.config.github.branchOwner !== undefined ? { branchOwner: args.config.github.branchOwner } : {};
    super("platform:github:GithubRepository", name, owner, opts);
    const step: Step = { name, config: args.config, deploy: deployModel(args.config), child: { parent: this, provider: this.makeProvider(name, args) } };
    if (args.config.github.manageRepository) this.repositorySettings(step);
    const files = this.workflows(step);
    this.workflowFiles = files.map((f) => f.path);
    this.checkPlanLimits(step);
    this.protectBranch(
      step,
      files.map((f) => f.resource),
    );
    const environment = this.environment(step);
    this.secretsAndVariables(step, environment, args);
    this.registerOutputs({ workflowFiles: this.workflowFiles, ...owner });
  }

  /**
   * The provider: as the App when its key is given (it mints an installation token per run, which
   * expires within the hour and is never stored), otherwise with the token given; a secret either way.
   */
  private makeProvider(name: string, args: GithubRepositoryArgs): github.Provider {
    const gh = args.config.github;
    const credential =
      gh.app && args.appPrivateKey !== undefined
        ? { appAuth: { id: String(gh.app.id), installationId: String(gh.app.installationId), pemFile: pulumi.secret(args.appPrivateKey) } }
        : args.token !== undefined
          ? { token: pulumi.secret(args.token) }
          : {};
    return new github.Provider(`${name}-provider`, { owner: gh.owner, ...credential }, { parent: this });
  }

  /** Repository-wide settings, by the stack that manages the repository. */
  private repositorySettings({ name, config, child }: Step): void {
    const repository = config.github.repository;
    // Repository-wide settings outlive the stack: the provider's delete would turn Dependabot
    // alerts off and hand workflows GitHub's defaults back.
    const kept = { ...child, retainOnDelete: true };
    new github.RepositoryVulnerabilityAlerts(`${name}-vulnerability-alerts`, { repository, enabled: true }, kept);
    new github.WorkflowRepositoryPermissions(
      `${name}-workflow-permissions`,
      { repository, defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false },
      kept,
    );
  }

  /** The workflow files this stack commits to its branch, one after another. */
  private workflows({ name, config, deploy, child }: Step): Array<{ path: string; resource: github.RepositoryFile }> {
    const gh = config.github;
    const repository = gh.repository;
    const files: Array<{ path: string; resource: github.RepositoryFile }> = [];
    const commit = (resourceName: string, file: string, content: string): void => {
      files.push({
        path: file,
        resource: new github.RepositoryFile(
          resourceName,
          {
            repository,
            branch: gh.branch,
            file,
            content,
            commitMessage: `Update ${file} from the platform program`,
            // No author: GitHub then records the identity that runs `up` (a GitHub App's commits
            // are signed and verified). An author's address would credit whoever owns it.
            overwriteOnCreate: true,
            // The branch this environment deploys from is made from main (production's branch,
            // which the program takes as the repository's default) by the first file committed to
            // it, when it is missing. Not a github.Branch: that resource records the branch's head,
            // so every push would show as drift at each refresh, and its delete would remove the
            // team's branch. Not the default branch read at preview either: a preview would then
            // need GitHub, and an unknown source would show as a change.
            autocreateBranch: true,
            autocreateBranchSourceBranch: MANAGED_BRANCH,
          },
          // One after another: two files made at once on a missing branch would both create it,
          // and the second would get GitHub's 422 "Reference already exists".
          { ...child, dependsOn: files.map((f) => f.resource) },
        ),
      });
    };

    // CI on this branch too: a pull request runs the workflows of its base branch, so a ruleset
    // that requires checks on this branch needs the CI workflow here, not only on main. On main
    // the stack that manages the repository commits it (one owner per file).
    if (gh.manageRepository || (gh.requiredChecks.length > 0 && gh.branch !== MANAGED_BRANCH)) {
      const ci = ciModel(config, ["main", "develop", "staging"].includes(gh.branch) ? ["main", "develop", "staging"] : ["main", gh.branch]);
      commit(`${name}-ci-workflow`, ".github/workflows/ci.yml", renderWorkflow(ciWorkflow(ci)));
      const produced = new Set(ciCheckNames(ci));
      const unknown = gh.requiredChecks.filter((c) => !produced.has(c));
      if (unknown.length > 0) {
        void pulumi.log.warn(
          `platform:github.requiredChecks names checks the generated CI does not report (${unknown.join(", ")}); it reports: ${[...produced].join(", ")}.`,
          this,
        );
      }
    }
    if (deploy.services.length > 0) {
      commit(`${name}-deploy-workflow`, `.github/workflows/deploy-${config.railway.environment}.yml`, renderWorkflow(deployWorkflow(deploy)));
    }
    return files;
  }

  /**
   * What the repository's plan allows, checked at preview from the repository's visibility and its
   * organization's plan; the run fails, naming the key, on what GitHub would refuse. Unknown in the
   * offline plan, or when GitHub cannot say: then GitHub's own answer at `up` stands.
   */
  private checkPlanLimits({ config, child }: Step): void {
    const gh = config.github;
    const visibility = pulumi.output(
      github.getRepository({ name: gh.repository }, child).then(
        (r) => r.visibility || undefined,
        () => undefined,
      ),
    );
    // An owner that is no organization (404) is a personal account; an organization shows its plan
    // only to a credential with the Plan permission (else it is left unknown).
    const plan = pulumi.output(
      github.getOrganization({ name: gh.owner, summaryOnly: true }, child).then(
        (o) => o.plan || undefined,
        (err: unknown) => (/\b404\b|Not Found/.test(String(err)) ? "personal" : undefined),
      ),
    );
    failWith(pulumi.all([visibility, plan]).apply(([v, p]) => planLimitProblems(gh, v, p)));
  }

  /**
   * The branch this environment deploys from: no force push, no deletion, reviewed pull requests,
   * the required checks. In production nobody is exempt but the actors named in config; elsewhere
   * repository admins may bypass. Created after the workflow files, which are committed to this
   * branch directly. Made only by the stack that owns the branch: one ruleset per branch
   * (branchOwner names the owner when it is another stack).
   */
  private protectBranch({ name, config, child }: Step, files: readonly github.RepositoryFile[]): void {
    const gh = config.github;
    const production = config.tier === "production";
    if (gh.branchOwner === undefined) {
      new github.RepositoryRuleset(
        `${name}-branch-ruleset`,
        {
          repository: gh.repository,
          name: `${config.railway.environment}: protect ${gh.branch}`,
          target: "branch",
          enforcement: "active",
          conditions: { refName: { includes: [`refs/heads/${gh.branch}`], excludes: [] } },
          bypassActors: bypassActorsOf(gh, production),
          rules: {
            deletion: true,
            nonFastForward: true,
            pullRequest: {
              requiredApprovingReviewCount: 1,
              dismissStaleReviewsOnPush: true,
              requireLastPushApproval: production,
              requiredReviewThreadResolution: production,
            },
            ...(gh.requiredChecks.length > 0
              ? {
                  requiredStatusChecks: {
                    requiredChecks: gh.requiredChecks.map((context) => ({ context, integrationId: GITHUB_ACTIONS_APP_ID })),
                    strictRequiredStatusChecksPolicy: true,
                  },
                }
              : {}),
          },
        },
        { ...child, dependsOn: [...files] },
      );
    }
  }

  /**
   * The environment its deployments run in: only from its branch; in production, approved by the
   * reviewers, never by the person who triggered them. GitHub drops a reviewer team without access
   * to the repository, saying nothing: refused here instead, once GitHub has said which teams have
   * access (not in the offline plan).
   */
  private environment({ name, config, child }: Step): github.RepositoryEnvironment {
    const gh = config.github;
    const production = config.tier === "production";
    const repository = gh.repository;
    const withAccess: pulumi.Output<ReadonlyArray<{ slug: string }> | undefined> = gh.reviewers.some((r) => r.includes("/"))
      ? github.getRepositoryTeamsOutput({ name: repository }, child).teams
      : pulumi.output(undefined);
    const teams = gh.reviewers
      .filter((r) => r.includes("/"))
      .map((r) => {
        const slug = r.split("/")[1]!;
        failWith(withAccess.apply((access) => [reviewerTeamProblem(`${gh.owner}/${repository}`, slug, access)].filter((p): p is string => p !== undefined)));
        return github.getTeamOutput({ slug, summaryOnly: true }, child).id.apply(Number);
      });
    const users = gh.reviewers.filter((r) => !r.includes("/")).map((r) => github.getUserOutput({ username: r }, child).id.apply(Number));
    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository,
        environment: config.railway.environment,
        ...(gh.reviewers.length > 0 ? { reviewers: [{ teams, users }] } : {}),
        // GitHub refuses prevent_self_review without reviewers (422).
        preventSelfReview: production && gh.reviewers.length > 0,
        canAdminsBypass: !production,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      child,
    );
    new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-environment-branch`,
      { repository, environment: environment.environment, branchPattern: gh.branch },
      child,
    );
    return environment;
  }

  /** The environment's Actions secrets and variables: the platform's own variables, and each public service's URL. */
  private secretsAndVariables({ name, config, deploy, child }: Step, environment: github.RepositoryEnvironment, args: GithubRepositoryArgs): void {
    const gh = config.github;
    const repository = gh.repository;
    // The deploy workflow pushes the images it builds with the token that pushed their first one.
    const environmentSecrets = deploy.services.some((s) => s.build) && !gh.secrets.includes(REGISTRY_SECRET) ? [...gh.secrets, REGISTRY_SECRET] : gh.secrets;
    for (const secretName of environmentSecrets) {
      new github.ActionsEnvironmentSecret(
        `${name}-secret-${secretName.toLowerCase().replace(/_/g, "-")}`,
        { repository, environment: environment.environment, secretName, value: args.secretValues[secretName]! },
        child,
      );
    }
    const variables: Record<string, pulumi.Input<string>> = { RAILWAY_ENVIRONMENT: config.railway.environment, ...gh.variables };
    for (const [service, url] of Object.entries(args.urls)) variables[`${envName(service)}_URL`] = url;
    for (const [variableName, value] of Object.entries(variables)) {
      new github.ActionsEnvironmentVariable(
        `${name}-variable-${variableName.toLowerCase().replace(/_/g, "-")}`,
        { repository, environment: environment.environment, variableName, value },
        child,
      );
    }
  }
}
