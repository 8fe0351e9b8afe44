// Every cross-key rule (config/rules/) is listed once, named once, and shown refusing: each case
// edits a shipped stack so that exactly the named rule speaks, at the key it names.
import { describe, expect, it } from "vitest";
import { RULES } from "../../config/rules";
import { parse } from "../helpers";
import { problemsOf, stackCopy } from "./refusals";

type Edit = (c: Record<string, any>) => void;

const UUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
/** A valid platform:adopt.railway taking over these services. */
const adoptRailway = (services: Record<string, string>) => ({ railway: { project: UUID(1), environment: UUID(2), services } });

/** Per rule: the stack edited, the edit, and the key the refusal names. */
const REFUSALS: Record<string, Array<{ stack?: string; edit: Edit; key: string }>> = {
  "redis-name-reserved": [{ edit: (c) => (c.services.redis = { source: { image: "redis:8" }, port: 6379 }), key: "platform:services.redis" }],
  "service-secrets-declared": [{ edit: (c) => c.services.api.secrets.push("STRIPE_KEY"), key: "platform:services.api.secrets[5]" }],
  "secret-or-variable": [{ edit: (c) => (c.services.api.variables.SENTRY_DSN = "x"), key: "platform:services.api.variables.SENTRY_DSN" }],
  "uses-configured": [{ edit: (c) => delete c.redis, key: "platform:services.api.uses[0]" }],
  "wired-variables-left-to-the-platform": [
    { edit: (c) => (c.services.api.variables.DATABASE_URL = "postgres://x"), key: "platform:services.api.variables.DATABASE_URL" },
  ],
  "service-variables-not-secret": [{ edit: (c) => (c.services.api.variables.DB_PASS = "x"), key: "platform:services.api.variables.DB_PASS" }],
  "railway-variables-reserved": [{ edit: (c) => (c.services.api.variables.RAILWAY_REGION = "x"), key: "platform:services.api.variables.RAILWAY_REGION" }],
  "domains-distinct": [
    { edit: (c) => ((c.services.api.domains = ["a.example.com"]), (c.services.web.domains = ["a.example.com"])), key: "platform:services.web.domains[0]" },
    { edit: (c) => (c.services.api.domains = ["a.b.example.com", "a-b.example.com"]), key: "platform:services.api.domains[1]" },
  ],
  "within-railway-plan-limits": [
    { edit: (c) => ((c.railway.plan = "hobby"), (c.services.api.replicas = 7)), key: "platform:services.api.replicas" },
    { edit: (c) => ((c.railway.plan = "hobby"), (c.services.api.resources.vcpu = 16)), key: "platform:services.api.resources.vcpu" },
  ],
  "auto-deploy-from-a-repository": [
    { edit: (c) => (c.services.web = { source: { image: "nginx:1" }, port: 80, autoDeploy: true }), key: "platform:services.web.autoDeploy" },
  ],
  "no-auto-deploy-in-production": [
    { stack: "production", edit: (c) => Object.values(c.services).forEach((s: any) => (s.autoDeploy = true)), key: "platform:services.api.autoDeploy" },
  ],
  "registry-credentials-declared": [
    {
      edit: (c) => (c.services.web = { source: { image: "ghcr.io/x/web", registryCredentials: { username: "x", secret: "NOPE" } }, port: 80 }),
      key: "platform:services.web.source.registryCredentials.secret",
    },
  ],
  "volume-on-one-replica": [
    { edit: (c) => ((c.services.api.volume = { mountPath: "/data" }), (c.services.api.replicas = 2)), key: "platform:services.api.replicas" },
  ],
  "one-deploy-authority": [{ edit: (c) => (c.services.web.autoDeploy = true), key: "platform:services.web.autoDeploy" }],
  "registry-token-for-built-images": [
    {
      edit: (c) => (c.services.web = { source: { image: "ghcr.io/x/web", build: { context: "web", dockerfile: "Dockerfile" } }, port: 80 }),
      key: "platform:secrets",
    },
  ],
  "parent-project-in-previews-only": [{ edit: (c) => (c.supabase.parentProject = "converge-nps-staging"), key: "platform:supabase.parentProject" }],
  "git-branch-in-previews-only": [{ edit: (c) => (c.supabase.gitBranch = "feature/x"), key: "platform:supabase.gitBranch" }],
  "previews-take-over-no-project": [{ stack: "pr-1", edit: (c) => (c.supabase.projectRef = "abcdefghijklmnopqrst"), key: "platform:supabase.projectRef" }],
  "adopted-database-password-supplied": [{ edit: (c) => (c.supabase.adopt = true), key: "platform:supabase.adopt" }],
  "restricted-network-on-railway-pro": [
    { edit: (c) => ((c.railway.plan = "hobby"), (c.supabase.restrictToServices = true)), key: "platform:supabase.restrictToServices" },
  ],
  "github-secrets-declared": [{ edit: (c) => c.github.secrets.push("NPM_TOKEN"), key: "platform:github.secrets[1]" }],
  "github-variables-not-the-platforms": [{ edit: (c) => (c.github.variables = { API_URL: "https://x" }), key: "platform:github.variables.API_URL" }],
  "github-variables-not-secret": [{ edit: (c) => (c.github.variables = { DEPLOY_TOKEN: "x" }), key: "platform:github.variables.DEPLOY_TOKEN" }],
  "reviewer-teams-of-the-owner": [{ edit: (c) => (c.github.reviewers = ["acme/ops"]), key: "platform:github.reviewers[0]" }],
  "migrations-run-in-railway": [{ edit: (c) => (c.github.deploy = { migrate: "npx prisma migrate deploy" }), key: "platform:github.deploy.migrate" }],
  "supported-node-version": [{ edit: (c) => (c.github.ci = { version: "18" }), key: "platform:github.ci.version" }],
  "one-owner-per-branch": [
    { stack: "production", edit: (c) => (c.github.branchOwner = "staging"), key: "platform:github.branchOwner" },
    { edit: (c) => (c.github.branchOwner = "dev"), key: "platform:github.branchOwner" },
    { edit: (c) => (c.github.branchOwner = "staging"), key: "platform:github.requiredChecks" },
  ],
  "staging-and-production-run-as-an-app": [{ stack: "staging", edit: (c) => delete c.github.app, key: "platform:github.app" }],
  "no-expressions-in-workflow-text": [
    { edit: (c) => (c.services.api.preDeployCommand = "echo ${{ secrets.X }}"), key: "platform:services.api.preDeployCommand" },
  ],
  "previews-take-over-nothing": [{ stack: "pr-1", edit: (c) => (c.adopt = adoptRailway({})), key: "platform:adopt" }],
  "adopted-services-declared": [{ edit: (c) => (c.adopt = adoptRailway({ worker: UUID(3) })), key: "platform:adopt.railway.services.worker" }],
  "adopted-redis-password-supplied": [{ edit: (c) => (c.adopt = adoptRailway({ redis: UUID(3) })), key: "platform:adopt.railway.services.redis" }],
  "adopted-supabase-project-is-one": [
    {
      edit: (c) => ((c.supabase = undefined), delete c.supabase, delete c.services.api.uses, (c.adopt = { supabase: { project: "abcdefghijklmnopqrst" } })),
      key: "platform:adopt.supabase",
    },
  ],
  "derived-names-accepted": [{ edit: (c) => (c.github.repository = "converge.nps.x".repeat(6)), key: "platform:railway.project" }],
};

/** The shipped stack file a case edits: the review-stack template for pr-<n>. */
const fileOf = (stack: string) => (stack.startsWith("pr") ? "pr" : stack);

describe("config rules", () => {
  it("are named once each", () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it("each have at least one refusal case, and no case names a rule that is not listed", () => {
    expect(RULES.map((r) => r.name).filter((name) => !(REFUSALS[name]?.length ?? 0))).toEqual([]);
    expect(Object.keys(REFUSALS).filter((name) => !RULES.some((r) => r.name === name))).toEqual([]);
  });

  it.each(Object.entries(REFUSALS).flatMap(([rule, cases]) => cases.map((c, i) => [`${rule} #${i + 1}`, rule, c] as const)))(
    "%s refuses, naming the key",
    (_label, rule, c) => {
      const stack = c.stack ?? "dev";
      const raw = stackCopy(fileOf(stack));
      c.edit(raw);
      const problems = problemsOf(() => parse(raw, { stack }));
      const found = problems.filter((p) => p.rule === rule);
      expect(
        found.map((p) => p.key),
        JSON.stringify(problems, null, 1),
      ).toContain(c.key);
    },
  );
});
