// Only named networks reach the database.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

const EVERYWHERE = ["0.0.0.0/0", "::/0"];

export default resourcePolicy(
  {
    name: "security-supabase-network-restricted",
    description: "Only the networks the stack names can reach the Supabase database.",
    why: "A database open to the whole internet is one leaked or guessed password away from a breach.",
    type: TYPES.supabaseSettings,
  },
  (props, violate) => {
    const cidrs: string[] | undefined = props.allowedCidrs;
    if (!cidrs || cidrs.length === 0 || cidrs.some((c) => EVERYWHERE.includes(c))) violate("This Supabase project can be reached from any address.");
  },
);
