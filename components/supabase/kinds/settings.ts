// A project's database settings: SSL enforcement, the pooler, point-in-time recovery, extensions.
// Only the keys the config names are managed; each is written only when it changes, and only to a
// project that is up (a settings write during COMING_UP, RESIZING or a restart fails). An SSL change
// reboots the database: it is waited for until applied and healthy again. The pooler's port is read
// back, since it follows the pool mode.
import { changedKeys, unlessNotFound, type Props } from "../../provider-kit";
import { supabase, type CallContext } from "../api";
import { defineKind, type KindHandler } from "../../provider/kind";
import { ctx } from "./project";
import { waitForPooler, waitForSslApplied, waitUntilHealthy } from "./wait";

export interface SettingsInputs {
  ref: string;
  /** The project's name, for messages. */
  project: string;
  sslEnforcement?: boolean;
  pooler?: { mode: string; poolSize: number };
  pitrDays?: number;
  extensions?: string[];
}

const SETTING_KEYS = ["pitrDays", "pooler", "extensions", "sslEnforcement"] as const;

/** The SQL that creates the extensions (names are validated by the config schema). */
export function extensionsSql(extensions: readonly string[]): string {
  return extensions.map((e) => `create extension if not exists "${e}" with schema extensions;`).join("\n");
}

async function applySetting(c: CallContext, ref: string, key: string, olds: Props, news: Props): Promise<void> {
  switch (key) {
    case "pitrDays":
      if (news.pitrDays > 0) await supabase.applyAddon(c, ref, "pitr", `pitr_${news.pitrDays}`);
      else if (olds.pitrDays > 0) await supabase.removeAddon(c, ref, `pitr_${olds.pitrDays}`);
      return;
    case "sslEnforcement":
      await supabase.setSslEnforcement(c, ref, news.sslEnforcement);
      await waitForSslApplied(c, ref);
      return;
    case "pooler":
      await supabase.setPooler(c, ref, news.pooler.mode, news.pooler.poolSize);
      return;
    case "extensions": {
      // Extensions leave config without being dropped: their objects may hold data.
      const added = (news.extensions as string[]).filter((e) => !(olds.extensions ?? []).includes(e));
      if (added.length > 0) await supabase.runQuery(c, ref, extensionsSql(added));
      return;
    }
  }
}

/** Writes the changed settings (the caller has waited for the project to be healthy), then reads back the pooler's port. */
async function apply(c: CallContext, news: Props, olds: Props, keys: readonly string[]): Promise<Props> {
  for (const key of keys) await applySetting(c, news.ref, key, olds, news);
  const pooler = await waitForPooler(c, news.ref);
  return { ...news, poolerPort: pooler.port };
}

/**
 * The managed settings as the project has them now. A project taken over, or one whose create
 * was interrupted, may already have some: only what differs is written.
 */
async function present(c: CallContext, inputs: Props): Promise<Props> {
  const ref = inputs.ref;
  const now: Props = {};
  const ssl = await supabase.sslEnforcement(c, ref);
  if (ssl.applied) now.sslEnforcement = ssl.enforced;
  const pooler = await supabase.pooler(c, ref);
  if (pooler) now.pooler = { mode: pooler.mode, poolSize: pooler.poolSize };
  const pitr = (await supabase.addons(c, ref)).pitr;
  now.pitrDays = pitr ? Number(pitr.replace("pitr_", "")) : 0;
  if (inputs.extensions !== undefined) {
    const installed = await supabase.extensions(c, ref);
    // What is installed and wanted counts as there; what is wanted and missing is created.
    now.extensions = (inputs.extensions as string[]).filter((e) => installed.includes(e));
  }
  return now;
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, ["ref", ...SETTING_KEYS]);
    return { changes: changed.length > 0, replaces: changed.includes("ref") ? ["ref"] : [] };
  },
  async create(inputs) {
    const c = ctx("settings of project", inputs.project, "create");
    await waitUntilHealthy(c, inputs.ref);
    const now = await present(c, inputs);
    const outs = await apply(
      c,
      inputs,
      now,
      changedKeys(now, inputs, SETTING_KEYS).filter((k) => inputs[k] !== undefined),
    );
    return { id: `${inputs.ref}:settings`, outs };
  },
  async read(id, props) {
    const c = ctx("settings of project", props?.project, "read");
    const ref = props!.ref;
    const read: Props = { ...props };
    const ssl = await unlessNotFound(() => supabase.sslEnforcement(c, ref));
    if (ssl === undefined) return {};
    if (props?.sslEnforcement !== undefined) read.sslEnforcement = ssl.enforced;
    const pooler = await supabase.pooler(c, ref);
    if (pooler) {
      read.poolerPort = pooler.port;
      if (props?.pooler !== undefined) read.pooler = { mode: pooler.mode, poolSize: pooler.poolSize };
    }
    if (props?.pitrDays !== undefined) {
      const pitr = (await supabase.addons(c, ref)).pitr;
      read.pitrDays = pitr ? Number(pitr.replace("pitr_", "")) : 0;
    }
    return { id, props: read };
  },
  async update(_id, olds, news) {
    const c = ctx("settings of project", news.project, "update");
    const keys = changedKeys(olds, news, SETTING_KEYS).filter((k) => news[k] !== undefined);
    if (keys.length > 0) await waitUntilHealthy(c, news.ref);
    const outs = await apply(c, news, olds, keys);
    return { outs };
  },
  // Settings belong to the project: they go when it goes.
  async delete() {},
};

export const settingsKind = defineKind<SettingsInputs, { poolerPort: number }>({
  token: "platform:supabase:Settings",
  outputs: ["poolerPort"],
  secretOutputs: [],
  handler: provider,
});
