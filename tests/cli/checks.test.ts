// The checks the CLI tests rest on, shown to fail when what they guard goes wrong: the scan for
// secrets in plain text finds each form a secret takes in a state file; and the GitHub token, which
// @pulumi/github left to itself takes from GITHUB_TOKEN as a plain input (so the state would hold it
// in plain text, which the lifecycle's scan would then find), reaches the provider as a secret from
// this program, from the environment and from `github:token` alike; and a command a timed-out test
// left running is stopped, its whole process group with it, when its file's world stops.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, STAND_IN, runEdited } from "../helpers";
import { runStack } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";
import { plainSecretsIn, urnsOf } from "./checks";
import { Workspace, run, stopRunning } from "./pulumi";

const TOKEN = "ghs_0123456789abcdefghijABCDEFGHIJ012345";
const APP_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 test key\n-----END PRIVATE KEY-----\n";

describe("the scan for secrets in plain text", () => {
  it("finds a secret as it is, JSON-escaped once or twice and URL-encoded, naming it by its first characters only", () => {
    const secret = 'p@ss"word/with+odd=chars';
    expect(plainSecretsIn(`{"value": "${secret}"}`, [secret])).toEqual(["p@ss… (24 characters)"]);
    expect(plainSecretsIn(JSON.stringify({ value: secret }), [secret])).toEqual(["p@ss… (24 characters)"]);
    expect(plainSecretsIn(JSON.stringify({ appAuth: JSON.stringify({ pemFile: secret }) }), [secret])).toEqual(["p@ss… (24 characters)"]);
    expect(plainSecretsIn(`postgresql://u:${encodeURIComponent(secret)}@host/db`, [secret])).toEqual(["p@ss… (24 characters)"]);
    expect(plainSecretsIn('{"ciphertext": "v1:AAAA:BBBB"}', [secret])).toEqual([]);
    expect(() => plainSecretsIn("text", ["short"])).toThrow(/too short/);
  });

  it("reads the URNs of a preview's steps, the engine's default providers left out", () => {
    const steps = [
      { urn: "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev" },
      { urn: "urn:pulumi:dev::platform::pulumi:providers:random::default_4_21_2" },
      { urn: "urn:pulumi:dev::platform::platform:index:Platform::platform" },
    ];
    expect(urnsOf({ steps })).toEqual([
      "urn:pulumi:dev::platform::platform:index:Platform::platform",
      "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev",
    ]);
  });
});

describe("a command a test left running", () => {
  it("is stopped with its whole process group by stopRunning, which each CLI file's world runs last", async () => {
    // A shell that starts a child of its own, as `pulumi` starts its host and plugins.
    const pending = run("sh", ["-c", "sleep 31.5 & sleep 31.5; wait"], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" } });
    await new Promise((r) => setTimeout(r, 200));
    expect(spawnSync("pgrep", ["-fx", "sleep 31.5"]).stdout.toString().trim().split("\n")).toHaveLength(2);
    const started = Date.now();
    await stopRunning();
    const result = await pending;
    expect(result.code).toBe(-1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(spawnSync("pgrep", ["-fx", "sleep 31.5"]).stdout.toString().trim()).toBe("");
  });
});

describe("the GitHub token", () => {
  const providerOf = (resources: Array<{ type: string; inputs: Record<string, unknown> }>) => resources.find((r) => r.type === "pulumi:providers:github")!;

  it("left to @pulumi/github's own default, lands in the state in plain text, and the scan finds it there", { timeout: 60_000 }, async () => {
    // A program of one GitHub provider, made the way @pulumi/github makes it when no token is given.
    const dir = mkdtempSync(path.join(tmpdir(), "github-default-"));
    // And an App's key handed over as @pulumi/github takes it when nobody marks it secret.
    writeFileSync(
      path.join(dir, "index.js"),
      `const github = require("@pulumi/github");\nnew github.Provider("sdk-default", { owner: "acme" });\nnew github.Provider("plain-app", { owner: "acme", appAuth: { id: "1", installationId: "2", pemFile: ${JSON.stringify(APP_KEY)} } });\n`,
    );
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: sdk-default\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    const ws = Workspace.create({ source: dir, ownProgram: { copy: ["index.js"] }, env: { GITHUB_TOKEN: TOKEN } });
    try {
      await ws.ok(["stack", "init", "dev"]);
      await ws.ok(["up", "--stack", "dev", "--yes", "--skip-preview"]);
      const exported = await ws.exportStack("dev");
      expect(plainSecretsIn(exported.text, [TOKEN, APP_KEY])).toEqual(["ghs_… (40 characters)", `----… (${APP_KEY.length} characters)`]);
    } finally {
      ws.remove();
    }
  });

  /**
   * The shipped program for one stack with `name` set in its environment, as `pulumi up` runs it
   * (the plan hides such variables from the program), and the variable restored after.
   */
  async function runWithEnvironment(stack: string, name: string, value: string) {
    const original = process.env[name];
    try {
      const program = path.join(mkdtempSync(path.join(tmpdir(), "github-env-")), "index.js");
      const compiled = path.join(ROOT, "dist/index.js");
      writeFileSync(
        program,
        `process.env[${JSON.stringify(name)}] = ${JSON.stringify(value)};\ndelete require.cache[${JSON.stringify(compiled)}];\nmodule.exports = require(${JSON.stringify(compiled)});\n`,
      );
      const s = readProjectDir(ROOT, STAND_IN, stack).stacks[0]!;
      return await runStack({ program, dir: ROOT, project: "platform", stack, config: s.config, secretKeys: s.secretKeys });
    } finally {
      if (original === undefined) delete process.env[name];
      else process.env[name] = original;
    }
  }
  const inputsOf = (resources: ReadonlyArray<{ inputs: Record<string, unknown> }>) => JSON.stringify(resources.map((r) => r.inputs));

  it("from this program, is a secret: from GITHUB_TOKEN, and from `github:token` set with --secret", async () => {
    const run = await runWithEnvironment("dev", "GITHUB_TOKEN", TOKEN);
    expect(run.error).toBeUndefined();
    // (The plan's inputs, not its policy view: policies see secrets unwrapped, as the analyzer gives them.)
    expect(providerOf(run.resources).inputs.token).toBe("[secret]");
    expect(plainSecretsIn(inputsOf(run.resources), [TOKEN])).toEqual([]);
    const fromConfig = await runEdited("dev", (c) => (c["github:token"] = TOKEN), { secretKeys: ["github:token"] });
    expect(providerOf(fromConfig.resources).inputs.token).toBe("[secret]");
    expect(plainSecretsIn(inputsOf(fromConfig.resources), [TOKEN])).toEqual([]);
  });

  it("as the App, from this program: the App's key is a secret, from GITHUB_APP_PEM_FILE and from `github:appAuth.pemFile`, and no token is used", async () => {
    const run = await runWithEnvironment("production", "GITHUB_APP_PEM_FILE", APP_KEY);
    expect(run.error).toBeUndefined();
    expect(providerOf(run.resources).inputs).toMatchObject({ appAuth: "[secret]", owner: "converge-nps" });
    expect(providerOf(run.resources).inputs.token).toBeUndefined();
    expect(plainSecretsIn(inputsOf(run.resources), [APP_KEY])).toEqual([]);
    const fromConfig = await runEdited("production", (c) => (c["github:appAuth"] = JSON.stringify({ pemFile: APP_KEY })), { secretKeys: ["github:appAuth"] });
    expect(providerOf(fromConfig.resources).inputs.appAuth).toBe("[secret]");
    expect(plainSecretsIn(inputsOf(fromConfig.resources), [APP_KEY])).toEqual([]);
  });
});
