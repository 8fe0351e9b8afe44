// Renders stack plans for people (a tree like `pulumi preview`'s), for pull-request comments
// (Markdown) and for tools (JSON). Pure functions of the plan.
import type { CostEstimate } from "../policies/cost/model";
import { violationDetail, type Violation } from "../policies/evaluate";
import { PLAN_FORMAT, type StackDiff } from "./diff";
import type { PlannedResource } from "./run";

export interface StackPlan {
  readonly stack: string;
  readonly project: string;
  readonly file: string;
  readonly tier: string | null;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly warnings: readonly string[];
  /** Config problems (exit 2) or the program's failure, one line each. */
  readonly errors: readonly string[];
  /** The cost model's estimate against the budget (when the program ran). */
  readonly cost?: CostEstimate & { readonly budgetUsd: number | null };
  /** What the policy pack reports (when the program ran). */
  readonly violations?: readonly Violation[];
  /** The policy config file used, if any. */
  readonly policyConfig?: string | null;
  /** With `--base`: what changes against the base plan. */
  readonly diff?: StackDiff;
  /** True for a stack only the base plan has: all its resources go. */
  readonly removed?: boolean;
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const signedUsd = (n: number) => `${n < 0 ? "-" : "+"}$${Math.abs(n).toFixed(2)}`;

/** `+N ~M -K`: resources created, updated and deleted. */
export function changeCounts(diff: StackDiff): string {
  return `+${diff.create.length} ~${diff.update.length} -${diff.delete.length}`;
}

/** `$base → $head (+$delta/month)`. */
export function costChange(diff: StackDiff): string {
  return `${usd(diff.baseCostUsd)} → ${usd(diff.headCostUsd)} (${signedUsd(diff.costDeltaUsd)}/month)`;
}

/** `+ urn`, `~ urn` and `- urn`: what a diff creates, updates and deletes. */
function changedUrns(d: StackDiff): string[] {
  return [...d.create.map((urn) => `+ ${urn}`), ...d.update.map((urn) => `~ ${urn}`), ...d.delete.map((urn) => `- ${urn}`)];
}

function diffLines(plan: StackPlan): string[] {
  const d = plan.diff;
  if (!d) return [];
  const lines = ["", `Changes against the base: ${changeCounts(d)}`, ...changedUrns(d).map((line) => `    ${line}`)];
  lines.push(`Monthly cost: ${costChange(d)}`);
  for (const c of d.costChanges) lines.push(`    ${usd(c.baseUsd)} → ${usd(c.headUsd)}  ${c.description}`);
  return lines;
}

/** A resource's name, the last part of its URN. */
export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function costLines(plan: StackPlan): string[] {
  if (!plan.cost) return [];
  const budget = plan.cost.budgetUsd === null ? "no budget" : `budget ${usd(plan.cost.budgetUsd)}`;
  return [
    "",
    `Monthly cost: ${usd(plan.cost.monthlyUsd)} (${budget})`,
    ...plan.cost.items.map((i) => `    ${usd(i.monthlyUsd).padStart(9)}  ${i.description}`),
  ];
}

function violationLines(plan: StackPlan): string[] {
  const found = plan.violations ?? [];
  if (found.length === 0) return ["", `Policies: no violations${plan.policyConfig ? ` (config ${plan.policyConfig})` : ""}`];
  const lines = ["", `Policies: ${found.length} violation(s)${plan.policyConfig ? ` (config ${plan.policyConfig})` : ""}`];
  for (const v of found) {
    const { what, why } = violationDetail(v);
    lines.push(`    [${v.enforcementLevel}] ${v.policy}${v.urn ? ` (${resourceName(v.urn)})` : ""}: ${what}`);
    if (why) lines.push(`        ${why}`);
  }
  return lines;
}

interface TreeRow {
  readonly prefix: string;
  readonly resource: PlannedResource;
}

/** Resources in tree order with `├─ / └─` prefixes, children under their parents in registration order. */
export function treeRows(resources: readonly PlannedResource[]): TreeRow[] {
  const known = new Set(resources.map((r) => r.urn));
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of resources) {
    const parent = r.parent !== null && known.has(r.parent) ? r.parent : null;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const rows: TreeRow[] = [];
  const walk = (parent: string | null, indent: string, depth: number): void => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      rows.push({ prefix: depth === 0 ? "" : `${indent}${last ? "└─ " : "├─ "}`, resource: r });
      walk(r.urn, depth === 0 ? "" : `${indent}${last ? "   " : "│  "}`, depth + 1);
    });
  };
  walk(null, "", 0);
  return rows;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(1, width - [...text].length));
}

function countLine(plan: StackPlan): string {
  const n = plan.resources.length;
  return `${n} to create`;
}

function formatOutput(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The human-readable plan of one stack. */
export function renderText(plan: StackPlan): string {
  const lines: string[] = [];
  if (plan.removed) {
    lines.push(`Stack ${plan.stack}: only in the base plan, so everything it declared goes`, ...diffLines(plan), ...violationLines(plan), "");
    return lines.join("\n");
  }
  lines.push(`Stack ${plan.stack} (tier ${plan.tier ?? "?"}) of project ${plan.project}, from ${plan.file}`);
  if (plan.errors.length > 0) {
    lines.push("", "  Not planned: the configuration is invalid (see the errors printed above).", "");
    return lines.join("\n");
  }
  const rows = treeRows(plan.resources);
  const typeWidth = Math.max(4, ...rows.map((r) => [...r.prefix].length + r.resource.type.length)) + 2;
  lines.push("", `     ${pad("Type", typeWidth)}Name`);
  for (const row of rows) lines.push(` +   ${pad(row.prefix + row.resource.type, typeWidth)}${row.resource.name}`);
  const outputs = Object.entries(plan.outputs);
  if (outputs.length > 0) {
    lines.push("", "Outputs:");
    for (const [key, value] of outputs) lines.push(`    ${key}: ${formatOutput(value)}`);
  }
  if (plan.warnings.length > 0) {
    lines.push("", "Warnings:");
    for (const w of plan.warnings) lines.push(...w.split("\n").map((l, i) => `    ${i === 0 ? "- " : "  "}${l}`));
  }
  lines.push(...costLines(plan), ...diffLines(plan), ...violationLines(plan));
  lines.push("", "Resources:", `    + ${countLine(plan)}`, "");
  return lines.join("\n");
}

/** The plan of all stacks as Markdown, for a pull-request comment or a job summary. */
export function renderMarkdown(plans: readonly StackPlan[]): string {
  const compared = plans.some((p) => p.diff);
  const lines: string[] = [compared ? "## Offline plan: what this change does" : "## Offline plan", ""];
  lines.push(
    compared
      ? "| stack | tier | changes | monthly cost | budget | mandatory violations | status |"
      : "| stack | tier | resources | monthly cost | budget | mandatory violations | status |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const p of plans) {
    const mandatory = (p.violations ?? []).filter((v) => v.enforcementLevel === "mandatory").length;
    const status =
      p.errors.length > 0
        ? "invalid configuration"
        : mandatory > 0
          ? "blocked by policy"
          : p.warnings.length > 0
            ? `${p.warnings.length} warning(s)`
            : p.removed
              ? "removed"
              : "ok";
    const cost = p.diff ? costChange(p.diff) : p.cost ? usd(p.cost.monthlyUsd) : "—";
    const budget = p.cost?.budgetUsd != null ? usd(p.cost.budgetUsd) : "—";
    const size = p.diff ? changeCounts(p.diff) : `${p.resources.length} to create`;
    lines.push(`| ${p.stack} | ${p.tier ?? "?"} | ${size} | ${cost} | ${budget} | ${mandatory} | ${status} |`);
  }
  for (const p of plans) {
    lines.push("", `### ${p.stack}`, "");
    if (p.diff) {
      const d = p.diff;
      lines.push(`**${changeCounts(d)}**, monthly cost ${costChange(d)}`, "");
      const changed = changedUrns(d);
      if (changed.length > 0) lines.push("```text", ...changed, "```", "");
      if (d.costChanges.length > 0) {
        lines.push(
          "| base | head | item |",
          "| ---: | ---: | --- |",
          ...d.costChanges.map((c) => `| ${usd(c.baseUsd)} | ${usd(c.headUsd)} | ${c.description} |`),
          "",
        );
      }
    }
    if (p.removed) {
      if ((p.violations ?? []).length > 0) {
        lines.push("| level | policy | resource | what is wrong |", "| --- | --- | --- | --- |");
        for (const v of p.violations!) lines.push(`| ${v.enforcementLevel} | ${v.policy} | stack | ${violationDetail(v).what} |`);
      }
      continue;
    }
    if (p.errors.length > 0) {
      lines.push("Configuration problems:", "", ...p.errors.map((e) => `- ${e}`));
      continue;
    }
    lines.push("<details><summary>Resources</summary>", "", "```text");
    for (const row of treeRows(p.resources)) lines.push(`${row.prefix}${row.resource.type}  ${row.resource.name}`);
    lines.push("```", "", "</details>");
    if (p.cost) {
      lines.push(
        "",
        "| monthly cost | item |",
        "| ---: | --- |",
        ...p.cost.items.map((i) => `| ${usd(i.monthlyUsd)} | ${i.description} |`),
        `| **${usd(p.cost.monthlyUsd)}** | total |`,
      );
    }
    if ((p.violations ?? []).length > 0) {
      lines.push("", "| level | policy | resource | what is wrong |", "| --- | --- | --- | --- |");
      for (const v of p.violations!)
        lines.push(`| ${v.enforcementLevel} | ${v.policy} | ${v.urn ? resourceName(v.urn) : "stack"} | ${violationDetail(v).what} |`);
    }
    if (p.warnings.length > 0) lines.push("", "Warnings:", "", ...p.warnings.map((w) => `- ${w.split("\n").join(" ")}`));
  }
  lines.push("");
  return lines.join("\n");
}

/** The JSON form: `{stacks: [{stack, tier, resources: [{urn, type, name, parent, inputs}]}]}`. */
export function toJson(plans: readonly StackPlan[]): unknown {
  return {
    format: PLAN_FORMAT,
    stacks: plans.map((p) => ({
      stack: p.stack,
      project: p.project,
      tier: p.tier,
      resources: p.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        custom: r.custom,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        inputs: r.inputs,
        ...(r.secretDigest !== undefined ? { secretDigest: r.secretDigest } : {}),
      })),
      outputs: p.outputs,
      warnings: p.warnings,
      errors: p.errors,
      ...(p.cost ? { cost: { monthlyUsd: p.cost.monthlyUsd, budgetUsd: p.cost.budgetUsd, items: p.cost.items } } : {}),
      ...(p.violations
        ? { violations: p.violations.map((v) => ({ policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn ?? null, message: v.message })) }
        : {}),
      ...(p.diff ? { diff: p.diff } : {}),
      ...(p.removed ? { removed: true } : {}),
    })),
  };
}
