// The README's map of the tree: every path it names in this repository exists, and its Layout table
// names every top-level folder the project keeps.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers";

const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
/** The top-level entries a path must start with to be one of this repository's. */
const OURS = /^(?:\.ci|\.github|bench|components|config|contracts|examples|plan|policies|provider|scripts|tests)\/|^(?:index\.ts|Pulumi\.yaml|package\.json)$/;
/** Paths the README names that are not this repository's: one it tells the reader to create, and the application repository's CI workflow. */
const NOT_HERE = new Set(["policies/config/qa.json", ".github/workflows/ci.yml"]);

describe("README layout", () => {
  it("names only paths that exist", () => {
    const named = [...README.matchAll(/`([^`\s<>*]+)`/g)].map((m) => m[1]!).filter((p) => OURS.test(p) && !NOT_HERE.has(p));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it("has a Layout row for every top-level folder of the project", () => {
    const layout = README.split("\n## Layout\n")[1]!.split("\n## ")[0]!;
    const rows = [...layout.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !["node_modules", "dist", ".git"].includes(e.name))
      .map((e) => e.name);
    for (const folder of folders)
      expect(
        rows.some((r) => r === `${folder}/` || r.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
  });
});
