// Every document the providers and the generated deploy job send is valid against Railway's published schema, and the double
// refuses what the schema does not define.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { deployJobGql, gql } from "../../components/railway/documents";
import { railwaySchema } from "./double";
import { railwayDoubleForFile } from "./file-double";

describe("Railway GraphQL documents", () => {
  it.each([...Object.entries(gql), ...Object.entries(deployJobGql).map(([name, document]) => [`deploy job: ${name}`, document] as const)])(
    "%s is valid against the schema",
    (_name, document) => {
      expect(validate(railwaySchema(), parse(document)).map((e) => e.message)).toEqual([]);
    },
  );
});

describe("the double", () => {
  const double = railwayDoubleForFile();

  async function post(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(double.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${double.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> } };
  }

  it("refuses a field the schema does not define", async () => {
    const r = await post('mutation { projectCreate(input: { name: "x", color: "red" }) { id } }');
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/Field "color" is not defined by type "ProjectCreateInput"/);
  });

  it("refuses an operation the schema does not define", async () => {
    const r = await post('mutation { projectTeleport(id: "p") }');
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/Cannot query field "projectTeleport"/);
  });

  it("refuses variables that do not coerce to their declared types", async () => {
    const r = await post(gql.SERVICE_INSTANCE_WRITE, {
      serviceId: "s",
      environmentId: "e",
      input: {},
      limits: { serviceId: "s", environmentId: "e", vCPUs: "lots" },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/got invalid value "lots" at "limits.vCPUs"; Float cannot represent non numeric value/);
    const missing = await post(gql.PROJECT, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.message).toMatch(/Variable "\$id" of required type "String!" was not provided/);
  });

  it("answers a valid request and keeps what it created", async () => {
    const created = await post(gql.PROJECT_CREATE, { input: { name: "kept" } });
    expect(created.status).toBe(200);
    const id = (created.body.data as { projectCreate: { id: string } }).projectCreate.id;
    const read = await post(gql.PROJECT, { id });
    expect(read.body.data).toEqual({ project: { id, name: "kept", prDeploys: false, baseEnvironmentId: null, workspaceId: double.personalWorkspace } });
    expect(double.rejected.length).toBe(4);
  });
});
