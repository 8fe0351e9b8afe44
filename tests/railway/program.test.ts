// The program under Pulumi's mock runtime, per shipped stack: the Railway resources it declares
// and their inputs.
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource, StackRun } from "../../plan/run";
import { SHIPPED_STACKS, shippedRun } from "../helpers";

const runs = new Map<string, StackRun>();

beforeAll(async () => {
  for (const stack of SHIPPED_STACKS) runs.set(stack, await shippedRun(stack));
});

function one(stack: string, type: string, name: string): PlannedResource {
  const found = runs.get(stack)!.resources.filter((r) => r.type === `platform:railway:${type.split(":")[1]}` && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0]!;
}

describe.each(SHIPPED_STACKS)("Railway resources, stack %s", (stack) => {
  it("share the project (never deleted by a stack) and own one environment", () => {
    const project = one(stack, "project:Project", "platform-railway-project");
    expect(project.inputs).toMatchObject({ name: "converge-nps" });
    expect(project.retainOnDelete).toBe(true);
    const environment = one(stack, "environment:Environment", "platform-railway-environment");
    expect(environment.inputs).toMatchObject({ name: stack, ephemeral: false, prBase: false });
    expect(environment.protect).toBe(stack === "production");
  });

  it("set up api and web with health checks and limits, deployed by the deploy workflow alone (no Railway trigger)", () => {
    for (const [service, root] of [
      ["api", "backend"],
      ["web", "frontend"],
    ] as const) {
      expect(one(stack, "service:Service", `platform-${service}-service`).inputs).toMatchObject({ name: service });
      const deployment = one(stack, "deployment:Deployment", `platform-${service}-deployment`).inputs;
      expect(deployment.repo).toBeUndefined();
      expect(deployment.image).toBeUndefined();
      // Connected to the repository, whose commits the deploy workflow deploys.
      expect(deployment.repository).toBe("converge-nps/converge-nps");
      const settings = one(stack, "service-instance:ServiceInstance", `platform-${service}-settings`).inputs;
      expect(settings).toMatchObject({
        rootDirectory: root,
        dockerfilePath: "Dockerfile",
        region: "us-west2",
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
      });
    }
    const api = one(stack, "service-instance:ServiceInstance", "platform-api-settings").inputs;
    expect(api).toMatchObject({ healthcheckPath: "/health", healthcheckTimeout: 60 });
    // The migration runs inside Railway, before the new deployment takes traffic.
    expect(api.preDeployCommand).toBe("npx prisma migrate deploy");
    expect(api.numReplicas).toBe(stack === "production" ? 2 : 1);
    expect([api.vcpu, api.memoryGb]).toEqual(stack === "dev" ? [1, 1] : [2, 2]);
  });

  it("give api its variables, its secrets as secrets, and the Redis URL", () => {
    const { variables, secrets } = one(stack, "variables:Variables", "platform-api-variables").inputs as Record<string, Record<string, string>>;
    expect(variables).toEqual({
      PORT: "3000",
      NODE_ENV: stack === "dev" ? "development" : stack,
      ...(stack === "production" ? { FRONTEND_URL: "https://converge-nps.com" } : {}),
    });
    // Generated, wired and supplied secrets alike (the supplied ones have no value yet, so they are
    // unknown): each shows as a secret, and only as one.
    for (const name of ["JWT_SECRET", "JWT_REFRESH_SECRET", "REDIS_URL", "SENDGRID_API_KEY", "SMARTSHEET_API_KEY", "SENTRY_DSN"])
      expect(secrets![name], name).toBe("[secret]");
    const web = one(stack, "variables:Variables", "platform-web-variables").inputs as Record<string, Record<string, string>>;
    expect([...Object.keys(web.variables!), ...Object.keys(web.secrets!)]).not.toContain("REDIS_URL");
  });

  it("run Redis from redis:8.2 with the seed's size, eviction and RDB+AOF, on the private network only", () => {
    const memory = stack === "production" ? 512 : 256;
    const settings = one(stack, "service-instance:ServiceInstance", "platform-redis-service-settings").inputs;
    expect(one(stack, "deployment:Deployment", "platform-redis-service-deployment").inputs.image).toBe("redis:8.2");
    expect(settings.startCommand).toContain(
      `--maxmemory ${memory}mb --maxmemory-policy allkeys-lru --save 3600 1 300 100 60 10000 --appendonly yes --appendfsync everysec`,
    );
    expect(settings.memoryGb).toBe((2 * memory) / 1024);
    const volume = one(stack, "volume:Volume", "platform-redis-service-volume");
    expect(volume.inputs.mountPath).toBe("/data");
    expect(volume.protect).toBe(stack === "production");
    const variables = one(stack, "variables:Variables", "platform-redis-service-variables").inputs;
    expect(variables.variables).toEqual({ REDISUSER: "default", REDISPORT: "6379" });
    expect(variables.secrets).toEqual({ REDIS_PASSWORD: "[secret]", REDIS_URL: "[secret]" });
    const redisDomains = runs.get(stack)!.resources.filter((r) => r.type.includes("domain") && r.name.startsWith("platform-redis"));
    expect(redisDomains).toEqual([]);
  });

  it("give the public services a Railway domain, and production its custom domains", () => {
    for (const service of ["api", "web"])
      expect(one(stack, "service-domain:ServiceDomain", `platform-${service}-railway-domain`).inputs.targetPort).toBe(service === "api" ? 3000 : 8080);
    const custom = runs
      .get(stack)!
      .resources.filter((r) => r.type === "platform:railway:CustomDomain")
      .map((r) => r.inputs.domain);
    expect(custom.sort()).toEqual(stack === "production" ? ["api.converge-nps.com", "converge-nps.com"] : []);
  });
});
