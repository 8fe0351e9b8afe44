// Benchmark: the offline plan against the real CLI, and what `pulumi up` of production sends to
// Railway and leaves in the state. Against the doubles, with the pinned toolchain (built first when
// missing): staging and production are set up with `pulumi up`, then their real previews (state
// present, no cloud reads) are timed against the offline plan of the same two stacks; production's
// state size after `up` is printed with its largest resource;
// and the Railway requests of a fresh environment, a no-op `up` and an `up` after a refresh. Last,
// the real no-op preview of production before and after the provider plugin, in this run: the last
// commit with the dynamic providers is checked out beside this one (git worktree), built, and
// previewed against its own state. Prints figures and ratios; asserts nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { resolveToolchain } from "../tests/setup/build";
import { createWorld } from "../tests/cli/platforms";
import { Workspace, suppliedSecrets } from "../tests/cli/pulumi";

const ROOT = path.resolve(__dirname, "..");

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  process.env.PULUMI_TOOLCHAIN = resolveToolchain();
  execFileSync(process.execPath, [path.join(ROOT, "plan/build.cjs")], { stdio: "inherit" });
  const world = createWorld();
  await world.start();
  const { railway } = world;
  const ws = Workspace.create({ stackFiles: ["staging", "production"], env: world.env() });
  try {
    for (const stack of ["staging", "production"]) {
      await ws.ok(["stack", "init", stack]);
      const pairs = Object.entries(suppliedSecrets(stack, stack)).flatMap(([name, value]) => ["--secret", `platform:secrets.${name}.value=${value}`]);
      await ws.ok(["config", "set-all", "--stack", stack, "--path", ...pairs]);
    }
    await ws.ok(["up", "--stack", "staging", "--yes", "--skip-preview"]);

    // A fresh environment: production's first `up`.
    railway.resetCounts();
    const upSeconds = await timed(() => ws.ok(["up", "--stack", "production", "--yes", "--skip-preview"]));
    const fresh = { requests: railway.requests.length, mutations: railway.count({ type: "mutation" }) };
    const project = [...railway.projects.values()].find((p) => p.name === "converge-nps")!;
    const production = railway.environmentNamed(project.id, "production")!;
    const deployments = [...railway.services.values()]
      .filter((s) => s.projectId === project.id)
      .map((s) => `${s.name} ${railway.deploymentsOf(s.id, production.id).length}`);

    const exported = (await ws.exportStack("production")).text;
    const largest = (JSON.parse(exported).deployment.resources as Array<{ urn: string }>)
      .map((r) => ({ name: r.urn.split("::").at(-1)!, bytes: JSON.stringify(r).length }))
      .sort((a, b) => b.bytes - a.bytes)[0]!;

    railway.resetCounts();
    await ws.ok(["up", "--stack", "production", "--yes", "--skip-preview"]);
    const noop = railway.count({ type: "mutation" });
    await ws.ok(["refresh", "--stack", "production", "--yes", "--skip-preview"]);
    railway.resetCounts();
    await ws.ok(["up", "--stack", "production", "--yes", "--skip-preview"]);
    const afterRefresh = railway.count({ type: "mutation" });

    // The offline plan of both stacks against their real previews, state present.
    const plan = median(
      [1, 2, 3].map(() =>
        seconds(() => execFileSync(process.execPath, [path.join(ROOT, "dist/plan/cli.js"), "--stack", "staging,production"], { cwd: ROOT, stdio: "ignore" })),
      ),
    );
    const previews: number[] = [];
    for (let i = 0; i < 2; i++)
      previews.push((await timed(() => ws.ok(["preview", "--stack", "staging"]))) + (await timed(() => ws.ok(["preview", "--stack", "production"]))));
    const preview = median(previews);

    console.log("real CLI against the offline plan (staging and production):");
    console.log(`  offline plan             ${plan.toFixed(2)} s`);
    console.log(`  pulumi preview, both     ${preview.toFixed(2)} s   (${(preview / plan).toFixed(1)}x the plan)`);
    console.log(`  pulumi up, production    ${upSeconds.toFixed(2)} s   (a fresh environment)`);
    console.log("production's state after `pulumi up`:");
    console.log(`  pulumi stack export      ${(exported.length / 1024).toFixed(0)} KB   (target ≤ 300 KB)`);
    console.log(`  largest resource         ${largest.name}, ${(largest.bytes / 1024).toFixed(1)} KB`);
    const comparison = await beforeAndAfter();
    console.log("Railway requests (production):");
    console.log(`  fresh environment        ${fresh.requests} requests, ${fresh.mutations} writes; deployments: ${deployments.join(", ")}`);
    console.log(`  no-op up                 ${noop} writes   (target 0)`);
    console.log(`  up after a refresh       ${afterRefresh} writes   (target 0)`);
    console.log("no-op `pulumi preview` of production, state present:");
    console.log(`  dynamic providers (${comparison.commit})   ${comparison.before.toFixed(2)} s, state ${(comparison.beforeBytes / 1024).toFixed(0)} KB`);
    console.log(
      `  provider plugin          ${comparison.after.toFixed(2)} s, state ${(comparison.afterBytes / 1024).toFixed(0)} KB   (${(comparison.before / comparison.after).toFixed(1)}x faster)`,
    );
  } finally {
    ws.remove();
    await world.stop();
  }
}

/** The last commit whose program used dynamic providers: the parent of the one that removed their registry. */
function commitBeforePlugin(): string {
  const removed = execFileSync("git", ["log", "-1", "--format=%H", "--", "components/railway/kinds/index.ts"], { cwd: ROOT, encoding: "utf8" }).trim();
  return execFileSync("git", ["rev-parse", "--short", `${removed}^`], { cwd: ROOT, encoding: "utf8" }).trim();
}

/** Production's no-op preview and state size under the older program and under this one, each with a state of its own. */
async function beforeAndAfter(): Promise<{ commit: string; before: number; after: number; beforeBytes: number; afterBytes: number }> {
  const commit = commitBeforePlugin();
  const tree = mkdtempSync(path.join(tmpdir(), "bench-before-"));
  execFileSync("git", ["worktree", "add", "--detach", tree, commit], { cwd: ROOT, stdio: "ignore" });
  try {
    symlinkSync(path.join(ROOT, "node_modules"), path.join(tree, "node_modules"));
    execFileSync(process.execPath, [path.join(tree, "plan/build.cjs")], { cwd: tree, stdio: "inherit" });
    // Each against a world of its own: the same stack, made from nothing by each program.
    const measure = async (options: { source?: string; program?: string }) => {
      const world = createWorld();
      await world.start();
      const ws = Workspace.create({ ...options, stackFiles: ["production"], env: world.env() });
      await ws.ok(["stack", "init", "production"]);
      const pairs = Object.entries(suppliedSecrets("production", "production")).flatMap(([name, value]) => [
        "--secret",
        `platform:secrets.${name}.value=${value}`,
      ]);
      await ws.ok(["config", "set-all", "--stack", "production", "--path", ...pairs]);
      await ws.ok(["up", "--stack", "production", "--yes", "--skip-preview"]);
      await ws.ok(["preview", "--stack", "production"]);
      const seconds = median([await timed(() => ws.ok(["preview", "--stack", "production"])), await timed(() => ws.ok(["preview", "--stack", "production"]))]);
      const bytes = (await ws.exportStack("production")).text.length;
      ws.remove();
      await world.stop();
      return { seconds, bytes };
    };
    const before = await measure({ source: tree, program: path.join(tree, "dist/index.js") });
    const after = await measure({});
    return { commit, before: before.seconds, after: after.seconds, beforeBytes: before.bytes, afterBytes: after.bytes };
  } finally {
    execFileSync("git", ["worktree", "remove", "--force", tree], { cwd: ROOT, stdio: "ignore" });
    rmSync(tree, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
