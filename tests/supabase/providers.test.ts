// The Supabase providers against the Management API double: directly imported, and as `pulumi up`
// ships them (serialized from the program run in plain Node, loaded by a plain-Node host); then the
// fault matrix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDoubleEnv } from "../doubles/env";
import { databaseUrl } from "../../components/supabase/database";
import { branchProvider, extensionsSql, networkRestrictionsFor, projectProvider, settingsProvider } from "../../components/supabase/providers";
import { dumpProviders, startHost, type Host } from "../doubles/host";
import type { ProviderLike } from "../doubles/host";
import { SupabaseDouble } from "./double";
import { PASSWORD, SUPABASE_TYPE_OF, projectInputs, supabaseLifecycle, type SupabaseProviders } from "./lifecycle";

const direct: SupabaseProviders = { project: projectProvider as never, settings: settingsProvider as never, branch: branchProvider as never };

let double: SupabaseDouble;
beforeAll(async () => {
  double = new SupabaseDouble();
  await double.start();
});
afterAll(async () => {
  await double.stop();
});
useDoubleEnv(
  () => double.env(),
  () => {
    double.clearFaults();
    double.pollsUntilReady = 2;
    double.nextFinalStatus = "ACTIVE_HEALTHY";
  },
);

describe("Supabase providers against the double", () => {
  it("take the project, settings and a branch through their lifecycle", async () => {
    await supabaseLifecycle(double, direct);
  });

  it("run the same lifecycle from the serialized provider text, in a plain-Node host", async () => {
    const sources = await dumpProviders("production");
    const text = sources[SUPABASE_TYPE_OF.project]!;
    expect(text).toMatch(/^exports\.handler = /);
    // The library is required when a method runs, not inlined; the token is read then too.
    expect(text).toContain('require("supabase-management-js")');
    expect(text).not.toContain("SupabaseManagementAPIError = class");
    expect(text).toContain("process.env.SUPABASE_ACCESS_TOKEN");
    // One provider object serves every kind (production has no branch; the text is the same).
    expect(sources[SUPABASE_TYPE_OF.settings]).toBe(text);
    const host: Host = startHost(double.env());
    try {
      const remote = (kind: keyof SupabaseProviders): ProviderLike => {
        const tag = (props: unknown) => ({ ...(props as object), kind });
        return {
          diff: (id, olds, news) => host.call(kind, "diff", [id, tag(olds), tag(news)]),
          create: (inputs) => host.call(kind, "create", [tag(inputs)]),
          read: (id, props) => host.call(kind, "read", [id, tag(props)]),
          update: (id, olds, news) => host.call(kind, "update", [id, tag(olds), tag(news)]),
          delete: (id, props) => host.call(kind, "delete", [id, tag(props)]),
        };
      };
      for (const kind of ["project", "settings", "branch"] as const) await host.load(kind, text);
      await supabaseLifecycle(double, { project: remote("project"), settings: remote("settings"), branch: remote("branch") });
    } finally {
      host.stop();
    }
  });
});

describe("faults", () => {
  it("a create whose answer is lost makes exactly one project", async () => {
    double.inject({ kind: "lost" }, { operation: "v1-create-a-project" });
    const created = await direct.project.create(projectInputs("lost-answer"));
    expect(double.projectNamed("lost-answer").map((p) => p.ref)).toEqual([created.id]);
  });

  it("a create that failed with 500 is looked up, then made once", async () => {
    double.inject({ kind: "500" }, { operation: "v1-create-a-project" });
    const created = await direct.project.create(projectInputs("failed-once"));
    expect(double.projectNamed("failed-once").map((p) => p.ref)).toEqual([created.id]);
  });

  it("finds a project of that name instead of making a second one", async () => {
    const first = await direct.project.create(projectInputs("existing"));
    const again = await direct.project.create(projectInputs("existing"));
    expect(again.id).toBe(first.id);
    expect(double.projectNamed("existing")).toHaveLength(1);
  });

  it("retries 429 honouring Retry-After, 500 and dropped connections on reads", async () => {
    double.inject({ kind: "429", retryAfter: "0" }, { operation: "v1-get-project" });
    double.inject({ kind: "500" }, { operation: "v1-get-project" });
    double.inject({ kind: "drop" }, { operation: "v1-get-pooler-config" });
    const created = await direct.project.create(projectInputs("flaky"));
    expect(double.projects.get(created.id)?.status).toBe("ACTIVE_HEALTHY");
  });

  it("fails clearly when a new project ends in INIT_FAILED", async () => {
    double.nextFinalStatus = "INIT_FAILED";
    await expect(direct.project.create(projectInputs("broken"))).rejects.toThrow(
      'Supabase create of project "broken" failed: the project reached INIT_FAILED. Check it in the Supabase dashboard, delete it if it is broken, and run \'pulumi up\' again.',
    );
  });

  it("stops polling at the time bound", async () => {
    double.pollsUntilReady = 1_000_000;
    process.env.PLATFORM_SUPABASE_TIMEOUT_MS = "200";
    try {
      await expect(direct.project.create(projectInputs("slow"))).rejects.toThrow(/Supabase create of project "slow" timed out after 0 s; the project is still COMING_UP/);
    } finally {
      delete process.env.PLATFORM_SUPABASE_TIMEOUT_MS;
    }
  });

  it("names the resource and operation when the API refuses, without the token", async () => {
    const attempt = direct.settings.update("x", { ref: "abcdefghijklmnopqrst", project: "ghost" }, { ref: "abcdefghijklmnopqrst", project: "ghost", sslEnforcement: true });
    await expect(attempt).rejects.toThrow('Supabase update of settings of project "ghost" failed: HTTP 404: Project not found');
    await attempt.catch((err: Error) => expect(err.message).not.toContain(double.token));
  });

  it("gives up on a persistent 5xx after a bounded number of attempts", async () => {
    const created = await direct.project.create(projectInputs("down"));
    double.inject({ kind: "500" }, { operation: "v1-update-ssl-enforcement-config", times: 100 });
    await expect(direct.settings.create({ ref: created.id, project: "down", sslEnforcement: true })).rejects.toThrow(
      /^Supabase create of settings of project "down" failed after 5 attempts: HTTP 500: Internal server error\.$/,
    );
  });

  it("deletes a project that is already gone", async () => {
    await expect(direct.project.delete("abcdefghijklmnopqrst", { name: "gone" })).resolves.toBeUndefined();
    await expect(direct.branch.delete("00000000-0000-0000-0000-000000000000", { name: "gone" })).resolves.toBeUndefined();
  });

  it("refuses a branch whose parent project does not exist", async () => {
    await expect(direct.branch.create({ parentProject: "nothing-staging", organization: "acme", name: "pr-1", gitBranch: "x", computeSize: "micro" })).rejects.toThrow(
      'its parent project "nothing-staging" does not exist in organization "acme"; deploy that stack first.',
    );
  });

  it("needs a token", async () => {
    delete process.env.SUPABASE_ACCESS_TOKEN;
    await expect(direct.project.create(projectInputs("no-token"))).rejects.toThrow("needs a Management API token: set SUPABASE_ACCESS_TOKEN");
  });
});

describe("pure helpers", () => {
  it("build the pooler URL with TLS required, the password encoded", () => {
    expect(databaseUrl({ user: "postgres.abc", password: "p@ss/word", host: "pooler.example.com", port: 6543, database: "postgres" })).toBe(
      "postgresql://postgres.abc:p%40ss%2Fword@pooler.example.com:6543/postgres?sslmode=require",
    );
    expect(PASSWORD.length).toBeGreaterThanOrEqual(32);
  });
  it("split CIDRs by family, and open everything when none are given", () => {
    expect(networkRestrictionsFor([])).toEqual({ v4: ["0.0.0.0/0"], v6: ["::/0"] });
    expect(networkRestrictionsFor(["10.0.0.0/8", "2001:db8::/32"])).toEqual({ v4: ["10.0.0.0/8"], v6: ["2001:db8::/32"] });
  });
  it("create extensions in the extensions schema", () => {
    expect(extensionsSql(["vector", "pg_trgm"])).toBe('create extension if not exists "vector" with schema extensions;\ncreate extension if not exists "pg_trgm" with schema extensions;');
  });
});
