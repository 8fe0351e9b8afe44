// The real Pulumi CLI, run as a user runs it, for the tests: the pinned toolchain (PULUMI_TOOLCHAIN,
// built by scripts/toolchain.sh), a file backend and PULUMI_HOME in a temporary folder, passphrase
// secrets, the test plugins first on PATH (tests/plugins/bin) with plugin downloads off, and the
// platforms' doubles reached through the same environment variables a user sets for the real ones.
// Each command runs in its own process group, and the group is gone when the command returns.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as fromYaml, stringify as toYaml } from "yaml";
import { stopGroup } from "../doubles/processes";
import { ROOT } from "../helpers";

export const PLUGINS_BIN = path.join(ROOT, "tests/plugins/bin");
/** The policy pack as an analyzer plugin the tests' CLI can start (policies/analyzer). */
export const POLICY_PACK = path.join(ROOT, "policies/analyzer");
export const PASSPHRASE = "correct horse battery staple, for the tests only";
/** The compiled program (tests/setup/build.ts builds it), which every workspace runs unless told otherwise. */
export const COMPILED_PROGRAM = path.join(ROOT, "dist/index.js");

/** What this repository's program is made of: what `pulumi up` loads from a checkout. */
export const PROGRAM_SOURCES = ["index.ts", "package.json", "tsconfig.json", "components", "config", "plan", "policies"];

/** The folder of the pinned toolchain: PULUMI_TOOLCHAIN, which the suite's setup fills in. */
export function toolchainDir(): string {
  const dir = process.env.PULUMI_TOOLCHAIN;
  if (!dir) throw new Error("PULUMI_TOOLCHAIN is not set: the test setup sets it (tests/setup/build.ts); run the tests with `npm test`.");
  return dir;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, in one string, for messages. */
  readonly output: string;
}

export interface WorkspaceOptions {
  /** The project folder whose Pulumi.yaml and stack files are copied (ROOT, or an example's). */
  readonly source?: string;
  /** Stack files to copy (`Pulumi.<name>.yaml`), by name. */
  readonly stackFiles?: readonly string[];
  /**
   * Run the project's own program, as its Pulumi.yaml says (this repository's: index.ts through
   * Pulumi's TypeScript loader), copying `copy` from the source too; by default the compiled program.
   */
  readonly ownProgram?: { readonly copy: readonly string[] };
  /** Environment for every command: the doubles' addresses and tokens. */
  readonly env?: Readonly<Record<string, string>>;
  /** The compiled program to run, when not this checkout's (the benchmark runs an older one beside it). */
  readonly program?: string;
}

/**
 * A project folder of its own (the stack files change as `pulumi stack init` and `config set` write
 * them, never the repository's), a file backend and a PULUMI_HOME beside it.
 */
export class Workspace {
  readonly root: string;
  readonly dir: string;
  env: Record<string, string>;
  /** What every command printed, but those asked to show secrets: what a log of the runs would hold. */
  readonly transcript: string[] = [];

  private constructor(root: string, dir: string, env: Record<string, string>) {
    this.root = root;
    this.dir = dir;
    this.env = env;
  }

  static create(options: WorkspaceOptions = {}): Workspace {
    const source = options.source ?? ROOT;
    const root = mkdtempSync(path.join(tmpdir(), "platform-cli-"));
    const dir = path.join(root, "project");
    for (const sub of ["state", "home", "project"]) mkdirSync(path.join(root, sub));
    const copied = ["Pulumi.yaml", ...(options.stackFiles ?? []).map((s) => `Pulumi.${s}.yaml`), ...(options.ownProgram?.copy ?? [])];
    for (const file of copied) cpSync(path.join(source, file), path.join(dir, file), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    const project = fromYaml(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Record<string, any>;
    if (!options.ownProgram) {
      project.main = options.program ?? COMPILED_PROGRAM;
      project.runtime = { name: "nodejs", options: { ...(project.runtime?.options ?? {}), typescript: false } };
    }
    // The project's own plugins stay where the source has them.
    for (const plugin of project.plugins?.providers ?? []) plugin.path = path.resolve(source, plugin.path);
    writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml(project));
    const env: Record<string, string> = {
      PATH: [PLUGINS_BIN, toolchainDir(), process.env.PATH ?? ""].join(path.delimiter),
      HOME: process.env.HOME ?? root,
      PULUMI_HOME: path.join(root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NO_COLOR: "1",
      ...(options.env ?? {}),
    };
    return new Workspace(root, dir, env);
  }

  /** Runs `pulumi <args>` in the project folder; resolves with its exit code and output. */
  async pulumi(args: readonly string[], options: { input?: string; env?: Readonly<Record<string, string>> } = {}): Promise<CliResult> {
    const result = await run(path.join(toolchainDir(), "pulumi"), [...args, "--color", "never"], {
      cwd: this.dir,
      env: { ...this.env, ...(options.env ?? {}) },
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
    if (!args.includes("--show-secrets")) this.transcript.push(`$ pulumi ${args.slice(0, 2).join(" ")} …\n${result.output}`);
    return result;
  }

  /** Like `pulumi`, and throws with the command's output unless it exits 0. */
  async ok(args: readonly string[], options: { input?: string; env?: Readonly<Record<string, string>> } = {}): Promise<CliResult> {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    return result;
  }

  /** `pulumi stack init`, then each supplied secret set the way the README says: the value on standard input. */
  async initStack(stack: string, secrets: Readonly<Record<string, string>> = {}): Promise<void> {
    await this.ok(["stack", "init", stack]);
    for (const [name, value] of Object.entries(secrets)) {
      await this.ok(["config", "set", "--stack", stack, "--secret", "--path", `platform:secrets.${name}.value`], { input: value });
    }
  }

  /**
   * `pulumi stack init`, then every supplied secret in one `config set-all`: the tests' shortcut
   * (the README's way, each from standard input, is `initStack`; readme.test.ts walks it).
   */
  async initStackAtOnce(stack: string, secrets: Readonly<Record<string, string>>): Promise<void> {
    await this.ok(["stack", "init", stack]);
    const pairs = Object.entries(secrets).flatMap(([name, value]) => ["--secret", `platform:secrets.${name}.value=${value}`]);
    if (pairs.length > 0) await this.ok(["config", "set-all", "--stack", stack, "--path", ...pairs]);
  }

  /** `pulumi stack export` of the stack, parsed, and its text. */
  async exportStack(stack: string, showSecrets = false): Promise<{ text: string; deployment: any }> {
    const { stdout } = await this.ok(["stack", "export", "--stack", stack, ...(showSecrets ? ["--show-secrets"] : [])]);
    return { text: stdout, deployment: JSON.parse(stdout).deployment };
  }

  /** The text of every file of the backend and the project folder, by path: what a secret must not be in. */
  files(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.name === "node_modules" || entry.name === "plugins") continue;
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) out.set(full, readFileSync(full).toString("latin1"));
      }
    };
    walk(this.root);
    return out;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The supplied secrets of a stack file (`{ supplied: true }`), each given a value of its own. */
export function suppliedSecrets(file: string, stack: string, source = ROOT): Record<string, string> {
  const doc = fromYaml(readFileSync(path.join(source, `Pulumi.${file}.yaml`), "utf8")) as { config?: Record<string, any> };
  const secrets = (doc.config?.["platform:secrets"] ?? {}) as Record<string, { supplied?: boolean }>;
  return Object.fromEntries(
    Object.entries(secrets)
      .filter(([, s]) => s.supplied)
      .map(([name]) => [name, `supplied-${name}-${stack}-${Math.random().toString(36).slice(2, 10)}`]),
  );
}

/** Commands started by `run` that have not finished: what a test that timed out leaves behind. */
const running = new Set<ChildProcess>();

/** Stops every command still running (a test that timed out left it waiting), each whole process group. */
export async function stopRunning(): Promise<void> {
  await Promise.all([...running].map((child) => stopGroup(child)));
  running.clear();
}

/** Runs a command in a process group of its own and waits until the group is gone. */
export function run(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string>; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdin!.end(options.input ?? "");
    child.once("error", reject);
    child.once("close", (code) => {
      running.delete(child);
      void stopGroup(child).then(() => resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` }), reject);
    });
  });
}
