// Finds a directory's stacks and turns each stack file's `config:` into what the Pulumi CLI hands a
// program: a map of `project:key` to string values, and the keys that hold secrets.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { UserError } from "../config/errors";
import { isSecure, parseStackFile } from "../config/stack-file";

export interface StackFile {
  readonly name: string;
  readonly file: string;
  /** What the CLI would put in PULUMI_CONFIG: full key → string (objects as JSON). */
  readonly config: Record<string, string>;
  /** Full keys whose value is or holds a `secure:` leaf. */
  readonly secretKeys: string[];
}

export interface ProjectDir {
  readonly dir: string;
  readonly project: string;
  /** The program's entry file, from `main` in Pulumi.yaml (default: the directory's index.ts). */
  readonly program: string;
  readonly stacks: StackFile[];
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function resolveProgram(dir: string, main: unknown): string {
  const target = path.resolve(dir, typeof main === "string" && main.length > 0 ? main : ".");
  const candidates = existsSync(target) && statSync(target).isDirectory() ? [path.join(target, "index.ts"), path.join(target, "index.js")] : [target];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new UserError(`${path.join(dir, "Pulumi.yaml")}: main ${JSON.stringify(main ?? ".")} has no program (looked for ${candidates.join(", ")}).`);
  return found;
}

/**
 * Replaces every `secure:` leaf with `standIn` and a fingerprint of its ciphertext, and reports
 * whether there was one. The plan never decrypts: a secret's value is only ever its stand-in, and it
 * reaches the program as a secret; a new ciphertext (a rotated secret) gives a new stand-in.
 */
export function replaceSecure(value: unknown, standIn: string): { value: unknown; secret: boolean } {
  if (isSecure(value))
    return {
      value: `${standIn}~${createHash("sha256")
        .update(String((value as { secure: unknown }).secure))
        .digest("hex")
        .slice(0, 12)}`,
      secret: true,
    };
  if (Array.isArray(value)) {
    let secret = false;
    const items = value.map((v) => {
      const r = replaceSecure(v, standIn);
      secret ||= r.secret;
      return r.value;
    });
    return { value: items, secret };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = replaceSecure(v, standIn);
      secret ||= r.secret;
      out[k] = r.value;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

export function readStackFile(file: string, project: string, standIn: string): StackFile {
  const name = path
    .basename(file)
    .replace(/^Pulumi\./, "")
    .replace(/\.ya?ml$/, "");
  return { name, file, ...stackConfigOf(parseStackFile(readFileSync(file), file, project).values, standIn) };
}

/** A stack file's values as the CLI hands them to a program: full key → text, and the keys holding secrets (as stand-ins). */
export function stackConfigOf(values: ReadonlyMap<string, unknown>, standIn: string): Pick<StackFile, "config" | "secretKeys"> {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, rawValue] of values) {
    const { value, secret } = replaceSecure(rawValue, standIn);
    // As the CLI hands config to a program: text as it is, a null as empty text, anything else as JSON.
    config[key] = typeof value === "string" ? value : value === null ? "" : JSON.stringify(value);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/** Reads `dir`'s Pulumi.yaml and its stack files (all of them, or only those named in `only`, comma-separated). */
export function readProjectDir(dir: string, standIn: string, only?: string): ProjectDir {
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!projectFile) throw new UserError(`${dir}: no Pulumi.yaml here; pass --dir with a Pulumi project directory.`);
  const projectDoc = readYaml(projectFile) as { name?: unknown; main?: unknown } | null;
  const project = projectDoc?.name;
  if (typeof project !== "string" || project.length === 0) throw new UserError(`${projectFile}: 'name' is required.`);
  const program = resolveProgram(dir, projectDoc?.main);
  const files = readdirSync(dir)
    .filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f))
    .sort();
  const nameOf = (f: string) => f.replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
  const wanted = only
    ?.split(",")
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const stackFiles = wanted === undefined ? files : files.filter((f) => wanted.includes(nameOf(f)));
  for (const name of wanted ?? []) {
    if (!files.some((f) => nameOf(f) === name)) {
      throw new UserError(`${dir}: no stack '${name}' (no Pulumi.${name}.yaml); stacks here: ${files.map(nameOf).join(", ") || "none"}.`);
    }
  }
  if (stackFiles.length === 0) throw new UserError(`${dir}: no Pulumi.<stack>.yaml files.`);
  return { dir, project, program, stacks: stackFiles.map((f) => readStackFile(path.join(dir, f), project, standIn)) };
}
