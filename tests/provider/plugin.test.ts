// The `platform` provider plugin, called method by method as the CLI calls it (its gRPC layer is
// the SDK's; the CLI tests run it whole): each kind found by its type token; secrets in and out,
// every password, key and connection string returned as a secret, whether it came in as one or the
// kind made it; an unfinished create's properties marked the same way; config that points the
// handlers elsewhere. And the table: one list, which no kind imports.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KINDS, KIND_BY_TOKEN, KIND_TYPES } from "../../components/provider/kinds";
import { asReturned, kindOfUrn, platformProvider } from "../../components/provider/plugin";
import { isSecret, secret } from "../../components/provider/values";
import { TYPES } from "../../policies/types";
import { ROOT } from "../helpers";
import { useDoubleEnv } from "../doubles/env";
import { FULL_REALISM, SupabaseDouble } from "../supabase/double";
import { railwayDoubleForFile } from "../railway/file-double";

const supabase = new SupabaseDouble();
const railway = railwayDoubleForFile();
beforeAll(async () => {
  await supabase.start();
  supabase.realism = { ...FULL_REALISM, comingUpMs: 20, unhealthyMs: 10, poolerMissingMs: 20, rateLimit: 0 };
});
afterAll(() => supabase.stop());
useDoubleEnv(() => ({ ...supabase.env(), ...railway.env() }));

const urnOf = (token: string, name = "r") => `urn:pulumi:dev::platform::platform:index:Platform$${token}::${name}`;
const p = platformProvider;
const PASSWORD = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";
/** A Supabase project's inputs, its password given as a secret. */
const projectInputs = (name: string) => ({
  name,
  organization: "acme",
  region: "us-east-1",
  computeSize: "micro",
  dbPass: secret(PASSWORD),
  adopt: false,
  resetPassword: false,
  allowReplace: false,
});

describe("secrets across the boundary", () => {
  it("a project: its password (given as a secret) and its keys come back as secrets; how to find it does not", async () => {
    const urn = urnOf("platform:supabase:Project");
    const { inputs } = await p.check!(urn, {}, projectInputs("plug-production"));
    expect(isSecret(inputs.dbPass)).toBe(true);
    const made = await p.create!(urn, inputs);
    for (const key of ["dbPass", "publishableKey", "secretKey"]) expect(isSecret(made.outs[key]), key).toBe(true);
    for (const key of ["ref", "apiUrl", "poolerHost", "poolerPort", "projectName"]) expect(isSecret(made.outs[key]), key).toBe(false);
    // A read gives the same back, the same way.
    const read = await p.read!(made.id, urn, made.outs);
    for (const key of ["dbPass", "publishableKey", "secretKey"]) expect(isSecret(read.props[key]), key).toBe(true);
  });

  it("a branch: the password the kind set itself comes back as a secret", async () => {
    const urn = urnOf("platform:supabase:Branch");
    await p.create!(urnOf("platform:supabase:Project", "parent"), { ...projectInputs("plug-staging"), projectName: "plug-staging" });
    const made = await p.create!(urn, {
      parentProject: "plug-staging",
      organization: "acme",
      name: "pr-5",
      gitBranch: "feature/five",
      parentGitBranch: "main",
      computeSize: "micro",
    });
    expect(isSecret(made.outs.dbPass)).toBe(true);
    expect((made.outs.dbPass as { value: string }).value).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it("variables: the secret map comes back a secret, the plain ones plain; a deployment's registry credentials a secret", async () => {
    const project = await p.create!(urnOf("platform:railway:Project"), { name: "plug" });
    const env = await p.create!(urnOf("platform:railway:Environment"), { projectId: project.id, name: "dev", ephemeral: false, prBase: false, plan: "hobby" });
    const service = await p.create!(urnOf("platform:railway:Service"), { projectId: project.id, environmentId: env.id, name: "api" });
    const ids = { projectId: project.id, environmentId: env.id, serviceId: service.id, name: "api" };
    const vars = await p.create!(urnOf("platform:railway:Variables"), {
      ...ids,
      variables: { NODE_ENV: "production" },
      secrets: secret({ DATABASE_URL: `postgresql://u:${PASSWORD}@h:5432/db` }),
    });
    expect(isSecret(vars.outs.secrets)).toBe(true);
    expect(isSecret(vars.outs.variables)).toBe(false);
    expect(
      asReturned(KINDS.railwayDeployment, {}, { registryCredentials: { username: "acme", password: "ghp_x" }, image: "ghcr.io/acme/api@sha256:1" }),
    ).toMatchObject({ registryCredentials: secret({ username: "acme", password: "ghp_x" }), image: "ghcr.io/acme/api@sha256:1" });
  });

  it("an unfinished create keeps the project in the state with its password a secret", async () => {
    supabase.realism = { ...supabase.realism, poolerMissingMs: 600_000 };
    const saved = process.env.PLATFORM_SUPABASE_TIMEOUT_MS;
    process.env.PLATFORM_SUPABASE_TIMEOUT_MS = "200";
    try {
      const failed = await p.create!(urnOf("platform:supabase:Project"), { ...projectInputs("plug-late"), projectName: "plug-late" }).then(
        () => expect.unreachable("it should not finish"),
        (err) => err as { id: string; properties: Record<string, unknown>; message: string },
      );
      expect(failed.id).toMatch(/^[a-z]{20}$/);
      expect(isSecret(failed.properties.dbPass)).toBe(true);
      expect(failed.message).not.toContain(PASSWORD);
    } finally {
      process.env.PLATFORM_SUPABASE_TIMEOUT_MS = saved;
      supabase.realism = { ...supabase.realism, poolerMissingMs: 20 };
    }
  });

  it("takes the APIs and tokens from its config when given, and says which kinds it has when asked for another", async () => {
    const saved = process.env.RAILWAY_API_TOKEN;
    try {
      p.configure!({ railwayApiToken: "from-config" });
      expect(process.env.RAILWAY_API_TOKEN).toBe("from-config");
    } finally {
      process.env.RAILWAY_API_TOKEN = saved;
    }
    expect(() => kindOfUrn(urnOf("platform:railway:Nothing"))).toThrow(/has no resource kind "platform:railway:Nothing"; it knows platform:railway:Project, /);
  });
});

describe("the table of kinds", () => {
  it("is the one list: every token is platform:<cloud>:<Name>, once, and every kind is a policy type", () => {
    expect(KIND_BY_TOKEN.size).toBe(Object.keys(KINDS).length);
    for (const token of KIND_BY_TOKEN.keys()) expect(token).toMatch(/^platform:(railway|supabase):[A-Z][A-Za-z]+$/);
    expect(Object.entries(KIND_TYPES).every(([name, token]) => (TYPES as Record<string, string>)[name] === token)).toBe(true);
  });

  it("is imported by no kind: each kind module is a leaf, with no runtime Pulumi SDK (the plugin starts light)", () => {
    for (const cloud of ["railway", "supabase"]) {
      const dir = path.join(ROOT, "components", cloud, "kinds");
      for (const file of readdirSync(dir)) {
        const text = readFileSync(path.join(dir, file), "utf8");
        expect(text, `${cloud}/kinds/${file}`).not.toMatch(/from "(\.\.\/)+provider\/kinds"|from "\.\/index"/);
        expect(text, `${cloud}/kinds/${file}`).not.toMatch(/^import (?!type )[^;]*from "@pulumi\/pulumi"/m);
      }
    }
  });
});
