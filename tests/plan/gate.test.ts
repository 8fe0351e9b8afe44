// The destructive-change gate over what a real `pulumi preview --json` reports (plan/gate.ts): what
// holds data in each tier, a replacement's several steps as one, confirmation by name, and the
// command the pull request's preview runs (`node dist/plan/gate.js STACK < preview.json`).
import { describe, expect, it } from "vitest";
import { gate, gatePreview } from "../../plan/gate";
import { run } from "../cli/pulumi";
import { ROOT } from "../helpers";

const P = "urn:pulumi:staging::platform::platform:index:Platform";
const urn = (chain: string, name: string) => `${P}$${chain}::${name}`;
const REDIS = `${P}$platform:railway:Redis$platform:railway:RailwayService::platform-redis-service`;
const API = `${P}$platform:railway:RailwayService::platform-api`;
const WORKER = `${P}$platform:railway:RailwayService::platform-worker`;
const resources = {
  project: { urn: urn("platform:supabase:SupabaseDatabase$platform:supabase:Project", "platform-supabase-project"), type: "platform:supabase:Project" },
  branch: { urn: urn("platform:supabase:SupabaseDatabase$platform:supabase:Branch", "platform-supabase-branch"), type: "platform:supabase:Branch" },
  redisVolume: {
    urn: urn("platform:railway:Redis$platform:railway:RailwayService$platform:railway:Volume", "platform-redis-service-volume"),
    type: "platform:railway:Volume",
    parent: REDIS,
  },
  workerVolume: {
    urn: urn("platform:railway:RailwayService$platform:railway:Volume", "platform-worker-volume"),
    type: "platform:railway:Volume",
    parent: WORKER,
  },
  worker: { urn: urn("platform:railway:RailwayService$platform:railway:Service", "platform-worker-service"), type: "platform:railway:Service", parent: WORKER },
  api: { urn: urn("platform:railway:RailwayService$platform:railway:Service", "platform-api-service"), type: "platform:railway:Service", parent: API },
  environment: {
    urn: urn("platform:railway:RailwayEnvironment$platform:railway:Environment", "platform-railway-environment"),
    type: "platform:railway:Environment",
  },
  settings: {
    urn: urn("platform:railway:RailwayService$platform:railway:ServiceInstance", "platform-api-settings"),
    type: "platform:railway:ServiceInstance",
    parent: API,
  },
};
const all = Object.values(resources);
const names = (found: readonly { urn: string }[]) => found.map((f) => f.urn.split("::").at(-1));

describe("what holds data, tier by tier", () => {
  const everything = all.map((r) => ({ ...r, loss: "deleted" as const }));

  it("in staging: the Supabase project and branch, each volume, a service with a volume; not a service without one, not the environment", () => {
    expect(names(gate(everything, all, { tier: "staging" }).blocked)).toEqual([
      "platform-redis-service-volume",
      "platform-supabase-branch",
      "platform-supabase-project",
      "platform-worker-service",
      "platform-worker-volume",
    ]);
  });

  it("in production the Railway environment too; in a review stack not its database branch", () => {
    expect(names(gate(everything, all, { tier: "production" }).blocked)).toContain("platform-railway-environment");
    expect(names(gate(everything, all, { tier: "preview" }).blocked)).toEqual([
      "platform-redis-service-volume",
      "platform-worker-service",
      "platform-worker-volume",
    ]);
  });

  it("lets through exactly what platform:confirmDestructive names, saying so", () => {
    const result = gate(everything, all, { tier: "staging", confirmDestructive: ["platform-worker-service", "platform-worker-volume"] });
    expect(names(result.blocked)).toEqual(["platform-redis-service-volume", "platform-supabase-branch", "platform-supabase-project"]);
    expect(result.confirmed).toEqual([
      "`platform-worker-service` (platform:railway:Service) is deleted, with its volume and the data on it, as platform:confirmDestructive confirms.",
      "`platform-worker-volume` (platform:railway:Volume) is deleted, with the data on the volume, as platform:confirmDestructive confirms.",
    ]);
  });
});

/** A preview's JSON: the Platform step with its inputs, and `steps`. */
function preview(inputs: Record<string, unknown>, steps: readonly { op: string; urn: string; type: string; parent?: string }[]) {
  const state = (s: { urn: string; type: string; parent?: string }) => ({ urn: s.urn, type: s.type, ...(s.parent ? { parent: s.parent } : {}) });
  return {
    steps: [
      { op: "same", urn: P.replace(/\$.*/, "") + "::platform", newState: { type: "platform:index:Platform", inputs } },
      ...steps.map((s) => ({ op: s.op, urn: s.urn, oldState: state(s), ...(s.op === "delete" ? {} : { newState: state(s) }) })),
    ],
  };
}

describe("over `pulumi preview --json`", () => {
  it("reads the tier and confirmations from the Platform component, and counts a replacement's steps once", () => {
    const replaced = ["replace", "create-replacement", "delete-replaced"].map((op) => ({ op, ...resources.project }));
    const result = gatePreview(
      preview({ tier: "staging", budgetUsd: 100 }, [
        ...replaced,
        { op: "delete", ...resources.redisVolume },
        { op: "same", ...resources.worker },
        { op: "same", ...resources.workerVolume },
      ]),
    )!;
    expect(result.blocked.map((b) => b.message)).toEqual([
      "`platform-redis-service-volume` (platform:railway:Volume) in stack staging would be deleted, and with it Redis's data on its volume. If that is intended, confirm it in the same change: list `platform-redis-service-volume` under `platform:confirmDestructive` in Pulumi.staging.yaml, so the confirmation is reviewed with the rest; otherwise undo what removes it.",
      "`platform-supabase-project` (platform:supabase:Project) in stack staging would be replaced, and with it its Postgres database, every table and row (the replacement starts empty). If that is intended, confirm it in the same change: list `platform-supabase-project` under `platform:confirmDestructive` in Pulumi.staging.yaml, so the confirmation is reviewed with the rest; otherwise undo what replaces it.",
    ]);
    const confirmed = gatePreview(
      preview({ tier: "staging", confirmDestructive: ["platform-supabase-project", "platform-redis-service-volume"] }, [...replaced]),
    )!;
    expect(confirmed.blocked).toEqual([]);
    expect(confirmed.confirmed).toHaveLength(1);
  });

  it("knows a service with a volume by the volume beside it, even when only the service changes", () => {
    const result = gatePreview(
      preview({ tier: "dev" }, [
        { op: "replace", ...resources.worker },
        { op: "same", ...resources.workerVolume },
        { op: "replace", ...resources.api },
      ]),
    )!;
    expect(names(result.blocked)).toEqual(["platform-worker-service"]);
  });

  it("is no answer for what is not a preview of this program with its sames", () => {
    expect(gatePreview({ steps: [{ op: "delete", urn: resources.project.urn, oldState: { type: resources.project.type } }] })).toBeUndefined();
  });

  it("as the workflow runs it: exit 1 with each message, 0 when confirmed or nothing holds data, 2 for what is not a preview", async () => {
    const gateJs = (input: string) =>
      run(process.execPath, [`${ROOT}/dist/plan/gate.js`, "staging"], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, input });
    const blocked = await gateJs(JSON.stringify(preview({ tier: "staging" }, [{ op: "delete", ...resources.redisVolume }])));
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(
      /^Stack staging: the change deletes or replaces what holds data, unconfirmed:\n- `platform-redis-service-volume` \(platform:railway:Volume\) in stack staging would be deleted/,
    );
    const quiet = await gateJs(JSON.stringify(preview({ tier: "staging" }, [{ op: "update", ...resources.settings }])));
    expect([quiet.code, quiet.stdout]).toEqual([0, "Stack staging: the change deletes or replaces nothing that holds data.\n"]);
    const confirmed = await gateJs(
      JSON.stringify(preview({ tier: "staging", confirmDestructive: ["platform-redis-service-volume"] }, [{ op: "delete", ...resources.redisVolume }])),
    );
    expect([confirmed.code, confirmed.stdout]).toEqual([
      0,
      "- `platform-redis-service-volume` (platform:railway:Volume) is deleted, with Redis's data on its volume, as platform:confirmDestructive confirms.\n",
    ]);
    const garbage = await gateJs("not json");
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain("Stack staging: the preview's output is not JSON");
  });
});
