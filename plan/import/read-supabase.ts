// Reading a Supabase project for `npm run import`: its settings, add-ons, network, pooler,
// extensions and connection, through the provider's own client. I/O only.
import { supabase } from "../../components/supabase/api";
import { connectionOf, type Connection } from "../../components/supabase/kinds/connection";
import { SUPABASE_DEFAULT_EXTENSIONS } from "../../config/catalog";

export interface LiveSupabase {
  readonly ref: string;
  readonly name: string;
  readonly organization: string;
  readonly region: string;
  readonly computeSize: string;
  readonly pitrDays: number;
  readonly sslEnforcement: boolean;
  readonly cidrs: string[];
  readonly pooler?: { mode: string; poolSize: number | null };
  readonly extensions: string[];
  /** What the program hands a service that uses it (but the password, which only the services hold). */
  readonly connection: Connection;
}

export async function readSupabase(ref: string): Promise<LiveSupabase> {
  const c = { resource: `project ${JSON.stringify(ref)}`, operation: "import" };
  const project = await supabase.getProject(c, ref);
  const addons = await supabase.addons(c, ref);
  const plan = await supabase.organizationPlan(c, project.organization);
  const ssl = await supabase.sslEnforcement(c, ref);
  const network = await supabase.networkRestrictions(c, ref);
  const pooler = await supabase.pooler(c, ref);
  const extensions = await supabase.extensions(c, ref);
  const connection = await connectionOf(c, ref);
  return {
    connection,
    ref,
    name: project.name,
    organization: project.organization,
    region: project.region,
    // No compute add-on: the smallest size the organization allows.
    computeSize: addons.compute_instance ? addons.compute_instance.replace(/^ci_/, "") : plan === "free" ? "nano" : "micro",
    pitrDays: addons.pitr ? Number(addons.pitr.replace(/^pitr_/, "")) : 0,
    sslEnforcement: ssl.enforced,
    cidrs: [...network.v4, ...network.v6],
    ...(pooler ? { pooler: { mode: pooler.mode, poolSize: pooler.poolSize } } : {}),
    extensions: extensions.filter((e) => !(SUPABASE_DEFAULT_EXTENSIONS as readonly string[]).includes(e)),
  };
}
