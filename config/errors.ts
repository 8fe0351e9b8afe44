// The one error class for user mistakes in stack config, and the turning of schema issues into
// messages that name the key, quote the bad value (never a secret's) and say what is allowed.
import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import type { z } from "zod";

/** One problem with the stack's config: the key path as `pulumi config set --path` spells it, and what is wrong. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
  /** The cross-key rule that found it (config/rules/), when one did. */
  readonly rule?: string;
}

/**
 * A mistake in what the user gave besides the stack's config keys (which ConfigError names): a
 * stack file, a policy config, an earlier plan given with --base, an argument of a command. Its
 * message says what is wrong and where; the plan and the import exit 2 on it.
 */
export class UserError extends Error {
  /** One line each. */
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : [...problems];
    super(list.join("\n"));
    this.name = "UserError";
    this.problems = list;
  }
}

/**
 * Thrown by config parsing with every problem found. A RunError, so `pulumi up` prints the message
 * without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  readonly problems: readonly ConfigProblem[];
  constructor(stack: string, problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.key}: ${p.message}`);
    super(
      `Stack '${stack}' has invalid configuration (${count}); nothing was created.\n${lines.join("\n")}\n` +
        `Fix the keys above in Pulumi.${stack}.yaml (or with 'pulumi config set --path <key> <value>') and run again.`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Renders a config path: `platform:services.api.domains[0]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = "platform";
  path.forEach((part, i) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += (i === 0 ? ":" : ".") + String(part);
  });
  return out;
}

/**
 * Paths whose values may be secrets: anything under platform:secrets, and the values of service
 * and GitHub `variables` (which should hold none, but may by mistake). Their values are never quoted.
 */
export function isSensitivePath(path: readonly PropertyKey[]): boolean {
  if (path[0] === "secrets") return true;
  const v = path.indexOf("variables");
  return (path[0] === "services" || path[0] === "github") && v >= 0 && v < path.length - 1;
}

/** A short, quoted rendering of a user's value for a message. */
export function quote(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  // JSON escapes C0 controls; DEL and C1 controls (which terminals also act on) are escaped too.
  text = text.replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object (a YAML mapping)",
  array: "a list",
  record: "an object (a YAML mapping)",
};

/** Keys earlier versions read, and what took their place. */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  "platform:supabase.allowReplace":
    "is no longer read: to let a change replace the Supabase project, name its resource in platform:confirmDestructive (e.g. [platform-supabase-project]) in the same change. Remove this key.",
};

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
}

/** Keys a zod schema accepts at `path` (for "did you mean" on unknown keys). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    let node = s as { _zod?: { def?: Record<string, unknown> } };
    for (;;) {
      const def = node?._zod?.def;
      if (def && (def.type === "optional" || def.type === "default" || def.type === "nullable")) {
        node = def.innerType as typeof node;
      } else return node;
    }
  };
  for (const part of path) {
    const node = unwrap(current) as { _zod: { def: Record<string, unknown> }; shape?: Record<string, unknown> };
    const def = node._zod.def;
    if (def.type === "object") current = (node.shape ?? {})[String(part)];
    else if (def.type === "record") current = def.valueType;
    else if (def.type === "array") current = def.element;
    else return [];
    if (current === undefined) return [];
  }
  const node = unwrap(current) as { shape?: Record<string, unknown>; _zod?: { def?: { type?: string; keyType?: { options?: unknown[] } } } };
  if (node?.shape) return Object.keys(node.shape);
  const keyOptions = node?._zod?.def?.type === "record" ? node._zod.def.keyType?.options : undefined;
  return Array.isArray(keyOptions) ? keyOptions.map(String) : [];
}

/** Turns zod issues (from a parse with `reportInput: true`) at `base` into problems. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[],
  schema: z.ZodType,
  isSensitive: (path: readonly PropertyKey[]) => boolean = isSensitivePath,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const relative = issue.path as PropertyKey[];
    const path = [...base, ...relative];
    const sensitive = isSensitive(path);
    const input = (issue as { input?: unknown }).input;
    const shown = sensitive ? "the value" : quote(input);
    switch (issue.code) {
      case "unrecognized_keys": {
        const known = knownKeysAt(schema, relative);
        for (const key of issue.keys) {
          const guess = closest(key, known);
          const at = keyPath([...path, key]);
          problems.push({
            key: at,
            message: RETIRED_KEYS[at] ?? `unknown key${guess ? `; did you mean '${guess}'?` : "."}` + ` Allowed here: ${known.join(", ")}.`,
          });
        }
        break;
      }
      case "invalid_type": {
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        problems.push({
          key: keyPath(path),
          message:
            input === undefined ? `is required (${expected}).` : `expected ${expected}, got ${describeType(input)}${sensitive ? "" : ` (${quote(input)})`}.`,
        });
        break;
      }
      case "invalid_value": {
        const values = issue.values as readonly unknown[];
        const guess = typeof input === "string" ? closest(input, values.map(String)) : undefined;
        problems.push({
          key: keyPath(path),
          message: `${shown} is not allowed; use one of: ${list(values)}.${guess ? ` Did you mean '${guess}'?` : ""}`,
        });
        break;
      }
      case "too_small":
      case "too_big": {
        const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const isSize = issue.origin === "array" || issue.origin === "string" || issue.origin === "set";
        const custom = issue.message && !issue.message.startsWith("Too ") ? ` ${issue.message}.` : "";
        const what = isSize
          ? `${issue.code === "too_small" ? "at least" : "at most"} ${String(bound)} ${issue.origin === "string" ? "characters" : "items"}`
          : `${issue.code === "too_small" ? (issue.inclusive ? "at least" : "more than") : issue.inclusive ? "at most" : "less than"} ${String(bound)}`;
        problems.push({ key: keyPath(path), message: `${shown} is out of range: it must be ${what}.${custom}` });
        break;
      }
      case "invalid_key": {
        // A record key that breaks the key schema: the path ends at the key itself.
        const inner = issue.issues.map((i) => i.message).join("; ");
        problems.push({ key: keyPath(path), message: `${inner}.` });
        break;
      }
      case "invalid_format":
      case "custom":
      default: {
        problems.push({ key: keyPath(path), message: `${shown} ${issue.message}.` });
      }
    }
  }
  return problems;
}
