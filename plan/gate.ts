// The destructive-change gate: a change that deletes or replaces a resource holding data
// (components/destructive.ts says which) fails unless the stack file confirms it by name in
// `platform:confirmDestructive`. One rule over two inputs: the offline plan against its base
// (`npm run plan -- --base`, plan/cli.ts) and a real `pulumi preview --json`, which the pull
// request's preview runs it over before saving the plan the merge applies:
// `node dist/plan/gate.js STACK < preview.json` (of `pulumi preview --json --show-sames`: the gate
// reads the stack's tier from the Platform component, and a volume beside a service) prints what it found; exit 1 when something is
// unconfirmed, 2 when the input is not a preview of this program.
import { readFileSync } from "node:fs";
import { dataHeldBy, unconfirmedLoss, type Declared, type Loss } from "../components/destructive";
import { KIND_BY_TOKEN } from "../components/provider/kinds";
import { urnName, urnType } from "../components/urn";
import { EXIT, runAsCli } from "./exit";
import { stepType, type PreviewJson } from "./preview";

/** The destructive-change gate, as the offline plan reports it among the policies. */
export const DESTRUCTIVE_CHANGE_POLICY = {
  name: "destructive-change-confirmed",
  description: "A change deletes or replaces a resource that holds data only where the stack file confirms it (platform:confirmDestructive).",
  why: "What a delete or a replacement loses does not come back with the next deploy: one line of a diff should not empty a database or a volume.",
} as const;

export interface Change extends Declared {
  readonly loss: Loss;
}

/** What the Platform component holds: the stack's tier and what the change confirms (components/platform.ts). */
export interface Confirmation {
  readonly tier: string;
  readonly confirmDestructive?: readonly string[];
}

/** The tier and confirmations the Platform component's inputs hold; undefined without a tier. */
export function confirmationOf(inputs: Readonly<Record<string, unknown>> | undefined): Confirmation | undefined {
  if (typeof inputs?.tier !== "string") return undefined;
  const names = inputs.confirmDestructive;
  return { tier: inputs.tier, ...(Array.isArray(names) ? { confirmDestructive: names.map(String) } : {}) };
}

/** A resource as the gate sees it, from what a plan or a preview says of it. */
export const declaredAs = (urn: string, type: string, parent?: string | null): Declared => ({ urn, type, ...(parent ? { parent } : {}) });

export interface Finding {
  readonly urn: string;
  readonly message: string;
}

export interface GateResult {
  /** One message per unconfirmed resource: what goes, and how to confirm it. */
  readonly blocked: readonly Finding[];
  /** The confirmed losses, one line each. */
  readonly confirmed: readonly string[];
}

/** The gate over `changes`, among `declared` (what the stack declares and held, for a service's volume). */
export function gate(changes: readonly Change[], declared: readonly Declared[], confirmation: Confirmation): GateResult {
  const blocked: Finding[] = [];
  const confirmed: string[] = [];
  const names = new Set(confirmation.confirmDestructive ?? []);
  for (const change of [...changes].sort((a, b) => urnName(a.urn).localeCompare(urnName(b.urn)))) {
    const what = dataHeldBy(change, confirmation.tier, declared);
    if (what === undefined) continue;
    if (names.has(urnName(change.urn)))
      confirmed.push(`\`${urnName(change.urn)}\` (${change.type}) is ${change.loss}, with ${what}, as platform:confirmDestructive confirms.`);
    else blocked.push({ urn: change.urn, message: unconfirmedLoss(change, change.loss, what) });
  }
  return { blocked, confirmed };
}

// ---------------------------------------------------------------------------------------------
// The offline plan against its base

interface PlannedLike {
  readonly urn: string;
  readonly type?: string;
  readonly parent?: string | null;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * What the change from `base` to `head` deletes or replaces, as the engine would decide it: a
 * resource gone from the head is deleted; one whose kind's own check and diff (the provider's, which
 * call no API) replace it is replaced. A provider that refuses the change outright says why.
 */
export async function offlineChanges(base: readonly PlannedLike[], head: readonly PlannedLike[]): Promise<{ changes: Change[]; refused: Finding[] }> {
  const after = new Map(head.map((r) => [r.urn, r]));
  const changes: Change[] = [];
  const refused: Finding[] = [];
  for (const old of base) {
    const type = old.type ?? urnType(old.urn);
    const now = after.get(old.urn);
    if (!now) {
      changes.push({ ...declaredAs(old.urn, type, old.parent), loss: "deleted" });
      continue;
    }
    const handler = KIND_BY_TOKEN.get(type)?.handler;
    if (!handler) continue;
    try {
      const olds = handler.check ? (await handler.check({}, { ...old.inputs })).inputs : { ...old.inputs };
      const news = handler.check ? (await handler.check(olds, { ...now.inputs })).inputs : { ...now.inputs };
      const diff = await handler.diff("", olds, news, old.urn);
      if ((diff.replaces ?? []).length > 0) changes.push({ ...declaredAs(old.urn, type, now.parent), loss: "replaced" });
    } catch (err) {
      refused.push({ urn: old.urn, message: (err as Error).message });
    }
  }
  return { changes, refused };
}

// ---------------------------------------------------------------------------------------------
// A real preview

const LOSS_BY_OP: Readonly<Record<string, Loss>> = {
  delete: "deleted",
  replace: "replaced",
  "create-replacement": "replaced",
  "delete-replaced": "replaced",
};

/** The gate over `pulumi preview --json --show-sames`; undefined when it is not a preview of this program. */
export function gatePreview(preview: PreviewJson): GateResult | undefined {
  const steps = preview.steps ?? [];
  const platform = steps.find((s) => stepType(s) === "platform:index:Platform");
  const confirmation = confirmationOf((platform?.newState ?? platform?.oldState)?.inputs);
  if (!confirmation) return undefined;
  const declared = steps.flatMap((step) =>
    [step.oldState, step.newState].flatMap((state) => (state?.type ? [declaredAs(step.urn, state.type, state.parent)] : [])),
  );
  const changes = new Map<string, Change>();
  for (const step of steps) {
    const loss = LOSS_BY_OP[step.op];
    if (!loss) continue;
    // A replacement shows as up to three steps; a replacement is what it is.
    if (changes.get(step.urn)?.loss !== "replaced")
      changes.set(step.urn, { ...declaredAs(step.urn, stepType(step), (step.newState ?? step.oldState)?.parent), loss });
  }
  return gate([...changes.values()], declared, confirmation);
}

export async function main(argv: string[]): Promise<number> {
  const stack = argv[0] ?? "the stack";
  let preview: PreviewJson;
  try {
    preview = JSON.parse(readFileSync(0, "utf8")) as PreviewJson;
  } catch (err) {
    process.stderr.write(`Stack ${stack}: the preview's output is not JSON (${(err as Error).message}); give the output of 'pulumi preview --json'.\n`);
    return EXIT.config;
  }
  const result = gatePreview(preview);
  if (!result) {
    process.stderr.write(
      `Stack ${stack}: the preview holds no platform:index:Platform resource with its tier: it is not a preview of this program run with --show-sames, or it failed first.\n`,
    );
    return EXIT.config;
  }
  for (const line of result.confirmed) process.stdout.write(`- ${line}\n`);
  if (result.blocked.length === 0) {
    if (result.confirmed.length === 0) process.stdout.write(`Stack ${stack}: the change deletes or replaces nothing that holds data.\n`);
    return EXIT.ok;
  }
  process.stdout.write(`Stack ${stack}: the change deletes or replaces what holds data, unconfirmed:\n`);
  for (const { message } of result.blocked) process.stdout.write(`- ${message}\n`);
  return EXIT.policy;
}

runAsCli(module, main);
