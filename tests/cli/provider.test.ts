// The `platform` provider plugin under the real CLI: the code that runs is the plugin installed now,
// for every operation (a delete changed between `up` and `destroy` runs changed, where a dynamic
// provider ran the code stored with the resource); and a stack the dynamic providers made (a state
// recorded through the CLI, tests/cli/fixtures) moves over with `npm run state:migrate`, after which
// a preview proposes nothing for what moved.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDeployment } from "../../plan/migrate-state";
import { ROOT } from "../helpers";
import { Workspace, run } from "./pulumi";
import { PLATFORM_APP_ID, PLATFORM_APP_INSTALLATION } from "./platforms";
import { worldForFile } from "./world";

const world = worldForFile();
const workspaces: Workspace[] = [];
afterAll(() => workspaces.forEach((w) => w.remove()));

/** A stack file of one Railway environment and the repository's GitHub side: the smallest stack. */
function smallStack(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "small-stack-"));
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8").replace("path: ./provider", `path: ${path.join(ROOT, "provider")}`),
  );
  writeFileSync(
    path.join(dir, "Pulumi.dev.yaml"),
    `config:\n  platform:github:\n    owner: converge-nps\n    repository: converge-nps\n    app: { id: ${PLATFORM_APP_ID}, installationId: ${PLATFORM_APP_INSTALLATION} }\n`,
  );
  return dir;
}

describe("the platform provider plugin", () => {
  it("runs the delete it has now at `destroy`, not the one the resource was made with", { timeout: 60_000 }, async () => {
    const ws = Workspace.create({ source: smallStack(), stackFiles: ["dev"], env: world.env() });
    workspaces.push(ws);
    await ws.ok(["stack", "init", "dev"]);
    await ws.ok(["up", "--stack", "dev", "--yes", "--skip-preview"]);
    // A new version of the plugin whose environment delete also leaves a mark: this checkout's
    // plugin, with a hook that wraps that kind's handler, started by a launcher of its own.
    const plugin = mkdtempSync(path.join(tmpdir(), "plugin-v2-"));
    const marks = path.join(plugin, "deletes.log");
    writeFileSync(
      path.join(plugin, "hook.js"),
      `const { KINDS } = require(${JSON.stringify(path.join(ROOT, "dist/components/provider/kinds.js"))});\n` +
        `const handler = KINDS.railwayEnvironment.handler;\nconst original = handler.delete;\n` +
        `handler.delete = async (id, props) => { require("node:fs").appendFileSync(${JSON.stringify(marks)}, "new delete of " + props.name + "\\n"); return original(id, props); };\n`,
    );
    writeFileSync(
      path.join(plugin, "pulumi-resource-platform"),
      `#!/bin/sh\nexec node --require ${JSON.stringify(path.join(plugin, "hook.js"))} ${JSON.stringify(path.join(ROOT, "dist/components/provider/main.js"))} "$@"\n`,
    );
    chmodSync(path.join(plugin, "pulumi-resource-platform"), 0o755);
    const project = readFileSync(path.join(ws.dir, "Pulumi.yaml"), "utf8");
    writeFileSync(path.join(ws.dir, "Pulumi.yaml"), project.replace(path.join(ROOT, "provider"), plugin));
    await ws.ok(["destroy", "--stack", "dev", "--yes", "--skip-preview"]);
    expect(readFileSync(marks, "utf8")).toBe("new delete of dev\n");
    const project0 = [...world.railway.projects.values()].find((p) => p.name === "converge-nps")!;
    expect(world.railway.environmentNamed(project0.id, "dev")).toBeUndefined();
  });

  it(
    "takes over a stack the dynamic providers made: `npm run state:migrate`, `pulumi stack import`, and the preview proposes nothing",
    { timeout: 60_000 },
    async () => {
      const fixture = path.join(ROOT, "tests/cli/fixtures");
      const exported = JSON.parse(readFileSync(path.join(fixture, "dynamic-provider-state.json"), "utf8"));
      // The GitHub provider's config as it was recorded: the same API address and token, so only the move can show.
      const github = exported.deployment.resources.find((r: { type: string }) => r.type === "pulumi:providers:github");
      const source = smallStack();
      copyFileSync(path.join(fixture, "Pulumi.dynamic.yaml"), path.join(source, "Pulumi.dev.yaml"));
      const ws = Workspace.create({
        source,
        stackFiles: ["dev"],
        env: { ...world.env(), GITHUB_TOKEN: "ghs_fixture_token_of_the_dynamic_provider_state", GITHUB_BASE_URL: github.inputs.baseUrl },
      });
      workspaces.push(ws);
      await ws.ok(["stack", "init", "dev"]);
      const old = path.join(ws.root, "old.json");
      writeFileSync(old, JSON.stringify(exported));
      const migrated = await run(process.execPath, [path.join(ROOT, "dist/plan/migrate-state.js"), old], { cwd: ws.dir, env: ws.env });
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).not.toContain("pulumi-nodejs");
      expect(migrated.stdout).not.toContain("__provider");
      const moved = path.join(ws.root, "new.json");
      writeFileSync(moved, migrated.stdout);
      await ws.ok(["stack", "import", "--stack", "dev", "--file", moved]);
      const preview = await ws.pulumi(["preview", "--stack", "dev", "--json", "--show-sames"]);
      expect(preview.code, preview.output).toBe(0);
      // What moved (Railway's and Supabase's resources, and their provider) proposes nothing. The
      // GitHub side was recorded by an older program, whose inputs have changed since (the required
      // checks' app, the files' author and branch creation): those are the program's updates, not the move's.
      const steps = (JSON.parse(preview.stdout) as { steps: Array<{ op: string; urn: string }> }).steps;
      const typeOf = (urn: string) => urn.split("::")[2]!.split("$").at(-1)!;
      const platformSteps = steps.filter((s) => /^platform:(railway|supabase):|^pulumi:providers:platform$/.test(typeOf(s.urn)));
      expect(platformSteps.map((s) => typeOf(s.urn)).sort()).toEqual([
        "platform:railway:Environment",
        "platform:railway:Project",
        "platform:railway:RailwayEnvironment",
        "pulumi:providers:platform",
      ]);
      expect(platformSteps.filter((s) => s.op !== "same")).toEqual([]);
      expect(steps.filter((s) => s.op !== "same" && s.op !== "update").map((s) => `${s.op} ${s.urn}`)).toEqual([]);
      expect(existsSync(path.join(ws.dir, "Pulumi.dev.yaml"))).toBe(true);
    },
  );

  it("moves every reference to a moved resource, and leaves a state without dynamic resources alone", () => {
    const exported = JSON.parse(readFileSync(path.join(ROOT, "tests/cli/fixtures/dynamic-provider-state.json"), "utf8"));
    const moved = migrateDeployment(exported.deployment, () => "fixed-id");
    const types = (moved.resources as Array<{ type: string }>).map((r) => r.type);
    expect(types).toContain("platform:railway:Project");
    expect(types).toContain("pulumi:providers:platform");
    expect(types.filter((t) => t.startsWith("pulumi-nodejs"))).toEqual([]);
    const environment = (moved.resources as Array<Record<string, any>>).find((r) => r.type === "platform:railway:Environment")!;
    expect(environment.dependencies).toContain(
      "urn:pulumi:dev::platform::platform:index:Platform$platform:railway:RailwayEnvironment$platform:railway:Project::platform-railway-project",
    );
    expect(environment.provider).toBe("urn:pulumi:dev::platform::platform:index:Platform$pulumi:providers:platform::platform-provider::fixed-id");
    expect(Object.keys(environment.inputs)).not.toContain("kind");
    expect(migrateDeployment(moved)).toEqual(moved);
  });
});
