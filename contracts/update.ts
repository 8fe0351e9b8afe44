// `npm run contracts:update` fetches each published contract named in contracts/README.md anew,
// writes it over the vendored copy and rewrites its row (date and sha256); `npm run contracts:check`
// fetches them and reports which have drifted from the vendored copies, changing nothing (exit 1 on
// drift). For a person or a scheduled job with internet; the tests only ever read the files.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export interface ContractEntry {
  /** Path under contracts/, e.g. `railway/schema.json`. */
  readonly file: string;
  readonly source: string;
  readonly fetched: string;
  readonly sha256: string;
}

const ROW = /^\| `([^`]+)` \| (\S+) \| (\d{4}-\d{2}-\d{2}) \| ([0-9a-f]{64}) \|$/;

/** The table of contracts in the README: one row per file. */
export function readManifest(readme: string): ContractEntry[] {
  const entries: ContractEntry[] = [];
  for (const line of readme.split("\n")) {
    const m = ROW.exec(line.trim());
    if (m) entries.push({ file: m[1]!, source: m[2]!, fetched: m[3]!, sha256: m[4]! });
  }
  return entries;
}

function row(e: ContractEntry): string {
  return `| \`${e.file}\` | ${e.source} | ${e.fetched} | ${e.sha256} |`;
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

async function download(fetchImpl: Fetch, url: string): Promise<Buffer> {
  const response = await fetchImpl(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  // A contract is JSON; an error page or a truncated download must not replace one.
  JSON.parse(body.toString("utf8"));
  return body;
}

export interface Drift {
  readonly file: string;
  readonly vendored: string;
  readonly published: string;
}

/** The contracts whose published document differs from the vendored copy. */
export async function checkContracts(dir: string, fetchImpl: Fetch = fetch): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const entry of readManifest(readFileSync(path.join(dir, "README.md"), "utf8"))) {
    const published = sha256(await download(fetchImpl, entry.source));
    if (published !== entry.sha256) drift.push({ file: entry.file, vendored: entry.sha256, published });
  }
  return drift;
}

/** Fetches every contract, writes the changed ones, and records today's date and sha256 for them. */
export async function updateContracts(dir: string, fetchImpl: Fetch = fetch, today = new Date().toISOString().slice(0, 10)): Promise<string[]> {
  const readmeFile = path.join(dir, "README.md");
  let readme = readFileSync(readmeFile, "utf8");
  const changed: string[] = [];
  for (const entry of readManifest(readme)) {
    const body = await download(fetchImpl, entry.source);
    const digest = sha256(body);
    if (digest === entry.sha256) continue;
    writeFileSync(path.join(dir, entry.file), body);
    readme = readme.replace(row(entry), row({ ...entry, fetched: today, sha256: digest }));
    changed.push(entry.file);
  }
  writeFileSync(readmeFile, readme);
  return changed;
}

async function main(mode: string | undefined): Promise<number> {
  const dir = __dirname;
  if (mode === "--check") {
    const drift = await checkContracts(dir);
    for (const d of drift) process.stdout.write(`${d.file} has drifted: vendored sha256 ${d.vendored}, published ${d.published}\n`);
    if (drift.length === 0) process.stdout.write("The vendored contracts match the published ones.\n");
    return drift.length === 0 ? 0 : 1;
  }
  const changed = await updateContracts(dir);
  process.stdout.write(changed.length === 0 ? "Every contract is up to date.\n" : `Updated ${changed.join(", ")}; run npm test, then commit contracts/.\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv[2]).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
