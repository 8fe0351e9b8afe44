// What a delete or a replacement loses: which resources hold a stack's data, and the one message
// that names such a resource and says how to confirm losing it. The offline plan (`--base`), the
// gate over a real preview (plan/gate.ts) and the Supabase project's provider all say it this way.
// The confirmation is `platform:confirmDestructive`: the resource names, as `pulumi preview` and
// the plan print them, that the change may delete or replace. It sits in the stack file, so it is
// part of the change under review.

import { urnName, urnStack } from "./urn";

export const CONFIRM_KEY = "platform:confirmDestructive";

/** A resource as a plan or a preview shows it: its URN, its type token, its parent's URN. */
export interface Declared {
  readonly urn: string;
  readonly type: string;
  readonly parent?: string;
}

export type Loss = "deleted" | "replaced";

/**
 * What deleting or replacing `r` loses in a stack of `tier`, or undefined when it holds no data:
 * a Supabase project or branch (but a review stack's), a volume (Redis's among them), a service
 * with a volume (Railway deletes the volume with it), production's Railway environment.
 */
export function dataHeldBy(r: Declared, tier: string, all: readonly Declared[]): string | undefined {
  switch (r.type) {
    case "platform:supabase:Project":
    case "platform:supabase:Branch":
      return tier === "preview" ? undefined : "its Postgres database, every table and row (the replacement starts empty)";
    case "platform:railway:Volume":
      return r.parent?.includes("$platform:railway:Redis$") ? "Redis's data on its volume" : "the data on the volume";
    case "platform:railway:Service":
      return all.some((o) => o.type === "platform:railway:Volume" && o.parent !== undefined && o.parent === r.parent)
        ? "its volume and the data on it"
        : undefined;
    case "platform:railway:Environment":
      return tier === "production" ? "every service, volume and variable of production in Railway" : undefined;
    default:
      return undefined;
  }
}

/** The message for a data-bearing resource the change would delete or replace without confirmation. */
export function unconfirmedLoss(r: Declared, loss: Loss, what: string): string {
  const name = urnName(r.urn);
  const stack = urnStack(r.urn);
  return (
    `\`${name}\` (${r.type}) in stack ${stack} would be ${loss}, and with it ${what}. ` +
    `If that is intended, confirm it in the same change: list \`${name}\` under \`${CONFIRM_KEY}\` in Pulumi.${stack}.yaml, so the confirmation is reviewed with the rest; ` +
    `otherwise undo what ${loss === "deleted" ? "removes" : "replaces"} it.`
  );
}
