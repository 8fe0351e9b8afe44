// What the parser warns about without refusing: settings that are valid but probably not meant.
import type { RuleInput } from "./rules";
import { isDocumentationRange } from "./schema";

/** Each warning through `warn` (the program logs them; the plan lists them). */
export function warnAbout({ supabase, tier, sensitive }: RuleInput, warn: ((message: string) => void) | undefined): void {
  if (!supabase || !warn) return;
  const placeholders = supabase.allowedCidrs.filter(isDocumentationRange);
  // In production the policy security-supabase-network-restricted refuses such a list outright.
  if (placeholders.length > 0 && tier !== "production") {
    const shown = sensitive(["supabase"]) ? "" : ` (${placeholders.join(", ")})`;
    warn(
      `platform:supabase.allowedCidrs holds documentation-only ranges${shown}: nothing real connects from them. Replace them with your Railway environment's static outbound IPs before 'pulumi up'.`,
    );
  }
  if (supabase.allowReplace) {
    warn(
      `platform:supabase.allowReplace is true: a change of the Supabase project's name, organization or region will REPLACE it with a new, EMPTY database` +
        (tier === "production" ? " (the old production project is retained, not deleted, but services move to the new one)." : " and DELETE the old one.") +
        " Set it back to false once the change is done.",
    );
  }
}
