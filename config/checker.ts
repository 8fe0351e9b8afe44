// The parser's first step and its collector: what no key may hold, checked before any schema, and
// the Checker that gathers problems, knowing which paths hold values that are never quoted.
import type { z } from "zod";
import { isSensitivePath, keyPath, problemsFromIssues, quote, type ConfigProblem } from "./errors";
import { setCommand, walk } from "./rules/rule";
import { CONTROL_CHARACTER } from "./stack-file";
import type { ParseContext } from "./types";

/** The project name under which a stack file holds this program's keys. */
export const PREFIX = "platform:";

/** Pulumi's own rule for stack names. */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Collects problems; knows which paths hold values that must never be quoted. */
export class Checker {
  readonly problems: ConfigProblem[] = [];
  readonly ctx: ParseContext;

  constructor(ctx: ParseContext) {
    this.ctx = ctx;
  }

  /** A value at `path` may be a secret: under platform:secrets, a variable, or under any key that held a `secure:` value. */
  sensitive(path: readonly PropertyKey[]): boolean {
    return isSensitivePath(path) || this.ctx.secretKeys.has(String(path[0]));
  }

  add(path: readonly PropertyKey[], message: string): void {
    this.problems.push({ key: keyPath(path), message });
  }

  /** The value at `path` quoted for a message, or "the value" where it may be a secret. */
  show(path: readonly PropertyKey[], value: unknown): string {
    return this.sensitive(path) ? "the value" : quote(value);
  }

  parse<S extends z.ZodType>(schema: S, value: unknown, base: readonly PropertyKey[]): z.infer<S> | undefined {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    this.problems.push(...problemsFromIssues(result.error.issues, base, schema, (path) => this.sensitive(path)));
    return undefined;
  }
}

/** Text that came from bytes that were not UTF-8 (decoded to U+FFFD) or holds half a surrogate pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function isBrokenText(text: string): boolean {
  return text.includes("\uFFFD") || LONE_SURROGATE.test(text);
}

/**
 * What no key may hold, checked before any schema: a key named __proto__, text that is not UTF-8,
 * and an encrypted (`secure:`) value anywhere but platform:secrets.<NAME>.value.
 */
export function checkRawInput(raw: Readonly<Record<string, unknown>>, c: Checker): void {
  for (const key of Object.keys(raw)) {
    walk(raw[key], [key], (value, path, last) => {
      if (last === "__proto__") {
        c.add(path, "is not allowed as a key: it would change how the rest of the configuration is read. Remove it.");
        return true;
      }
      if (typeof value === "string" && isBrokenText(value))
        c.add(path, "is not valid UTF-8 text (bytes that are not UTF-8, or half of a character); save the stack file as UTF-8.");
      else if (typeof value === "string" && CONTROL_CHARACTER.test(value)) {
        c.add(
          path,
          `holds a control character${isSensitivePath(path) ? "" : ` (${quote(value)})`}: it could rewrite what a reader of the plan or the logs sees, and a NUL fails only at deploy. Remove it.`,
        );
      }
      if (typeof last === "string" && path.length > 1 && CONTROL_CHARACTER.test(last))
        c.add(path.slice(0, -1), `has a key holding a control character (${quote(last)}); write it without.`);
      return false;
    });
    if (typeof key === "string" && isBrokenText(key)) c.add([key], "is a key that is not valid UTF-8 text.");
  }
  const secureHere = /^platform:secrets\.[A-Za-z0-9_]+\.value$/;
  const { secureLeaves, secretKeys } = c.ctx;
  if (secureLeaves) {
    for (const leaf of secureLeaves) {
      if (!leaf.startsWith(PREFIX) || secureHere.test(leaf)) continue;
      c.problems.push({
        key: leaf,
        message: `holds an encrypted (secure:) value, but only a supplied secret's value may: declare it under platform:secrets and set it with ${setCommand("<NAME>")}.`,
      });
    }
  }
  for (const key of secretKeys) {
    if (key === "secrets" || (secureLeaves && [...secureLeaves].some((l) => l.startsWith(`${PREFIX}${key}`)))) continue;
    c.add(
      [key],
      `holds an encrypted (secure:) value, but only a supplied secret's value may (platform:secrets.<NAME>.value): declare it under platform:secrets, set it with ${setCommand("<NAME>")}, and refer to it by name.`,
    );
  }
}
