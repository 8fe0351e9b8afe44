// One canonical JSON text for plain values, so that values equal but for key order compare equal:
// the providers' diffs, the plan's diff against a base.

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value ?? null;
}

/** JSON text with every object's keys sorted; undefined is null. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

/** Deep equality that ignores key order and treats undefined as null. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
