// The type tokens of the resources the policies look at, as the program registers them.
export const TYPES = {
  railwayProject: "pulumi-nodejs:dynamic/railway-project:Project",
  railwayEnvironment: "pulumi-nodejs:dynamic/railway-environment:Environment",
  railwayService: "pulumi-nodejs:dynamic/railway-service:Service",
  railwayServiceInstance: "pulumi-nodejs:dynamic/railway-service-instance:ServiceInstance",
  railwayVariables: "pulumi-nodejs:dynamic/railway-variables:Variables",
  railwayCustomDomain: "pulumi-nodejs:dynamic/railway-custom-domain:CustomDomain",
  railwayServiceDomain: "pulumi-nodejs:dynamic/railway-service-domain:ServiceDomain",
  railwayVolume: "pulumi-nodejs:dynamic/railway-volume:Volume",
  supabaseProject: "pulumi-nodejs:dynamic/supabase-project:Project",
  supabaseSettings: "pulumi-nodejs:dynamic/supabase-settings:Settings",
  supabaseBranch: "pulumi-nodejs:dynamic/supabase-branch:Branch",
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
