// What the parser warns about without refusing: settings that are valid but probably not meant.
import type { RuleInput } from "./rules";
import { isDocumentationRange } from "./schema";

/** Each warning through `warn` (the program logs them; the plan lists them). */
export function warnAbout({ supabase, tier, sensitive, confirmDestructive }: RuleInput, warn: ((message: string) => void) | undefined): void {
  if (!warn) return;
  for (const name of confirmDestructive) {
    warn(
      `platform:confirmDestructive names ${JSON.stringify(name)}: this stack's changes may delete or replace it and the data it holds. Remove the name once that change is applied, so it confirms nothing later.`,
    );
  }
  if (!supabase) return;
  const placeholders = supabase.allowedCidrs.filter(isDocumentationRange);
  // In production the policy security-supabase-network-restricted refuses such a list outright.
  if (placeholders.length > 0 && tier !== "production") {
    const shown = sensitive(["supabase"]) ? "" : ` (${placeholders.join(", ")})`;
    warn(
      `platform:supabase.allowedCidrs holds documentation-only ranges${shown}: nothing real connects from them. Replace them with your Railway environment's static outbound IPs before 'pulumi up'.`,
    );
  }
}
