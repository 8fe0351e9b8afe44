// The type tokens of the resources the policies look at, as the program registers them: the
// `platform` provider's kinds from its table, and the components' and other providers' types.
import { KIND_TYPES } from "../components/provider/kinds";

export const TYPES = {
  ...KIND_TYPES,
  redis: "platform:railway:Redis",
  railwayServiceComponent: "platform:railway:RailwayService",
  platform: "platform:index:Platform",
  githubRepository: "platform:github:GithubRepository",
  randomBytes: "random:index/randomBytes:RandomBytes",
  randomPassword: "random:index/randomPassword:RandomPassword",
  githubRuleset: "github:index/repositoryRuleset:RepositoryRuleset",
  githubEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  githubEnvironmentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  githubWorkflowPermissions: "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
  githubVulnerabilityAlerts: "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts",
  githubFile: "github:index/repositoryFile:RepositoryFile",
  githubActionsSecret: "github:index/actionsSecret:ActionsSecret",
  githubEnvironmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
} as const;

/** A stand-in for a resource class, so `validateResourceOfType` can match a type token. */
export function typeRef(token: string): any {
  return { __pulumiType: token };
}
