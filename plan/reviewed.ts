// What was reviewed is what gets applied. The pull request's preview saves each stack's plan, and
// the deploy after the merge applies exactly that plan or nothing:
//
//   node dist/plan/reviewed.js save STACK DIR    in pull-request.yml
//   node dist/plan/reviewed.js apply STACK DIR   in deploy.yml, with DIR downloaded from that run
//
// `save` runs `pulumi preview --save-plan` with the stack's policy pack, then the destructive-change
// gate over the same preview (plan/gate.ts), and records the stack's last update. It leaves in DIR
// plan.json (Pulumi's update plan; its secrets encrypted by the stack's secrets provider),
// preview.json (secrets masked), summary.md and reviewed.json; a plan the gate refuses is removed,
// so no artifact can carry it. `apply` refuses a stack updated since (another merge, a refresh, a
// hand-run `up`), then runs `pulumi up --plan --refresh`: the engine refuses, before any write, a
// step the plan does not hold, such as putting back a setting changed in a dashboard since.
// Exit 0: saved, or applied; 1: refused (the message says why and what to do); 2: bad arguments
// or files; 3: the preview or the update failed for another reason.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { urnName } from "../components/urn";
import { gatePreview } from "./gate";
import { EXIT, runAsCli } from "./exit";
import { stepType, type PreviewJson } from "./preview";

const USAGE = `Usage: node dist/plan/reviewed.js save|apply STACK DIR

  save STACK DIR    pulumi preview --save-plan DIR/plan.json with the stack's policy pack, the
                    destructive-change gate over it, and the stack's last update, into DIR
  apply STACK DIR   pulumi up --plan DIR/plan.json --refresh, unless the stack was updated since

  The policy pack is POLICY_PACK (default: policies), with policies/config/STACK.json when it exists;
  save records PREVIEWED_COMMIT (the pull request's head) when set.`;

/** A stack's last update as `pulumi stack history` lists it (a file backend numbers none: version 0). */
export interface LastUpdate {
  readonly kind: string;
  readonly startTime: string;
  readonly version: number;
}

/** What `save` records beside the plan: the stack, its last update then (null: none yet), and the commit previewed. */
export interface Reviewed {
  readonly stack: string;
  readonly lastUpdate: LastUpdate | null;
  readonly commit?: string;
}

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pulumi`, its output kept (and echoed to stderr as it comes when `echo`, for the job's log). */
function pulumi(args: readonly string[], echo = false): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (echo) process.stderr.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (echo) process.stderr.write(chunk);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `--policy-pack` and, when the repository has one for the stack, `--policy-pack-config`. */
function policyArgs(stack: string): string[] {
  const config = path.join("policies", "config", `${stack}.json`);
  return ["--policy-pack", process.env.POLICY_PACK || "policies", ...(existsSync(config) ? ["--policy-pack-config", config] : [])];
}

/** The stack's last update (`pulumi stack history`, newest first): an `up`, a `refresh`, a `destroy`, an import. */
async function lastUpdate(stack: string): Promise<LastUpdate | null> {
  const history = await pulumi(["stack", "history", "--stack", stack, "--output", "json", "--page-size", "1"]);
  if (history.code !== 0) throw new Error(`pulumi stack history --stack ${stack} failed:\n${history.stderr || history.stdout}`);
  const [last] = JSON.parse(history.stdout.trim() || "[]") as Partial<LastUpdate>[];
  return last ? { kind: last.kind ?? "update", startTime: last.startTime ?? "", version: last.version ?? 0 } : null;
}

const described = (u: LastUpdate | null) => (u ? `${u.kind}${u.version > 0 ? ` #${u.version}` : ""} started ${u.startTime}` : "none");

/** The preview's steps that change something, one line each, for the job summary and the pull request. */
function changesOf(preview: PreviewJson): string[] {
  return (preview.steps ?? [])
    .filter((s) => s.op !== "same" && s.op !== "read")
    .map((s) => `${s.op} \`${urnName(s.urn)}\` (${stepType(s)})`)
    .sort();
}

/** What made a preview fail: its errors, and what the CLI printed besides its JSON (policy violations among it). */
function errorsOf(preview: PreviewJson, ran: Ran): string {
  const errors = (preview.diagnostics ?? [])
    .filter((d) => d.severity === "error" && d.message)
    .map((d) => `${d.urn ? `${urnName(d.urn)}: ` : ""}${d.message!.trim()}`);
  return [...errors, ran.stderr.trim()].filter((e) => e !== "").join("\n");
}

async function save(stack: string, dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const plan = path.join(dir, "plan.json");
  // Nothing of an earlier save stays to be mistaken for this one's.
  for (const file of ["plan.json", "preview.json", "summary.md", "reviewed.json"]) rmSync(path.join(dir, file), { force: true });
  const last = await lastUpdate(stack);
  const ran = await pulumi(["preview", "--stack", stack, "--save-plan", plan, "--json", "--show-sames", ...policyArgs(stack)]);
  writeFileSync(path.join(dir, "preview.json"), ran.stdout);
  let preview: PreviewJson = {};
  try {
    preview = JSON.parse(ran.stdout) as PreviewJson;
  } catch {
    // A preview that failed before it could say anything: its stderr says why.
  }
  if (ran.code !== 0) {
    rmSync(plan, { force: true });
    // `--json` leaves policy violations out (Pulumi's JSON display drops policy events): the
    // preview again as people read it says what failed.
    const shown = await pulumi(["preview", "--stack", stack, ...policyArgs(stack)]);
    process.stderr.write(`${shown.stdout}${shown.stderr}\nStack ${stack}: the preview failed, so no plan was saved:\n${errorsOf(preview, ran)}\n`);
    return EXIT.failure;
  }
  const gated = gatePreview(preview);
  if (!gated) {
    rmSync(plan, { force: true });
    process.stderr.write(`Stack ${stack}: the preview holds no platform:index:Platform resource with its tier; no plan was saved.\n`);
    return EXIT.config;
  }
  const changes = changesOf(preview);
  const summary = [
    `### Stack ${stack}: ${changes.length === 0 ? "no changes" : `${changes.length} change(s)`}`,
    "",
    ...changes.map((c) => `- ${c}`),
    ...(gated.confirmed.length > 0 ? ["", "Confirmed by `platform:confirmDestructive`:", "", ...gated.confirmed.map((c) => `- ${c}`)] : []),
    ...(gated.blocked.length > 0
      ? ["", "**Refused: the change deletes or replaces what holds data, unconfirmed.**", "", ...gated.blocked.map((b) => `- ${b.message}`)]
      : []),
  ].join("\n");
  writeFileSync(path.join(dir, "summary.md"), `${summary}\n`);
  process.stdout.write(`${summary}\n`);
  if (gated.blocked.length > 0) {
    rmSync(plan, { force: true });
    return EXIT.policy;
  }
  const reviewed: Reviewed = { stack, lastUpdate: last, ...(process.env.PREVIEWED_COMMIT ? { commit: process.env.PREVIEWED_COMMIT } : {}) };
  writeFileSync(path.join(dir, "reviewed.json"), `${JSON.stringify(reviewed, null, 2)}\n`);
  return EXIT.ok;
}

const AGAIN = "Re-run the pull request's preview for this stack, review what it shows, then re-run this deploy.";

async function apply(stack: string, dir: string): Promise<number> {
  const plan = path.join(dir, "plan.json");
  let reviewed: Reviewed;
  try {
    reviewed = JSON.parse(readFileSync(path.join(dir, "reviewed.json"), "utf8")) as Reviewed;
  } catch {
    process.stderr.write(`Stack ${stack}: ${dir} holds no reviewed plan (reviewed.json, from 'save'). ${AGAIN}\n`);
    return EXIT.config;
  }
  if (reviewed.stack !== stack || !existsSync(plan)) {
    process.stderr.write(
      `Stack ${stack}: ${dir} holds the reviewed plan of stack ${JSON.stringify(reviewed.stack)}${existsSync(plan) ? "" : ", without its plan.json"}. ${AGAIN}\n`,
    );
    return EXIT.config;
  }
  const now = await lastUpdate(stack);
  if (JSON.stringify(now) !== JSON.stringify(reviewed.lastUpdate)) {
    process.stderr.write(
      `Stack ${stack} was updated after this plan was made (its last update then: ${described(reviewed.lastUpdate)}; now: ${described(now)}; another merge, a refresh or an 'up' by hand), ` +
        `so the plan no longer says what 'pulumi up' would do. Nothing was applied. ${AGAIN}\n`,
    );
    return EXIT.policy;
  }
  const ran = await pulumi(["up", "--stack", stack, "--plan", plan, "--refresh", "--yes", ...policyArgs(stack)], true);
  if (ran.code === 0) {
    process.stdout.write(`Stack ${stack}: the reviewed plan${reviewed.commit ? ` of ${reviewed.commit}` : ""} is applied.\n`);
    return EXIT.ok;
  }
  const output = `${ran.stdout}\n${ran.stderr}`;
  const outside = output.split("\n").filter((l) => /is not allowed by the plan|violates plan|expected resource operations/.test(l));
  if (outside.length > 0) {
    process.stderr.write(
      `Stack ${stack}: 'pulumi up' would do what the reviewed plan does not hold, so it stopped before changing anything:\n` +
        `${[...new Set(outside.map((l) => l.trim()))].join("\n")}\n` +
        `What runs differs from the stack's state (a setting changed in a dashboard, a secret rotated), or the merged program differs from the previewed one. ` +
        `If what runs changed, take it into the state first ('pulumi refresh --stack ${stack}'); then ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}\n`,
    );
    return EXIT.policy;
  }
  process.stderr.write(`Stack ${stack}: 'pulumi up' with the reviewed plan failed (exit ${ran.code}); its output is above.\n`);
  return EXIT.failure;
}

export async function main(argv: string[]): Promise<number> {
  const [command, stack, dir] = argv;
  if ((command !== "save" && command !== "apply") || !stack || !dir || argv.length !== 3) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.config;
  }
  return command === "save" ? save(stack, path.resolve(dir)) : apply(stack, path.resolve(dir));
}

runAsCli(module, main);
