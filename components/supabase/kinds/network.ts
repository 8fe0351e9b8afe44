// Who may connect to a project's database and pooler: the CIDRs the stack names together with the
// static egress addresses of the services that use the database. Written only to a healthy project;
// read back, normalized, on refresh, so an address added or removed by hand shows as a change.
import { changedKeys, unlessNotFound, type Props } from "../../provider-kit";
import { supabase } from "../api";
import { defineKind, type KindHandler } from "../../provider/kind";
import { ctx } from "./project";
import { waitUntilHealthy } from "./wait";
import { sameJson } from "../../canonical";

export interface NetworkInputs {
  ref: string;
  /** The project's name, for messages. */
  project: string;
  /** `platform:supabase.allowedCidrs`. */
  allowedCidrs: string[];
  /** The egress addresses of the services that use the database. */
  serviceIps: string[];
  /** `platform:supabase.restrictToServices`: with nothing listed, nothing may connect (rather than anything). */
  restrictToServices: boolean;
}

export const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** A CIDR or a bare address, as Supabase stores it: a bare address becomes /32 (IPv4) or /128 (IPv6). */
export function normalizeCidr(value: string): string {
  const v = value.trim().toLowerCase();
  return v.includes("/") ? v : `${v}/${v.includes(":") ? 128 : 32}`;
}

/** The list the database should have: sorted, without repeats; open to all only when nothing restricts it. */
export function effectiveCidrs(inputs: { allowedCidrs?: readonly string[]; serviceIps?: readonly string[]; restrictToServices?: boolean }): string[] {
  const all = [...new Set([...(inputs.allowedCidrs ?? []), ...(inputs.serviceIps ?? [])].map(normalizeCidr))].sort();
  return all.length === 0 && !inputs.restrictToServices ? [...ANYWHERE] : all;
}

async function write(news: Props, operation: string): Promise<Props> {
  const c = ctx("network restrictions of project", news.project, operation);
  const cidrs = effectiveCidrs(news);
  await waitUntilHealthy(c, news.ref);
  await supabase.setNetworkRestrictions(
    c,
    news.ref,
    cidrs.filter((x) => !x.includes(":")),
    cidrs.filter((x) => x.includes(":")),
  );
  return { ...news, appliedCidrs: cidrs };
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, ["ref", "allowedCidrs", "serviceIps", "restrictToServices"]);
    // What the database holds (refreshed) against what it should hold.
    if (!sameJson(olds.appliedCidrs, effectiveCidrs(news))) changed.push("appliedCidrs");
    return { changes: changed.length > 0, replaces: changed.includes("ref") ? ["ref"] : [] };
  },
  async create(inputs) {
    // A project taken over may accept exactly these addresses already: then nothing is written.
    const now = await supabase.networkRestrictions(ctx("network restrictions of project", inputs.project, "create"), inputs.ref);
    const applied = [...new Set([...now.v4, ...now.v6].map(normalizeCidr))].sort();
    if (sameJson(applied, effectiveCidrs(inputs))) return { id: `${inputs.ref}:network`, outs: { ...inputs, appliedCidrs: applied } };
    return { id: `${inputs.ref}:network`, outs: await write(inputs, "create") };
  },
  async read(id, props) {
    const c = ctx("network restrictions of project", props?.project, "read");
    const found = await unlessNotFound(() => supabase.networkRestrictions(c, props!.ref));
    if (!found) return {};
    return { id, props: { ...props, appliedCidrs: [...new Set([...found.v4, ...found.v6].map(normalizeCidr))].sort() } };
  },
  async update(_id, _olds, news) {
    return { outs: await write(news, "update") };
  },
  // The restrictions belong to the project: they go when it goes.
  async delete() {},
};

export const networkRestrictionsKind = defineKind<NetworkInputs, { appliedCidrs: string[] }>({
  token: "platform:supabase:NetworkRestrictions",
  outputs: ["appliedCidrs"],
  secretOutputs: [],
  handler: provider,
});
