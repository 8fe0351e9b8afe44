// The `platform` provider plugin: one process serving every Railway and Supabase kind by its type
// token, through the kind's handler from the table (./kinds.ts). It accepts secrets: handlers see
// plain values, and what they return goes back with each kind's secret outputs, and every value that
// came in a secret, marked secret again. The APIs and tokens come from the provider's config, else
// from the plugin's environment at each call (RAILWAY_API_URL, RAILWAY_API_TOKEN, SUPABASE_API_URL,
// SUPABASE_ACCESS_TOKEN). Nothing here logs a value.
import { defined, isUnfinishedCreate } from "../provider-kit";
import { urnType } from "../urn";
import type { Kind, Props } from "./kind";
import { KIND_BY_TOKEN } from "./kinds";
import type { PluginProvider } from "./serve";
import { isSecret, plain, secret } from "./values";

/** This checkout's version (its package.json's), found from the sources or from their compiled copy in dist/. */
function checkoutVersion(): string {
  const { existsSync, readFileSync } = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file) && existsSync(path.join(dir, "Pulumi.yaml"))) return String(JSON.parse(readFileSync(file, "utf8")).version);
  }
  return "0.0.0";
}

const VERSION = checkoutVersion();

/** The provider config keys, and the environment variable each stands for in the handlers. */
const CONFIG_ENV: Readonly<Record<string, string>> = {
  railwayApiUrl: "RAILWAY_API_URL",
  railwayApiToken: "RAILWAY_API_TOKEN",
  supabaseApiUrl: "SUPABASE_API_URL",
  supabaseAccessToken: "SUPABASE_ACCESS_TOKEN",
};

/** The kind of a resource, from the last type of its URN's type chain. */
export function kindOfUrn(urn: string): Kind {
  const token = urnType(urn);
  const kind = KIND_BY_TOKEN.get(token);
  if (!kind) throw new Error(`The platform provider has no resource kind ${JSON.stringify(token)}; it knows ${[...KIND_BY_TOKEN.keys()].join(", ")}.`);
  return kind;
}

/**
 * Values as the plugin returns them: undefined members left out (a protobuf Struct refuses them),
 * the kind's secret outputs as secrets, and any value that came in a secret a secret again.
 */
export function asReturned(kind: Pick<Kind, "secretOutputs">, given: Props, values: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(defined(values))) {
    out[k] = !isSecret(v) && (kind.secretOutputs.includes(k) || isSecret(given[k])) ? secret(v) : v;
  }
  return out;
}

export const platformProvider: PluginProvider = {
  version: VERSION,
  configure(config) {
    for (const [key, env] of Object.entries(CONFIG_ENV)) {
      const value = config[key];
      if (typeof value === "string" && value !== "") process.env[env] = value;
    }
  },
  async check(urn, olds, news) {
    const kind = kindOfUrn(urn);
    if (!kind.handler.check) return { inputs: news };
    const result = await kind.handler.check(plain(olds ?? {}), plain(news));
    return { inputs: asReturned(kind, news, result.inputs), failures: [...(result.failures ?? [])] };
  },
  async diff(id, urn, olds, news) {
    const result = await kindOfUrn(urn).handler.diff(id, plain(olds), plain(news), urn);
    return {
      ...(result.changes !== undefined ? { changes: result.changes } : {}),
      replaces: [...(result.replaces ?? [])],
      deleteBeforeReplace: result.deleteBeforeReplace === true,
    };
  },
  async create(urn, inputs) {
    const kind = kindOfUrn(urn);
    try {
      const { id, outs } = await kind.handler.create(plain(inputs));
      return { id, outs: asReturned(kind, inputs, outs) };
    } catch (err) {
      // Made, but not finished: Pulumi keeps it in the state with these properties, and the next `up` updates it.
      if (isUnfinishedCreate(err)) throw Object.assign(err, { properties: asReturned(kind, inputs, { ...plain(inputs), ...err.properties }) });
      throw err;
    }
  },
  async read(id, urn, props) {
    const kind = kindOfUrn(urn);
    if (!kind.handler.read) return { id, props: props ?? {} };
    const result = await kind.handler.read(id, plain(props ?? {}));
    if (!result.id || !result.props) return { id: "", props: {} };
    return { id: result.id, props: asReturned(kind, props ?? {}, result.props) };
  },
  async update(id, urn, olds, news) {
    const kind = kindOfUrn(urn);
    if (!kind.handler.update) throw new Error(`The platform provider cannot update a ${kind.token}: every change replaces it.`);
    const { outs } = await kind.handler.update(id, plain(olds), plain(news));
    return { outs: asReturned(kind, news, outs) };
  },
  async delete(id, urn, props) {
    await kindOfUrn(urn).handler.delete?.(id, plain(props));
  },
};
