// The providers as `pulumi up` ships them: the program runs in plain Node (CommonJS through a
// transpile-only loader, not the test runner's transform), each dynamic resource's `__provider`
// text is taken from what it registers, and a host in plain Node loads that text the way Pulumi's
// dynamic-provider host does and runs the lifecycle against the API double.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpProviders, startHost, type Host } from "../doubles/host";
import { RailwayDouble } from "./double";
import { KINDS, TYPE_OF, fullLifecycle, type Kind, type ProviderLike, type Providers } from "./lifecycle";

let double: RailwayDouble;
let host: Host;
let sources: Record<string, string>;

const RAILWAY_KIND: Record<Kind, string> = {
  project: "project",
  environment: "environment",
  service: "service",
  serviceInstance: "service-instance",
  variables: "variables",
  customDomain: "custom-domain",
  serviceDomain: "service-domain",
  volume: "volume",
};

/** A kind's provider in the host: the resource's props carry its `kind`, as the program sets it. */
function remote(kind: Kind): ProviderLike {
  const tag = (props: unknown) => ({ ...(props as object), kind: RAILWAY_KIND[kind] });
  const run = (method: string, args: unknown[]) => host.call(kind, method, args);
  return {
    check: (olds, news) => run("check", [olds, tag(news)]),
    diff: (id, olds, news) => run("diff", [id, tag(olds), tag(news)]),
    create: (inputs) => run("create", [tag(inputs)]),
    read: (id, props) => run("read", [id, tag(props)]),
    update: (id, olds, news) => run("update", [id, tag(olds), tag(news)]),
    delete: (id, props) => run("delete", [id, tag(props)]),
  };
}

beforeAll(async () => {
  double = new RailwayDouble();
  await double.start();
  sources = await dumpProviders("production");
  // The host gets the double's address and token the way a real run gets Railway's: environment.
  host = startHost(double.env());
  for (const kind of KINDS) await host.load(kind, sources[TYPE_OF[kind]]!);
});

afterAll(async () => {
  host?.stop();
  await double?.stop();
});

describe("serialized providers", () => {
  it("are one provider for every kind, as module text that needs no TypeScript", () => {
    expect(new Set(KINDS.map((kind) => sources[TYPE_OF[kind]])).size).toBe(1);
    for (const kind of KINDS) {
      const text = sources[TYPE_OF[kind]]!;
      expect(text).toMatch(/^exports\.handler = /);
      expect(text).not.toMatch(/__vite_ssr_import|\.ts["']\)/);
      // Credentials are read when a method runs, never captured into the text.
      expect(text).toContain("process.env.RAILWAY_TOKEN");
    }
  });

  it("run every kind's lifecycle against the double", async () => {
    const providers = Object.fromEntries(KINDS.map((k) => [k, remote(k)])) as Providers;
    await fullLifecycle(double, providers);
  });

  it("survive a lost create response without duplicating", async () => {
    double.inject({ kind: "lost" }, { operation: "projectCreate" });
    const created = await remote("project").create({ name: "lost-in-transit" });
    expect([...double.projects.values()].filter((p) => p.name === "lost-in-transit").map((p) => p.id)).toEqual([created.id]);
  });

  it("report API errors by resource and operation", async () => {
    await expect(remote("environment").delete("env-missing", { name: "ghost" })).resolves.toBeNull();
    await expect(remote("variables").create({ projectId: "p", environmentId: "e", serviceId: "s", name: "api", variables: {} })).rejects.toThrow(
      'Railway create of variables of service "api" failed: ServiceInstance not found',
    );
  });
});
