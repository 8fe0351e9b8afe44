// Shared test fixtures: the shipped stack files read the way the plan reads them, and parsing
// with a chosen context.
import * as path from "node:path";
import { parsePlatformConfig, rawPlatformConfig, type ParseContext, type PlatformConfig } from "../config";
import { readStackFile } from "../plan/stacks";

export const ROOT = path.resolve(__dirname, "..");
/** The published API contracts the doubles hold requests to (PLATFORM_CONTRACTS_DIR overrides where they are). */
export const CONTRACTS = process.env.PLATFORM_CONTRACTS_DIR ? path.resolve(process.env.PLATFORM_CONTRACTS_DIR) : path.resolve(ROOT, "../shared/contracts");
export const SHIPPED_STACKS = ["dev", "staging", "production"] as const;
export const STAND_IN = "test-stand-in-for-a-secure-value";

/** A stack file's raw `platform:*` config, as index.ts receives it. */
export function stackRaw(stack: string, dir = ROOT): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  const file = readStackFile(path.join(dir, `Pulumi.${stack}.yaml`), "platform", STAND_IN);
  return rawPlatformConfig(file.config, (key) => file.secretKeys.includes(key));
}

export function parse(raw: Record<string, unknown>, ctx: Partial<ParseContext> & { stack: string }): PlatformConfig {
  return parsePlatformConfig(raw, { project: "platform", secretKeys: new Set(), dryRun: true, ...ctx });
}

/** Deep copy of a JSON-like value, for mutating fixtures. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
