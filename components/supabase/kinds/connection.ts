// What a service needs to connect to a Supabase database (a project or a branch's own project): the
// API URL, the keys, the pooler's address. Read after creation and again on every refresh, so a
// rotated key or a moved pooler shows as a change.
import { apiError } from "../../provider-kit";
import { supabase, type CallContext } from "../api";
import { waitForPooler } from "./wait";

/** The outputs every database resource carries. */
export const CONNECTION_KEYS = ["ref", "apiUrl", "keyKind", "publishableKey", "secretKey", "poolerUser", "poolerHost", "poolerPort", "databaseName"] as const;

export interface Connection {
  ref: string;
  apiUrl: string;
  /** `publishable` when the project has the publishable/secret pair, `legacy` when only anon/service_role. */
  keyKind: "publishable" | "legacy";
  publishableKey: string;
  secretKey: string;
  poolerUser: string;
  poolerHost: string;
  /** The pooler's port in its configured mode: 6543 (transaction) or 5432 (session). */
  poolerPort: number;
  databaseName: string;
}

/** The keys services get: the publishable/secret pair, or the legacy pair while it is all there is. */
export async function keysOf(c: CallContext, ref: string): Promise<Pick<Connection, "keyKind" | "publishableKey" | "secretKey">> {
  const keys = await supabase.apiKeys(c, ref);
  if (keys.publishable && keys.secret) return { keyKind: "publishable", publishableKey: keys.publishable, secretKey: keys.secret };
  if (keys.anon && keys.serviceRole) return { keyKind: "legacy", publishableKey: keys.anon, secretKey: keys.serviceRole };
  throw apiError(
    `Supabase ${c.operation} of ${c.resource} failed: project ${ref} has neither a publishable and secret key nor enabled legacy anon and service_role keys. ` +
      `Create API keys in the dashboard (Project Settings, API Keys), then run 'pulumi up' again.`,
  );
}

/** Reads everything a service connects with; waits for the pooler a new project does not have yet. */
export async function connectionOf(c: CallContext, ref: string): Promise<Connection> {
  const pooler = await waitForPooler(c, ref);
  return {
    ref,
    apiUrl: `https://${ref}.supabase.co`,
    ...(await keysOf(c, ref)),
    poolerUser: pooler.user,
    poolerHost: pooler.host,
    poolerPort: pooler.port,
    databaseName: pooler.database,
  };
}
