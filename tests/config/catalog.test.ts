// The copied Supabase lists must stay equal to the published spec they were taken from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import catalog from "../../config/supabase-catalog.json";
import { contractFile } from "../helpers";

describe("Supabase catalog", () => {
  it("matches the Management API spec's region codes and compute sizes", () => {
    const spec = JSON.parse(readFileSync(contractFile("supabase/openapi.json"), "utf8"));
    const body = spec.components.schemas.V1CreateProjectBody.properties;
    const specific = body.region_selection.oneOf.find((o: { properties: { type: { enum: string[] } } }) => o.properties.type.enum[0] === "specific");
    expect(catalog.regions).toEqual(specific.properties.code.enum);
    expect(catalog.computeSizes).toEqual(body.desired_instance_size.enum);
  });
});
