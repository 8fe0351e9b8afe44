// Only named networks reach the database.
import { isDocumentationRange } from "../../config/schema";
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

const EVERYWHERE = ["0.0.0.0/0", "::/0"];

export default resourcePolicy(
  {
    name: "security-supabase-network-restricted",
    description: "Only the networks the stack names, or the services that use it, can reach the Supabase database.",
    why: "A database open to the whole internet is one leaked or guessed password away from a breach; a list of documentation ranges (RFC 5737, RFC 3849) restricts nothing real and locks every client out.",
    type: TYPES.supabaseNetwork,
  },
  (props, violate) => {
    const cidrs: string[] = props.allowedCidrs ?? [];
    if (cidrs.some((c) => EVERYWHERE.includes(c))) return violate("This Supabase project can be reached from any address.");
    if (props.restrictToServices === true) return;
    if (cidrs.length === 0)
      return violate(
        "This Supabase project can be reached from any address: nothing restricts it (set platform:supabase.restrictToServices, or list allowedCidrs).",
      );
    if (cidrs.every(isDocumentationRange)) violate("This Supabase project's allow-list holds only documentation ranges: nothing real can connect.");
  },
);
