// The database refuses connections without TLS.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-supabase-ssl-enforced",
    description: "The Supabase database refuses connections that do not use TLS.",
    why: "Without TLS, credentials and data cross the network readable by anyone on the path.",
    type: TYPES.supabaseSettings,
  },
  (props, violate) => {
    if (props.sslEnforcement !== true) violate("This Supabase project accepts connections without TLS.");
  },
);
