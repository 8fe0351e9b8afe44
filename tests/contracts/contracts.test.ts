// The vendored API contracts: each file is the one its README row records, a missing one fails a
// test run at once by name, and the update script (given a fetch, so no test downloads) replaces
// what drifted and only what drifted.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkContracts, readManifest, sha256, updateContracts } from "../../contracts/update";
import { contractFile, ROOT } from "../helpers";

const README = readFileSync(path.join(ROOT, "contracts/README.md"), "utf8");

/** A fetch that serves `bodies` by URL and refuses anything else. */
function fakeFetch(bodies: Record<string, string>) {
  return async (url: string) => {
    const body = bodies[url];
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, arrayBuffer: async () => new TextEncoder().encode(body ?? "").buffer as ArrayBuffer };
  };
}

function copyOfContracts(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "contracts-"));
  cpSync(path.join(ROOT, "contracts"), dir, { recursive: true });
  return dir;
}

describe("vendored contracts", () => {
  it("are listed with their source, date and sha256, and match them", () => {
    const entries = readManifest(README);
    expect(entries.map((e) => e.file)).toEqual(["railway/schema.json", "supabase/openapi.json"]);
    for (const entry of entries) {
      expect(entry.source).toMatch(/^https:\/\//);
      expect(sha256(readFileSync(contractFile(entry.file))), entry.file).toBe(entry.sha256);
    }
  });

  it("a missing contract is named at once", () => {
    expect(() => contractFile("railway/missing.json")).toThrow("The API contract contracts/railway/missing.json is missing: restore it with 'git checkout -- contracts'");
  });

  it("a double whose contract is missing fails as it starts, naming the file", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-contracts-"));
    const script = `require(${JSON.stringify(path.join(ROOT, "tests/railway/double.ts"))}).RailwayDouble.prototype.start.call({}).catch((e) => { console.error(e.message); process.exit(7); })`;
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, env: { ...process.env, PLATFORM_CONTRACTS_DIR: empty } }, (err, _stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain(`The API contract ${path.relative(ROOT, path.join(empty, "railway/schema.json"))} is missing`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("contracts:update and contracts:check", () => {
  it("report no drift when the published documents are the vendored ones", async () => {
    const bodies = Object.fromEntries(readManifest(README).map((e) => [e.source, readFileSync(path.join(ROOT, "contracts", e.file), "utf8")]));
    expect(await checkContracts(path.join(ROOT, "contracts"), fakeFetch(bodies))).toEqual([]);
  });

  it("replace a drifted contract, record its date and digest, and leave the others alone", async () => {
    const dir = copyOfContracts();
    const [railway, supabase] = readManifest(README);
    const newer = JSON.stringify({ data: { __schema: { types: [] } } });
    const fetchImpl = fakeFetch({ [railway!.source]: newer, [supabase!.source]: readFileSync(path.join(dir, supabase!.file), "utf8") });
    expect(await checkContracts(dir, fetchImpl)).toEqual([{ file: "railway/schema.json", vendored: railway!.sha256, published: sha256(newer) }]);
    expect(await updateContracts(dir, fetchImpl, "2026-11-22")).toEqual(["railway/schema.json"]);
    expect(readFileSync(path.join(dir, "railway/schema.json"), "utf8")).toBe(newer);
    const after = readManifest(readFileSync(path.join(dir, "README.md"), "utf8"));
    expect(after).toEqual([{ ...railway, fetched: "2026-11-22", sha256: sha256(newer) }, supabase]);
  });

  it("never replace a contract with something that is not JSON", async () => {
    const dir = copyOfContracts();
    const [railway] = readManifest(README);
    await expect(updateContracts(dir, fakeFetch({ [railway!.source]: "<html>rate limited</html>" }))).rejects.toThrow(/JSON/);
    expect(sha256(readFileSync(path.join(dir, railway!.file)))).toBe(railway!.sha256);
  });
});
