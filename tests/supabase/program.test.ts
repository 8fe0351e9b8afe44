// The program under Pulumi's mock runtime, per shipped stack: the Supabase resources it declares,
// their inputs and protection, and the variables services that use Supabase get.
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource, StackRun } from "../../plan/run";
import { SHIPPED_STACKS, clone, parse, runEdited, shippedRun, stackRaw } from "../helpers";

const runs = new Map<string, StackRun>();

beforeAll(async () => {
  for (const stack of SHIPPED_STACKS) runs.set(stack, await shippedRun(stack));
});

function one(stack: string, type: string): PlannedResource {
  const found = runs.get(stack)!.resources.filter((r) => r.type === `platform:supabase:${type.split(":")[1]}`);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

describe.each(SHIPPED_STACKS)("Supabase, stack %s", (stack) => {
  it("declares the project with the seed's size, its password a secret", () => {
    const project = one(stack, "project:Project");
    expect(project.inputs).toMatchObject({
      name: `converge-nps-${stack}`,
      organization: "converge-nps",
      region: "us-west-2",
      dbPass: "[secret]",
      adopt: false,
      resetPassword: false,
      allowReplace: false,
    });
    expect(runs.get(stack)!.resources.find((r) => r.type === "platform:index:Platform")!.inputs).not.toHaveProperty("confirmDestructive");
    // dev leaves the size to Supabase: the smallest its organization allows.
    expect(project.inputs.computeSize).toBe({ dev: undefined, staging: "micro", production: "small" }[stack]);
    const password = runs.get(stack)!.resources.find((r) => r.name === "platform-supabase-password")!;
    expect(password.inputs).toMatchObject({ length: 40, special: false });
  });

  it("protects and retains the production project only", () => {
    const project = one(stack, "project:Project");
    expect([project.protect, project.retainOnDelete]).toEqual(stack === "production" ? [true, true] : [false, false]);
  });

  it("sets SSL, pooler and PITR as the stack says", () => {
    const settings = one(stack, "settings:Settings").inputs;
    expect(settings).toMatchObject({
      sslEnforcement: true,
      pooler: { mode: "transaction", poolSize: stack === "production" ? 30 : 15 },
      pitrDays: stack === "production" ? 7 : 0,
      extensions: [],
    });
  });

  it("restricts the production database to the services that use it, through their static egress", () => {
    const restrictions = one(stack, "network:NetworkRestrictions");
    // Written after the settings: an SSL change reboots the database, and a write meanwhile fails.
    expect(restrictions.dependencies).toContain(one(stack, "settings:Settings").urn);
    const network = restrictions.inputs;
    expect(network).toMatchObject({ allowedCidrs: [], restrictToServices: stack === "production" });
    const egress = runs
      .get(stack)!
      .resources.filter((r) => r.type === "platform:railway:Egress")
      .map((r) => r.inputs.name);
    expect(egress).toEqual(stack === "production" ? ["api"] : []);
    // The services' addresses are known only once their egress exists.
    expect(network.serviceIps).toEqual(stack === "production" ? "[unknown]" : []);
  });

  it("wires DATABASE_URL, DIRECT_URL and the Supabase keys into api as secrets, and not into web", () => {
    const api = runs.get(stack)!.resources.find((r) => r.name === "platform-api-variables")!.inputs;
    expect(
      Object.keys(api.secrets as object)
        .filter((k) => k.startsWith("SUPABASE") || (k.endsWith("_URL") && k !== "REDIS_URL"))
        .sort(),
    ).toEqual(["DATABASE_URL", "DIRECT_URL", "SUPABASE_PUBLISHABLE_KEY", "SUPABASE_SECRET_KEY", "SUPABASE_URL"]);
    for (const name of ["DATABASE_URL", "DIRECT_URL", "SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY", "SUPABASE_SECRET_KEY"])
      expect((api.secrets as Record<string, string>)[name], name).toBe("[secret]");
    expect(Object.keys(api.variables as object).filter((k) => k.startsWith("SUPABASE") || k === "DATABASE_URL" || k === "DIRECT_URL")).toEqual([]);
    const web = runs.get(stack)!.resources.find((r) => r.name === "platform-web-variables")!.inputs;
    expect(
      [...Object.keys(web.variables as object), ...Object.keys(web.secrets as object)].filter(
        (k) => k.startsWith("SUPABASE") || k === "DATABASE_URL" || k === "DIRECT_URL",
      ),
    ).toEqual([]);
  });

  it("deploys api only once the database accepts it", () => {
    const resources = runs.get(stack)!.resources;
    const deployment = resources.find((r) => r.name === "platform-api-deployment")!;
    const network = one(stack, "network:NetworkRestrictions");
    expect(deployment.dependencies).toContain(network.urn);
  });
});

describe("Supabase config", () => {
  it("names the project after the repository and stack, and previews after the staging project", () => {
    const raw = clone(stackRaw("staging").raw) as Record<string, any>;
    expect(parse(raw, { stack: "staging" }).supabase).toMatchObject({ project: "converge-nps-staging" });
    const preview = parse(raw, { stack: "pr-12" }).supabase;
    expect(preview).toMatchObject({ project: "converge-nps-pr-12", parentProject: "converge-nps-staging" });
  });

  it("lets a change replace production's database only where platform:confirmDestructive names it, and says so", async () => {
    const confirmed = await runEdited("production", (c) => (c["platform:confirmDestructive"] = JSON.stringify(["platform-supabase-project"])));
    const project = confirmed.resources.find((r) => r.name === "platform-supabase-project")!;
    // The provider lets the replacement through, production's protection is lifted for it alone, and it is still retained.
    expect([project.inputs.allowReplace, project.protect, project.retainOnDelete]).toEqual([true, false, true]);
    expect(confirmed.resources.find((r) => r.name === "platform-redis-service-volume")!.protect).toBe(true);
    expect(confirmed.resources.find((r) => r.type === "platform:index:Platform")!.inputs.confirmDestructive).toEqual(["platform-supabase-project"]);
    expect(confirmed.warnings).toContainEqual(
      expect.stringContaining('platform:confirmDestructive names "platform-supabase-project": this stack\'s changes may delete or replace it'),
    );
  });

  it("refuses the retired platform:supabase.allowReplace, saying what took its place, and a name confirmed twice", () => {
    const raw = clone(stackRaw("production").raw) as Record<string, any>;
    raw.supabase.allowReplace = true;
    raw.confirmDestructive = ["platform-supabase-project", "platform-supabase-project", "no spaces"];
    let message = "";
    try {
      parse(raw, { stack: "production" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(
      "platform:supabase.allowReplace: is no longer read: to let a change replace the Supabase project, name its resource in platform:confirmDestructive",
    );
    expect(message).toContain('platform:confirmDestructive[1]: "platform-supabase-project" is listed a second time');
    expect(message).toContain('platform:confirmDestructive[2]: "no spaces" is not a resource name');
  });

  it("takes a project over only with its password supplied or a reset asked for", () => {
    const raw = clone(stackRaw("staging").raw) as Record<string, any>;
    raw.supabase.adopt = true;
    expect(() => parse(raw, { stack: "staging" })).toThrow(
      /platform:supabase.adopt: takes over an existing project, whose database password is kept: declare it as platform:secrets.SUPABASE_DB_PASSWORD/,
    );
    raw.supabase.resetPassword = true;
    expect(parse(raw, { stack: "staging" }).supabase).toMatchObject({ adopt: true, resetPassword: true });
    const byRef = clone(stackRaw("staging").raw) as Record<string, any>;
    byRef.supabase.projectRef = "Not-A-Ref";
    expect(() => parse(byRef, { stack: "staging" })).toThrow(/platform:supabase.projectRef: "Not-A-Ref" is not a Supabase project ref/);
    byRef.supabase.projectRef = "abcdefghijklmnopqrst";
    byRef.secrets.SUPABASE_DB_PASSWORD = { supplied: true };
    expect(parse(byRef, { stack: "staging", dryRun: true }).supabase).toMatchObject({ projectRef: "abcdefghijklmnopqrst", resetPassword: false });
  });

  it("restricts to services only on Railway Pro, and follows a review stack's head branch", () => {
    const raw = clone(stackRaw("staging").raw) as Record<string, any>;
    raw.supabase.restrictToServices = true;
    raw.railway.plan = "hobby";
    expect(() => parse(raw, { stack: "staging" })).toThrow(
      /platform:supabase.restrictToServices: needs static outbound IPs for the services, which Railway gives on the Pro plan only/,
    );
    const preview = clone(stackRaw("staging").raw) as Record<string, any>;
    expect(parse(preview, { stack: "pr-4", headBranch: "feature/login" }).supabase).toMatchObject({ gitBranch: "feature/login" });
    preview.supabase.gitBranch = "fix/typo";
    expect(parse(preview, { stack: "pr-4", headBranch: "feature/login" }).supabase).toMatchObject({ gitBranch: "fix/typo" });
    expect(() => parse(preview, { stack: "staging" })).toThrow(/platform:supabase.gitBranch: applies to preview stacks only/);
  });

  it("refuses parentProject outside preview stacks", () => {
    const raw = clone(stackRaw("staging").raw) as Record<string, any>;
    raw.supabase.parentProject = "other";
    expect(() => parse(raw, { stack: "staging" })).toThrow(/platform:supabase.parentProject: applies to preview stacks only/);
  });
});

describe("a preview stack", () => {
  it("gets a branch of the staging project instead of a project, on the smallest paid size", async () => {
    const run = await runEdited("staging", () => {}, { stack: "pr-3" });
    expect(run.error).toBeUndefined();
    const types = run.resources.map((r) => r.type);
    expect(types).not.toContain("platform:supabase:Project");
    const branch = run.resources.find((r) => r.type === "platform:supabase:Branch")!;
    expect(branch.inputs).toMatchObject({
      parentProject: "converge-nps-staging",
      organization: "converge-nps",
      name: "pr-3",
      parentGitBranch: "staging",
      computeSize: "micro",
    });
    expect(branch.inputs.gitBranch).toBeUndefined();
    expect(types).not.toContain("platform:supabase:NetworkRestrictions");
    expect(run.resources.find((r) => r.type === "platform:railway:Environment")!.inputs).toMatchObject({
      name: "pr-3",
      ephemeral: true,
      sourceEnvironment: "staging",
    });
  });
});
