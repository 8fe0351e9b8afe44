// A stack file (`Pulumi.<stack>.yaml`) read strictly, for the plan (which reads all of it) and for
// the program (which reads only where its `secure:` values sit, which Pulumi does not pass on):
// UTF-8 or nothing; YAML whose duplicate keys are refused in one pass; each key given once after
// namespacing (`tier` and `platform:tier` are the same key); no infinities or NaNs.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";

/** A problem with the file itself, before any config value is looked at: exit 2. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

export interface StackFileConfig {
  /** Full key (`project:key`) → value as written; `secure:` leaves kept as `{ secure }`. */
  readonly values: ReadonlyMap<string, unknown>;
  /** Paths of the `secure:` leaves, as `pulumi config set --path` spells them: `platform:secrets.X.value`. */
  readonly secureLeaves: ReadonlySet<string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSecure(value: unknown): value is { secure: string } {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** The numbers YAML can write that JSON (and so Pulumi's config) cannot, as YAML writes them. */
function nonFinite(value: number): string {
  return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
}

function walk(value: unknown, at: string, visit: (value: unknown, at: string) => boolean): void {
  if (visit(value, at)) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`, visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, visit);
}

/** Parses a stack file's bytes; `label` names it in errors. Throws StackFileError listing every problem. */
export function parseStackFile(bytes: Uint8Array, label: string, project: string): StackFileConfig {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new StackFileError(`${label}: is not valid UTF-8 text; save it as UTF-8.`);
  }
  let doc: unknown;
  try {
    // js-yaml refuses a mapping key given twice as it reads (a linear check), and keeps a key
    // named __proto__ as an ordinary key.
    doc = load(text, { filename: label });
  } catch (err) {
    throw new StackFileError(`${label}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const section = doc === null || doc === undefined ? {} : isObject(doc) ? (doc.config ?? {}) : undefined;
  if (!isObject(section)) throw new StackFileError(`${label}: 'config' must be a mapping of keys to values.`);
  const problems: string[] = [];
  const values = new Map<string, unknown>();
  const writtenAs = new Map<string, string>();
  const secureLeaves = new Set<string>();
  for (const [rawKey, value] of Object.entries(section)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const earlier = writtenAs.get(key);
    if (earlier !== undefined) {
      problems.push(`${label}: '${earlier}' and '${rawKey}' are the same key (${key}); keep one.`);
      continue;
    }
    writtenAs.set(key, rawKey);
    values.set(key, value);
    walk(value, key, (v, at) => {
      if (isSecure(v)) {
        secureLeaves.add(at);
        return true;
      }
      if (typeof v === "number" && !Number.isFinite(v)) problems.push(`${label}: ${at} is ${nonFinite(v)}, which is not a number Pulumi's config can hold; write a finite number.`);
      return false;
    });
  }
  if (problems.length > 0) throw new StackFileError(problems.join("\n"));
  return { values, secureLeaves };
}

/**
 * Where the `secure:` values of a stack's file sit, for the program: Pulumi hands it decrypted
 * values and only says which top-level keys held one. Undefined when the file is not there (config
 * kept elsewhere) or cannot be read; the program then judges by top-level keys alone.
 */
export function secureLeavesOf(dir: string, stack: string, project: string): ReadonlySet<string> | undefined {
  const file = ["yaml", "yml"].map((ext) => path.join(dir, `Pulumi.${stack}.${ext}`)).find((f) => existsSync(f));
  if (!file) return undefined;
  try {
    return parseStackFile(readFileSync(file), path.basename(file), project).secureLeaves;
  } catch {
    return undefined;
  }
}
