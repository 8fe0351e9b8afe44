// Every policy, compliance-policies style: the production stack as the compliant baseline, one
// mutation per failure mode with the exact message; unknown values as at preview; and a meta-test
// over the whole pack.
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { unknownCheckingProxy } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { POLICIES } from "../../policies/all";
import { evaluatePolicies, type EvaluatedResource, type Violation } from "../../policies/evaluate";
import { levelOf, policyConfigFor } from "../../plan/policy-config";
import { TYPES } from "../../policies/types";
import { policyResources } from "../../plan/run";
import { ROOT, shippedRun } from "../helpers";

type Mutable = { -readonly [K in keyof EvaluatedResource]: EvaluatedResource[K] } & { props: Record<string, any> };

let baseline: Mutable[];
const production = policyConfigFor(ROOT, "production", "production", POLICIES).config;

beforeAll(async () => {
  baseline = policyResources(await shippedRun("production"));
});

function policy(name: string) {
  const found = POLICIES.find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

/** Runs one policy, mandatory, with production's settings for it (or the ones given). */
async function violations(name: string, resources: readonly EvaluatedResource[], settings?: Record<string, unknown>): Promise<Violation[]> {
  const own = production[name];
  const base = own && typeof own === "object" ? own : {};
  return evaluatePolicies([policy(name)], resources, { [name]: { ...base, ...settings, enforcementLevel: "mandatory" } });
}

function changed(change: (resources: Mutable[]) => void): Mutable[] {
  const copy = structuredClone(baseline);
  change(copy);
  return copy;
}

function named(resources: Mutable[], name: string): Mutable {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name}`);
  return found;
}

const previewBranch = (computeSize: string): Mutable => ({
  type: TYPES.supabaseBranch,
  urn: "urn:pulumi:pr-1::platform::platform:index:Platform$platform:supabase:SupabaseDatabase$platform:supabase:Branch::platform-supabase-branch",
  name: "platform-supabase-branch",
  props: { kind: "branch", parentProject: "converge-nps-staging", organization: "converge-nps", name: "pr-1", gitBranch: "feature", computeSize },
  parent: null,
  protect: false,
});

const editWorkflow = (r: Mutable[], edit: (text: string) => string, resource = "platform-github-deploy-workflow") => {
  const file = named(r, resource);
  file.props.content = edit(file.props.content);
};
const editCi = (r: Mutable[], edit: (text: string) => string) => editWorkflow(r, edit, "platform-github-ci-workflow");

// [policy, mutation, exact "what is wrong", settings]
const FAILURES: Array<[string, (r: Mutable[]) => void, string, Record<string, unknown>?]> = [
  ["cost-stack-within-budget", () => {}, "The estimated monthly cost, $190.15, is over the budget of $100.00.", { budgetUsd: 100 }],
  [
    "cost-stack-within-budget",
    (r) => (named(r, "platform-api-settings").props.numReplicas = 10),
    "The estimated monthly cost, $350.15, is over the budget of $350.00.",
  ],
  ["cost-railway-vcpu-within-cap", (r) => (named(r, "platform-api-settings").props.vcpu = 6), "This service's vCPU limit per replica is over the cap of 4."],
  [
    "cost-railway-memory-within-cap",
    (r) => (named(r, "platform-api-settings").props.memoryGb = 16),
    "This service's memory limit per replica is over the cap of 4 GB.",
  ],
  ["cost-railway-replicas-within-cap", (r) => (named(r, "platform-api-settings").props.numReplicas = 6), "This service runs 6 replicas, over the cap of 5."],
  [
    "cost-railway-replicas-within-cap",
    (r) => {
      const p = named(r, "platform-api-settings").props;
      delete p.numReplicas;
      p.multiRegionConfig = { "us-west2": { numReplicas: 4 }, "europe-west4-drams3a": { numReplicas: 3 } };
    },
    "This service runs 7 replicas, over the cap of 5.",
  ],
  [
    "cost-supabase-compute-size-allowed",
    (r) => (named(r, "platform-supabase-project").props.computeSize = "4xlarge"),
    "This Supabase project runs on a compute size the stack's policy config does not allow.",
  ],
  [
    "cost-supabase-pitr-budgeted",
    () => {},
    "This Supabase project has point-in-time recovery, which the stack's budget does not plan for.",
    { allowPitr: false },
  ],
  ["cost-supabase-branch-smallest-size", (r) => r.push(previewBranch("medium")), "This preview branch runs on a compute size larger than micro."],
  [
    "security-github-ruleset-blocks-force-push",
    (r) => (named(r, "platform-github-branch-ruleset").props.rules.nonFastForward = false),
    "This ruleset allows force pushes.",
  ],
  [
    "security-github-ruleset-blocks-deletion",
    (r) => delete named(r, "platform-github-branch-ruleset").props.rules.deletion,
    "This ruleset allows deleting the branch.",
  ],
  [
    "security-github-ruleset-requires-reviews",
    (r) => (named(r, "platform-github-branch-ruleset").props.rules.pullRequest.requiredApprovingReviewCount = 0),
    "This ruleset lets changes in without an approving review.",
  ],
  [
    "security-github-ruleset-requires-reviews",
    (r) => delete named(r, "platform-github-branch-ruleset").props.rules.pullRequest,
    "This ruleset lets changes in without an approving review.",
  ],
  [
    "security-github-ruleset-dismisses-stale-reviews",
    (r) => (named(r, "platform-github-branch-ruleset").props.rules.pullRequest.dismissStaleReviewsOnPush = false),
    "This ruleset keeps approvals after new commits.",
  ],
  [
    "security-github-ruleset-requires-status-checks",
    (r) => delete named(r, "platform-github-branch-ruleset").props.rules.requiredStatusChecks,
    "This ruleset requires no status checks.",
  ],
  [
    "security-github-ruleset-includes-admins",
    (r) => named(r, "platform-github-branch-ruleset").props.bypassActors.push({ actorId: 5, actorType: "RepositoryRole", bypassMode: "always" }),
    "This ruleset lets administrators bypass it.",
  ],
  [
    "security-github-ruleset-includes-admins",
    (r) => named(r, "platform-github-branch-ruleset").props.bypassActors.push({ actorType: "OrganizationAdmin", bypassMode: "always" }),
    "This ruleset lets administrators bypass it.",
  ],
  [
    "security-github-branch-protected",
    (r) => r.splice(r.indexOf(named(r, "platform-github-branch-ruleset")), 1),
    "The branch this environment deploys from has no ruleset, and no other stack is named as its owner (platform:github.branchOwner).",
  ],
  [
    "security-github-branch-protected",
    (r) => (named(r, "platform-github-environment-branch").props.branchPattern = "release"),
    "The branch this environment deploys from has no ruleset, and no other stack is named as its owner (platform:github.branchOwner).",
  ],
  [
    "security-github-environment-requires-reviewers",
    (r) => delete named(r, "platform-github-environment").props.reviewers,
    "This environment has no required reviewers.",
  ],
  [
    "security-github-environment-prevents-self-review",
    (r) => (named(r, "platform-github-environment").props.preventSelfReview = false),
    "This environment lets people approve their own deployments.",
  ],
  [
    "security-github-environment-restricted-to-branch",
    (r) => (named(r, "platform-github-environment").props.deploymentBranchPolicy = { protectedBranches: true, customBranchPolicies: false }),
    "This environment accepts deployments from any branch.",
  ],
  [
    "security-github-workflow-token-read-only",
    (r) => (named(r, "platform-github-workflow-permissions").props.defaultWorkflowPermissions = "write"),
    "The repository's default workflow token can write.",
  ],
  [
    "security-github-actions-cannot-approve-pull-requests",
    (r) => (named(r, "platform-github-workflow-permissions").props.canApprovePullRequestReviews = true),
    "Workflows may approve pull requests in this repository.",
  ],
  [
    "security-github-vulnerability-alerts-enabled",
    (r) => (named(r, "platform-github-vulnerability-alerts").props.enabled = false),
    "Vulnerability alerts are turned off for this repository.",
  ],
  [
    "security-github-secrets-scoped-to-environments",
    (r) =>
      r.push({
        type: TYPES.githubActionsSecret,
        urn: "urn:pulumi:production::platform::github:index/actionsSecret:ActionsSecret::repo-secret",
        name: "repo-secret",
        props: { repository: "converge-nps", secretName: "RAILWAY_TOKEN", plaintextValue: "stand-in" },
        parent: null,
        protect: false,
      }),
    "This secret is stored for the whole repository.",
  ],
  [
    "security-github-workflow-actions-pinned",
    (r) => editCi(r, (t) => t.replace(/actions\/checkout@[0-9a-f]{40}/, "actions/checkout@v4")),
    "Step 1 of job lint uses an action by a movable reference.",
  ],
  [
    "security-github-workflow-permissions-read-only",
    (r) => editWorkflow(r, (t) => t.replace("permissions: {}", "permissions: write-all")),
    "The top-level permissions grant write access to every job.",
  ],
  [
    "security-github-workflow-checkout-without-credentials",
    (r) => editCi(r, (t) => t.replace("persist-credentials: false", "persist-credentials: true")),
    "Step 1 of job lint checks out with the token left in the git config.",
  ],
  [
    "security-github-workflow-no-expressions-in-run",
    (r) => editWorkflow(r, (t) => t.replace('run: bash -eo pipefail -c "$SMOKE_COMMAND"', 'run: curl -fsS "${{ github.event.head_commit.message }}"')),
    "Step 5 of job deploy puts an expression inside its script.",
  ],
  [
    "security-github-workflow-secrets-in-environment-jobs",
    (r) => editWorkflow(r, (t) => t.replace(/\n {4}environment:\n {6}name: production/, "")),
    "Job deploy uses secrets without declaring an environment.",
  ],
  [
    "security-github-workflow-no-dangerous-triggers",
    (r) => editWorkflow(r, (t) => t.replace("workflow_dispatch: {}", "pull_request_target: {}")),
    "The workflow runs on pull_request_target, which gives code from outside the repository a privileged token.",
  ],
  [
    "security-github-workflow-no-inherited-secrets",
    (r) => editWorkflow(r, (t) => `${t}  reuse:\n    uses: ./.github/workflows/reusable.yml\n    secrets: inherit\n`),
    "Job reuse passes every secret on with secrets: inherit.",
  ],
  [
    "security-supabase-ssl-enforced",
    (r) => (named(r, "platform-supabase-settings").props.sslEnforcement = false),
    "This Supabase project accepts connections without TLS.",
  ],
  [
    "security-supabase-network-restricted",
    (r) => (named(r, "platform-supabase-network").props.restrictToServices = false),
    "This Supabase project can be reached from any address: nothing restricts it (set platform:supabase.restrictToServices, or list allowedCidrs).",
  ],
  [
    "security-supabase-network-restricted",
    (r) => (named(r, "platform-supabase-network").props.allowedCidrs = ["203.0.113.0/24", "0.0.0.0/0"]),
    "This Supabase project can be reached from any address.",
  ],
  [
    "security-supabase-network-restricted",
    (r) => Object.assign(named(r, "platform-supabase-network").props, { restrictToServices: false, allowedCidrs: ["198.51.100.0/24", "2001:db8::/32"] }),
    "This Supabase project's allow-list holds only documentation ranges: nothing real can connect.",
  ],
  [
    "security-redis-requires-password",
    (r) => (named(r, "platform-redis-service-settings").props.startCommand = "redis-server --port $REDISPORT"),
    "The Redis service does not require a password.",
  ],
  [
    "security-redis-requires-password",
    (r) => delete named(r, "platform-redis-service-variables").props.secrets.REDIS_PASSWORD,
    "The Redis service does not require a password.",
  ],
  [
    "security-redis-private-only",
    (r) => {
      const settings = named(r, "platform-redis-service-settings");
      r.push({
        type: TYPES.railwayServiceDomain,
        urn: `${settings.urn}-domain`,
        name: "platform-redis-service-railway-domain",
        props: { kind: "service-domain", name: "redis", targetPort: 6379 },
        parent: settings.parent,
        protect: false,
      });
    },
    "The Redis service has a public domain.",
  ],
  ["security-generated-secret-length", (r) => (named(r, "platform-secrets-jwt-secret").props.length = 16), "This generated secret is shorter than 32 bytes."],
  ["security-generated-secret-length", (r) => (named(r, "platform-redis-password").props.length = 12), "This generated secret is shorter than 32 characters."],
  [
    "reliability-railway-healthcheck-on-public-services",
    (r) => delete named(r, "platform-api-settings").props.healthcheckPath,
    "This service is public but has no health check.",
  ],
  [
    "security-railway-deploys-through-workflow",
    (r) => (named(r, "platform-api-deployment").props.repo = { repository: "converge-nps/converge-nps", branch: "main", checkSuites: true }),
    "Railway deploys every push to this service's branch by itself (autoDeploy).",
  ],
  [
    "reliability-railway-restart-not-never",
    (r) => (named(r, "platform-web-settings").props.restartPolicyType = "NEVER"),
    "This service is never restarted after a crash.",
  ],
  ["reliability-railway-stateless-replicas", (r) => (named(r, "platform-api-settings").props.numReplicas = 1), "This stateless service runs a single replica."],
  [
    "reliability-redis-persistence",
    (r) =>
      (named(r, "platform-redis-service-settings").props.startCommand =
        "/bin/sh -c \"exec redis-server --requirepass $REDIS_PASSWORD --save '' --appendonly no\""),
    "Redis loses its data on restart: it persists nothing, or has no volume.",
  ],
  [
    "reliability-redis-persistence",
    (r) => r.splice(r.indexOf(named(r, "platform-redis-service-volume")), 1),
    "Redis loses its data on restart: it persists nothing, or has no volume.",
  ],
  [
    "reliability-supabase-pitr-enabled",
    (r) => (named(r, "platform-supabase-settings").props.pitrDays = 0),
    "This Supabase project has no point-in-time recovery.",
  ],
  ["reliability-data-protected", (r) => (named(r, "platform-supabase-project").protect = false), "This data resource is not protected from deletion."],
  ["reliability-data-protected", (r) => (named(r, "platform-redis-service-volume").protect = false), "This data resource is not protected from deletion."],
];

describe("the compliant baseline (the shipped production stack)", () => {
  it("breaks no policy under production's config", async () => {
    expect(await evaluatePolicies(POLICIES, baseline, production)).toEqual([]);
  });
});

describe.each(POLICIES.map((p) => p.name))("%s", (name) => {
  const cases = FAILURES.filter(([policyName]) => policyName === name);

  it("has failure cases, and passes the baseline", async () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(await violations(name, baseline)).toEqual([]);
  });

  it.each(cases.map(([, change, what, settings], i) => [i, change, what, settings] as const))(
    "failure %i reports exactly what is wrong, then why",
    async (_i, change, what, settings) => {
      const resources = changed(change);
      const found = await violations(name, resources, settings);
      expect(found.map((v) => [v.enforcementLevel, v.message])).toEqual([["mandatory", `${policy(name).description}\n${what}\n${policy(name).why}`]]);
      // The message echoes no value of the resources it judged: no name, id, path, command or secret
      // (one-word enum values such as "branch" aside, which are plain English in a message too).
      const values = new Set<string>();
      const collect = (v: unknown): void => {
        if (typeof v === "string" && v.length >= 6 && !/^[a-z]+$/.test(v)) values.add(v);
        else if (v && typeof v === "object") Object.values(v).forEach(collect);
      };
      resources.forEach((r) => collect(r.props));
      for (const value of values) expect(new RegExp(`\\b${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(found[0]!.message), value).toBe(false);
    },
  );
});

describe("security-github-branch-protected", () => {
  it("leaves the ruleset to the stack named as the branch's owner", async () => {
    const withoutRuleset = (r: Mutable[]) => r.splice(r.indexOf(named(r, "platform-github-branch-ruleset")), 1);
    const owned = changed((r) => {
      withoutRuleset(r);
      named(r, "platform-github").props.branchOwner = "production";
    });
    expect(await violations("security-github-branch-protected", owned)).toEqual([]);
    expect(await violations("security-github-branch-protected", changed(withoutRuleset))).toHaveLength(1);
  });
});

describe("unknown values", () => {
  it("make a resource policy report that it can't run during preview, as advisory", async () => {
    const resources = changed((r) => (named(r, "platform-supabase-settings").props.sslEnforcement = unknownValue));
    expect(await violations("security-supabase-ssl-enforced", resources)).toEqual([
      {
        policy: "security-supabase-ssl-enforced",
        enforcementLevel: "advisory",
        urn: named(resources, "platform-supabase-settings").urn,
        message:
          "can't run policy 'security-supabase-ssl-enforced' from policy pack 'platform@v0.1.0' during preview: string value at .sslEnforcement can't be known during preview",
      },
    ]);
  });

  it("make a stack policy report the same", async () => {
    const resources = changed((r) => (named(r, "platform-redis-service-settings").props.startCommand = unknownValue));
    const found = await violations("reliability-redis-persistence", resources);
    expect(found.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        "can't run policy 'reliability-redis-persistence' from policy pack 'platform@v0.1.0' during preview: string value at .startCommand can't be known during preview",
      ],
    ]);
  });

  it("are what the policy library's own proxy refuses to read", () => {
    const props = unknownCheckingProxy({ a: { b: unknownValue } }) as { a: { b: unknown } };
    expect(() => props.a.b).toThrow("string value at .a.b can't be known during preview");
  });
});

describe("the pack", () => {
  const files = readdirSync(path.join(ROOT, "policies/rules")).filter((f) => f.endsWith(".ts"));

  it("has at least 30 policies, one per file, every file in the pack", () => {
    expect(POLICIES.length).toBeGreaterThanOrEqual(30);
    expect(POLICIES.map((p) => `${p.name}.ts`).sort()).toEqual(files.sort());
    expect(new Set(POLICIES.map((p) => p.name)).size).toBe(POLICIES.length);
  });

  it.each(POLICIES.map((p) => [p.name, p] as const))("%s is named, described and levelled as a policy here must be", (name, p) => {
    expect(name).toMatch(/^(cost|security|reliability)-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(p.area).toBe(name.split("-")[0]);
    for (const sentence of [p.description, p.why]) {
      expect(sentence).toMatch(/^[A-Z`][^]*[.]$/);
      expect(sentence.match(/[.!?](\s|$)/g)).toHaveLength(1);
    }
    expect(p.enforcementLevel).toBeDefined();
    expect(["validateResource", "validateStack"].filter((k) => k in p)).toHaveLength(1);
  });

  it("is at production strength with no config at all: every policy mandatory, production's limits", () => {
    for (const p of POLICIES) expect(levelOf({}, p), p.name).toBe("mandatory");
    // The shipped production config is the pack's defaults, nothing more.
    expect(production).toEqual({});
  });

  it("has a policy config for every tier, each fitting the pack, the budget always mandatory", () => {
    for (const tier of ["dev", "staging", "production", "preview"]) {
      const { file, config } = policyConfigFor(ROOT, tier, tier, POLICIES);
      expect(file).toBe(`policies/config/${tier}.json`);
      expect(
        levelOf(
          config,
          POLICIES.find((p) => p.name === "cost-stack-within-budget")!,
        ),
        tier,
      ).toBe("mandatory");
    }
  });
});
