// The daily drift check's report: what `pulumi preview --refresh --expect-no-changes --json` found
// different between what runs and what a stack declares, in plain words, one line per resource and
// setting. A secret's value is never shown: Pulumi's JSON masks it, and this says only that it
// differs. `node dist/plan/drift.js STACK < preview.json` prints the report as Markdown.
import { readFileSync } from "node:fs";
import { urnName } from "../components/urn";
import { runAsCli } from "./exit";
import { stepType, type PreviewJson, type PreviewStep } from "./preview";

const MASK = "[secret]";
const hasSecret = (value: unknown): boolean => JSON.stringify(value ?? null).includes(`"${MASK}"`);
const shown = (value: unknown): string => (value === undefined || value === null ? "not set" : JSON.stringify(value));

/** The settings whose values differ, as sentences; a secret's only as "differs". */
function differences(step: PreviewStep): string[] {
  const running = { ...(step.oldState?.inputs ?? {}), ...(step.oldState?.outputs ?? {}) };
  const declared = step.newState?.inputs ?? {};
  const found: string[] = [];
  for (const key of Object.keys(declared).sort()) {
    const [now, wanted] = [running[key], declared[key]];
    if (JSON.stringify(now ?? null) === JSON.stringify(wanted ?? null)) continue;
    if (hasSecret(now) || hasSecret(wanted)) found.push(`\`${key}\` holds secret values; what runs may differ from what the stack declares (not shown)`);
    else found.push(`\`${key}\` is ${shown(now)} in what runs; the stack declares ${shown(wanted)}`);
  }
  return found;
}

/** One line per drifted resource (and setting), for the drift issue, by resource name. */
export function driftReport(stack: string, preview: PreviewJson): string[] {
  const lines: string[] = [];
  // By resource name: the engine lists steps in the order they finished, which varies.
  const steps = [...(preview.steps ?? [])].sort((a, b) => urnName(a.urn).localeCompare(urnName(b.urn)) || a.urn.localeCompare(b.urn));
  for (const step of steps) {
    const name = urnName(step.urn);
    const what = `\`${name}\` (${stepType(step)})`;
    if (step.op === "create") lines.push(`- ${what} is missing from what runs; \`pulumi up --refresh --stack ${stack}\` would create it again.`);
    else if (step.op === "delete") lines.push(`- ${what} runs, but the stack no longer declares it; \`pulumi up --refresh --stack ${stack}\` would delete it.`);
    else if (step.op === "update" || step.op === "replace") {
      const found = differences(step);
      const how = step.op === "replace" ? " (putting it back replaces the resource)" : "";
      if (found.length === 0) lines.push(`- ${what} differs from what the stack declares${how}.`);
      for (const difference of found) lines.push(`- ${what}: ${difference}${how}.`);
    }
  }
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const stack = argv[0] ?? "the stack";
  const preview = JSON.parse(readFileSync(0, "utf8")) as PreviewJson;
  const lines = driftReport(stack, preview);
  process.stdout.write(`${lines.length > 0 ? lines.join("\n") : "- Nothing differs that the preview could name; see the run's log."}\n`);
  return 0;
}

runAsCli(module, main);
