// Dynamic providers for Supabase: the project, its settings, and a preview branch. One provider
// object dispatching on the `kind` input, so Pulumi serializes it once. Self-contained: every API
// call goes through ./api, credentials are read per call.
import type * as pulumi from "@pulumi/pulumi";
import { providerForKinds, sleep, unlessNotFound } from "../provider-kit";
import { isSupabaseApiError, supabase, type CallContext } from "./api";

type Props = Record<string, any>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function changedKeys(olds: Props, news: Props, keys: readonly string[]): string[] {
  return keys.filter((k) => !same(olds[k], news[k]));
}

function ctx(resource: string, name: unknown, operation: string): CallContext {
  return { resource: `${resource} ${JSON.stringify(name)}`, operation };
}

const ignoreMissing = (run: () => Promise<unknown>) => unlessNotFound(run).then(() => undefined);
const readOrGone = <T>(run: () => Promise<T>) => unlessNotFound(run);

/** Project states a new project never leaves on its own. */
const FAILED_STATES = ["INIT_FAILED", "REMOVED", "RESTORE_FAILED", "PAUSE_FAILED", "GOING_DOWN", "INACTIVE"];

function pollPolicy(): { intervalMs: number; timeoutMs: number } {
  const interval = Number(process.env.PLATFORM_SUPABASE_POLL_MS);
  const timeout = Number(process.env.PLATFORM_SUPABASE_TIMEOUT_MS);
  return { intervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5_000, timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 20 * 60_000 };
}

/** Polls until `status()` says ACTIVE_HEALTHY; fails at once on a failure state, or at the time bound. */
export async function waitUntilHealthy(c: CallContext, status: () => Promise<string>): Promise<void> {
  const { intervalMs, timeoutMs } = pollPolicy();
  const deadline = Date.now() + timeoutMs;
  let last = "unknown";
  for (;;) {
    last = await status();
    if (last === "ACTIVE_HEALTHY") return;
    if (FAILED_STATES.includes(last)) {
      throw new Error(`Supabase ${c.operation} of ${c.resource} failed: the project reached ${last}. Check it in the Supabase dashboard, delete it if it is broken, and run 'pulumi up' again.`);
    }
    if (Date.now() >= deadline) {
      throw new Error(`Supabase ${c.operation} of ${c.resource} timed out after ${Math.round(timeoutMs / 1000)} s; the project is still ${last}. Run 'pulumi refresh' and 'pulumi up' once it is ACTIVE_HEALTHY.`);
    }
    await sleep(intervalMs);
  }
}

/** What a service needs to connect: keys and the pooler's address. */
async function connectionOf(c: CallContext, ref: string): Promise<Props> {
  const keys = await supabase.apiKeys(c, ref);
  const pooler = await supabase.pooler(c, ref);
  return {
    ref,
    apiUrl: `https://${ref}.supabase.co`,
    anonKey: keys.anon,
    serviceKey: keys.serviceRole,
    poolerUser: pooler.user,
    poolerHost: pooler.host,
    poolerPort: pooler.port,
    databaseName: pooler.database,
  };
}

// ---------------------------------------------------------------------------------------------
// Project: found by name in the organization, or created; then polled until healthy.

const FREE_SIZES = ["pico", "nano"];
const PROJECT_REPLACE_KEYS = ["name", "organization", "region"] as const;

async function setComputeSize(c: CallContext, ref: string, from: string | undefined, to: string): Promise<void> {
  if (FREE_SIZES.includes(to)) {
    if (from && !FREE_SIZES.includes(from)) await supabase.removeAddon(c, ref, `ci_${from}`);
  } else {
    await supabase.applyAddon(c, ref, "compute_instance", `ci_${to}`);
  }
}

export const projectProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, [...PROJECT_REPLACE_KEYS, "computeSize", "dbPass"]);
    const replaces = changed.filter((k) => (PROJECT_REPLACE_KEYS as readonly string[]).includes(k));
    if (replaces.length > 0 && !news.allowReplace) {
      throw new Error(
        `Changing ${replaces.join(", ")} of Supabase project ${JSON.stringify(olds.name)} would replace it: a new, empty database, and the old one deleted. ` +
          `If that is what you want, set 'pulumi config set --path platform:supabase.allowReplace true' and run again; otherwise restore the old value.`,
      );
    }
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.includes("name") ? false : replaces.length > 0 };
  },
  async create(inputs) {
    const c = ctx("project", inputs.name, "create");
    let project = await supabase.findProject(c, inputs.organization, inputs.name);
    if (project) {
      // Adopted (a create that was lost, or a project made by hand): take its password over, so
      // the connection string this stack hands out works.
      await supabase.setPassword(c, project.ref, inputs.dbPass);
    } else {
      project = await supabase.createProject(c, { name: inputs.name, organization: inputs.organization, region: inputs.region, computeSize: inputs.computeSize, dbPass: inputs.dbPass });
    }
    const ref = project.ref;
    await waitUntilHealthy(c, async () => (await supabase.getProject(c, ref)).status);
    return { id: ref, outs: { ...inputs, ...(await connectionOf(c, ref)) } };
  },
  async read(id, props) {
    const c = ctx("project", props?.name, "read");
    const project = await readOrGone(() => supabase.getProject(c, id));
    if (!project) return {};
    const size = await supabase.computeSize(c, project.organization || props!.organization, project.name);
    return { id, props: { ...props, name: project.name, region: project.region, ...(size ? { computeSize: size } : {}) } };
  },
  async update(id, olds, news) {
    const c = ctx("project", news.name, "update");
    if (!same(olds.computeSize, news.computeSize)) await setComputeSize(c, id, olds.computeSize, news.computeSize);
    if (!same(olds.dbPass, news.dbPass)) await supabase.setPassword(c, id, news.dbPass);
    const connection = pick(olds, ["ref", "apiUrl", "anonKey", "serviceKey", "poolerUser", "poolerHost", "poolerPort", "databaseName"]);
    return { outs: { ...news, ...connection } };
  },
  async delete(id, props) {
    await ignoreMissing(() => supabase.deleteProject(ctx("project", props.name, "delete"), id));
  },
};

function pick(props: Props, keys: readonly string[]): Props {
  return Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
}

// ---------------------------------------------------------------------------------------------
// Settings: only the keys the config names are managed; each is written only when it changes.

const SETTING_KEYS = ["pitrDays", "sslEnforcement", "allowedCidrs", "pooler", "extensions"] as const;

/** Supabase's request for `allowedCidrs`: IPv4 and IPv6 apart; none given means any address. */
export function networkRestrictionsFor(allowedCidrs: readonly string[]): { v4: string[]; v6: string[] } {
  if (allowedCidrs.length === 0) return { v4: ["0.0.0.0/0"], v6: ["::/0"] };
  return { v4: allowedCidrs.filter((c) => !c.includes(":")), v6: allowedCidrs.filter((c) => c.includes(":")) };
}

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
      return;
    case "allowedCidrs": {
      const { v4, v6 } = networkRestrictionsFor(news.allowedCidrs);
      await supabase.setNetworkRestrictions(c, ref, v4, v6);
      return;
    }
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

export const settingsProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, ["ref", ...SETTING_KEYS]);
    return { changes: changed.length > 0, replaces: changed.includes("ref") ? ["ref"] : [] };
  },
  async create(inputs) {
    const c = ctx("settings of project", inputs.project, "create");
    for (const key of SETTING_KEYS) if (inputs[key] !== undefined) await applySetting(c, inputs.ref, key, {}, inputs);
    return { id: `${inputs.ref}:settings`, outs: inputs };
  },
  async read(id, props) {
    const c = ctx("settings of project", props?.project, "read");
    const ref = props!.ref;
    const read: Props = { ...props };
    if (props?.sslEnforcement !== undefined) {
      const ssl = await readOrGone(() => supabase.sslEnforcement(c, ref));
      if (ssl === undefined) return {};
      read.sslEnforcement = ssl;
    }
    if (props?.allowedCidrs !== undefined) {
      const { v4, v6 } = await supabase.networkRestrictions(c, ref);
      const all = [...v4, ...v6];
      read.allowedCidrs = all.length === 2 && v4[0] === "0.0.0.0/0" && v6[0] === "::/0" ? [] : all;
    }
    if (props?.pooler !== undefined) {
      const pooler = await supabase.pooler(c, ref);
      read.pooler = { mode: pooler.mode, poolSize: pooler.poolSize };
    }
    if (props?.pitrDays !== undefined) {
      const pitr = (await supabase.addons(c, ref)).pitr;
      read.pitrDays = pitr ? Number(pitr.replace("pitr_", "")) : 0;
    }
    return { id, props: read };
  },
  async update(_id, olds, news) {
    const c = ctx("settings of project", news.project, "update");
    for (const key of changedKeys(olds, news, SETTING_KEYS)) if (news[key] !== undefined) await applySetting(c, news.ref, key, olds, news);
    return { outs: news };
  },
  // Settings belong to the project: they go when it goes.
  async delete() {},
};

// ---------------------------------------------------------------------------------------------
// Branch: a preview stack's database, a branch of the parent (staging) project.

export const branchProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    const changed = changedKeys(olds, news, ["parentProject", "organization", "name", "gitBranch", "computeSize"]);
    return { changes: changed.length > 0, replaces: changed, deleteBeforeReplace: true };
  },
  async create(inputs) {
    const c = ctx("branch", inputs.name, "create");
    const parent = await supabase.findProject(c, inputs.organization, inputs.parentProject);
    if (!parent) {
      throw new Error(`Supabase create of branch ${JSON.stringify(inputs.name)} failed: its parent project ${JSON.stringify(inputs.parentProject)} does not exist in organization ${JSON.stringify(inputs.organization)}; deploy that stack first.`);
    }
    const branch = await supabase.createBranch(c, parent.ref, { name: inputs.name, gitBranch: inputs.gitBranch, computeSize: inputs.computeSize });
    let dbPass: string | undefined;
    await waitUntilHealthy(c, async () => {
      const detail = await supabase.getBranch(c, branch.id);
      dbPass = detail.dbPass;
      return detail.status;
    });
    return { id: branch.id, outs: { ...inputs, parentRef: parent.ref, dbPass, ...(await connectionOf(c, branch.projectRef)) } };
  },
  async read(id, props) {
    const detail = await readOrGone(() => supabase.getBranch(ctx("branch", props?.name, "read"), id));
    if (!detail) return {};
    return { id, props: { ...props, ref: detail.projectRef } };
  },
  async update(_id, olds, news) {
    return { outs: { ...olds, ...news } };
  },
  async delete(id, props) {
    await ignoreMissing(() => supabase.deleteBranch(ctx("branch", props.name, "delete"), id));
  },
};

// ---------------------------------------------------------------------------------------------

export const SUPABASE_KINDS = { project: projectProvider, settings: settingsProvider, branch: branchProvider } as const;
export type SupabaseKind = keyof typeof SUPABASE_KINDS;

export const supabaseProvider = providerForKinds("Supabase", SUPABASE_KINDS);
