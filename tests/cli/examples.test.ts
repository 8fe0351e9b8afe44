// The second example system (Founderhouse, its own project folder, stacks and policy config), through
// the real CLI: each stack's `pulumi preview --json` declares exactly the URNs its offline plan shows,
// with the policy pack held to Founderhouse's own policy config (PLATFORM_POLICY_CONFIG_DIR). Then
// both stacks come up on a repository that has only main, which both deploy from, running as
// Founderhouse's App, with one ruleset on main (production's); and a change to each one's deploy
// workflow goes through it.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStack } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";
import { ROOT, STAND_IN } from "../helpers";
import { urnsOf } from "./checks";
import { POLICY_PACK, Workspace, suppliedSecrets } from "./pulumi";
import { FOUNDERHOUSE_APP_ID } from "./platforms";
import { worldForFile } from "./world";

const EXAMPLE = path.join(ROOT, "examples/founderhouse");
const STACKS = ["staging", "production"];
const world = worldForFile();
let ws: Workspace;

beforeAll(async () => {
  world.github.seedRepository("founderhouse", "founderhouse", ["main"]);
  // Founderhouse's Supabase: a Pro organization for production, a free one for staging (nano exists only there).
  world.supabase.organizations.set("founderhouse", "pro");
  world.supabase.organizations.set("founderhouse-free", "free");
  world.github.teams.set("founderhouse/founders", 5151);
  world.github.teamAccess.set("founderhouse/founders", new Map([["founderhouse/founderhouse", "push"]]));
  ws = Workspace.create({ source: EXAMPLE, stackFiles: STACKS, env: { ...world.env(), PLATFORM_POLICY_CONFIG_DIR: EXAMPLE } });
  for (const stack of STACKS) {
    await ws.initStackAtOnce(stack, suppliedSecrets(stack, stack, EXAMPLE));
  }
});
afterAll(() => ws?.remove());

describe("examples/founderhouse through the real CLI", () => {
  it("each stack's preview declares the URNs of its offline plan, and passes its own policy config", { timeout: 90_000 }, async () => {
    const previews = await Promise.all(STACKS.map((stack) => ws.pulumi(["preview", "--stack", stack, "--json", "--show-sames", "--policy-pack", POLICY_PACK])));
    for (const [i, stack] of STACKS.entries()) {
      const preview = previews[i]!;
      expect(preview.code, `${stack}:\n${preview.output}`).toBe(0);
      const project = readProjectDir(EXAMPLE, STAND_IN, stack);
      const s = project.stacks[0]!;
      const plan = await runStack({
        program: project.program,
        dir: EXAMPLE,
        project: project.project,
        stack: s.name,
        config: s.config,
        secretKeys: s.secretKeys,
      });
      const urns = urnsOf(JSON.parse(preview.stdout));
      expect(urns, stack).toEqual(plan.resources.map((r) => r.urn).sort());
      // Founderhouse builds its API's image: the docker provider's resource is among them.
      expect(
        urns.some((u) => u.includes("docker:index/image:Image")),
        stack,
      ).toBe(true);
    }
    expect(world.writes()).toEqual({ railway: 0, supabase: 0, github: 0 });
  });

  it(
    "staging and production, both deploying from main, come up as the App on a repository with only main, and each one's workflow changes after",
    { timeout: 120_000 },
    async () => {
      const repo = world.github.repositories.get("founderhouse/founderhouse")!;
      for (const stack of STACKS) {
        const up = await ws.pulumi(["up", "--stack", stack, "--yes", "--skip-preview"]);
        expect(up.code, `${stack}:\n${up.output}`).toBe(0);
      }
      // One ruleset on main, production's (staging names it as the branch's owner), letting the App
      // through: staging's workflow commits to main pass it as the App.
      expect([...repo.rulesets.values()].map((r) => [r.name, r.bypass_actors.filter((a) => a.actor_type === "Integration").map((a) => a.actor_id)])).toEqual([
        ["production: protect main", [FOUNDERHOUSE_APP_ID]],
      ]);
      const deployFile = (stack: string) => repo.branches.get("main")!.files.get(`.github/workflows/deploy-${stack}.yml`);
      for (const stack of STACKS) {
        expect(deployFile(stack), stack).toBeDefined();
        await ws.ok(["config", "set", "--stack", stack, "--path", "platform:services.api.healthcheck.timeoutSeconds", "150"]);
        const before = deployFile(stack)!.sha;
        const up = await ws.pulumi(["up", "--stack", stack, "--yes", "--skip-preview"]);
        expect(up.code, `${stack}:\n${up.output}`).toBe(0);
        expect(deployFile(stack)!.sha, stack).not.toBe(before);
      }
      expect(world.github.refused).toEqual([]);
      expect([...new Set(repo.branches.get("main")!.commits.map((c) => c.author))]).toEqual(["founderhouse-platform[bot]"]);
    },
  );

  it(
    "a preview says what the repository's plan does not offer and which reviewer GitHub would drop, before any of it reaches GitHub",
    { timeout: 60_000 },
    async () => {
      // Founderhouse's organization on GitHub Team: required reviewers on its private repository need
      // Enterprise. And its reviewer team without access to the repository, which GitHub would drop.
      world.github.organizations.set("founderhouse", "team");
      const access = world.github.teamAccess.get("founderhouse/founders")!;
      world.github.teamAccess.delete("founderhouse/founders");
      try {
        const before = world.writes();
        const preview = await ws.pulumi(["preview", "--stack", "production"]);
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("platform:github.reviewers: required reviewers on a private or internal repository need GitHub Enterprise");
        expect(preview.output).toContain("founderhouse/founderhouse is private and founderhouse is on GitHub's 'team' plan");
        expect(preview.output).toContain("platform:github.reviewers: the team 'founders' has no access to founderhouse/founderhouse, so GitHub would drop it");
        expect(world.writes()).toEqual(before);
      } finally {
        world.github.organizations.set("founderhouse", "enterprise");
        world.github.teamAccess.set("founderhouse/founders", access);
      }
    },
  );
});
