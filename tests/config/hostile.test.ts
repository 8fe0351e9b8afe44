// Stack files written by a careless user or an attacker: each family of hostile input is refused
// with a message that names the key and never repeats a value that is, or may be, a secret.
import { describe, expect, it } from "vitest";
import { rawPlatformConfig, secureLeavesAgreeing, type ConfigProblem } from "../../config";
import { parseStackFile } from "../../config/stack-file";
import { parse } from "../helpers";
import { problemsOf, stackCopy } from "./refusals";

const dev = () => stackCopy("dev");
const production = () => stackCopy("production");

/** Raw config as index.ts builds it from Pulumi's config map: JSON text per top-level key. */
function fromPulumi(config: Record<string, unknown>, secret: string[] = []) {
  const all = Object.fromEntries(Object.entries(config).map(([k, v]) => [`platform:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
  return rawPlatformConfig(all, (key) => secret.includes(key.replace(/^platform:/, "")));
}

function jsonOf(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [`platform:${k}`, JSON.stringify(v)]));
}

/** Every message of a refusal, joined, for checking what it must not contain. */
function allText(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.key}: ${p.message}`).join("\n");
}

describe("keys that would change how config is read", () => {
  it("a top-level platform:__proto__ does not make a dev stack production, and is refused", () => {
    const base = dev();
    delete base.tier;
    const all = Object.fromEntries(Object.entries(base).map(([k, v]) => [`platform:${k}`, JSON.stringify(v)]));
    const { raw } = rawPlatformConfig({ ...all, "platform:__proto__": JSON.stringify({ tier: "production", budget: { monthlyUsd: 1 } }) }, () => false);
    expect(Object.getPrototypeOf(raw)).toBeNull();
    expect(raw.tier).toBeUndefined();
    const problems = problemsOf(() => parse(raw, { stack: "dev" }));
    expect(problems.find((p) => p.key === "platform:__proto__")?.message).toMatch(/^is not allowed as a key/);
  });

  it.each([
    ["services", (c: Record<string, any>) => (c.services = JSON.parse(`{"api": ${JSON.stringify(c.services.api)}, "__proto__": {"replicas": 9}}`))],
    [
      "a service",
      (c: Record<string, any>) =>
        (c.services = JSON.parse(
          `{"api": ${JSON.stringify(c.services.api).replace(/^\{/, '{"__proto__": {"replicas": 40},')}, "web": ${JSON.stringify(c.services.web)}}`,
        )),
    ],
    ["variables", (c: Record<string, any>) => (c.services.api.variables = JSON.parse(`{"__proto__": {"A": "b"}}`))],
    ["secrets", (c: Record<string, any>) => (c.secrets = JSON.parse(`{"__proto__": {"supplied": true}, "JWT_SECRET": {"generate": {}}}`))],
    ["github", (c: Record<string, any>) => (c.github = JSON.parse(JSON.stringify(c.github).replace(/^\{/, '{"__proto__": {"branch": "main"},')))],
  ])("a __proto__ key inside %s is refused by name", (_where, mutate) => {
    const c = dev();
    mutate(c);
    const { raw } = rawPlatformConfig(jsonOf(c), () => false);
    const problems = problemsOf(() => parse(raw, { stack: "dev" }));
    expect(problems.filter((p) => p.key.endsWith("__proto__")).map((p) => p.message)[0]).toMatch(/^is not allowed as a key/);
  });

  it("builds every object of the raw config without a prototype", () => {
    const { raw } = fromPulumi({ services: { api: { variables: { A: "1" } } } });
    const services = raw.services as Record<string, any>;
    expect([Object.getPrototypeOf(raw), Object.getPrototypeOf(services), Object.getPrototypeOf(services.api.variables)]).toEqual([null, null, null]);
  });
});

describe("secrets are never echoed", () => {
  const SECRET = "sk_live_51Habc0ThisIsTheSecretValue";

  it.each([
    ["a plain-text supplied value", (c: Record<string, any>) => (c.secrets.SENDGRID_API_KEY.value = SECRET), "platform:secrets.SENDGRID_API_KEY.value"],
    [
      "a supplied value that is not a string",
      (c: Record<string, any>) => (c.secrets.SENDGRID_API_KEY.value = { nested: SECRET }),
      "platform:secrets.SENDGRID_API_KEY.value",
    ],
    ["a value beside generate", (c: Record<string, any>) => (c.secrets.JWT_SECRET.value = SECRET), "platform:secrets.JWT_SECRET.value"],
    ["an unknown key in a secret", (c: Record<string, any>) => (c.secrets.SENDGRID_API_KEY.valeu = SECRET), "platform:secrets.SENDGRID_API_KEY.valeu"],
    ["a secret whose shape is wrong", (c: Record<string, any>) => (c.secrets.SENDGRID_API_KEY = SECRET), "platform:secrets.SENDGRID_API_KEY"],
    [
      "a secret-looking variable",
      (c: Record<string, any>) => (c.services.api.variables.STRIPE_SECRET = SECRET),
      "platform:services.api.variables.STRIPE_SECRET",
    ],
    [
      "a secret-looking variable in lower case",
      (c: Record<string, any>) => (c.services.api.variables.stripe_api_key = SECRET),
      "platform:services.api.variables.stripe_api_key",
    ],
    [
      "a variable that is not a string",
      (c: Record<string, any>) => (c.services.api.variables.NODE_ENV = { v: SECRET }),
      "platform:services.api.variables.NODE_ENV",
    ],
    ["a secret-looking GitHub variable", (c: Record<string, any>) => (c.github.variables = { NPM_TOKEN: SECRET }), "platform:github.variables.NPM_TOKEN"],
    [
      "a GitHub variable that is not a string",
      (c: Record<string, any>) => (c.github.variables = { SENTRY_ORG: [SECRET] }),
      "platform:github.variables.SENTRY_ORG",
    ],
  ])("%s is refused without its value", (_what, mutate, key) => {
    const c = production();
    for (const name of ["SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN", "RAILWAY_TOKEN"]) c.secrets[name].value = `set-${name}`;
    mutate(c);
    // As the stack file would say: the values still as set were encrypted, the rest not.
    const secureLeaves = new Set(
      Object.entries(c.secrets as Record<string, any>)
        .filter(([n, v]) => v?.value === `set-${n}`)
        .map(([n]) => `platform:secrets.${n}.value`),
    );
    const problems = problemsOf(() => parse(c, { stack: "production", dryRun: false, secretKeys: new Set(["secrets"]), secureLeaves }));
    expect(problems.map((p) => p.key)).toContain(key);
    expect(allText(problems)).not.toContain(SECRET);
    expect(allText(problems)).not.toContain("sk_live");
  });

  it("never quotes anything under a key that held an encrypted value, whatever is wrong with it", () => {
    const c = production();
    c.services.api.startCommand = SECRET;
    c.services.api.replicas = `${SECRET}-replicas`;
    c.services.api.domains = [`${SECRET}.example.com`, "UPPER.example.com"];
    c.services.api.uses = ["redis", SECRET];
    const problems = problemsOf(() => parse(c, { stack: "production", secretKeys: new Set(["services"]) }));
    expect(problems.map((p) => p.key)).toEqual(
      expect.arrayContaining([
        "platform:services",
        "platform:services.api.replicas",
        "platform:services.api.domains[0]",
        "platform:services.api.domains[1]",
        "platform:services.api.uses[1]",
      ]),
    );
    expect(allText(problems)).not.toContain(SECRET);
  });
});

describe("encrypted values belong in platform:secrets.<NAME>.value only", () => {
  it.each([
    ["startCommand", ["services"], "platform:services.api.startCommand"],
    ["a GitHub variable", ["github"], "platform:github.variables.SENTRY_ORG"],
    ["the budget", ["budget"], "platform:budget.monthlyUsd"],
    ["a generated secret's size", ["secrets"], "platform:secrets.JWT_SECRET.generate.bytes"],
  ])("%s holding one is refused at that leaf when the stack file says where it is", (_what, keys, leaf) => {
    const problems = problemsOf(() => parse(production(), { stack: "production", secretKeys: new Set(keys), secureLeaves: new Set([leaf]) }));
    expect(problems.find((p) => p.key === leaf)?.message).toMatch(/^holds an encrypted \(secure:\) value, but only a supplied secret's value may/);
  });

  it.each([["services"], ["github"], ["redis"]])("a secret %s key is refused as a whole when only Pulumi's top-level marks are known", (key) => {
    const problems = problemsOf(() => parse(production(), { stack: "production", secretKeys: new Set([key]) }));
    expect(problems.find((p) => p.key === `platform:${key}`)?.message).toMatch(/^holds an encrypted \(secure:\) value, but only a supplied secret's value may/);
  });

  it("checks each supplied secret for plain text, not the key as a whole", () => {
    const c = production();
    c.secrets.SENDGRID_API_KEY.value = "encrypted-in-the-file";
    c.secrets.SENTRY_DSN.value = "https://plain@sentry.example/1";
    const leaves = new Set(["platform:secrets.SENDGRID_API_KEY.value"]);
    const problems = problemsOf(() => parse(c, { stack: "production", secretKeys: new Set(["secrets"]), secureLeaves: leaves }));
    expect(problems.map((p) => p.key)).toContain("platform:secrets.SENTRY_DSN.value");
    expect(problems.map((p) => p.key)).not.toContain("platform:secrets.SENDGRID_API_KEY.value");
    expect(problems.find((p) => p.key === "platform:secrets.SENTRY_DSN.value")!.message).toMatch(/^is stored in plain text/);
    expect(allText(problems)).not.toContain("plain@sentry");
  });

  it("trusts the stack file's leaves only when they agree with Pulumi's marks", () => {
    const leaves = new Set(["platform:secrets.A.value", "platform:secrets.B.value"]);
    expect(secureLeavesAgreeing(leaves, new Set(["secrets"]))).toEqual(leaves);
    expect(secureLeavesAgreeing(leaves, new Set(["secrets", "services"]))).toBeUndefined();
    expect(secureLeavesAgreeing(new Set(["platform:services.api.startCommand"]), new Set(["secrets"]))).toBeUndefined();
    expect(secureLeavesAgreeing(undefined, new Set(["secrets"]))).toBeUndefined();
  });
});

describe("names the platform derives or sets", () => {
  it.each([
    [
      "two domains that become one resource name",
      (c: Record<string, any>) => (c.services.api.domains = ["api.example.com", "api-example.com"]),
      "platform:services.api.domains[1]",
      "would both be the resource 'api-example-com'",
    ],
    [
      "three domains, two colliding",
      (c: Record<string, any>) => (c.services.web.domains = ["a.b.example.com", "c.example.com", "a-b.example.com"]),
      "platform:services.web.domains[2]",
      "would both be the resource 'a-b-example-com'",
    ],
    [
      "a GitHub variable the platform sets for a service",
      (c: Record<string, any>) => (c.github.variables = { API_URL: "https://x" }),
      "platform:github.variables.API_URL",
      "is set by the platform in every environment",
    ],
    [
      "the Railway environment GitHub variable",
      (c: Record<string, any>) => (c.github.variables = { RAILWAY_ENVIRONMENT: "prod" }),
      "platform:github.variables.RAILWAY_ENVIRONMENT",
      "is set by the platform",
    ],
    [
      "a variable Railway sets",
      (c: Record<string, any>) => (c.services.api.variables.RAILWAY_STATIC_URL = "x"),
      "platform:services.api.variables.RAILWAY_STATIC_URL",
      "is a name Railway sets itself",
    ],
    [
      "PORT, which comes from port",
      (c: Record<string, any>) => (c.services.api.variables.PORT = "8080"),
      "platform:services.api.variables.PORT",
      "is set by the platform for this service",
    ],
    ["empty regions", (c: Record<string, any>) => (c.services.api.regions = {}), "platform:services.api.regions", "names no region"],
  ])("refuses %s", (_what, mutate, key, message) => {
    const c = production();
    mutate(c);
    const problems = problemsOf(() => parse(c, { stack: "production" }));
    expect(problems.find((p) => p.key === key)?.message, allText(problems)).toContain(message);
  });

  it.each([
    ["has a space", "dev env", "stack name"],
    ["is too long for Pulumi", "d".repeat(101), "stack name"],
    ["has a character Pulumi refuses", "dev/eu", "stack name"],
  ])("refuses a stack name that %s", (_what, stack, key) => {
    const c = dev();
    c.tier = "dev";
    expect(problemsOf(() => parse(c, { stack })).map((p) => p.key)).toContain(key);
  });

  it("refuses derived Railway and Supabase names those services would not take, naming the key to set", () => {
    const c = dev();
    c.tier = "dev";
    const stack = `dev-${"x".repeat(70)}`;
    const problems = problemsOf(() => parse(c, { stack }));
    expect(problems.map((p) => p.key).sort()).toEqual(["platform:railway.environment", "platform:supabase.project"]);
    c.railway.environment = "dev-long";
    c.supabase.project = "converge-dev-long";
    expect(parse(c, { stack }).railway.environment).toBe("dev-long");
  });

  it("matches secret-looking names whatever their case", () => {
    for (const name of ["db_password", "Stripe_Secret_Key", "githubToken", "SENTRY_DSN", "apikey"]) {
      const c = dev();
      c.services.api.variables[name] = "x";
      expect(
        problemsOf(() => parse(c, { stack: "dev" })).map((p) => p.key),
        name,
      ).toContain(`platform:services.api.variables.${name}`);
    }
  });

  it("takes PASS, PWD, PASSPHRASE, CREDENTIALS, AUTH and PRIVATE_KEY as whole words, in any case and position, in service and GitHub variables", () => {
    const secretLooking = [
      "DB_PASS",
      "PASS",
      "smtp_pass",
      "smtpPass",
      "MYSQL_PWD",
      "pwd",
      "GPG_PASSPHRASE",
      "GOOGLE_CREDENTIALS",
      "AUTH",
      "X_AUTH",
      "auth_header",
      "basicAuth",
      "SSH_PRIVATE_KEY",
      "privateKey",
    ];
    for (const name of secretLooking) {
      const c = dev();
      c.services.api.variables[name] = "not-a-secret-here";
      c.github.variables = { [name]: "x" };
      const keys = problemsOf(() => parse(c, { stack: "dev" })).map((p) => p.key);
      expect(keys, name).toContain(`platform:services.api.variables.${name}`);
      expect(keys, name).toContain(`platform:github.variables.${name}`);
    }
    for (const name of ["PASSENGER_COUNT", "AUTHOR", "COMPASS_URL", "PWDX_MODE", "OAUTHLIB_INSECURE", "BYPASS_CACHE"]) {
      const c = dev();
      c.services.api.variables[name] = "1";
      expect(() => parse(c, { stack: "dev" }), name).not.toThrow();
    }
  });
});

describe("names GitHub refuses", () => {
  it.each([".", "..", "a".repeat(101), "has space", "ünïcode"])("github.repository %j is refused, saying what GitHub allows", (repository) => {
    const c = dev();
    c.github.repository = repository;
    c.railway = { ...(c.railway ?? {}), project: "converge-nps" };
    c.supabase.project = "converge-nps-dev";
    const problems = problemsOf(() => parse(c, { stack: "dev" }));
    expect(problems.find((p) => p.key === "platform:github.repository")?.message).toMatch(
      /is not a GitHub repository name \(letters, digits, '\.', '_' and '-', at most 100 characters, and not '\.' or '\.\.', which GitHub refuses\)/,
    );
  });

  it("refuses '..' as the repository of a service's source too", () => {
    const c = dev();
    c.services.api.source.repo = "converge-nps/..";
    expect(problemsOf(() => parse(c, { stack: "dev" })).map((p) => p.key)).toContain("platform:services.api.source.repo");
  });
});

describe("control characters", () => {
  it.each([
    ["an OSC sequence (ESC ] ... BEL)", "node server.js \u001b]0;owned\u0007", "\\u001b]0;owned\\u0007"],
    ["a NUL", "node\u0000server.js", "\\u0000"],
    ["DEL", "node\u007fserver.js", "\\u007f"],
    ["a C1 control (CSI)", "node \u009b31m server.js", "\\u009b"],
  ])("%s in a start command is refused by the config itself (as under `pulumi up`), printed escaped, never raw", (_what, text, shown) => {
    const c = dev();
    c.services.api.startCommand = text;
    const problems = problemsOf(() => parse(c, { stack: "dev" }));
    const found = problems.find((p) => p.key === "platform:services.api.startCommand");
    expect(found?.message).toContain("holds a control character");
    expect(found?.message).toContain(shown);
    expect(allText(problems)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("in a supplied secret's value, is refused without the value", () => {
    const c = production();
    for (const name of ["SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN"]) c.secrets[name].value = `set-${name}`;
    c.secrets.RAILWAY_TOKEN.value = "tok\u0000en-value";
    const problems = problemsOf(() =>
      parse(c, {
        stack: "production",
        secretKeys: new Set(["secrets"]),
        secureLeaves: new Set([
          "platform:secrets.RAILWAY_TOKEN.value",
          "platform:secrets.SENDGRID_API_KEY.value",
          "platform:secrets.SMARTSHEET_API_KEY.value",
          "platform:secrets.SENTRY_DSN.value",
        ]),
      }),
    );
    const found = problems.find((p) => p.key === "platform:secrets.RAILWAY_TOKEN.value");
    expect(found?.message).toMatch(/^holds a control character: /);
    expect(allText(problems)).not.toContain("en-value");
  });
});

describe("text that is not UTF-8", () => {
  it.each([
    ["a replacement character from bad bytes", "node server.js \uFFFD"],
    ["a lone high surrogate", "node \uD800server.js"],
    ["a lone low surrogate", "node \uDC00server.js"],
  ])("refuses %s, without quoting it", (_what, text) => {
    const c = dev();
    c.services.api.startCommand = text;
    const problems = problemsOf(() => parse(c, { stack: "dev" }));
    const found = problems.find((p) => p.key === "platform:services.api.startCommand");
    expect(found?.message).toMatch(/^is not valid UTF-8 text/);
  });

  it("refuses a stack file whose bytes are not UTF-8, naming the file", () => {
    const bytes = Buffer.concat([
      Buffer.from("config:\n  platform:tier: dev\n  platform:github: { owner: a, repository: "),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(" }\n"),
    ]);
    expect(() => parseStackFile(bytes, "Pulumi.dev.yaml", "platform")).toThrow("Pulumi.dev.yaml: is not valid UTF-8 text; save it as UTF-8.");
  });
});
