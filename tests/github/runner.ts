// Runs one job of a generated workflow the way a GitHub-hosted runner does, as far as the deploy
// job needs: each `run:` step in `bash --noprofile --norc -eo pipefail` (GitHub's bash), the job's
// and the step's `env:` with their expressions filled from the given contexts, GITHUB_ENV,
// GITHUB_STEP_SUMMARY and RUNNER_TEMP files, and `if:` with success(), failure(), cancelled()
// and always(). Steps that use an action do not run; a test gives the outputs they would set.
// An expression this runner does not know fails the run, so a workflow cannot lean on one quietly.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Job, Step } from "../../components/github/workflows";

export interface JobContexts {
  readonly secrets?: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly sha: string;
  /** Outputs of the steps that use actions, by step id. */
  readonly stepOutputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Values that replace the job's own env (an API address, shorter waits). */
  readonly envOverrides?: Readonly<Record<string, string>>;
  /** The run is cancelled once this step has run. */
  readonly cancelAfter?: string;
  /** The working directory of every step. */
  readonly cwd?: string;
}

export interface StepResult {
  readonly name: string;
  readonly outcome: "success" | "failure" | "skipped";
  readonly stdout: string;
  readonly stderr: string;
  /** When the step started, in order of the run. */
  readonly order: number;
}

export interface JobResult {
  readonly steps: StepResult[];
  readonly conclusion: "success" | "failure" | "cancelled";
  readonly summary: string;
}

function fill(text: string, contexts: JobContexts, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_whole, expression: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression))) return contexts.secrets?.[m[1]!] ?? "";
    if ((m = /^vars\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression))) return contexts.vars?.[m[1]!] ?? "";
    if (expression === "github.sha") return contexts.sha;
    if ((m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expression))) return outputs[m[1]!]?.[m[2]!] ?? "";
    throw new Error(`The runner does not know the expression \${{ ${expression} }}`);
  });
}

/** `if:` of a step: the status functions, `!`, `&&` and `||`; anything else is refused. */
function condition(expression: string | undefined, status: { failed: boolean; cancelled: boolean }): boolean {
  const text = expression ?? "success()";
  if (!/^[\s!&|()a-z]*$/.test(text.replace(/success\(\)|failure\(\)|cancelled\(\)|always\(\)/g, ""))) {
    throw new Error(`The runner does not know the condition ${JSON.stringify(text)}`);
  }
  const values: Record<string, boolean> = {
    "success()": !status.failed && !status.cancelled,
    "failure()": status.failed,
    "cancelled()": status.cancelled,
    "always()": true,
  };
  const js = text.replace(/success\(\)|failure\(\)|cancelled\(\)|always\(\)/g, (f) => String(values[f]));
  // A condition without a status function runs only while the job succeeds, as on GitHub.
  const explicit = /failure\(\)|cancelled\(\)|always\(\)/.test(text);
  return (explicit || (!status.failed && !status.cancelled)) && Boolean(new Function(`return (${js});`)());
}

function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function runJob(job: Job, contexts: JobContexts): Promise<JobResult> {
  const temp = mkdtempSync(path.join(tmpdir(), "runner-"));
  try {
    const files = { env: path.join(temp, "env"), summary: path.join(temp, "summary"), output: path.join(temp, "output") };
    for (const f of Object.values(files)) writeFileSync(f, "");
    const outputs: Record<string, Record<string, string>> = {};
    for (const [id, values] of Object.entries(contexts.stepOutputs ?? {})) outputs[id] = { ...values };
    const status = { failed: false, cancelled: false };
    const exported: Record<string, string> = {};
    const results: StepResult[] = [];
    let order = 0;
    const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, fill(v, contexts, outputs)]));
    for (const step of job.steps as Step[]) {
      if (!condition(step.if, status)) {
        results.push({ name: step.name, outcome: "skipped", stdout: "", stderr: "", order: -1 });
        continue;
      }
      order += 1;
      if (step.run === undefined) {
        results.push({ name: step.name, outcome: "success", stdout: "", stderr: "", order });
      } else {
        const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v, contexts, outputs)]));
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: temp,
          RUNNER_TEMP: temp,
          GITHUB_ENV: files.env,
          GITHUB_OUTPUT: files.output,
          GITHUB_STEP_SUMMARY: files.summary,
          GITHUB_SHA: contexts.sha,
          ...jobEnv,
          ...contexts.envOverrides,
          ...exported,
          ...stepEnv,
        };
        const r = await runBash(step.run, env, contexts.cwd ?? temp);
        for (const line of readFileSync(files.env, "utf8").split("\n")) {
          const eq = line.indexOf("=");
          if (eq > 0) exported[line.slice(0, eq)] = line.slice(eq + 1);
        }
        results.push({ name: step.name, outcome: r.code === 0 ? "success" : "failure", stdout: r.stdout, stderr: r.stderr, order });
        if (r.code !== 0) status.failed = true;
      }
      if (contexts.cancelAfter === step.name) status.cancelled = true;
    }
    return { steps: results, conclusion: status.cancelled ? "cancelled" : status.failed ? "failure" : "success", summary: readFileSync(files.summary, "utf8") };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
