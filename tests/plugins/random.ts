// `random` as terraform-provider-random (bridged by @pulumi/random 4.21) behaves for what this
// program uses: RandomPassword and RandomBytes. A value is made once, at create, and kept; a change
// of any input (keepers included) replaces the resource, which makes a new value. Read keeps what
// the state holds: nothing outside Pulumi can change a random value.
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { PluginProvider } from "../../components/provider/serve";
import { diffKeys, outputsFor, plain, type Props } from "../../components/provider/values";

const PASSWORD_DEFAULTS = { special: true, upper: true, lower: true, numeric: true, number: true, minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0 };
const PASSWORD_INPUTS = [
  "length",
  "keepers",
  "special",
  "upper",
  "lower",
  "numeric",
  "number",
  "minLower",
  "minUpper",
  "minNumeric",
  "minSpecial",
  "overrideSpecial",
];
const BYTES_INPUTS = ["length", "keepers"];

function inputsOf(urn: string): readonly string[] {
  if (urn.includes("randomPassword:RandomPassword")) return PASSWORD_INPUTS;
  if (urn.includes("randomBytes:RandomBytes")) return BYTES_INPUTS;
  throw new Error(`random: unknown resource type in ${urn}`);
}

/** A password from the classes the inputs allow, as the provider draws it (crypto/rand). */
export function password(inputs: Props): string {
  const classes: string[] = [];
  if (inputs.upper) classes.push("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  if (inputs.lower) classes.push("abcdefghijklmnopqrstuvwxyz");
  if (inputs.numeric) classes.push("0123456789");
  if (inputs.special) classes.push(inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?");
  const alphabet = classes.join("");
  if (!alphabet) throw new Error("random: RandomPassword allows no characters at all");
  return Array.from({ length: Number(inputs.length) }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export const randomProvider: PluginProvider = {
  version: "4.21.2",
  async check(urn, _olds, news) {
    const defaults = urn.includes("RandomPassword") ? PASSWORD_DEFAULTS : {};
    const failures = typeof plain(news).length === "number" || news.length === undefined ? [] : [{ property: "length", reason: "length must be a number" }];
    return { inputs: { ...defaults, ...news }, failures };
  },
  async diff(_id, urn, olds, news) {
    const keys = inputsOf(urn);
    return diffKeys(olds, news, keys, keys);
  },
  async create(urn, inputs) {
    const p = plain(inputs);
    if (urn.includes("RandomPassword")) {
      const result = password(p);
      // A stand-in for the bcrypt hash: derived from the result, never the result.
      const bcryptHash = `$2a$10$${createHash("sha256").update(result).digest("base64").slice(0, 53)}`;
      return { id: "none", outs: outputsFor(inputs, { ...inputs, result, bcryptHash }) };
    }
    const bytes = randomBytes(Number(p.length));
    return { id: "none", outs: outputsFor(inputs, { ...inputs, hex: bytes.toString("hex"), base64: bytes.toString("base64") }) };
  },
  async read(id, _urn, props) {
    return { id, props };
  },
  async update(_id, _urn, _olds, news) {
    throw new Error(`random: every input replaces the resource; an update of ${JSON.stringify(Object.keys(news))} is a bug in the caller`);
  },
  async delete() {},
};
