// Every policy of the pack, one per file under rules/.
import packageJson from "./package.json";
import type { PlatformPolicy } from "./policy";
import costRailwayMemoryWithinCap from "./rules/cost-railway-memory-within-cap";
import costRailwayReplicasWithinCap from "./rules/cost-railway-replicas-within-cap";
import costRailwayVcpuWithinCap from "./rules/cost-railway-vcpu-within-cap";
import costStackWithinBudget from "./rules/cost-stack-within-budget";
import costSupabaseBranchSmallestSize from "./rules/cost-supabase-branch-smallest-size";
import costSupabaseComputeSizeAllowed from "./rules/cost-supabase-compute-size-allowed";
import costSupabasePitrBudgeted from "./rules/cost-supabase-pitr-budgeted";
import reliabilityDataProtected from "./rules/reliability-data-protected";
import reliabilityRailwayHealthcheckOnPublicServices from "./rules/reliability-railway-healthcheck-on-public-services";
import reliabilityRailwayRestartNotNever from "./rules/reliability-railway-restart-not-never";
import reliabilityRailwayStatelessReplicas from "./rules/reliability-railway-stateless-replicas";
import reliabilityRedisPersistence from "./rules/reliability-redis-persistence";
import reliabilitySupabasePitrEnabled from "./rules/reliability-supabase-pitr-enabled";
import securityGeneratedSecretLength from "./rules/security-generated-secret-length";
import securityGithubActionsCannotApprovePullRequests from "./rules/security-github-actions-cannot-approve-pull-requests";
import securityGithubBranchProtected from "./rules/security-github-branch-protected";
import securityGithubEnvironmentPreventsSelfReview from "./rules/security-github-environment-prevents-self-review";
import securityGithubEnvironmentRequiresReviewers from "./rules/security-github-environment-requires-reviewers";
import securityGithubEnvironmentRestrictedToBranch from "./rules/security-github-environment-restricted-to-branch";
import securityGithubRulesetBlocksDeletion from "./rules/security-github-ruleset-blocks-deletion";
import securityGithubRulesetBlocksForcePush from "./rules/security-github-ruleset-blocks-force-push";
import securityGithubRulesetDismissesStaleReviews from "./rules/security-github-ruleset-dismisses-stale-reviews";
import securityGithubRulesetIncludesAdmins from "./rules/security-github-ruleset-includes-admins";
import securityGithubRulesetRequiresReviews from "./rules/security-github-ruleset-requires-reviews";
import securityGithubRulesetRequiresStatusChecks from "./rules/security-github-ruleset-requires-status-checks";
import securityGithubSecretsScopedToEnvironments from "./rules/security-github-secrets-scoped-to-environments";
import securityGithubVulnerabilityAlertsEnabled from "./rules/security-github-vulnerability-alerts-enabled";
import securityGithubWorkflowActionsPinned from "./rules/security-github-workflow-actions-pinned";
import securityGithubWorkflowCheckoutWithoutCredentials from "./rules/security-github-workflow-checkout-without-credentials";
import securityGithubWorkflowNoDangerousTriggers from "./rules/security-github-workflow-no-dangerous-triggers";
import securityGithubWorkflowNoExpressionsInRun from "./rules/security-github-workflow-no-expressions-in-run";
import securityGithubWorkflowNoInheritedSecrets from "./rules/security-github-workflow-no-inherited-secrets";
import securityGithubWorkflowPermissionsReadOnly from "./rules/security-github-workflow-permissions-read-only";
import securityGithubWorkflowSecretsInEnvironmentJobs from "./rules/security-github-workflow-secrets-in-environment-jobs";
import securityGithubWorkflowTokenReadOnly from "./rules/security-github-workflow-token-read-only";
import securityRailwayDeploysThroughWorkflow from "./rules/security-railway-deploys-through-workflow";
import securityRedisPrivateOnly from "./rules/security-redis-private-only";
import securityRedisRequiresPassword from "./rules/security-redis-requires-password";
import securitySupabaseNetworkRestricted from "./rules/security-supabase-network-restricted";
import securitySupabaseSslEnforced from "./rules/security-supabase-ssl-enforced";

/** The pack's name and version, as the analyzer reports them (its package.json's version). */
export const PACK = { name: "platform", version: packageJson.version } as const;

export const POLICIES: readonly PlatformPolicy[] = [
  costRailwayMemoryWithinCap,
  costRailwayReplicasWithinCap,
  costRailwayVcpuWithinCap,
  costStackWithinBudget,
  costSupabaseBranchSmallestSize,
  costSupabaseComputeSizeAllowed,
  costSupabasePitrBudgeted,
  reliabilityDataProtected,
  reliabilityRailwayHealthcheckOnPublicServices,
  reliabilityRailwayRestartNotNever,
  reliabilityRailwayStatelessReplicas,
  reliabilityRedisPersistence,
  reliabilitySupabasePitrEnabled,
  securityGeneratedSecretLength,
  securityGithubActionsCannotApprovePullRequests,
  securityGithubBranchProtected,
  securityGithubEnvironmentPreventsSelfReview,
  securityGithubEnvironmentRequiresReviewers,
  securityGithubEnvironmentRestrictedToBranch,
  securityGithubRulesetBlocksDeletion,
  securityGithubRulesetBlocksForcePush,
  securityGithubRulesetDismissesStaleReviews,
  securityGithubRulesetIncludesAdmins,
  securityGithubRulesetRequiresReviews,
  securityGithubRulesetRequiresStatusChecks,
  securityGithubSecretsScopedToEnvironments,
  securityGithubVulnerabilityAlertsEnabled,
  securityGithubWorkflowActionsPinned,
  securityGithubWorkflowCheckoutWithoutCredentials,
  securityGithubWorkflowNoDangerousTriggers,
  securityGithubWorkflowNoExpressionsInRun,
  securityGithubWorkflowNoInheritedSecrets,
  securityGithubWorkflowPermissionsReadOnly,
  securityGithubWorkflowSecretsInEnvironmentJobs,
  securityGithubWorkflowTokenReadOnly,
  securityRailwayDeploysThroughWorkflow,
  securityRedisPrivateOnly,
  securityRedisRequiresPassword,
  securitySupabaseNetworkRestricted,
  securitySupabaseSslEnforced,
];
