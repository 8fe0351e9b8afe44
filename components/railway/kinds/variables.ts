// All of a service's variables in one environment, plain and secret, written in one call that
// replaces the whole set (a variable removed from config disappears) and never deploys: the
// deployment resource deploys once, after everything is in place.
import type * as pulumi from "@pulumi/pulumi";
import { diffOf, unlessNotFound, type Props } from "../../provider-kit";
import { ctx, railway } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface VariablesInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  /** Plain variables, shown in plans and state. */
  variables: Record<string, string>;
  /** Secret variables: the whole map is a secret output. */
  secrets: Record<string, pulumi.Input<string>>;
  /** A service taken over (platform:adopt): create reports whether it wrote (`adoptionWrote`). */
  adopted?: boolean;
}

const INPUTS = ["projectId", "environmentId", "serviceId", "name", "variables", "secrets"] as const;

function upsert(inputs: Props, variables: Record<string, string>, operation: string) {
  return railway(
    gql.VARIABLE_COLLECTION_UPSERT,
    { input: { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, variables, replace: true, skipDeploys: true } },
    ctx("variables of service", inputs.name, operation),
  );
}

/**
 * The service's variables (Railway's own RAILWAY_* left out) in the shape of `wanted`: a variable
 * Railway holds as a reference (`${{redis.REDIS_URL}}`, as set up in its dashboard) counts as the
 * value it resolves to when that is the value wanted, so taking over a service wired by reference
 * is no change; any other reference stays as written and shows as one.
 */
async function current(props: Props, wanted: Record<string, string>, operation: string): Promise<Record<string, string> | undefined> {
  const c = ctx("variables of service", props.name, operation);
  const ids = { projectId: props.projectId, environmentId: props.environmentId, serviceId: props.serviceId };
  const data = await unlessNotFound(() => railway<{ variables: Record<string, string> }>(gql.VARIABLES, ids, c));
  if (!data) return undefined;
  const ours = Object.fromEntries(Object.entries(data.variables).filter(([k]) => !k.startsWith("RAILWAY_")));
  const references = Object.keys(ours).filter((k) => ours[k] !== wanted[k] && ours[k]!.includes("${{") && wanted[k] !== undefined);
  if (references.length > 0) {
    const rendered = (await railway<{ variables: Record<string, string> }>(gql.VARIABLES_RENDERED, ids, c)).variables;
    for (const k of references) if (rendered[k] === wanted[k]) ours[k] = wanted[k]!;
  }
  return ours;
}

function sameVariables(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    return diffOf(olds, news, INPUTS, ["projectId", "environmentId", "serviceId"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    // A service taken over may hold these variables already: then nothing is written.
    const wanted = { ...inputs.variables, ...inputs.secrets };
    const now = await current(inputs, wanted, "create");
    const unchanged = now !== undefined && sameVariables(now, wanted);
    if (!unchanged) await upsert(inputs, wanted, "create");
    return { id: `${inputs.serviceId}:${inputs.environmentId}:variables`, outs: { ...inputs, ...(inputs.adopted ? { adoptionWrote: !unchanged } : {}) } };
  },
  async read(id, props) {
    const now = await current(props!, { ...props!.variables, ...props!.secrets }, "read");
    if (!now) return {};
    // Railway adds its own RAILWAY_* variables; the rest are ours, secret where the state says so
    // (and a variable someone added by hand shows as a plain one, a difference to remove).
    const secretNames = new Set(Object.keys(props?.secrets ?? {}));
    const ours = Object.entries(now);
    return {
      id,
      props: {
        ...props,
        variables: Object.fromEntries(ours.filter(([k]) => !secretNames.has(k))),
        secrets: Object.fromEntries(ours.filter(([k]) => secretNames.has(k))),
      },
    };
  },
  async update(_id, _olds, news) {
    await upsert(news, { ...news.variables, ...news.secrets }, "update");
    return { outs: news };
  },
  async delete(_id, props) {
    await unlessNotFound(() => upsert(props, {}, "delete"));
  },
};

export const variablesKind = defineKind<VariablesInputs, { adoptionWrote: boolean | undefined }>({
  token: "platform:railway:Variables",
  outputs: ["adoptionWrote"],
  secretOutputs: ["secrets"],
  handler: provider,
});
