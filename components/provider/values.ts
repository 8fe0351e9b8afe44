// Property values as a provider that accepts secrets gets them over gRPC: a secret is an object
// carrying Pulumi's secret signature, and a value not known yet (in a preview) is the unknown
// sentinel. The plugins here compare and compute on plain values and hand secrets back as secrets,
// as the providers Pulumi bridges from Terraform do.
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { sameJson } from "../canonical";

export type Props = Record<string, any>;

export const UNKNOWN = unknownValue;

export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[specialSigKey] === specialSecretSig;
}

export function secret<T>(value: T): Props {
  return { [specialSigKey]: specialSecretSig, value };
}

/** The value with every secret unwrapped. */
export function plainValue(value: unknown): unknown {
  if (isSecret(value)) return plainValue(value.value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  return value;
}

export function plain(props: Props): Props {
  return plainValue(props) as Props;
}

/** Whether any part of the value is not known yet. */
export function hasUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (isSecret(value)) return hasUnknown(value.value);
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** Equality of plain values, key order and undefined/null aside. */
export function sameValue(a: unknown, b: unknown): boolean {
  return sameJson(plainValue(a), plainValue(b));
}

/** The input keys whose values differ. */
export function changedKeys(olds: Props, news: Props, keys: readonly string[]): string[] {
  return keys.filter((k) => !sameValue(olds[k], news[k]));
}

/**
 * Outputs as the bridge returns them: an output whose input was a secret stays a secret; the others
 * plain (the SDK marks its declared secret outputs itself).
 */
export function outputsFor(inputs: Props, outputs: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(outputs)) {
    if (v === undefined) continue;
    out[k] = isSecret(inputs[k]) && !isSecret(v) ? secret(v) : v;
  }
  return out;
}

/** A diff result over `keys`, replacing on `replaceKeys`; unknown news count as changes. */
export function diffKeys(olds: Props, news: Props, keys: readonly string[], replaceKeys: readonly string[] = [], deleteBeforeReplace = false) {
  const changed = keys.filter((k) => hasUnknown(news[k]) || !sameValue(olds[k], news[k]));
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: deleteBeforeReplace && replaces.length > 0 };
}
