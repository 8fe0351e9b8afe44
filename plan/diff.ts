// What a change does to each stack: the plan of the head against an earlier plan (`--json`, e.g. of
// the pull request's base commit). Resources are compared by URN; inputs as the plan prints them,
// secrets redacted on both sides, with each resource's digest of its secret values (never the
// values) so a rotated secret shows as an update. Costs are the two plans' totals and items.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { sameJson } from "../components/canonical";
import { UserError } from "../config/errors";

/** The version of `npm run plan -- --json`'s format; a base file of another format is refused. */
export const PLAN_FORMAT = 2;

export interface JsonResource {
  readonly urn: string;
  readonly type?: string;
  readonly parent?: string | null;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secretDigest?: string;
}

export interface JsonCostItem {
  readonly urn: string;
  readonly description: string;
  readonly monthlyUsd: number;
}

export interface JsonStack {
  readonly stack: string;
  readonly tier?: string | null;
  readonly resources: readonly JsonResource[];
  readonly cost?: { readonly monthlyUsd: number; readonly items: readonly JsonCostItem[] };
}

export interface CostChange {
  readonly description: string;
  readonly baseUsd: number;
  readonly headUsd: number;
}

export interface StackDiff {
  readonly create: readonly string[];
  readonly update: readonly string[];
  readonly delete: readonly string[];
  readonly baseCostUsd: number;
  readonly headCostUsd: number;
  readonly costDeltaUsd: number;
  /** The cost items whose monthly cost changed, appeared or went. */
  readonly costChanges: readonly CostChange[];
}

const BASE_SCHEMA = {
  type: "object",
  required: ["format", "stacks"],
  properties: {
    format: { type: "integer" },
    stacks: {
      type: "array",
      items: {
        type: "object",
        required: ["stack", "resources"],
        properties: {
          stack: { type: "string" },
          resources: {
            type: "array",
            items: {
              type: "object",
              required: ["urn", "inputs"],
              properties: { urn: { type: "string" }, inputs: { type: "object" }, secretDigest: { type: "string" } },
            },
          },
          cost: {
            type: "object",
            required: ["monthlyUsd", "items"],
            properties: {
              monthlyUsd: { type: "number" },
              items: {
                type: "array",
                items: {
                  type: "object",
                  required: ["urn", "description", "monthlyUsd"],
                  properties: { urn: { type: "string" }, description: { type: "string" }, monthlyUsd: { type: "number" } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false }).compile(BASE_SCHEMA);

/** The stacks of an earlier `--json` plan; a UserError names the file and what is wrong. */
export function readBase(file: string): readonly JsonStack[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UserError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: is not JSON (${(err as Error).message}); give the output of 'npm run plan -- --json'.`);
  }
  // A plan of another format gets its own message; anything else that is not a plan, the schema's.
  const plan = typeof doc === "object" && doc !== null ? (doc as { format?: unknown; stacks?: unknown }) : {};
  if (Array.isArray(plan.stacks) && plan.format !== PLAN_FORMAT) {
    throw new UserError(
      `${file}: is a plan of format ${plan.format === undefined ? "1 (no 'format')" : JSON.stringify(plan.format)}; this plan compares with format ${PLAN_FORMAT}. Plan the base again with this version: 'npm run plan -- --json'.`,
    );
  }
  if (!validate(doc)) {
    const e = validate.errors![0]!;
    throw new UserError(`${file}: is not a plan from 'npm run plan -- --json': ${e.instancePath || "the document"} ${e.message}.`);
  }
  return (doc as { stacks: JsonStack[] }).stacks;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Cost items keyed by resource and their order within it (a resource may have several). */
function itemsByKey(items: readonly JsonCostItem[]): Map<string, JsonCostItem> {
  const seen = new Map<string, number>();
  const out = new Map<string, JsonCostItem>();
  for (const item of items) {
    const n = seen.get(item.urn) ?? 0;
    seen.set(item.urn, n + 1);
    out.set(`${item.urn}#${n}`, item);
  }
  return out;
}

/** One stack's change from `base` to `head`; a stack missing on one side is all create or all delete. */
export function diffStack(base: JsonStack | undefined, head: JsonStack | undefined): StackDiff {
  const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
  const after = new Map((head?.resources ?? []).map((r) => [r.urn, r]));
  const create = [...after.keys()].filter((urn) => !before.has(urn));
  const del = [...before.keys()].filter((urn) => !after.has(urn));
  const update = [...after.values()]
    .filter((r) => {
      const old = before.get(r.urn);
      return old !== undefined && (!sameJson(old.inputs, r.inputs) || old.secretDigest !== r.secretDigest);
    })
    .map((r) => r.urn);
  const baseCostUsd = base?.cost?.monthlyUsd ?? 0;
  const headCostUsd = head?.cost?.monthlyUsd ?? 0;
  const oldItems = itemsByKey(base?.cost?.items ?? []);
  const newItems = itemsByKey(head?.cost?.items ?? []);
  const costChanges: CostChange[] = [];
  for (const key of new Set([...oldItems.keys(), ...newItems.keys()])) {
    const o = oldItems.get(key);
    const n = newItems.get(key);
    if (o && n && o.monthlyUsd === n.monthlyUsd) continue;
    costChanges.push({ description: (n ?? o)!.description, baseUsd: o?.monthlyUsd ?? 0, headUsd: n?.monthlyUsd ?? 0 });
  }
  return { create, update, delete: del, baseCostUsd, headCostUsd, costDeltaUsd: round(headCostUsd - baseCostUsd), costChanges };
}
