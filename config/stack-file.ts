// A stack file (`Pulumi.<stack>.yaml`) read exactly as `pulumi up` reads it, or refused key by key,
// for the plan (which reads all of it, from anyone's pull request) and for the program (which reads
// only where its `secure:` values sit, which Pulumi does not pass on).
//
// Pulumi reads stack files with Go's gopkg.in/yaml.v3, whose plain scalars follow rules of their
// own: `0100` is the octal number 64, `1_000` is 1000, `yes` and `on` are text, a date is a Go
// date-time string, `.inf` makes the whole file unreadable (measured with the CLI: tests/cli). This
// reader takes the YAML apart with the `yaml` library's parser and resolves each scalar itself, so
// every value it gives is the one Pulumi gives; where Pulumi's reading would surprise the writer
// (a leading zero, an underscore, an exponent, a date, a tag, a merge key, a key that is not text),
// the key is refused, saying what to write instead.
//
// Any input is bounded work: the file's size, its nesting, the nodes it expands to (aliases
// included, so an alias bomb stops at the budget), and its keys are limited, and past a limit the
// file is refused in well under a second. Text holding control characters is refused (they could
// rewrite what a reader of the plan or a log sees), and never printed back raw.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument, type Document, type Node, type Scalar } from "yaml";
import { UserError } from "./errors";

export interface StackFileConfig {
  /** Full key (`project:key`) → value as Pulumi reads it; `secure:` leaves kept as `{ secure }`. */
  readonly values: ReadonlyMap<string, unknown>;
  /** Paths of the `secure:` leaves, as `pulumi config set --path` spells them: `platform:secrets.X.value`. */
  readonly secureLeaves: ReadonlySet<string>;
}

/** What a stack file may hold: its bytes, its nesting, the nodes it expands to (aliases counted each time), its mapping keys. */
export const STACK_FILE_LIMITS = { bytes: 128 * 1024, depth: 32, nodes: 20_000, keys: 2_000 } as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSecure(value: unknown): value is { secure: string } {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** C0 controls but tab and newline, DEL, and C1 controls (NUL among them). */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROL = CONTROL_CHARACTER;

/** Text as it can be shown in a message: control characters and quotes escaped, never raw. */
export function printable(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${shown.replace(/[\u0000-\u001f\u007f-\u009f"\\]/g, (c) => (c === '"' || c === "\\" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`))}"`;
}

// yaml.v3's plain-scalar rules (gopkg.in/yaml.v3 resolve.go), as far as a value can differ by them.
const NULL = /^(~|null|Null|NULL|)$/;
const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;
const DECIMAL = /^[-+]?(0|[1-9][0-9]*)$/;
const RADIX = /^([-+]?)0(x[0-9a-fA-F]+|o[0-7]+|b[01]+)$/;
const LEADING_ZERO = /^[-+]?0[0-9]+$/;
const UNDERSCORED = /^[-+]?(0[xob])?[0-9a-fA-F_]*_[0-9a-fA-F_.]*$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)$/;
const EXPONENT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const NON_FINITE = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$/;

type Resolved = { value: unknown } | { refuse: string };

/** A plain scalar's value as yaml.v3 reads it, or why the key is refused (with what to write). */
export function resolvePlain(text: string): Resolved {
  if (NULL.test(text)) return { value: null };
  if (TRUE.test(text)) return { value: true };
  if (FALSE.test(text)) return { value: false };
  const integer = (n: number): Resolved =>
    Number.isSafeInteger(n)
      ? { value: n === 0 ? 0 : n }
      : { refuse: `is a whole number too large to be read the same everywhere; quote it ('${text}') if it is text, or write a smaller number.` };
  if (DECIMAL.test(text)) return integer(Number(text));
  const radix = RADIX.exec(text);
  if (radix) {
    const n = parseInt(radix[2]!.slice(1), { x: 16, o: 8, b: 2 }[radix[2]![0] as "x" | "o" | "b"]);
    return integer(radix[1] === "-" ? -n : n);
  }
  if (LEADING_ZERO.test(text)) {
    const digits = text.replace(/^[-+]/, "");
    const n = (/^[0-7]+$/.test(digits) ? parseInt(digits, 8) : parseInt(digits, 10)) * (text.startsWith("-") ? -1 : 1);
    return {
      refuse: `is read by Pulumi as the number ${n} (a leading zero makes it octal); write ${n} for that number, or quote it ('${text}') for the text.`,
    };
  }
  if (UNDERSCORED.test(text) && /[0-9]/.test(text)) {
    return { refuse: `is read by Pulumi as the number ${text.replace(/_/g, "")}; write it without underscores, or quote it ('${text}') for the text.` };
  }
  if (FLOAT.test(text)) {
    const n = Number(text);
    if (n !== 0 && (Math.abs(n) < 1e-6 || Math.abs(n) >= 1e21))
      return { refuse: `is a number Pulumi and this program would write differently; write it in quotes as text, or a number between 0.000001 and 10^21.` };
    return { value: n === 0 ? 0 : n };
  }
  if (EXPONENT.test(text)) {
    const n = Number(text);
    return {
      refuse: Number.isFinite(n)
        ? `is a number in exponent notation; write it out (${n >= 1e21 || (n !== 0 && Math.abs(n) < 1e-6) ? "a smaller exponent" : n}), or quote it ('${text}') for the text.`
        : `is too large for a number, and Pulumi reads it as the text '${text}'; quote it.`,
    };
  }
  if (NON_FINITE.test(text))
    return { refuse: "is not a finite number, and Pulumi cannot read a stack file that holds one; write a finite number, or quote it for the text." };
  if (TIMESTAMP.test(text))
    return {
      refuse: `is read by Pulumi as a date-time and turned into Go's text for it (like '2002-12-14 00:00:00 +0000 UTC'); quote it ('${text}') to keep it as written.`,
    };
  return { value: text };
}

interface Walk {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly label: string;
  readonly problems: string[];
  nodes: number;
  keys: number;
}

class Exhausted extends Error {}

/** Where a node starts, for messages: `line N`. */
function lineOf(w: Walk, node: Node | null | undefined): string {
  return node?.range ? `line ${w.lines.linePos(node.range[0]).line}` : "an unknown line";
}

function refuse(w: Walk, at: string, node: Node | null | undefined, why: string): void {
  w.problems.push(`${w.label}: ${at} (${lineOf(w, node)}) ${why}`);
}

function scalarText(s: Scalar): string {
  return typeof s.source === "string" ? s.source : String(s.value);
}

/** A node's value as Pulumi reads it; problems are collected, and a limit past stops the walk. */
function valueOf(w: Walk, node: Node | null | undefined, at: string, depth: number): unknown {
  if (++w.nodes > STACK_FILE_LIMITS.nodes) {
    w.problems.push(
      `${w.label}: ${at} (${lineOf(w, node)}): the file expands to more than ${STACK_FILE_LIMITS.nodes} values (aliases counted each time they are used); it is not read further. Write the values out, without aliases that repeat large parts.`,
    );
    throw new Exhausted();
  }
  if (depth > STACK_FILE_LIMITS.depth) {
    w.problems.push(`${w.label}: ${at} (${lineOf(w, node)}) is nested more than ${STACK_FILE_LIMITS.depth} levels deep; it is not read further.`);
    throw new Exhausted();
  }
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(w.doc);
    if (!target) {
      refuse(w, at, node, `refers to the anchor '${node.source}', which is not defined before it.`);
      return null;
    }
    return valueOf(w, target as Node, at, depth);
  }
  if (node.tag) {
    refuse(w, at, node, `has the tag ${printable(node.tag)}, and Pulumi converts tagged values its own way; write the value without the tag.`);
    return null;
  }
  if (isScalar(node)) {
    if (node.type !== "PLAIN") return checkedText(w, at, node, String(node.value));
    const resolved = resolvePlain(scalarText(node));
    if ("refuse" in resolved) {
      refuse(w, at, node, `is ${printable(scalarText(node))}, which ${resolved.refuse}`);
      return null;
    }
    return typeof resolved.value === "string" ? checkedText(w, at, node, resolved.value) : resolved.value;
  }
  if (isSeq(node)) return node.items.map((item, i) => valueOf(w, item as Node, `${at}[${i}]`, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = Object.create(null);
    const seen = new Map<string, Node | null>();
    for (const pair of node.items) {
      const key = keyOf(w, pair.key as Node | null, at);
      if (key === undefined) continue;
      const path = `${at}.${key}`;
      if (++w.keys > STACK_FILE_LIMITS.keys) {
        w.problems.push(`${w.label}: ${path} (${lineOf(w, pair.key as Node)}): the file has more than ${STACK_FILE_LIMITS.keys} keys; it is not read further.`);
        throw new Exhausted();
      }
      if (seen.has(key)) {
        refuse(w, path, pair.key as Node, `is given twice, on ${lineOf(w, seen.get(key))} and ${lineOf(w, pair.key as Node)}; keep one.`);
        continue;
      }
      seen.set(key, pair.key as Node);
      out[key] = valueOf(w, pair.value as Node | null, path, depth + 1);
    }
    return out;
  }
  refuse(w, at, node, "is not a value a stack file can hold.");
  return null;
}

/** A mapping key as text; undefined (and a problem) when Pulumi would read it as something else. */
function keyOf(w: Walk, key: Node | null, at: string): string | undefined {
  if (!isScalar(key) || key.tag) {
    refuse(w, at, key, "has a key that is not plain text (an alias, a tag or a collection); write each key as text.");
    return undefined;
  }
  const text = scalarText(key);
  if (key.type === "PLAIN" && text === "<<") {
    refuse(w, `${at}.<<`, key, "is a merge key, which this reader does not take; write the merged keys out.");
    return undefined;
  }
  if (key.type === "PLAIN") {
    const resolved = resolvePlain(text);
    if (!("value" in resolved) || typeof resolved.value !== "string") {
      const as = !("value" in resolved)
        ? "something other than text"
        : resolved.value === null
          ? "null"
          : typeof resolved.value === "boolean"
            ? "a boolean"
            : "a number";
      refuse(w, `${at}.${printable(text)}`, key, `is a key Pulumi reads as ${as}, not as text; quote it ('${text}').`);
      return undefined;
    }
  }
  const name = String(key.value);
  if (CONTROL.test(name)) {
    refuse(w, `${at}.${printable(name)}`, key, "is a key holding a control character; write it without.");
    return undefined;
  }
  return name;
}

function checkedText(w: Walk, at: string, node: Node, text: string): string | null {
  if (CONTROL.test(text)) {
    refuse(
      w,
      at,
      node,
      `holds a control character (${printable(text)}): it could rewrite what a reader of the plan or the logs sees, and a NUL fails only at deploy. Remove it.`,
    );
    return null;
  }
  return text;
}

/** The deepest nesting of flow collections (`[`, `{`), found by the lexer alone, before anything is built from them. */
function flowDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = { depth: 0, offset: 0 };
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") {
      depth += 1;
      if (depth > max.depth) max = { depth, offset };
    } else if (token === "]" || token === "}") depth -= 1;
    offset += token.length;
    if (max.depth > STACK_FILE_LIMITS.depth) break;
  }
  return max;
}

/** Parses a stack file's bytes; `label` names it in errors. Throws a UserError listing every problem. */
export function parseStackFile(bytes: Uint8Array, label: string, project: string): StackFileConfig {
  if (bytes.length > STACK_FILE_LIMITS.bytes) {
    throw new UserError(
      `${label}: is ${bytes.length} bytes; a stack file may have at most ${STACK_FILE_LIMITS.bytes} (${STACK_FILE_LIMITS.bytes / 1024} KiB). It is not read.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${label}: is not valid UTF-8 text; save it as UTF-8.`);
  }
  const lines = new LineCounter();
  const deep = flowDepth(text);
  if (deep.depth > STACK_FILE_LIMITS.depth) {
    const line = text.slice(0, deep.offset).split("\n").length;
    throw new UserError(`${label}: line ${line} nests brackets more than ${STACK_FILE_LIMITS.depth} levels deep; it is not read.`);
  }
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? ` (line ${e.linePos[0].line})` : "";
    throw new UserError(`${label}: not valid YAML${where}: ${e.message.split("\n")[0]}`);
  }
  const w: Walk = { doc, lines, label, problems: [], nodes: 0, keys: 0 };
  // An empty or comment-only file is valid YAML: to Pulumi, a stack with no config.
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.type === "PLAIN" && NULL.test(scalarText(root)))) return { values: new Map(), secureLeaves: new Set() };
  if (!isMap(root)) throw new UserError(`${label}: must be a mapping with a 'config' key (line 1).`);
  const configPair = root.items.find((p) => isScalar(p.key) && p.key.value === "config");
  const configNode = configPair?.value as Node | null | undefined;
  if (configNode === undefined || configNode === null || (isScalar(configNode) && NULL.test(scalarText(configNode))))
    return { values: new Map(), secureLeaves: new Set() };
  if (!isMap(configNode)) throw new UserError(`${label}: 'config' must be a mapping of keys to values (${lineOf(w, configNode)}).`);

  const values = new Map<string, unknown>();
  const writtenAs = new Map<string, string>();
  const secureLeaves = new Set<string>();
  try {
    const seen = new Map<string, Node | null>();
    for (const pair of configNode.items) {
      const rawKey = keyOf(w, pair.key as Node | null, "config");
      if (rawKey === undefined) continue;
      if (seen.has(rawKey)) {
        refuse(w, `config.${rawKey}`, pair.key as Node, `is given twice, on ${lineOf(w, seen.get(rawKey))} and ${lineOf(w, pair.key as Node)}; keep one.`);
        continue;
      }
      seen.set(rawKey, pair.key as Node);
      const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
      const earlier = writtenAs.get(key);
      if (earlier !== undefined) {
        w.problems.push(`${label}: '${earlier}' and '${rawKey}' are the same key (${key}); keep one.`);
        continue;
      }
      writtenAs.set(key, rawKey);
      w.keys += 1;
      const value = valueOf(w, pair.value as Node | null, key, 1);
      values.set(key, value);
      markSecure(value, key, secureLeaves);
    }
  } catch (err) {
    if (!(err instanceof Exhausted)) throw err;
  }
  if (w.problems.length > 0) throw new UserError(w.problems.join("\n"));
  return { values, secureLeaves };
}

function markSecure(value: unknown, at: string, leaves: Set<string>): void {
  if (isSecure(value)) leaves.add(at);
  else if (Array.isArray(value)) value.forEach((v, i) => markSecure(v, `${at}[${i}]`, leaves));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) markSecure(v, `${at}.${k}`, leaves);
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
