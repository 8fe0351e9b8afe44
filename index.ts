// The Pulumi program: reads this stack's `platform:*` config once, validates it into one typed
// object, and hands it to the Platform component. Nothing else in the program reads config.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform";
import { parsePlatformConfig, rawPlatformConfig, secureLeavesAgreeing } from "./config";
import { secureLeavesOf } from "./config/stack-file";

// `isConfigSecret` is the SDK's own test for a key that holds a `secure:` value; its typings leave
// it out. A structured key is secret as a whole when any leaf of it is.
const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

const { raw, secretKeys } = rawPlatformConfig(pulumi.runtime.allConfig(), (key) => runtime.isConfigSecret?.(key) === true);
// Pulumi says which top-level keys hold an encrypted value, not where in them: the stack file (in
// the project directory, where Pulumi runs the program) says where, when it agrees with Pulumi.
const secureLeaves = secureLeavesAgreeing(secureLeavesOf(process.cwd(), pulumi.getStack(), pulumi.getProject()), secretKeys);
const config = parsePlatformConfig(raw, {
  project: pulumi.getProject(),
  stack: pulumi.getStack(),
  secretKeys,
  ...(secureLeaves ? { secureLeaves } : {}),
  dryRun: pulumi.runtime.isDryRun(),
  warn: (message) => void pulumi.log.warn(message),
  // A review stack's pull-request head branch: set by the workflows (PLATFORM_GIT_BRANCH), or by
  // GitHub Actions in a pull-request run (GITHUB_HEAD_REF).
  ...(process.env.PLATFORM_GIT_BRANCH || process.env.GITHUB_HEAD_REF ? { headBranch: process.env.PLATFORM_GIT_BRANCH || process.env.GITHUB_HEAD_REF } : {}),
});

// The GitHub provider's credentials, each handed on as a secret (left to itself, @pulumi/github
// takes GITHUB_TOKEN as a plain input, which puts the token into the state in plain text):
// - the private key of the App in platform:github.app: github:appAuth's pemFile (set with
//   `pulumi config set --secret --path github:appAuth.pemFile`), else GITHUB_APP_PEM_FILE, the
//   provider's own variable; with it the provider runs as the App;
// - a token: `github:token`, else GITHUB_TOKEN (dev's personal token, or a preview's read-only one).
const githubConfig = new pulumi.Config("github");
const envAppKey = process.env.GITHUB_APP_PEM_FILE;
const githubAppPrivateKey =
  githubConfig.getSecretObject<{ pemFile?: string }>("appAuth")?.apply((a) => a.pemFile ?? "") ?? (envAppKey ? pulumi.secret(envAppKey) : undefined);
const envGithubToken = process.env.GITHUB_TOKEN;
const githubToken = githubConfig.getSecret("token") ?? (envGithubToken ? pulumi.secret(envGithubToken) : undefined);
if (config.github.app && !githubAppPrivateKey && !pulumi.runtime.isDryRun() && config.tier !== "preview") {
  throw new pulumi.RunError(
    `GITHUB_APP_PEM_FILE is not set: stack '${pulumi.getStack()}' runs \`pulumi up\` as the GitHub App ${config.github.app.id} (platform:github.app), with the App's private key. ` +
      "Set GITHUB_APP_PEM_FILE to the text of the App's .pem file, or store it in the stack: `pulumi config set --secret --path github:appAuth.pemFile < app.pem`. Nothing was created.",
  );
}

const platform = new Platform("platform", config, { ...(githubToken ? { githubToken } : {}), ...(githubAppPrivateKey ? { githubAppPrivateKey } : {}) });

export const tier = config.tier;
export const budgetUsd = config.budget.monthlyUsd;
export const secretNames = platform.secrets.names;
export const urls = platform.urls;
export const workflowFiles = platform.github?.workflowFiles ?? [];
