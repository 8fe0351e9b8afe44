// From what runs to config, for `npm run import`: pure functions of what was read (./read-*.ts),
// so tests look at each rule. The services and Redis map in ./map-railway.ts; here the stack is
// assembled, with its Supabase project, the checks its ruleset requires when GitHub says none, and
// the keys nothing read can fill.
import { ANYWHERE } from "../../components/supabase/kinds/network";
import { ciCheckNames, ciModel } from "../../components/github/repository";
import { ADOPTED_DB_PASSWORD, parsePlatformConfig } from "../../config";
import type { Tier } from "../../config/catalog";
import { TOP_LEVEL_DEFAULTS } from "../../config/defaults";
import { UserError } from "../../config/errors";
import { isRedis, mapRedis, mapService, serviceKey, where, type Mapping, type Unexpressed } from "./map-railway";
import type { LiveRailway, LiveService } from "./read-railway";
import type { LiveSupabase } from "./read-supabase";

export { redisSettings, serviceKey, type Unexpressed } from "./map-railway";

type Props = Record<string, any>;

export interface Imported {
  readonly config: Props;
  readonly secrets: string[];
  readonly report: Unexpressed[];
  readonly notes: string[];
}

/** The stack's config from what runs: pure, so tests can look at each rule. */
export function toConfig(live: LiveRailway, db: LiveSupabase | undefined, o: { tier: Tier; github?: string }): Imported {
  const report: Unexpressed[] = [];
  const notes: string[] = [];
  const secretValues = new Map<string, { value: string; where: string }>();
  const adoptServices: Record<string, string> = {};
  const services: Record<string, Props> = {};
  let redis: Props | undefined;
  const production = o.tier === "production";

  const redisServices = live.services.filter(isRedis);
  const redisService = redisServices[0];
  for (const extra of redisServices.slice(1))
    report.push({ where: where(extra), what: "a second Redis: platform:redis declares one. It is left out of the stack (and not managed)." });

  const secret = (s: LiveService, name: string, value: string): boolean => {
    const seen = secretValues.get(name);
    if (seen && seen.value !== value) {
      report.push({
        where: where(s, `variable ${name}`),
        what: `holds a different value than ${seen.where}'s ${name}; platform:secrets holds one value per name. Rename one of them in Railway first.`,
      });
      return false;
    }
    if (!seen) secretValues.set(name, { value, where: where(s) });
    return true;
  };
  const mapping: Mapping = { report, notes, secret };

  // Every service's branch: the stack's deploy branch when they agree.
  const repoServices = live.services.filter((s) => s !== redisService && s.instance.source?.repo);
  const branches = [...new Set(repoServices.flatMap((s) => s.triggers.map((t) => t.branch)))];
  const repository = o.github ?? repoServices[0]?.instance.source?.repo;
  if (!repository) throw new UserError("No service deploys from a GitHub repository, so the stack's repository is unknown: give it with --github owner/name.");
  const [owner, repo] = repository.split("/");
  const branch = branches.length === 1 ? branches[0]! : String((TOP_LEVEL_DEFAULTS[o.tier].github as { branch: string }).branch);

  for (const s of live.services.filter((x) => !redisServices.includes(x))) {
    const key = serviceKey(s.name);
    services[key] = mapService(s, mapping, { branch, production, redis: redisService !== undefined, db });
    adoptServices[key] = s.id;
  }

  if (redisService) {
    redis = mapRedis(redisService, mapping, o.tier);
    adoptServices.redis = redisService.id;
  }

  const config: Props = {
    "platform:tier": o.tier,
    "platform:budget": { monthlyUsd: 1 },
    "platform:github": { owner, repository: repo, branch },
    "platform:railway": { project: live.project.name, environment: live.environment.name, ...(production ? { plan: "pro" } : {}) },
    "platform:services": services,
  };
  if (redis) config["platform:redis"] = redis;
  if (db) {
    const open = db.cidrs.length === 0 || db.cidrs.every((c) => ANYWHERE.includes(c));
    config["platform:supabase"] = {
      project: db.name,
      organization: db.organization,
      region: db.region,
      computeSize: db.computeSize,
      pitrDays: db.pitrDays,
      sslEnforcement: db.sslEnforcement,
      restrictToServices: false,
      allowedCidrs: open ? [] : [...db.cidrs].sort(),
      ...(db.pooler ? { pooler: { mode: db.pooler.mode, poolSize: db.pooler.poolSize ?? 15 } } : {}),
      extensions: db.extensions,
    };
    if (!db.pooler)
      report.push({ where: `Supabase project ${db.ref}, pooler`, what: "has no pooler configuration yet; the stack takes the tier's default pool." });
    else if (db.pooler.poolSize === null)
      report.push({
        where: `Supabase project ${db.ref}, pool size`,
        what: "is Supabase's default (not stored); the stack states 15, which the first `pulumi up` writes.",
      });
  }
  const secretNames = [...secretValues.keys(), ...(db ? [ADOPTED_DB_PASSWORD] : [])].sort();
  config["platform:secrets"] = Object.fromEntries(secretNames.map((n) => [n, { supplied: true }]));
  config["platform:adopt"] = {
    railway: { project: live.project.id, environment: live.environment.id, services: adoptServices },
    ...(db ? { supabase: { project: db.ref } } : {}),
  };
  notes.push(
    "Railway does not read back a service's region or per-region replicas: each service keeps the region it runs in, and platform:railway.region only places services the stack creates later. A service with replicas in several regions needs services.<name>.regions added by hand.",
  );
  return { config, secrets: secretNames, report, notes };
}

/**
 * No ruleset of the repository's to carry over (GitHub not read, or none on the branch): the
 * ruleset requires the checks of the CI workflow the program generates for this stack (its own
 * function of the config), and a note says to change them to the repository's.
 */
export function requireGeneratedChecks(imported: Imported, stack: string, githubRead: boolean): void {
  const raw = Object.fromEntries(Object.entries(imported.config).map(([k, v]) => [k.slice("platform:".length), structuredClone(v)]));
  const parsed = parsePlatformConfig(raw, { project: "platform", stack, secretKeys: new Set(), dryRun: true });
  const checks = ciCheckNames(ciModel(parsed, [parsed.github.branch]));
  imported.config["platform:github"].requiredChecks = checks;
  imported.notes.push(
    githubRead
      ? `No ruleset of the repository's protects the branch: platform:github.requiredChecks lists the checks of the CI workflow the program generates (${checks.join(", ")}); if your repository's CI reports other checks, list those.`
      : `GitHub is not read (no GitHub credential given): platform:github.requiredChecks lists the checks of the CI workflow the program generates (${checks.join(", ")}); if your repository's CI reports other checks, list those, and add reviewers, secrets and variables under platform:github.`,
  );
}

/** A key the tier requires whose value no running setting holds. */
interface Unfillable {
  readonly key: string;
  /** What to write, and where. */
  readonly fill: string;
  standIn(config: Props): void;
  remove(config: Props): void;
}

/**
 * The keys a tier requires that the import cannot read from what runs. Staging and production
 * name the GitHub App that runs `pulumi up` (GitHub is not read).
 */
export function unfillable(tier: Tier, stack: string, appKnown = false): Unfillable[] {
  if ((tier !== "production" && tier !== "staging") || appKnown) return [];
  return [
    {
      key: "platform:github.app",
      fill:
        `${tier} runs \`pulumi up\` as a GitHub App (it commits the workflow files past the branch's ruleset), and nothing read says which (an import that runs as the App, with GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE, writes it). ` +
        `Add under platform:github in Pulumi.${stack}.yaml: app: { id: <the App ID, on the App's settings page>, installationId: <the id at the end of the installation's settings URL> }. Until then the plan refuses this key.`,
      standIn: (config) => (config["platform:github"].app = { id: 1, installationId: 1 }),
      remove: (config) => delete config["platform:github"].app,
    },
  ];
}
