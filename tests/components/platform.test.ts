// The program under Pulumi's mock runtime, per shipped stack: the resources it declares, their
// inputs, secrecy of generated values, and names prefixed with their parent's.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Secrets } from "../../components/secrets/secrets";
import type { StackRun } from "../../plan/run";
import { SHIPPED_STACKS, parse, runEdited, shippedRun, stackRaw } from "../helpers";

const runs = new Map<string, StackRun>();

beforeAll(async () => {
  for (const stack of SHIPPED_STACKS) runs.set(stack, await shippedRun(stack));
});

function byType(run: StackRun, type: string) {
  return run.resources.filter((r) => r.type === type);
}

describe.each(SHIPPED_STACKS)("program, stack %s", (stack) => {
  it("runs without error and exports its tier", () => {
    const run = runs.get(stack)!;
    expect(run.error).toBeUndefined();
    expect(run.outputs.tier).toBe(stack);
  });

  it("generates JWT_SECRET and JWT_REFRESH_SECRET: 32 random bytes rotated every 90 days", () => {
    const run = runs.get(stack)!;
    const bytes = byType(run, "random:index/randomBytes:RandomBytes");
    expect(bytes.map((r) => [r.name, r.inputs.length])).toEqual([
      ["platform-secrets-jwt-secret", 32],
      ["platform-secrets-jwt-refresh-secret", 32],
    ]);
    const rotations = byType(run, "time:index/rotating:Rotating");
    expect(rotations.map((r) => [r.name, r.inputs.rotationDays])).toEqual([
      ["platform-secrets-jwt-secret-rotation", 90],
      ["platform-secrets-jwt-refresh-secret-rotation", 90],
    ]);
    // The keeper ties each value to its rotation; unknown until the rotation exists.
    for (const r of bytes) expect(r.inputs.keepers).toEqual({ rotation: "[unknown]" });
  });

  it("names every child with its parent's name as prefix", () => {
    const run = runs.get(stack)!;
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const children = run.resources.filter((r) => r.parent && byUrn.get(r.parent)?.type !== "pulumi:pulumi:Stack" && byUrn.has(r.parent));
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) expect(child.name.startsWith(`${byUrn.get(child.parent!)!.name}-`)).toBe(true);
  });
});

describe("program with invalid config", () => {
  it("creates nothing but the stack itself", async () => {
    const run = await runEdited("dev", (config) => {
      const services = JSON.parse(config["platform:services"]!);
      services.api.port = 0;
      config["platform:services"] = JSON.stringify(services);
    });
    expect((run.error as Error).name).toBe("ConfigError");
    expect((run.error as Error).message).toContain("platform:services.api.port");
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("Secrets outputs", () => {
  it("hands on every secret, generated or supplied, as a Pulumi secret", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: `${args.name}-id`,
          state: args.type === "random:index/randomBytes:RandomBytes" ? { ...args.inputs, hex: `hex-of-${args.name}` } : args.inputs,
        }),
        call: (args) => args.inputs,
      },
      "platform",
      "production",
      false,
    );
    const raw = stackRaw("production").raw as Record<string, any>;
    for (const name of ["SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN", "RAILWAY_TOKEN"]) raw.secrets[name].value = `value-of-${name}`;
    const config = parse(raw, { stack: "production", secretKeys: new Set(["secrets"]), dryRun: false });
    // The secrets component alone: the rest of the platform is exercised through the plan's runs.
    const values = new Secrets("platform-secrets", { secrets: config.secrets }).values;
    expect(Object.keys(values)).toEqual(["JWT_SECRET", "JWT_REFRESH_SECRET", "SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN", "RAILWAY_TOKEN"]);
    for (const [name, value] of Object.entries(values)) {
      expect(await pulumi.isSecret(value), name).toBe(true);
    }
    const plain = (o: pulumi.Output<string>) => new Promise<string>((resolve) => pulumi.unsecret(o).apply((v) => resolve(v)));
    expect(await plain(values.JWT_SECRET!)).toBe("hex-of-platform-secrets-jwt-secret");
    expect(await plain(values.SENTRY_DSN!)).toBe("value-of-SENTRY_DSN");
  });
});
