// The Pulumi program: reads this stack's `platform:*` config once, validates it into one typed
// object, and hands it to the Platform component. Nothing else in the program reads config.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform";
import { parsePlatformConfig } from "./config";

const PREFIX = "platform:";

// `isConfigSecret` is the SDK's own test for a key that holds a `secure:` value; it is not in its
// typings, and a structured key is secret as a whole when any leaf of it is.
const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

function readRawConfig(): { raw: Record<string, unknown>; secretKeys: Set<string> } {
  const config = new pulumi.Config("platform");
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(PREFIX)) continue;
    const key = fullKey.slice(PREFIX.length);
    const text = config.get(key) ?? "";
    try {
      raw[key] = JSON.parse(text);
    } catch {
      raw[key] = text;
    }
    if (runtime.isConfigSecret?.(fullKey)) secretKeys.add(key);
  }
  return { raw, secretKeys };
}

const { raw, secretKeys } = readRawConfig();
const config = parsePlatformConfig(raw, {
  project: pulumi.getProject(),
  stack: pulumi.getStack(),
  secretKeys,
  dryRun: pulumi.runtime.isDryRun(),
  warn: (message) => void pulumi.log.warn(message),
});

const platform = new Platform("platform", config);

export const tier = config.tier;
export const budgetUsd = config.budget.monthlyUsd;
export const secretNames = platform.secrets.names;
