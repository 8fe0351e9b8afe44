// A Supabase project: created in the organization, or taken over only when the stack says so
// (`adopt`, `projectRef`), its password then kept unless `resetPassword`. Waited for until it is
// ACTIVE_HEALTHY, its services healthy and its pooler there; resized through RESIZING. A change of
// name, organization or region replaces it, only where the change confirms it, and only with a new
// name: the replacement is made before the old project goes (which keeps its name while it goes
// down, and production's is retained), and the engine checks a replacement's inputs afresh, without
// the old ones, so the new name must come from the config itself.
import { apiError, changedKeys, pick, unfinishedCreate, unlessNotFound, type Props } from "../../provider-kit";
import { supabase, type CallContext } from "../api";
import { CONNECTION_KEYS, connectionOf, keysOf, type Connection } from "./connection";
import { defineKind, type KindHandler } from "../../provider/kind";
import { waitUntilHealthy } from "./wait";
import { sameJson } from "../../canonical";
import { unconfirmedLoss } from "../../destructive";

export interface ProjectInputs {
  /** The configured name; the project's actual name is `projectName` (differs after a replacement). */
  name: string;
  organization: string;
  region: string;
  /** Left out: the smallest size the organization allows. */
  computeSize?: string;
  dbPass: string;
  /** Take over a project of this name that the stack did not create. */
  adopt: boolean;
  /** Take over exactly this project. */
  projectRef?: string;
  /** Set the database password of a project taken over to `dbPass`. */
  resetPassword: boolean;
  /** Let a change of name, organization or region replace the project (a new, empty database). */
  allowReplace: boolean;
}

export const FREE_SIZES = ["pico", "nano"];
const TOKEN = "platform:supabase:Project";
const REPLACE_KEYS = ["projectName", "organization", "region", "projectRef"] as const;

export function ctx(resource: string, name: unknown, operation: string): CallContext {
  return { resource: `${resource} ${JSON.stringify(name)}`, operation };
}

/** Refuses a free-only size in a paid organization, before anything is sent. */
async function checkSizeAllowed(c: CallContext, organization: string, size: string | undefined): Promise<void> {
  if (size === undefined || !FREE_SIZES.includes(size)) return;
  const plan = await supabase.organizationPlan(c, organization);
  if (plan !== undefined && plan !== "free") {
    throw apiError(
      `Supabase ${c.operation} of ${c.resource}: compute size '${size}' exists only in free organizations, and organization ${JSON.stringify(organization)} is on the '${plan}' plan. ` +
        `Set platform:supabase.computeSize to 'micro' or larger, or leave it out for the smallest size the organization allows.`,
    );
  }
}

async function setComputeSize(c: CallContext, ref: string, from: string | undefined, to: string): Promise<void> {
  if (FREE_SIZES.includes(to)) {
    if (from && !FREE_SIZES.includes(from)) await supabase.removeAddon(c, ref, `ci_${from}`);
  } else {
    await supabase.applyAddon(c, ref, "compute_instance", `ci_${to}`);
  }
  // A resize passes RESIZING, then the database restarts.
  await waitUntilHealthy(c, ref);
}

/** The compute size in use: the add-on's variant, or undefined for the free sizes. */
async function computeSizeOf(c: CallContext, ref: string): Promise<string | undefined> {
  const variant = (await supabase.addons(c, ref)).compute_instance;
  return variant ? variant.replace(/^ci_/, "") : undefined;
}

/** The project to take over, if the stack may: by ref, or by name with `adopt`. Refuses otherwise. */
async function existingProject(c: CallContext, inputs: Props): Promise<{ ref: string; region: string } | undefined> {
  if (inputs.projectRef) {
    const p = await unlessNotFound(() => supabase.getProject(c, inputs.projectRef));
    if (!p)
      throw apiError(
        `Supabase ${c.operation} of ${c.resource}: platform:supabase.projectRef ${JSON.stringify(inputs.projectRef)} names no project this token can see. Check the ref (the dashboard URL's last part).`,
      );
    return p;
  }
  const found = await supabase.findProject(c, inputs.organization, inputs.projectName);
  if (!found) return undefined;
  if (found.status === "GOING_DOWN") {
    throw apiError(
      `Supabase ${c.operation} of ${c.resource}: a project of that name (ref ${found.ref}) is being deleted, and its name stays taken until it is removed. Run 'pulumi up' again in a few minutes.`,
    );
  }
  if (!inputs.adopt) {
    throw apiError(
      `Supabase ${c.operation} of ${c.resource}: organization ${JSON.stringify(inputs.organization)} already has a project of that name (ref ${found.ref}), which this stack did not create, so it is left alone. ` +
        `To manage it from this stack, set platform:supabase.adopt to true (or platform:supabase.projectRef to ${JSON.stringify(found.ref)}); ` +
        `its password is kept (supply it as platform:secrets.SUPABASE_DB_PASSWORD) unless platform:supabase.resetPassword is true.`,
    );
  }
  return found;
}

const handler: KindHandler = {
  async check(olds, news) {
    const old = olds as Props;
    const replacing = old.projectName !== undefined && changedKeys(old, news, ["name", "organization", "region", "projectRef"]).length > 0;
    // The engine checks a replacement again with no olds: the name must not depend on them (see diff).
    const projectName = old.projectName === undefined || replacing ? news.name : old.projectName;
    return { inputs: { ...news, projectName } };
  },
  async diff(_id, olds, news, urn) {
    const changed = changedKeys(olds, news, [...REPLACE_KEYS, "computeSize", "dbPass"]);
    const replaces = changed.filter((k) => (REPLACE_KEYS as readonly string[]).includes(k));
    const problems: string[] = [];
    // Unless the change confirms it (platform:confirmDestructive), even a `pulumi up` run by hand.
    if (replaces.length > 0 && !news.allowReplace) {
      const loss = `its Postgres database: the new project ${JSON.stringify(news.projectName)} starts empty, and ${JSON.stringify(olds.projectName)} is deleted (retained in production)`;
      problems.push(unconfirmedLoss({ urn, type: TOKEN }, "replaced", loss));
    }
    if (replaces.length > 0 && news.projectName === olds.projectName) {
      problems.push(
        `The new project is made while ${JSON.stringify(olds.projectName)} still exists, and the two cannot share a name: give it a new one in the same change, ` +
          `platform:supabase.project (e.g. ${JSON.stringify(`${olds.projectName}-${news.region}`.slice(0, 64))}).`,
      );
    }
    if (problems.length > 0)
      throw new Error(`Changing ${replaces.join(", ")} of Supabase project ${JSON.stringify(olds.projectName)} replaces it. ${problems.join(" ")}`);
    // The replacement has another name, so it is made before the old project goes.
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },
  async create(inputs) {
    const c = ctx("project", inputs.projectName, "create");
    const existing = await existingProject(c, inputs);
    let ref: string;
    if (existing) {
      ref = existing.ref;
      if (existing.region !== inputs.region) {
        throw apiError(
          `Supabase ${c.operation} of ${c.resource}: the project to take over (ref ${ref}) is in region ${JSON.stringify(existing.region)}, and platform:supabase.region says ${JSON.stringify(inputs.region)}. A project cannot move; set the region to ${JSON.stringify(existing.region)}.`,
        );
      }
      if (inputs.resetPassword) await supabase.setPassword(c, ref, inputs.dbPass);
    } else {
      await checkSizeAllowed(c, inputs.organization, inputs.computeSize);
      ref = (
        await supabase.createProject(c, {
          name: inputs.projectName,
          organization: inputs.organization,
          region: inputs.region,
          computeSize: inputs.computeSize,
          dbPass: inputs.dbPass,
        })
      ).ref;
    }
    const made = { ...inputs, adopted: existing !== undefined };
    try {
      await waitUntilHealthy(c, ref);
      if (existing && inputs.computeSize !== undefined) {
        const size = await computeSizeOf(c, ref);
        if ((size ?? "nano") !== inputs.computeSize) {
          await checkSizeAllowed(c, inputs.organization, inputs.computeSize);
          await setComputeSize(c, ref, size, inputs.computeSize);
        }
      }
      const connection: Connection = await connectionOf(c, ref);
      return { id: ref, outs: { ...made, ...connection } };
    } catch (err) {
      // The project exists: it stays in the state, unfinished, and the next `up` carries on with it
      // (waits, then reads how to connect) instead of meeting a project "this stack did not create".
      throw unfinishedCreate(ref, made, err);
    }
  },
  async read(id, props) {
    const c = ctx("project", props?.projectName, "read");
    const project = await unlessNotFound(() => supabase.getProject(c, id));
    if (!project || project.status === "GOING_DOWN" || project.status === "REMOVED") return {};
    const read: Props = { ...props, projectName: project.name, region: project.region };
    if (props?.computeSize !== undefined) read.computeSize = (await computeSizeOf(c, id)) ?? "nano";
    Object.assign(read, await keysOf(c, id));
    const pooler = await supabase.pooler(c, id);
    if (pooler) Object.assign(read, { poolerUser: pooler.user, poolerHost: pooler.host, poolerPort: pooler.port, databaseName: pooler.database });
    return { id, props: read };
  },
  async update(id, olds, news) {
    const c = ctx("project", news.projectName, "update");
    // A create that did not finish left no way to connect yet: wait for the project, as create does.
    const finished = olds.ref !== undefined;
    if (!finished) await waitUntilHealthy(c, id);
    if (!sameJson(olds.computeSize, news.computeSize) && news.computeSize !== undefined) {
      await checkSizeAllowed(c, news.organization, news.computeSize);
      await waitUntilHealthy(c, id);
      await setComputeSize(c, id, olds.computeSize, news.computeSize);
    }
    if (!sameJson(olds.dbPass, news.dbPass)) await supabase.setPassword(c, id, news.dbPass);
    return { outs: { ...news, adopted: olds.adopted, ...(finished ? pick(olds, CONNECTION_KEYS) : await connectionOf(c, id)) } };
  },
  async delete(id, props) {
    await unlessNotFound(() => supabase.deleteProject(ctx("project", props.projectName, "delete"), id));
  },
};

/** What a database resource (a project or a branch) hands services: how to connect. */
export type DatabaseOutputs = Connection;

/** Outputs that are secrets wherever they appear. */
export const SECRET_OUTPUTS = ["dbPass", "publishableKey", "secretKey"];

export const projectKind = defineKind<ProjectInputs, DatabaseOutputs & { projectName: string; adopted: boolean }>({
  token: TOKEN,
  outputs: [...CONNECTION_KEYS, "projectName", "adopted"],
  secretOutputs: SECRET_OUTPUTS,
  handler,
});
