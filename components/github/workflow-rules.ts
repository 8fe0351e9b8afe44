// The rules every workflow here keeps (OpenSSF Scorecard, zizmor and checkov agree on them), as a
// pure checker over a workflow's YAML. The tests run it on every generated workflow and on this
// repository's own; the policy pack runs it on every committed workflow file.
import { parse as load } from "yaml";

export const WORKFLOW_RULES = {
  "pinned-actions": "Every `uses:` names a full 40-character commit SHA (or a local action).",
  "read-only-top-permissions": "Top-level `permissions` is `{}` or read-only; writes are granted per job.",
  "checkout-without-credentials": "actions/checkout runs with `persist-credentials: false`.",
  "no-expressions-in-run": "No `${{ }}` expression inside `run:`; values reach scripts through `env:`.",
  "secrets-in-environment-jobs": "Only jobs that declare an `environment:` use secrets (GITHUB_TOKEN aside).",
  "no-dangerous-triggers": "No `pull_request_target` or `workflow_run` trigger.",
  "no-inherited-secrets": "No `secrets: inherit`.",
} as const;

export type WorkflowRule = keyof typeof WORKFLOW_RULES;

export interface Finding {
  readonly rule: WorkflowRule;
  readonly where: string;
  readonly message: string;
}

type Json = Record<string, unknown>;

const SHA_PIN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.\/-]+@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@]+@sha256:[0-9a-f]{64}$/;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a `uses:` value is pinned immutably. */
export function isPinned(ref: string): boolean {
  return ref.startsWith("./") || SHA_PIN.test(ref) || DOCKER_DIGEST.test(ref);
}

function triggers(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isObject(on) ? Object.keys(on) : [];
}

function usesSecrets(value: unknown): boolean {
  const text = JSON.stringify(value ?? null);
  return /\$\{\{[^}]*\bsecrets\.(?!GITHUB_TOKEN\b)[A-Za-z_]/.test(text);
}

const checked = new Map<string, Finding[]>();

/** Checks one workflow (its YAML text) against every rule. Results are kept per text: the policies ask once per rule. */
export function checkWorkflow(yamlText: string): Finding[] {
  const known = checked.get(yamlText);
  if (known) return known;
  const findings = findIn(yamlText);
  if (checked.size > 256) checked.clear();
  checked.set(yamlText, findings);
  return findings;
}

function findIn(yamlText: string): Finding[] {
  const doc = load(yamlText) as unknown;
  if (!isObject(doc)) return [{ rule: "read-only-top-permissions", where: "workflow", message: "The file is not a workflow (not a YAML mapping)." }];
  const findings: Finding[] = [];
  const add = (rule: WorkflowRule, where: string, message: string) => findings.push({ rule, where, message });

  for (const trigger of triggers(doc.on ?? doc.true)) {
    if (trigger === "pull_request_target" || trigger === "workflow_run") {
      add("no-dangerous-triggers", `on.${trigger}`, `The workflow runs on ${trigger}, which gives code from outside the repository a privileged token.`);
    }
  }

  const top = doc.permissions;
  const readOnly = top === "read-all" || (isObject(top) && Object.values(top).every((v) => v === "read" || v === "none"));
  if (!readOnly) {
    add(
      "read-only-top-permissions",
      "permissions",
      top === undefined
        ? "The workflow sets no top-level permissions, so every job gets the repository's default token."
        : "The top-level permissions grant write access to every job.",
    );
  }

  for (const [jobId, rawJob] of Object.entries(isObject(doc.jobs) ? doc.jobs : {})) {
    if (!isObject(rawJob)) continue;
    const job = rawJob;
    if (typeof job.uses === "string" && !isPinned(job.uses))
      add("pinned-actions", `jobs.${jobId}.uses`, `Job ${jobId} calls a reusable workflow by a movable reference.`);
    if (job.secrets === "inherit") add("no-inherited-secrets", `jobs.${jobId}.secrets`, `Job ${jobId} passes every secret on with secrets: inherit.`);
    if (job.environment === undefined && usesSecrets({ env: job.env, steps: job.steps, with: job.with, secrets: job.secrets, services: job.services })) {
      add("secrets-in-environment-jobs", `jobs.${jobId}`, `Job ${jobId} uses secrets without declaring an environment.`);
    }
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((rawStep, i) => {
      if (!isObject(rawStep)) return;
      const where = `jobs.${jobId}.steps[${i}]`;
      if (typeof rawStep.uses === "string") {
        if (!isPinned(rawStep.uses)) add("pinned-actions", `${where}.uses`, `Step ${i + 1} of job ${jobId} uses an action by a movable reference.`);
        if (/^actions\/checkout@/.test(rawStep.uses)) {
          const w = isObject(rawStep.with) ? rawStep.with : {};
          if (w["persist-credentials"] !== false && w["persist-credentials"] !== "false") {
            add("checkout-without-credentials", `${where}.with`, `Step ${i + 1} of job ${jobId} checks out with the token left in the git config.`);
          }
        }
      }
      if (typeof rawStep.run === "string" && rawStep.run.includes("${{")) {
        add("no-expressions-in-run", `${where}.run`, `Step ${i + 1} of job ${jobId} puts an expression inside its script.`);
      }
    });
  }
  return findings;
}
