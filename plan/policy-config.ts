// Which policy config a stack is held to, and whether that file is one the pack can take.
// `policies/config/<stack>.json` when it exists, else the stack's tier's (`<tier>.json`); a stack
// with neither is refused. A stack's own file is held to its tier's file, which must then exist,
// and may not make any policy weaker than it does: a production-tier stack cannot relax itself by
// taking the name of a laxer stack.
// Every file is held to the pack: known policies, known levels, settings of the right type.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { tierFromStackName } from "../config/defaults";
import { closest } from "../config/errors";
import type { PolicyPackConfig } from "../policies/evaluate";
import type { PlatformPolicy } from "../policies/policy";
import { UserError } from "../config/errors";

export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type Level = (typeof LEVELS)[number];

/** How much a level holds a stack to: disabled < advisory < mandatory (remediate reports as mandatory). */
const STRENGTH: Record<Level, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

export interface ResolvedPolicyConfig {
  /** The file used, relative to the project directory. */
  readonly file: string;
  readonly config: PolicyPackConfig;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<PlatformPolicy, ReturnType<typeof ajv.compile>>();

function validatorFor(policy: PlatformPolicy) {
  let validate = validators.get(policy);
  if (!validate) {
    validate = ajv.compile({ type: "object", ...(policy.configSchema ?? {}) });
    validators.set(policy, validate);
  }
  return validate;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads and checks one policy config file against the pack; throws a UserError listing every problem. */
export function readPolicyConfig(file: string, label: string, policies: readonly PlatformPolicy[]): PolicyPackConfig {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError([`${label}: not valid JSON (${(err as Error).message}).`]);
  }
  if (!isObject(value)) throw new UserError([`${label}: must be a JSON object of policy names to levels or settings.`]);
  const problems: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  const levelProblem = (key: string, level: unknown): void => {
    if (!LEVELS.includes(level as Level)) {
      const guess = typeof level === "string" ? closest(level, LEVELS) : undefined;
      problems.push(
        `${label}: '${key}' has enforcement level ${JSON.stringify(level)}; use one of ${LEVELS.join(", ")}.${guess ? ` Did you mean '${guess}'?` : ""}`,
      );
    }
  };
  for (const [key, entry] of Object.entries(value)) {
    if (key === "all") {
      levelProblem(key, entry);
      continue;
    }
    const policy = byName.get(key);
    if (!policy) {
      const guess = closest(key, [...byName.keys()]);
      problems.push(`${label}: '${key}' is not a policy of the pack.${guess ? ` Did you mean '${guess}'?` : ""}`);
      continue;
    }
    if (typeof entry === "string") {
      levelProblem(key, entry);
      continue;
    }
    if (!isObject(entry)) {
      problems.push(`${label}: '${key}' must be an enforcement level or an object of { enforcementLevel, ...settings }.`);
      continue;
    }
    const { enforcementLevel, ...settings } = entry;
    if (enforcementLevel !== undefined) levelProblem(key, enforcementLevel);
    const validate = validatorFor(policy);
    if (!validate(settings)) {
      for (const e of validate.errors ?? []) {
        const where =
          e.keyword === "additionalProperties" ? `.${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath.replace(/\//g, ".");
        const allowed = Object.keys((policy.configSchema?.properties ?? {}) as object);
        const hint = e.keyword === "additionalProperties" ? ` Settings of this policy: ${allowed.join(", ") || "none"}.` : "";
        problems.push(`${label}: '${key}${where}' ${e.message ?? "is invalid"}.${hint}`);
      }
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return value as PolicyPackConfig;
}

/** The level a config gives a policy: its own entry's, else `all`'s, else the pack's default. */
export function levelOf(config: PolicyPackConfig, policy: PlatformPolicy): Level {
  const entry = config[policy.name];
  const own = typeof entry === "string" ? entry : entry?.enforcementLevel;
  return (own ?? (typeof config.all === "string" ? config.all : undefined) ?? policy.enforcementLevel ?? "advisory") as Level;
}

/**
 * The policy config for a stack of project directory `dir`: `<stack>.json` if present, else
 * `<tier>.json`. Throws a UserError when there is neither, when a file does not fit the pack,
 * or when the stack's file is weaker than its tier's for any policy.
 */
export function policyConfigFor(dir: string, stack: string, tier: string, policies: readonly PlatformPolicy[]): ResolvedPolicyConfig {
  const relative = (name: string) => path.join("policies", "config", `${name}.json`);
  const stackFile = relative(stack);
  const tierFile = relative(tier);
  const hasStack = existsSync(path.join(dir, stackFile));
  const hasTier = existsSync(path.join(dir, tierFile));
  if (!hasStack && !hasTier) {
    const add = stackFile === tierFile ? tierFile : `${stackFile} or ${tierFile}`;
    throw new UserError([`Stack '${stack}' (tier ${tier}) has no policy config: add ${add}. A stack is never planned without one.`]);
  }
  const chosen = hasStack ? stackFile : tierFile;
  const config = readPolicyConfig(path.join(dir, chosen), chosen, policies);
  if (hasStack && !hasTier) {
    // Without its tier's file there is nothing to hold the stack's own file to.
    throw new UserError([`${stackFile}: stack '${stack}' is ${tier} tier, but there is no ${tierFile} to check its file against; add it.`]);
  }
  if (hasStack && stackFile !== tierFile) {
    const base = readPolicyConfig(path.join(dir, tierFile), tierFile, policies);
    const weaker = policies.filter((p) => STRENGTH[levelOf(config, p)] < STRENGTH[levelOf(base, p)]);
    if (weaker.length > 0) {
      throw new UserError(
        weaker.map(
          (p) =>
            `${stackFile}: '${p.name}' is ${levelOf(config, p)} there, but stack '${stack}' is ${tier} tier, where ${tierFile} makes it ${levelOf(base, p)}. A stack's file may tighten its tier's policies, never relax them.`,
        ),
      );
    }
  }
  return { file: chosen, config };
}

/**
 * Every policy's level and settings for a stack as the CLI names it to the pack (its name and its
 * config, `platform:tier` included), resolved as the offline plan resolves them; `all` spelled out.
 * A stack whose tier is neither declared nor implied by its name is held to production's.
 */
export function stackPolicyConfig(
  dir: string,
  stack: string,
  config: ReadonlyMap<string, string>,
  policies: readonly PlatformPolicy[],
): Record<string, { enforcementLevel: Level } & Record<string, unknown>> {
  const declared = config.get("platform:tier");
  const tier = declared !== undefined && declared !== "" ? declared.replace(/^"|"$/g, "") : (tierFromStackName(stack) ?? "production");
  const resolved = policyConfigFor(dir, stack, tier, policies).config;
  const out: Record<string, { enforcementLevel: Level } & Record<string, unknown>> = {};
  for (const policy of policies) {
    const entry = resolved[policy.name];
    const settings = typeof entry === "object" && entry !== null ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "enforcementLevel")) : {};
    out[policy.name] = { enforcementLevel: levelOf(resolved, policy), ...settings };
  }
  return out;
}
