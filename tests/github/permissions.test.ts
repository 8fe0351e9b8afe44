// The GitHub permissions the README asks for, held to what the program declares: every GitHub
// resource type of every shipped and example stack, and every GitHub function the program calls,
// has its entry in components/github/permissions.ts, and the README's token table says exactly what
// that table renders.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GITHUB_PERMISSIONS, renderPermissions } from "../../components/github/permissions";
import { runStack } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";
import { ROOT, STAND_IN, SHIPPED_STACKS, shippedRun } from "../helpers";

describe("the GitHub permissions", () => {
  it("name every GitHub resource type the stacks declare, and every GitHub function the program calls", async () => {
    const types = new Set<string>();
    for (const stack of SHIPPED_STACKS) for (const r of (await shippedRun(stack)).resources) types.add(r.type);
    const example = path.join(ROOT, "examples/founderhouse");
    for (const s of readProjectDir(example, STAND_IN).stacks) {
      const run = await runStack({
        program: path.join(ROOT, "index.ts"),
        dir: example,
        project: "platform",
        stack: s.name,
        config: s.config,
        secretKeys: s.secretKeys,
      });
      for (const r of run.resources) types.add(r.type);
    }
    const github = [...types].filter((t) => t.startsWith("github:index/"));
    expect(github.length).toBeGreaterThan(5);
    for (const t of github) expect(GITHUB_PERMISSIONS[t], t).toBeDefined();
    // The functions: each `github.get<Name>(` or `github.get<Name>Output(` in the GitHub component.
    const source = readFileSync(path.join(ROOT, "components/github/repository.ts"), "utf8");
    const functions = [...source.matchAll(/github\.get(\w+?)(?:Output)?\(/g)].map((m) => `github:index/get${m[1]}:get${m[1]}`);
    expect(functions.length).toBeGreaterThan(1);
    for (const f of functions) expect(GITHUB_PERMISSIONS[f], f).toBeDefined();
  });

  it("are what the README's token table asks for, for `pulumi up` and for a preview's reads", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`<!-- permissions:up -->${renderPermissions("up")}<!-- /permissions -->`);
    expect(readme).toContain(`<!-- permissions:read -->${renderPermissions("read")}<!-- /permissions -->`);
    // Environments and Actions, which the secrets and the environments' reads need.
    expect(renderPermissions("up")).toMatch(/Actions read, Administration read and write, Contents read and write, Environments read and write/);
    expect(renderPermissions("read")).not.toMatch(/write/);
  });
});
