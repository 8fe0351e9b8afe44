// The type tokens of the resources the policies look at, as the program registers them; the dynamic
// ones come from each cloud's registry of kinds.
import { railwayType } from "../components/railway/kinds";
import { supabaseType } from "../components/supabase/kinds";

export const TYPES = {
  railwayProject: railwayType("project"),
  railwayEnvironment: railwayType("environment"),
  railwayService: railwayType("service"),
  railwayServiceInstance: railwayType("service-instance"),
  railwayVariables: railwayType("variables"),
  railwayCustomDomain: railwayType("custom-domain"),
  railwayServiceDomain: railwayType("service-domain"),
  railwayVolume: railwayType("volume"),
  railwayDeployment: railwayType("deployment"),
  railwayEgress: railwayType("egress"),
  supabaseProject: supabaseType("project"),
  supabaseSettings: supabaseType("settings"),
  supabaseNetwork: supabaseType("network"),
  supabaseBranch: supabaseType("branch"),
  redis: "platform:railway:Redis",
  railwayServiceComponent: "platform:railway:RailwayService",
  platform: "platform:index:Platform",
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
