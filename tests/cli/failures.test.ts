// A first `pulumi up` that fails half way, as one does against real platforms, and the `up` after it
// that carries on: a Supabase project created but not ready within the bound, and a Redis
// deployment that crashes. The failed `up` exits non-zero naming each (the service and its
// deployment), and keeps what it made in the state; the next one continues from there: it creates no
// second project (nor refuses the first as "not created by this stack") and deploys Redis again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Workspace, suppliedSecrets } from "./pulumi";
import { worldForFile, SUPABASE_AT_TEST_SPEED } from "./world";

const world = worldForFile();
const { railway, supabase } = world;
let ws: Workspace;

beforeAll(async () => {
  ws = Workspace.create({ stackFiles: ["dev"], env: world.env() });
  await ws.initStackAtOnce("dev", suppliedSecrets("dev", "dev"));
});

afterAll(() => ws?.remove());

describe("a first `up` that fails half way", () => {
  it("names what failed, and the next `up` carries on from what the first one made", { timeout: 90_000 }, async () => {
    // Redis's first deployment crashes, which stops the update; the new project, already being
    // created, finishes its wait meanwhile, its pooler missing past the bound.
    supabase.realism = { ...SUPABASE_AT_TEST_SPEED, poolerMissingMs: 600_000 };
    railway.outcomes.set("redis", "CRASHED");
    const first = await ws.pulumi(["up", "--stack", "dev", "--yes", "--skip-preview"], { env: { PLATFORM_SUPABASE_TIMEOUT_MS: "6000" } });
    expect(first.code, first.output).not.toBe(0);
    const project = supabase.projectNamed("converge-nps-dev")[0]!;
    const redisService = [...railway.services.values()].find((s) => s.name === "redis")!;
    const environment = [...railway.environments.values()].find((e) => e.name === "dev")!;
    const crashed = railway.deploymentsOf(redisService.id, environment.id);
    expect(crashed.map((d) => d.status)).toEqual(["CRASHED"]);
    expect(first.output).toContain(`Supabase create of project "converge-nps-dev" (ref ${project.ref}) timed out after 6 s waiting for its connection pooler`);
    expect(first.output).toContain(`Railway deployment of service "redis" (deployment ${crashed[0]!.id}, environment ${environment.id}) ended CRASHED.`);

    // The platforms recover; the next `up` finishes what the first one began.
    supabase.realism = { ...SUPABASE_AT_TEST_SPEED };
    project.poolerAt = 0;
    railway.outcomes.set("redis", "SUCCESS");
    const second = await ws.pulumi(["up", "--stack", "dev", "--yes", "--skip-preview"]);
    expect(second.code, second.output).toBe(0);
    expect(supabase.projectNamed("converge-nps-dev")).toHaveLength(1);
    expect(supabase.count("v1-create-a-project")).toBe(1);
    expect(railway.deploymentsOf(redisService.id, environment.id).map((d) => d.status)).toEqual(["CRASHED", "SUCCESS"]);
    // What waited on the database (its settings, the services' variables) was made this time.
    const api = [...railway.services.values()].find((s) => s.name === "api")!;
    expect(railway.instance(api.id, environment.id)!.variables.DATABASE_URL).toContain(`postgres.${project.ref}:`);
    expect(railway.rejected).toEqual([]);
    expect(supabase.rejected).toEqual([]);
  });
});
