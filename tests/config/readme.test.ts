// README's config reference must state the defaults the code applies, tier by tier.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, parse } from "../helpers";

const TIERS = ["dev", "staging", "production", "preview"] as const;
const STACK_FOR_TIER = { dev: "dev", staging: "staging", production: "production", preview: "pr-1" } as const;

function resolved(tier: (typeof TIERS)[number]): Record<string, unknown> {
  const config = parse(
    {
      // Staging and production must name the App that runs them; the README says so rather than give a default.
      github: { owner: "acme", repository: "shop", ...(tier === "production" || tier === "staging" ? { app: { id: 1, installationId: 2 } } : {}) },
      services: { api: { source: { repo: "acme/shop" }, port: 8080, healthcheck: { path: "/health" } } },
      redis: {},
      supabase: { organization: "acme" },
      secrets: { KEY: { generate: {} } },
    },
    { stack: STACK_FOR_TIER[tier] },
  );
  const { services, secrets, ...rest } = config;
  // Defaults that depend on other keys, not on the tier alone.
  expect(config.railway.project).toBe("shop");
  expect(config.railway.environment).toBe(STACK_FOR_TIER[tier]);
  return {
    ...rest,
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    secrets: Object.fromEntries(secrets.map((s) => [s.name, s.kind === "generated" ? { generate: { bytes: s.bytes }, rotateDays: s.rotateDays } : {}])),
  };
}

function at(value: unknown, keyPath: string): unknown {
  return keyPath.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : JSON.stringify(value);
  if (typeof value === "object" && value !== null) return Object.keys(value).length === 0 ? "{}" : JSON.stringify(value);
  return String(value);
}

describe("README config reference", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const rows = readme
    .split("\n")
    .filter((l) => l.startsWith("| `platform:"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const configs = Object.fromEntries(TIERS.map((t) => [t, resolved(t)]));

  it("lists the keys", () => {
    expect(rows.length).toBeGreaterThan(40);
  });

  it("states each tier's default as the code applies it", () => {
    let compared = 0;
    for (const [keyCell, ...cells] of rows) {
      const key = keyCell!
        .replace(/`/g, "")
        .replace(/^platform:/, "")
        .replace("<name>", "api")
        .replace("<NAME>", "KEY");
      TIERS.forEach((tier, i) => {
        const documented = cells[i]!;
        if (documented === "—" || documented.startsWith("from ") || documented.startsWith("required")) return;
        if (key === "services" || key === "secrets") return; // the map itself, filled by the fixture
        expect(`${key} (${tier}): ${render(at(configs[tier], key))}`).toBe(`${key} (${tier}): ${documented}`);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(100);
  });
});
