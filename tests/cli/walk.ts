// The README's command blocks, read and run as a user runs them. A block that a walk runs is marked
// in the README with `<!-- walk:<section> -->` on the line before it. Its commands run one by one
// through bash, in the project folder, with the real CLI and the platforms' doubles, changed only
// where a test cannot be a user at a terminal:
// - `export NAME=...` lines are left out: the test exports the doubles' addresses and tokens itself;
// - `pulumi config set --secret` reads its value from standard input, where the test puts it (a
//   user types it at the prompt);
// - `pulumi up` and `pulumi destroy` run with `--yes --skip-preview` (a user confirms at the prompt,
//   having read the preview the block shows just before);
// - `--policy-pack policies` becomes the pack's launcher (`policies/analyzer`), which is how this
//   toolchain's CLI starts the pack (README, "Policies and cost");
// - `npm run plan -- …` and `npm run import -- …` run this checkout's compiled scripts, which is
//   what `npm run` runs once its build step has nothing to do.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../helpers";
import { POLICY_PACK, run, type CliResult, type Workspace } from "./pulumi";

export interface WalkBlock {
  readonly section: string;
  readonly lang: string;
  readonly text: string;
}

/** Every marked block of the README, in order. */
export function walkBlocks(readme = readFileSync(path.join(ROOT, "README.md"), "utf8")): WalkBlock[] {
  const blocks: WalkBlock[] = [];
  const lines = readme.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const mark = /^\s*<!-- walk:([a-z-]+) -->\s*$/.exec(lines[i]!);
    if (!mark) continue;
    const fence = /^(\s*)```(\w+)\s*$/.exec(lines[i + 1] ?? "");
    if (!fence) throw new Error(`README line ${i + 1}: a walk mark must stand right before a fenced block`);
    const indent = fence[1]!.length;
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    blocks.push({ section: mark[1]!, lang: fence[2]!, text: body.join("\n") });
    i = j;
  }
  return blocks;
}

/** A shell block's commands: continuation lines joined, blank and comment-only lines left out. */
export function commandsOf(block: WalkBlock): string[] {
  if (block.lang !== "sh") throw new Error(`a ${block.lang} block has no commands`);
  const commands: string[] = [];
  let current = "";
  for (const line of block.text.split("\n")) {
    const joined = current + line;
    if (/\\\s*$/.test(joined)) {
      current = joined.replace(/\\\s*$/, " ");
      continue;
    }
    current = "";
    if (/^\s*(#|$)/.test(joined)) continue;
    commands.push(joined.trim());
  }
  return commands;
}

/** The command a test runs for a README command, and what it feeds on standard input. */
export function asTestRuns(command: string, secrets: Readonly<Record<string, string>>): { command: string; input: string } | undefined {
  if (/^export\s/.test(command)) return undefined;
  let c = command.replace(/--policy-pack policies(?=\s|$)/g, `--policy-pack ${POLICY_PACK}`);
  c = c.replace(/^npm run (plan|import) -- /, (_m, script: string) => `node ${path.join(ROOT, "dist/plan", script === "plan" ? "cli.js" : "import.js")} `);
  if (/^pulumi (up|destroy)\b/.test(c)) c = c.replace(/^pulumi (up|destroy)\b/, "pulumi $1 --yes --skip-preview");
  let input = "";
  const secret = /^pulumi config set\b.*--secret\b.*platform:secrets\.([A-Z0-9_]+)\.value/.exec(c);
  if (secret) {
    const value = secrets[secret[1]!];
    if (value === undefined) throw new Error(`the walk has no value for the secret ${secret[1]}`);
    input = value;
  }
  return { command: c, input };
}

/** Runs one README command in the workspace, as the test runs it; resolves with what it printed. */
export function runReadmeCommand(ws: Workspace, command: string, secrets: Readonly<Record<string, string>>): Promise<CliResult | undefined> {
  const runs = asTestRuns(command, secrets);
  if (!runs) return Promise.resolve(undefined);
  return run("bash", ["-c", runs.command], { cwd: ws.dir, env: ws.env, input: runs.input });
}
