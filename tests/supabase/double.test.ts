// The Supabase double holds requests to the published spec: what the spec does not define is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SupabaseDouble } from "./double";

let double: SupabaseDouble;
beforeAll(async () => {
  double = new SupabaseDouble();
  await double.start();
});
afterAll(async () => {
  await double.stop();
});

async function send(method: string, path: string, body?: unknown, token = double.token) {
  const response = await fetch(`${double.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const valid = { name: "shop", organization_slug: "acme", db_pass: "x".repeat(40), region_selection: { type: "specific", code: "us-east-1" }, desired_instance_size: "micro" };

describe("the Supabase double", () => {
  it("accepts a request the spec defines and answers with a spec-shaped body", async () => {
    const created = await send("POST", "/v1/projects", valid);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "shop", organization_slug: "acme", status: "COMING_UP" });
    expect(created.body.ref).toMatch(/^[a-z]{20}$/);
    expect(double.badResponses).toEqual([]);
  });

  it("refuses a body field the spec does not define", async () => {
    const r = await send("POST", "/v1/projects", { ...valid, plan_tier: "gold" });
    expect(r.status).toBe(400);
    expect(JSON.stringify(double.rejected.at(-1)?.errors)).toContain("plan_tier");
  });

  it("refuses a value outside the spec's enum", async () => {
    const r = await send("POST", "/v1/projects", { ...valid, region_selection: { type: "specific", code: "mars-1" } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(double.rejected.at(-1)?.errors)).toContain("allowedValues");
  });

  it("refuses a path, a method and a query parameter the spec does not define", async () => {
    expect((await send("GET", "/v1/projects/abcdefghijklmnopqrst/teleport")).status).toBe(404);
    expect((await send("PUT", "/v1/projects")).status).toBe(405);
    expect((await send("GET", "/v1/organizations/acme/projects?colour=red")).status).toBe(400);
    expect(double.rejected.length).toBe(5);
  });

  it("refuses a request without the token", async () => {
    expect((await send("GET", "/v1/organizations/acme/projects", undefined, "wrong")).status).toBe(401);
  });
});
