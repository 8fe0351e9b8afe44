// The config contract: the shipped stacks parse to the seed's values, and bad config is refused
// with every problem at once, each naming its key.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RAILWAY_PLAN_LIMITS } from "../../config/catalog";
import { ConfigError } from "../../config";
import { isCidr } from "../../config/schema";
import { tierFromStackName } from "../../config/defaults";
import { SHIPPED_STACKS, clone, parse, stackRaw } from "../helpers";
import { problemsOf, stackCopy } from "./refusals";
import { WORKFLOW_KEYS } from "./workflow-keys";

const dev = () => stackCopy("dev");
const production = () => stackCopy("production");

describe("shipped stacks", () => {
  it.each(SHIPPED_STACKS)("%s parses", (stack) => {
    const { raw, secretKeys } = stackRaw(stack);
    const config = parse(raw, { stack, secretKeys });
    expect(config.tier).toBe(stack);
    expect(config.services.map((s) => s.name)).toEqual(["api", "web"]);
    expect(config.secrets.map((s) => [s.name, s.kind])).toEqual([
      ["JWT_SECRET", "generated"],
      ["JWT_REFRESH_SECRET", "generated"],
      ["SENDGRID_API_KEY", "supplied"],
      ["SMARTSHEET_API_KEY", "supplied"],
      ["SENTRY_DSN", "supplied"],
      ["RAILWAY_TOKEN", "supplied"],
    ]);
    for (const secret of config.secrets) {
      if (secret.kind === "generated") expect([secret.bytes, secret.rotateDays]).toEqual([32, 90]);
    }
  });

  it("reproduces Converge-NPS: branches, Redis sizes, Supabase tiers, production replicas", () => {
    const [d, s, p] = SHIPPED_STACKS.map((stack) => parse(stackRaw(stack).raw, { stack }));
    expect([d!.github.branch, s!.github.branch, p!.github.branch]).toEqual(["develop", "staging", "main"]);
    expect(p!.github.reviewers.length).toBeGreaterThan(0);
    expect([d!.redis?.memoryMb, s!.redis?.memoryMb, p!.redis?.memoryMb]).toEqual([256, 256, 512]);
    for (const c of [d!, s!, p!]) {
      expect(c.redis).toMatchObject({ evictionPolicy: "allkeys-lru", persistence: "rdb+aof" });
      expect(c.services.find((x) => x.name === "api")).toMatchObject({
        source: { kind: "repo", rootDirectory: "backend" },
        healthcheck: { path: "/health" },
        uses: ["redis", "supabase"],
      });
      expect(c.services.find((x) => x.name === "web")).toMatchObject({ source: { kind: "repo", rootDirectory: "frontend" } });
    }
    // dev leaves the size to Supabase: the smallest its organization allows.
    expect(d!.supabase?.computeSize).toBeUndefined();
    expect(["nano", "pico"]).not.toContain(s!.supabase?.computeSize);
    expect(["nano", "pico"]).not.toContain(p!.supabase?.computeSize);
    expect([d!.supabase?.pitrDays, s!.supabase?.pitrDays, p!.supabase?.pitrDays]).toEqual([0, 0, 7]);
    expect(p!.services.find((x) => x.name === "api")?.replicas).toBeGreaterThanOrEqual(2);
  });
});

describe("tier", () => {
  it("comes from the stack name when not set", () => {
    expect(["dev", "staging", "production", "pr", "pr-42", "qa"].map(tierFromStackName)).toEqual([
      "dev",
      "staging",
      "production",
      "preview",
      "preview",
      undefined,
    ]);
  });

  it("knows the review stacks Pulumi Deployments names pr-pulumi-<org>-<project>-<number>, and nothing else that starts with pr", () => {
    expect(["pr-pulumi-acme-platform-12", "pr-pulumi-my_org-plat.form-3"].map(tierFromStackName)).toEqual(["preview", "preview"]);
    expect(["pr-pulumi-acme-platform", "pr-x", "pr-", "pr-12a", "production-pr-1"].map(tierFromStackName)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Its config is Pulumi.pr.yaml's, copied: it parses as a preview stack with its own environment and branch.
    const config = parse(stackRaw("pr").raw, { stack: "pr-pulumi-acme-platform-12" });
    expect(config.tier).toBe("preview");
    expect(config.railway.environment).toBe("pr-pulumi-acme-platform-12");
  });

  it("fills the tier's defaults into what the stack leaves out", () => {
    const raw = { github: { owner: "acme", repository: "shop" }, services: { api: { source: { repo: "acme/shop" }, port: 8080 } }, redis: {} };
    const prod = parse({ ...raw, github: { ...raw.github, app: { id: 1, installationId: 2 } } }, { stack: "production" });
    expect(prod.github.branch).toBe("main");
    expect(prod.railway.plan).toBe("pro");
    expect(prod.services[0]).toMatchObject({ replicas: 2, restart: { policy: "ON_FAILURE", maxRetries: 10 } });
    expect(prod.redis).toEqual({ memoryMb: 512, evictionPolicy: "allkeys-lru", persistence: "rdb+aof" });
    const dev = parse(raw, { stack: "dev" });
    expect(dev.github.branch).toBe("develop");
    expect(dev.services[0]).toMatchObject({ replicas: 1 });
    expect(dev.redis?.memoryMb).toBe(256);
    const preview = parse(raw, { stack: "pr-7" });
    expect(preview.tier).toBe("preview");
    expect(preview.redis?.persistence).toBe("none");
  });
});

// Each case: a mutation of the dev stack, the key that must be named, and words the message must hold.
const BAD: Array<[string, (c: Record<string, any>) => void, string, RegExp, string?]> = [
  ["unknown tier", (c) => (c.tier = "prod"), "platform:tier", /"prod" is not allowed; use one of: dev, staging, production, preview/],
  ["unknown top-level key", (c) => (c.servics = {}), "platform:servics", /did you mean 'platform:services'/],
  ["budget of the wrong type", (c) => (c.budget.monthlyUsd = "lots"), "platform:budget.monthlyUsd", /expected a number, got a string \("lots"\)/],
  ["negative budget", (c) => (c.budget.monthlyUsd = -5), "platform:budget.monthlyUsd", /-5 is out of range: it must be more than 0/],
  ["github missing", (c) => delete c.github, "platform:github", /is required/],
  ["github owner malformed", (c) => (c.github.owner = "bad owner!"), "platform:github.owner", /"bad owner!" is not a GitHub user or organization name/],
  ["branch malformed", (c) => (c.github.branch = "feature..x"), "platform:github.branch", /"feature..x" is not a valid git branch name/],
  ["too many reviewers", (c) => (c.github.reviewers = ["a", "b", "c", "d", "e", "f", "g"]), "platform:github.reviewers", /at most 6/],
  [
    "a reviewer team of another organization",
    (c) => (c.github.reviewers = ["converge-nps/devops", "acme/devops"]),
    "platform:github.reviewers[1]",
    /"acme\/devops", a team of the organization 'acme', but the repository belongs to "converge-nps".*write 'converge-nps\/devops'/,
  ],
  ["a branch owner that is this stack", (c) => (c.github.branchOwner = "dev"), "platform:github.branchOwner", /^names this stack itself; leave it out/],
  [
    "a branch owner that is no stack name",
    (c) => (c.github.branchOwner = "the prod stack"),
    "platform:github.branchOwner",
    /"the prod stack" is not a stack name/,
  ],
  [
    "required checks where another stack owns the branch",
    (c) => ((c.github.branchOwner = "production"), (c.github.requiredChecks = ["Test (.)"])),
    "platform:github.requiredChecks",
    /the ruleset on "develop" is the stack "production"'s \(branchOwner\), and this stack makes none to require them/,
  ],
  ["unknown Railway plan", (c) => (c.railway.plan = "enterprise"), "platform:railway.plan", /use one of: hobby, pro/],
  ["unknown Railway region", (c) => (c.railway.region = "us-west1"), "platform:railway.region", /Did you mean 'us-west2'/],
  ["port out of range", (c) => (c.services.api.port = 70000), "platform:services.api.port", /70000 is out of range: it must be at most 65535/],
  ["port as a string", (c) => (c.services.api.port = "3000"), "platform:services.api.port", /expected a number, got a string \("3000"\)/],
  ["fractional replicas", (c) => (c.services.api.replicas = 1.5), "platform:services.api.replicas", /expected a whole number, got a number \(1.5\)/],
  [
    "replicas over the Hobby limit",
    (c) => ((c.railway.plan = "hobby"), (c.services.api.replicas = 7)),
    "platform:services.api.replicas",
    /7 is above the Railway hobby plan's limit of 6 replicas per service; lower it or set platform:railway.plan to pro/,
  ],
  [
    "vCPU over the Pro limit",
    (c) => (c.services.api.resources.vcpu = 32),
    "platform:services.api.resources.vcpu",
    /32 is above the Railway pro plan's limit of 24 vCPU per replica/,
  ],
  [
    "memory over the Hobby limit",
    (c) => ((c.railway.plan = "hobby"), (c.services.api.resources.memoryGb = 16)),
    "platform:services.api.resources.memoryGb",
    /16 is above the Railway hobby plan's limit of 8 GB/,
  ],
  ["source with repo and image", (c) => (c.services.api.source.image = "node:20"), "platform:services.api.source", /has both 'repo' and 'image'/],
  ["source with neither", (c) => (c.services.api.source = { rootDirectory: "backend" }), "platform:services.api.source", /has neither 'repo' nor 'image'/],
  [
    "image source with a root directory",
    (c) => (c.services.web.source = { image: "nginx:1.27", rootDirectory: "frontend" }),
    "platform:services.web.source.rootDirectory",
    /applies to repo sources only/,
  ],
  [
    "health check path without slash",
    (c) => (c.services.api.healthcheck.path = "health"),
    "platform:services.api.healthcheck.path",
    /"health" must be an HTTP path starting with '\/'/,
  ],
  [
    "unknown restart policy",
    (c) => (c.services.api.restart = { policy: "SOMETIMES", maxRetries: 3 }),
    "platform:services.api.restart.policy",
    /use one of: ON_FAILURE, ALWAYS, NEVER/,
  ],
  ["malformed domain", (c) => (c.services.api.domains = ["not a domain"]), "platform:services.api.domains[0]", /"not a domain" is not a valid domain name/],
  [
    "domain on two services",
    (c) => ((c.services.api.domains = ["app.example.com"]), (c.services.web.domains = ["app.example.com"])),
    "platform:services.web.domains[0]",
    /already a domain of service 'api'/,
  ],
  ["undeclared secret", (c) => c.services.api.secrets.push("JWT_SECRT"), "platform:services.api.secrets[5]", /does not declare; did you mean 'JWT_SECRET'\?/],
  ["uses undeclared redis", (c) => ((c.services.web.uses = ["redis"]), delete c.redis), "platform:services.web.uses[0]", /platform:redis is not configured/],
  [
    "volume with replicas",
    (c) => ((c.services.api.volume = { mountPath: "/data" }), (c.services.api.replicas = 2)),
    "platform:services.api.replicas",
    /Railway cannot replicate a service that has a volume/,
  ],
  ["misspelt service key", (c) => (c.services.api.replica = 2), "platform:services.api.replica", /did you mean 'replicas'\?/],
  ["bad service name", (c) => (c.services.API_Service = c.services.api), "platform:services.API_Service", /is not a service name/],
  ["secret-looking plain variable", (c) => (c.services.api.variables.API_TOKEN = "abc"), "platform:services.api.variables.API_TOKEN", /looks like a secret/],
  [
    "variable the platform sets",
    (c) => (c.services.api.variables.REDIS_URL = "redis://localhost"),
    "platform:services.api.variables.REDIS_URL",
    /"REDIS_URL" is set by the platform for this service/,
  ],
  [
    "regions that disagree with replicas",
    (c) => ((c.services.api.replicas = 3), (c.services.api.regions = { "us-west2": 1, "europe-west4-drams3a": 1 })),
    "platform:services.api.replicas",
    /3 disagrees with regions, which add up to 2/,
  ],
  [
    "unknown region in regions",
    (c) => (c.services.api.regions = { "mars-1": 1 }),
    "platform:services.api.regions.mars-1",
    /unknown key. Allowed here: us-west2, us-east4-eqdc4a, europe-west4-drams3a, asia-southeast1-eqsg3a/,
  ],
  [
    "GitHub secret not declared",
    (c) => c.github.secrets.push("RAILWAY_TOKN"),
    "platform:github.secrets[1]",
    /does not declare; did you mean 'RAILWAY_TOKEN'\?/,
  ],
  [
    "migration on the runner",
    (c) => (c.github.deploy.migrate = { service: "api", command: "npx prisma migrate deploy" }),
    "platform:github.deploy.migrate",
    /no longer supported: migrations run inside Railway.*preDeployCommand/,
  ],
  [
    "Node.js past its end of life",
    (c) => (c.github.ci = { runtime: "node", version: "20" }),
    "platform:github.ci.version",
    /"20" is a Node.js release past its end of life; use 22 or newer \(the default is 26\)/,
  ],
  [
    "an expression in a smoke command",
    (c) => (c.github.deploy.smoke = "curl ${{ secrets.RAILWAY_TOKEN }}"),
    "platform:github.deploy.smoke",
    /holds '\$\{\{', which GitHub Actions would evaluate/,
  ],
  [
    "an expression in a health-check path",
    (c) => (c.services.api.healthcheck.path = "/${{github.token}}"),
    "platform:services.api.healthcheck.path",
    /holds '\$\{\{'/,
  ],
  [
    "auto-deploy beside the deploy workflow",
    (c) => (c.services.web.autoDeploy = true),
    "platform:services.web.autoDeploy",
    /is true while the deploy workflow deploys api: an environment has one deploy authority/,
  ],
  ["unknown CI runtime", (c) => (c.github.ci = { runtime: "ruby" }), "platform:github.ci.runtime", /use one of: node, python/],
  [
    "unknown eviction policy",
    (c) => (c.redis.evictionPolicy = "lru"),
    "platform:redis.evictionPolicy",
    /"lru" is not allowed; use one of: noeviction, allkeys-lru/,
  ],
  ["unknown persistence", (c) => (c.redis.persistence = "always"), "platform:redis.persistence", /use one of: none, rdb, aof, rdb\+aof/],
  ["Redis memory too small", (c) => (c.redis.memoryMb = 0), "platform:redis.memoryMb", /0 is out of range: it must be at least 16/],
  ["unknown Supabase region", (c) => (c.supabase.region = "mars-1"), "platform:supabase.region", /use one of: us-east-1/],
  ["unknown compute size", (c) => (c.supabase.computeSize = "huge"), "platform:supabase.computeSize", /use one of: pico, nano, micro/],
  ["PITR days not offered", (c) => (c.supabase.pitrDays = 3), "platform:supabase.pitrDays", /3 is not allowed; use one of: 0, 7, 14, 28/],
  ["malformed CIDR", (c) => (c.supabase.allowedCidrs = ["10.0.0.0/33"]), "platform:supabase.allowedCidrs[0]", /"10.0.0.0\/33" is not a CIDR block/],
  ["unknown pool mode", (c) => (c.supabase.pooler = { mode: "statement", poolSize: 10 }), "platform:supabase.pooler.mode", /use one of: transaction, session/],
  [
    "generated secret under 32 bytes",
    (c) => (c.secrets.JWT_SECRET.generate.bytes = 16),
    "platform:secrets.JWT_SECRET.generate.bytes",
    /at least 32 random bytes/,
  ],
  ["secret both generated and supplied", (c) => (c.secrets.JWT_SECRET.supplied = true), "platform:secrets.JWT_SECRET", /must be either \{ generate/],
  [
    "rotation on a supplied secret",
    (c) => (c.secrets.SENTRY_DSN.rotateDays = 30),
    "platform:secrets.SENTRY_DSN.rotateDays",
    /applies to generated secrets only/,
  ],
  ["bad secret name", (c) => (c.secrets["jwt-secret"] = { supplied: true }), "platform:secrets.jwt-secret", /is not a secret name/],
];

describe("production's deploy authority", () => {
  it("refuses auto-deploy in production", () => {
    const raw = production();
    raw.services.api.autoDeploy = true;
    raw.services.web.autoDeploy = true;
    const problems = problemsOf(() => parse(raw, { stack: "production" }));
    expect(problems.find((p) => p.key === "platform:services.api.autoDeploy")?.message).toMatch(/production deploys only through its deploy workflow/);
  });

  it("refuses a staging or production stack that names no GitHub App to run as, in the tier's words; dev may run with a token", () => {
    for (const stack of ["staging", "production"]) {
      const raw = clone(stackRaw(stack).raw) as Record<string, any>;
      delete raw.github.app;
      raw.github.bypassActors = [{ type: "Integration", id: 1027384 }];
      const problems = problemsOf(() => parse(raw, { stack }));
      expect(problems.map((p) => p.key)).toEqual(["platform:github.app"]);
      expect(problems[0]!.message).toMatch(
        new RegExp(
          `^is required in a ${stack} stack: its \`pulumi up\` runs as a GitHub App, which commits the workflow files to "${stack === "production" ? "main" : "staging"}" past the rulesets\. Write \{ id: <the App ID`,
        ),
      );
    }
    // Dev may run with a personal token, as a repository admin (who may bypass its ruleset).
    const raw2 = dev();
    delete raw2.github.app;
    raw2.github.bypassActors = [];
    expect(() => parse(raw2, { stack: "dev" })).not.toThrow();
  });

  it("refuses a production that leaves its branch's ruleset to another stack", () => {
    const raw = production();
    raw.github.branchOwner = "staging";
    const problems = problemsOf(() => parse(raw, { stack: "production" }));
    expect(problems.map((p) => p.key)).toEqual(["platform:github.branchOwner"]);
    expect(problems[0]!.message).toMatch(/^names "staging", but production protects the branch it deploys from \("main"\) itself/);
  });

  it("refuses '${{' in every key that reaches a workflow, on every tier", () => {
    for (const stack of SHIPPED_STACKS) {
      for (const [key, set] of WORKFLOW_KEYS) {
        const raw = clone(stackRaw(stack).raw) as Record<string, any>;
        set(raw, "x${{ github.token }}");
        const problems = problemsOf(() => parse(raw, { stack }));
        expect(
          problems.some((p) => p.key === key && /holds '\$\{\{', which GitHub Actions would evaluate/.test(p.message)),
          `${stack} ${key}: ${JSON.stringify(problems)}`,
        ).toBe(true);
      }
    }
  });
});

describe("bad config", () => {
  it("has at least 25 distinct cases", () => {
    expect(new Set(BAD.map(([, , key]) => key)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD)("refuses %s, naming the key", (_name, mutate, key, message) => {
    const raw = dev();
    mutate(raw);
    const problems = problemsOf(() => parse(raw, { stack: "dev" }));
    const problem = problems.find((p) => p.key === key);
    expect(problem, `problems were: ${JSON.stringify(problems)}`).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it("lists every problem at once, and the error text names each key", () => {
    const raw = dev();
    raw.railway.region = "mars";
    raw.services.api.port = 0;
    raw.redis.persistence = "sometimes";
    raw.secrets.JWT_SECRET.generate.bytes = 8;
    let error: ConfigError | undefined;
    try {
      parse(raw, { stack: "dev" });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems.map((p) => p.key).sort()).toEqual(
      ["platform:railway.region", "platform:redis.persistence", "platform:secrets.JWT_SECRET.generate.bytes", "platform:services.api.port"].sort(),
    );
    expect(error?.message).toMatch(/^Stack 'dev' has invalid configuration \(4 problems\); nothing was created\./);
  });

  it("refuses a stack whose name implies no tier, saying how to set one", () => {
    const problems = problemsOf(() => parse(dev(), { stack: "qa" }));
    expect(problems).toEqual([{ key: "platform:tier", message: expect.stringContaining("pulumi config set platform:tier staging") }]);
  });

  it("refuses a supplied secret stored in plain text, without quoting it", () => {
    const raw = dev();
    raw.secrets.SENDGRID_API_KEY.value = "SG.very-secret-value";
    const problems = problemsOf(() => parse(raw, { stack: "dev", secretKeys: new Set() }));
    expect(problems).toEqual([
      {
        key: "platform:secrets.SENDGRID_API_KEY.value",
        message: expect.stringContaining("pulumi config set --secret --path 'platform:secrets.SENDGRID_API_KEY.value' <value>"),
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain("very-secret-value");
  });

  it("never quotes a secret or variable value in any message", () => {
    const raw = dev();
    raw.secrets.SENDGRID_API_KEY.value = ["not", "a", "string", "hunter2"];
    raw.services.api.variables.DEBUG = 12345678;
    const problems = problemsOf(() => parse(raw, { stack: "dev", secretKeys: new Set(["secrets"]) }));
    expect(problems.map((p) => p.key).sort()).toEqual(["platform:secrets.SENDGRID_API_KEY.value", "platform:services.api.variables.DEBUG"]);
    expect(JSON.stringify(problems)).not.toMatch(/hunter2|12345678/);
  });

  it("requires supplied secrets to be set outside a preview, with the command for each", () => {
    const problems = problemsOf(() => parse(dev(), { stack: "dev", dryRun: false }));
    expect(problems.map((p) => p.key)).toEqual([
      "platform:secrets.SENDGRID_API_KEY.value",
      "platform:secrets.SMARTSHEET_API_KEY.value",
      "platform:secrets.SENTRY_DSN.value",
      "platform:secrets.RAILWAY_TOKEN.value",
    ]);
    expect(problems[0]!.message).toBe("is not set; set it with pulumi config set --secret --path 'platform:secrets.SENDGRID_API_KEY.value' <value>");
  });

  it("warns instead during a preview", () => {
    const warnings: string[] = [];
    parse(dev(), { stack: "dev", dryRun: true, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/SENDGRID_API_KEY, SMARTSHEET_API_KEY, SENTRY_DSN, RAILWAY_TOKEN/);
  });

  it("accepts supplied values from secure config", () => {
    const raw = production();
    for (const name of ["SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN", "RAILWAY_TOKEN"]) raw.secrets[name].value = "x".repeat(20);
    const config = parse(raw, { stack: "production", secretKeys: new Set(["secrets"]), dryRun: false });
    expect(config.secrets.filter((s) => s.kind === "supplied")).toHaveLength(4);
  });
});

describe("properties", () => {
  const service = { source: { repo: "acme/shop" }, port: 8080 };
  const base = (plan: string, svc: object) => ({
    github: { owner: "acme", repository: "shop", app: { id: 1, installationId: 2 } },
    railway: { plan, region: "us-west2" },
    services: { api: { ...service, ...svc } },
  });

  it("accepts replicas exactly up to the plan's limit", () => {
    fc.assert(
      fc.property(fc.constantFrom("hobby", "pro"), fc.integer({ min: 1, max: 80 }), (plan, replicas) => {
        const limit = RAILWAY_PLAN_LIMITS[plan as "hobby" | "pro"].replicas;
        const run = () => parse(base(plan, { replicas }), { stack: "staging" });
        if (replicas <= limit) expect(run().services[0]!.replicas).toBe(replicas);
        else expect(problemsOf(run).map((p) => p.key)).toEqual(["platform:services.api.replicas"]);
      }),
    );
  });

  it("accepts vCPU and memory exactly up to the plan's per-replica limits", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("hobby", "pro"),
        fc.double({ min: 0.1, max: 40, noNaN: true }),
        fc.double({ min: 0.1, max: 40, noNaN: true }),
        (plan, vcpu, memoryGb) => {
          const limits = RAILWAY_PLAN_LIMITS[plan as "hobby" | "pro"];
          const expected = [
            ...(vcpu > limits.vcpu ? ["platform:services.api.resources.vcpu"] : []),
            ...(memoryGb > limits.memoryGb ? ["platform:services.api.resources.memoryGb"] : []),
          ];
          const run = () => parse(base(plan, { resources: { vcpu, memoryGb } }), { stack: "staging" });
          if (expected.length === 0) expect(run().services[0]!.resources).toEqual({ vcpu, memoryGb });
          else expect(problemsOf(run).map((p) => p.key)).toEqual(expected);
        },
      ),
    );
  });

  it("accepts generated secrets of 32 bytes or more and refuses shorter ones", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), (bytes) => {
        const raw = { ...base("pro", {}), secrets: { KEY_MATERIAL: { generate: { bytes } } } };
        const run = () => parse(raw, { stack: "dev" });
        if (bytes >= 32) expect(run().secrets[0]).toEqual({ kind: "generated", name: "KEY_MATERIAL", bytes, rotateDays: 90 });
        else expect(problemsOf(run).map((p) => p.key)).toEqual(["platform:secrets.KEY_MATERIAL.generate.bytes"]);
      }),
    );
  });

  it("reports each of several independent problems, whatever the combination", () => {
    const mutations: Array<[string, (c: Record<string, any>) => void]> = [
      ["platform:railway.region", (c) => (c.railway.region = "nowhere")],
      ["platform:services.api.port", (c) => (c.services.api.port = -1)],
      ["platform:redis.memoryMb", (c) => (c.redis.memoryMb = "big")],
      ["platform:supabase.pitrDays", (c) => (c.supabase.pitrDays = 1)],
      ["platform:secrets.JWT_SECRET.generate.bytes", (c) => (c.secrets.JWT_SECRET.generate.bytes = 4)],
      ["platform:github.owner", (c) => (c.github.owner = "-")],
    ];
    fc.assert(
      fc.property(fc.subarray(mutations, { minLength: 1 }), (chosen) => {
        const raw = dev();
        for (const [, mutate] of chosen) mutate(raw);
        expect(
          problemsOf(() => parse(raw, { stack: "dev" }))
            .map((p) => p.key)
            .sort(),
        ).toEqual(chosen.map(([k]) => k).sort());
      }),
      { numRuns: 60 },
    );
  });

  it("recognizes CIDR blocks by address family and prefix length", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 40 }), (ip, prefix) => {
        expect(isCidr(`${ip}/${prefix}`)).toBe(prefix <= 32);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 0, max: 140 }), (ip, prefix) => {
        expect(isCidr(`${ip}/${prefix}`)).toBe(prefix <= 128);
      }),
    );
    for (const bad of ["10.0.0.0", "10.0.0.256/8", "10.0.0.0/-1", "example.com/24", "10.0.0.0/08x"]) expect(isCidr(bad)).toBe(false);
  });
});

describe("platform:adopt", () => {
  const UUID = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`;

  it("hands the ids to the program, the Supabase ref as the project to take over", () => {
    const raw = stackCopy("staging");
    raw.secrets.REDIS_PASSWORD = { supplied: true };
    raw.secrets.SUPABASE_DB_PASSWORD = { supplied: true };
    raw.adopt = {
      railway: { project: UUID(1), environment: UUID(2), services: { api: UUID(3), redis: UUID(4) } },
      supabase: { project: "abcdefghijklmnopqrst" },
    };
    const config = parse(raw, { stack: "staging" });
    expect(config.adopt).toEqual(raw.adopt);
    expect(config.supabase?.projectRef).toBe("abcdefghijklmnopqrst");
  });

  it("refuses, all at once, ids that are not ids, services the stack does not declare, and takeovers without the passwords they keep", () => {
    const raw = stackCopy("staging");
    raw.adopt = {
      railway: { project: "my-project", environment: UUID(2), services: { apii: UUID(3), redis: UUID(4) } },
      supabase: { project: "abcdefghijklmnopqrst" },
    };
    const problems = problemsOf(() => parse(raw, { stack: "staging" }));
    expect(problems.map((p) => p.key)).toEqual(expect.arrayContaining(["platform:adopt.railway.project"]));
    const raw2 = stackCopy("staging");
    raw2.adopt = {
      railway: { project: UUID(1), environment: UUID(2), services: { apii: UUID(3), redis: UUID(4) } },
      supabase: { project: "abcdefghijklmnopqrst" },
    };
    const problems2 = problemsOf(() => parse(raw2, { stack: "staging" }));
    const byKey = Object.fromEntries(problems2.map((p) => [p.key, p.message]));
    expect(byKey["platform:adopt.railway.services.apii"]).toMatch(/names a service this stack does not declare; did you mean 'api'\?/);
    expect(byKey["platform:adopt.railway.services.redis"]).toMatch(/declare it as platform:secrets.REDIS_PASSWORD/);
    expect(byKey["platform:adopt.supabase"]).toMatch(/declare it as platform:secrets.SUPABASE_DB_PASSWORD/);
  });

  it("is refused in a preview stack, which makes its own copy", () => {
    const raw = stackCopy("pr");
    raw.adopt = { railway: { project: UUID(1), environment: UUID(2), services: {} } };
    expect(problemsOf(() => parse(raw, { stack: "pr-3" })).map((p) => p.key)).toContain("platform:adopt");
  });
});
