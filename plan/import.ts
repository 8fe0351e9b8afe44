// `npm run import`: turns a Railway environment (and a Supabase project) that a team set up by hand
// into a stack file (with GitHub access, the repository's side of that environment too: see
// import-github.ts). It reads them through the providers' own clients, writes what the config can
// express, records the ids the stack takes over under `platform:adopt`, never writes a secret's
// value (secrets become `{ supplied: true }`, with the command that sets each), sets the budget to
// the plan's estimate rounded up, and ends with every setting it could not carry over.
// Exit 0: written, nothing left out; 4: written, and the report lists what was left out or will
// change on the first `pulumi up`; 2: bad arguments or an existing file; 3: an API failed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse as load, stringify } from "yaml";
import { ctx as railwayCtx, all, railway, type RequestContext } from "../components/railway/api";
import { gql } from "../components/railway/documents";
import { REDIS_IMAGE, REDIS_VARIABLES, redisContainerMemoryGb, redisContainerVcpu, redisStartCommand } from "../components/railway/redis";
import { supabase } from "../components/supabase/api";
import { databaseUrl, directUrl } from "../components/supabase/database";
import { connectionOf, type Connection } from "../components/supabase/kinds/connection";
import { ANYWHERE } from "../components/supabase/kinds/network";
import { ciCheckNames, ciModel } from "../components/github/repository";
import { ADOPTED_DB_PASSWORD, ADOPTED_REDIS_PASSWORD, parsePlatformConfig, looksSecret as secretLookingName } from "../config";
import { SUPABASE_DEFAULT_EXTENSIONS, WIRED_VARIABLES, type Tier } from "../config/catalog";
import { REDIS_DEFAULTS, TOP_LEVEL_DEFAULTS, tierFromStackName } from "../config/defaults";
import type { RedisConfig } from "../config/schema";
import { estimateCost } from "../policies/cost/model";
import { EXIT } from "./cli";
import { GithubReadError, githubAccessFrom, githubConfig, readGithub, type GithubAccess } from "./import-github";
import { policyResources, runStack } from "./run";

const USAGE = `Usage: npm run import -- --stack NAME --railway-project <name or id> --railway-environment <name> [--supabase-project <ref>] [--tier TIER] [--github owner/name] [--dir DIR] [--force]

  --stack NAME                the stack to write: DIR/Pulumi.NAME.yaml
  --railway-project P         the Railway project, by name or id
  --railway-environment E     the environment in it to take over
  --supabase-project REF      the Supabase project the environment uses (its ref, from the dashboard URL)
  --tier TIER                 dev, staging or production (default: from the environment's name)
  --github owner/name         the application's repository (default: the one the services deploy from)
  --dir DIR                   where to write (default: .)
  --force                     overwrite an existing stack file

Reads RAILWAY_API_TOKEN and SUPABASE_ACCESS_TOKEN (RAILWAY_API_URL and SUPABASE_API_URL override the endpoints).
With GitHub access as the provider takes it (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE
for the App that runs \`pulumi up\`, or GITHUB_TOKEN; GITHUB_BASE_URL overrides the endpoint), it also reads the
repository: the ruleset on the branch, the environment's reviewers, branch, secrets' names and variables.
Exit 0: written, nothing left out; 4: written, with settings it could not carry over (listed); 2: bad arguments; 3: an API failed.`;

/** The plan's exit codes where they mean the same, and 4: written, with a report. */
export const IMPORT_EXIT = { ok: EXIT.ok, config: EXIT.config, failure: EXIT.failure, reported: 4 } as const;

type Props = Record<string, any>;

/** A setting the stack cannot carry over, or that the first `pulumi up` changes, and where it lives. */
export interface Unexpressed {
  readonly where: string;
  readonly what: string;
}

interface LiveService {
  readonly id: string;
  readonly name: string;
  readonly instance: Props;
  readonly limits: { vCPUs?: number; memoryGB?: number } | null;
  readonly tcpProxies: Array<{ applicationPort: number; proxyPort: number; domain: string }>;
  readonly variables: Record<string, string>;
  readonly domains: { customDomains: Array<{ domain: string }>; serviceDomains: Array<{ domain: string; targetPort: number | null }> };
  readonly volume?: string;
  readonly triggers: Array<{ repository: string; branch: string; checkSuites: boolean }>;
}

interface LiveRailway {
  readonly project: { id: string; name: string; workspaceId: string };
  readonly environment: { id: string; name: string };
  readonly services: LiveService[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERENCE = /\$\{\{/;
/** A URL that carries a password (`scheme://user:password@host`): a secret whatever its name. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

class ImportError extends Error {
  readonly exit: number;
  constructor(message: string, exit: number) {
    super(message);
    this.exit = exit;
  }
}

// -- reading Railway -------------------------------------------------------------------------------

async function findProject(wanted: string, c: RequestContext): Promise<{ id: string; name: string; workspaceId: string }> {
  if (UUID.test(wanted)) {
    const p = (await railway<{ project: { id: string; name: string; workspaceId: string } }>(gql.PROJECT, { id: wanted }, c)).project;
    return p;
  }
  let workspaces: Array<string | null>;
  try {
    workspaces = (await railway<{ me: { workspaces: Array<{ id: string }> } }>(gql.ME_WORKSPACES, {}, c)).me.workspaces.map((w) => w.id);
  } catch (err) {
    // A workspace token has no user: it sees its own workspace.
    if (!/Not Authorized/.test((err as Error).message)) throw err;
    workspaces = [null];
  }
  const found: Array<{ id: string; name: string; workspaceId: string }> = [];
  for (const workspaceId of workspaces) {
    const projects = await all<{ id: string; name: string; workspaceId: string }, { projects: any }>(gql.PROJECTS, { workspaceId }, c, (d) => d.projects);
    found.push(...projects.filter((p) => p.name === wanted));
  }
  if (found.length === 0)
    throw new ImportError(
      `--railway-project ${JSON.stringify(wanted)}: the token sees no Railway project of that name. Give its name exactly, or its id (the dashboard URL's project/<id>).`,
      IMPORT_EXIT.config,
    );
  if (found.length > 1)
    throw new ImportError(
      `--railway-project ${JSON.stringify(wanted)}: the token sees ${found.length} projects of that name; give the id of the one to import (${found.map((p) => p.id).join(", ")}).`,
      IMPORT_EXIT.config,
    );
  return found[0]!;
}

async function readRailway(projectName: string, environmentName: string): Promise<LiveRailway> {
  const c = railwayCtx("project", projectName, "import");
  const project = await findProject(projectName, c);
  const environments = await all<{ id: string; name: string }, { environments: any }>(gql.ENVIRONMENTS, { projectId: project.id }, c, (d) => d.environments);
  const environment = environments.find((e) => e.name === environmentName);
  if (!environment) {
    throw new ImportError(
      `--railway-environment ${JSON.stringify(environmentName)}: project ${JSON.stringify(project.name)} has no such environment; it has ${environments.map((e) => JSON.stringify(e.name)).join(", ") || "none"}.`,
      IMPORT_EXIT.config,
    );
  }
  const instances = await all<{ serviceId: string; serviceName: string }, { environment: any }>(
    gql.ENVIRONMENT_SERVICES,
    { id: environment.id },
    c,
    (d) => d.environment.serviceInstances,
  );
  const volumes = await all<{ serviceId: string | null; mountPath: string }, { environment: any }>(
    gql.ENVIRONMENT_VOLUMES,
    { id: environment.id },
    c,
    (d) => d.environment.volumeInstances,
  );
  const services: LiveService[] = [];
  for (const { serviceId, serviceName } of instances) {
    const sc = railwayCtx("service", serviceName, "import");
    const ids = { projectId: project.id, environmentId: environment.id, serviceId };
    const data = await railway<{ serviceInstance: Props; serviceInstanceLimits: Props | null; tcpProxies: LiveService["tcpProxies"] }>(
      gql.IMPORT_SERVICE,
      { serviceId, environmentId: environment.id },
      sc,
    );
    const variables = (await railway<{ variables: Record<string, string> }>(gql.VARIABLES, ids, sc)).variables;
    const domains = (await railway<{ domains: LiveService["domains"] }>(gql.DOMAINS, ids, sc)).domains;
    const triggers = await all<LiveService["triggers"][number], { deploymentTriggers: any }>(gql.DEPLOYMENT_TRIGGERS, ids, sc, (d) => d.deploymentTriggers);
    const volume = volumes.find((v) => v.serviceId === serviceId)?.mountPath;
    services.push({
      id: serviceId,
      name: serviceName,
      instance: data.serviceInstance,
      limits: data.serviceInstanceLimits as LiveService["limits"],
      tcpProxies: data.tcpProxies,
      variables: Object.fromEntries(Object.entries(variables).filter(([k]) => !k.startsWith("RAILWAY_"))),
      domains,
      ...(volume ? { volume } : {}),
      triggers,
    });
  }
  return { project, environment, services };
}

// -- reading Supabase ------------------------------------------------------------------------------

interface LiveSupabase {
  readonly ref: string;
  readonly name: string;
  readonly organization: string;
  readonly region: string;
  readonly computeSize: string;
  readonly pitrDays: number;
  readonly sslEnforcement: boolean;
  readonly cidrs: string[];
  readonly pooler?: { mode: string; poolSize: number | null };
  readonly extensions: string[];
  /** What the program hands a service that uses it (but the password, which only the services hold). */
  readonly connection: Connection;
}

async function readSupabase(ref: string): Promise<LiveSupabase> {
  const c = { resource: `project ${JSON.stringify(ref)}`, operation: "import" };
  const project = await supabase.getProject(c, ref);
  const addons = await supabase.addons(c, ref);
  const plan = await supabase.organizationPlan(c, project.organization);
  const ssl = await supabase.sslEnforcement(c, ref);
  const network = await supabase.networkRestrictions(c, ref);
  const pooler = await supabase.pooler(c, ref);
  const extensions = await supabase.extensions(c, ref);
  const connection = await connectionOf(c, ref);
  return {
    connection,
    ref,
    name: project.name,
    organization: project.organization,
    region: project.region,
    // No compute add-on: the smallest size the organization allows.
    computeSize: addons.compute_instance ? addons.compute_instance.replace(/^ci_/, "") : plan === "free" ? "nano" : "micro",
    pitrDays: addons.pitr ? Number(addons.pitr.replace(/^pitr_/, "")) : 0,
    sslEnforcement: ssl.enforced,
    cidrs: [...network.v4, ...network.v6],
    ...(pooler ? { pooler: { mode: pooler.mode, poolSize: pooler.poolSize } } : {}),
    extensions: extensions.filter((e) => !(SUPABASE_DEFAULT_EXTENSIONS as readonly string[]).includes(e)),
  };
}

// -- from what runs to config ----------------------------------------------------------------------

/** A Railway service name as a config service name: lower case, digits and '-'. */
export function serviceKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  return key.length >= 2 ? key : `service-${key || "x"}`;
}

function isRedis(s: LiveService): boolean {
  const image = s.instance.source?.image ?? "";
  return (
    /(^|\/)redis(:|@|$)/.test(image) ||
    /\bredis-server\b/.test(s.instance.startCommand ?? "") ||
    ("REDISPORT" in s.variables && "REDIS_PASSWORD" in s.variables)
  );
}

/** The tokens of a shell command line, quotes removed (enough for a redis-server line). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** Memory, eviction and persistence from a redis-server command line (inside a `sh -c "…"` wrapper too). */
export function redisSettings(
  command: string | null | undefined,
  memoryLimitGb: number | undefined,
): { memoryMb?: number; evictionPolicy: string; persistence: string } {
  let words = shellWords(command ?? "");
  // `/bin/sh -c "… exec redis-server …"`: the server's flags are inside the quoted script.
  const script = words.findIndex((w) => /\bredis-server\b/.test(w) && w.includes(" "));
  if (script >= 0) words = shellWords(words[script]!);
  const at = words.findIndex((w) => w.endsWith("redis-server"));
  const flags = at >= 0 ? words.slice(at + 1) : [];
  const flag = (name: string): string[] | undefined => {
    const i = flags.lastIndexOf(`--${name}`);
    if (i < 0) return undefined;
    const values: string[] = [];
    for (let j = i + 1; j < flags.length && !flags[j]!.startsWith("--"); j++) values.push(flags[j]!);
    return values;
  };
  const memory = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(flag("maxmemory")?.[0] ?? "");
  const perUnit: Record<string, number> = { b: 1 / 1048576, kb: 1 / 1024, mb: 1, gb: 1024 };
  let memoryMb = memory ? Math.round(Number(memory[1]) * perUnit[(memory[2] ?? "b").toLowerCase()]!) : undefined;
  // Without maxmemory, half the container's memory (the program's own ratio).
  if (memoryMb === undefined && memoryLimitGb) memoryMb = Math.floor((memoryLimitGb * 1024) / 2);
  const save = flag("save");
  const rdb = save === undefined || !(save.length === 0 || (save.length === 1 && save[0] === ""));
  const aof = flag("appendonly")?.[0] === "yes";
  return {
    ...(memoryMb !== undefined && memoryMb >= 16 ? { memoryMb } : {}),
    evictionPolicy: flag("maxmemory-policy")?.[0] ?? "noeviction",
    persistence: rdb && aof ? "rdb+aof" : aof ? "aof" : rdb ? "rdb" : "none",
  };
}

/** The Supabase variables a service lacks or holds differently from what the program would wire (values compared, never shown). */
function wiredDifferences(variables: Record<string, string>, c: Connection): string[] {
  let password: string | undefined;
  for (const name of ["DATABASE_URL", "DIRECT_URL"]) {
    try {
      if (!password && variables[name]) password = decodeURIComponent(new URL(variables[name]!).password) || undefined;
    } catch {
      // Not a URL (a reference, say): compared as it is below.
    }
  }
  const parts = { user: c.poolerUser, password: password ?? "", host: c.poolerHost, port: c.poolerPort, database: c.databaseName };
  const wanted: Record<string, string | undefined> = {
    DATABASE_URL: password ? databaseUrl(parts) : undefined,
    DIRECT_URL: password ? directUrl(parts) : undefined,
    SUPABASE_URL: c.apiUrl,
    SUPABASE_PUBLISHABLE_KEY: c.publishableKey,
    SUPABASE_SECRET_KEY: c.secretKey,
  };
  return WIRED_VARIABLES.supabase.filter((name) => wanted[name] === undefined || variables[name] !== wanted[name]);
}

function looksSecret(name: string, value: string): boolean {
  return secretLookingName(name) || CREDENTIAL_URL.test(value);
}

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
  const where = (s: LiveService, what?: string) => `Railway service ${JSON.stringify(s.name)}${what ? `, ${what}` : ""}`;

  const redisServices = live.services.filter(isRedis);
  const redisService = redisServices[0];
  for (const extra of redisServices.slice(1))
    report.push({ where: where(extra), what: "a second Redis: platform:redis declares one. It is left out of the stack (and not managed)." });
  const wiredSupabase = new Set(db ? WIRED_VARIABLES.supabase : []);

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

  // Every service's branch: the stack's deploy branch when they agree.
  const repoServices = live.services.filter((s) => s !== redisService && s.instance.source?.repo);
  const branches = [...new Set(repoServices.flatMap((s) => s.triggers.map((t) => t.branch)))];
  const repository = o.github ?? repoServices[0]?.instance.source?.repo;
  if (!repository)
    throw new ImportError(
      "No service deploys from a GitHub repository, so the stack's repository is unknown: give it with --github owner/name.",
      IMPORT_EXIT.config,
    );
  const [owner, repo] = repository.split("/");
  const branch = branches.length === 1 ? branches[0]! : String((TOP_LEVEL_DEFAULTS[o.tier].github as { branch: string }).branch);

  for (const s of live.services.filter((x) => !redisServices.includes(x))) {
    const key = serviceKey(s.name);
    const i = s.instance;
    const service: Props = {};
    const source: Props = {};
    if (i.source?.repo) {
      source.repo = i.source.repo;
      const own = s.triggers[0]?.branch;
      if (own && own !== branch) source.branch = own;
      if (i.rootDirectory) source.rootDirectory = String(i.rootDirectory).replace(/^\/+/, "");
      if (i.dockerfilePath) source.dockerfile = i.dockerfilePath;
    } else if (i.source?.image) source.image = i.source.image;
    else
      report.push({
        where: where(s, "source"),
        what: "has no source (nothing deployed from a repository or an image); the stack declares it as an image service only once you give source.image.",
      });
    service.source = source;
    const variables: Record<string, string> = {};
    const secrets: string[] = [];
    const uses = new Set<string>();
    let port: number | undefined;
    for (const [name, value] of Object.entries(s.variables)) {
      if (name === "PORT" && /^\d+$/.test(value)) port = Number(value);
      else if (name === "REDIS_URL" && redisService) uses.add("redis");
      else if (wiredSupabase.has(name)) uses.add("supabase");
      else if (looksSecret(name, value)) {
        if (secret(s, name, value)) secrets.push(name);
      } else variables[name] = value;
      if (REFERENCE.test(value) && !(name === "REDIS_URL" && redisService) && !wiredSupabase.has(name)) {
        notes.push(
          `services.${key}.${looksSecret(name, value) ? "secrets" : "variables"}.${name} is a Railway reference variable; the stack ${looksSecret(name, value) ? "names it as a secret (set its value, the reference text works)" : "keeps its text, which Railway resolves as before"}.`,
        );
      }
    }
    const railwayDomain = s.domains.serviceDomains[0];
    if (port === undefined && railwayDomain?.targetPort) port = railwayDomain.targetPort;
    if (port === undefined) {
      port = 8080;
      report.push({
        where: where(s, "PORT"),
        what:
          "has no PORT variable and no domain port: the stack says port 8080, and the first `pulumi up` sets PORT=8080. Correct services." +
          key +
          ".port if the service listens elsewhere.",
      });
    } else if (!("PORT" in s.variables)) {
      report.push({ where: where(s, "PORT"), what: `is not set; the program sets PORT=${port} (the domain's port) on the first \`pulumi up\`.` });
    }
    service.port = port;
    if (db && uses.has("supabase")) {
      const differ = wiredDifferences(s.variables, db.connection);
      if (differ.length > 0) {
        report.push({
          where: where(s, `variables ${differ.join(", ")}`),
          what: "are set by the program from the Supabase project (uses: [supabase]: the pooler URL with sslmode=require, the direct URL, the API URL and keys); the first `pulumi up` writes these, missing or different now.",
        });
      }
    }
    if (i.startCommand) service.startCommand = i.startCommand;
    const preDeploy = Array.isArray(i.preDeployCommand) ? i.preDeployCommand.join(" && ") : i.preDeployCommand;
    if (preDeploy) service.preDeployCommand = preDeploy;
    if (i.healthcheckPath) {
      service.healthcheck = { path: i.healthcheckPath, timeoutSeconds: i.healthcheckTimeout ?? 300 };
      if (i.healthcheckTimeout == null)
        report.push({
          where: where(s, "health check timeout"),
          what: "is Railway's default (300 s, not stored); the stack states 300, which the first `pulumi up` writes.",
        });
    }
    service.restart = { policy: i.restartPolicyType ?? "ON_FAILURE", maxRetries: i.restartPolicyMaxRetries ?? 10 };
    // Railway reads neither a service's region nor its per-region replicas back: the count it reads is the stack's.
    service.replicas = i.numReplicas ?? 1;
    if (s.limits && typeof s.limits.vCPUs === "number" && typeof s.limits.memoryGB === "number")
      service.resources = { vcpu: s.limits.vCPUs, memoryGb: s.limits.memoryGB };
    else
      report.push({
        where: where(s, "resource limits"),
        what: "are not set (the plan's maximum per replica applies); the stack takes the tier's default limits, which the first `pulumi up` sets.",
      });
    const customDomains = s.domains.customDomains.map((d) => d.domain);
    if (customDomains.length > 0) service.domains = customDomains;
    if (!railwayDomain)
      report.push({
        where: where(s, "Railway domain"),
        what: "none: the program gives every service a *.up.railway.app domain, and the first `pulumi up` creates one.",
      });
    else if (railwayDomain.targetPort !== port)
      report.push({
        where: where(s, `domain ${railwayDomain.domain}`),
        what: `routes to port ${railwayDomain.targetPort ?? "(detected)"}; the first \`pulumi up\` points it at ${port}.`,
      });
    if (s.volume) service.volume = { mountPath: s.volume };
    if (Object.keys(variables).length > 0) service.variables = variables;
    if (secrets.length > 0) service.secrets = secrets;
    if (uses.size > 0) service.uses = [...uses].sort();
    if (i.source?.repo) {
      const trigger = s.triggers[0];
      if (trigger && !production) {
        service.autoDeploy = true;
        if (!trigger.checkSuites)
          report.push({
            where: where(s, `deploy trigger on ${trigger.branch}`),
            what: "deploys each push without waiting for CI; the program waits for the commit's checks (checkSuites), set on the first `pulumi up`.",
          });
      } else if (trigger)
        report.push({
          where: where(s, `deploy trigger on ${trigger.branch}`),
          what: "deploys every push, but production deploys only through its reviewed deploy workflow: the first `pulumi up` removes the trigger.",
        });
    }
    if (i.cronSchedule)
      report.push({
        where: where(s, `cron schedule ${JSON.stringify(i.cronSchedule)}`),
        what: "the config has no cron schedules; the schedule stays in Railway as it is, unmanaged.",
      });
    if (i.sleepApplication)
      report.push({ where: where(s, "serverless (sleep when idle)"), what: "the config cannot express it; the setting stays in Railway, unmanaged." });
    if (i.buildCommand)
      report.push({
        where: where(s, `build command ${JSON.stringify(i.buildCommand)}`),
        what: "the config has no build command (build with a Dockerfile instead); it stays in Railway, unmanaged.",
      });
    if (Array.isArray(i.watchPatterns) && i.watchPatterns.length > 0)
      report.push({ where: where(s, "watch paths"), what: "the config has no watch paths; they stay in Railway, unmanaged." });
    for (const t of s.tcpProxies)
      report.push({
        where: where(s, `TCP proxy ${t.domain}:${t.proxyPort} → ${t.applicationPort}`),
        what: "the config has no public TCP ports; the proxy stays in Railway, unmanaged.",
      });
    services[key] = service;
    adoptServices[key] = s.id;
  }

  if (redisService) {
    const r = redisService;
    const settings = redisSettings(r.instance.startCommand, r.limits?.memoryGB);
    redis = { ...settings };
    // What the program will run: these settings, the tier's memory when none was found.
    const cfg = {
      memoryMb: settings.memoryMb ?? REDIS_DEFAULTS[o.tier].memoryMb,
      evictionPolicy: settings.evictionPolicy,
      persistence: settings.persistence,
    } as RedisConfig;
    const ours = redisStartCommand(cfg);
    if (settings.memoryMb === undefined)
      report.push({
        where: where(r, "memory"),
        what: "neither maxmemory nor a memory limit is set; the stack takes the tier's default platform:redis.memoryMb.",
      });
    if (r.instance.startCommand !== ours) {
      report.push({
        where: where(r, "start command"),
        what: `the program runs Redis with its own command line for the same memory, eviction and persistence (${ours}); the first \`pulumi up\` sets it and restarts Redis, keeping the data on its volume.`,
      });
    }
    if (r.instance.source?.image && r.instance.source.image !== REDIS_IMAGE)
      report.push({ where: where(r, `image ${r.instance.source.image}`), what: `the program runs ${REDIS_IMAGE}; the first \`pulumi up\` switches to it.` });
    const other = Object.keys(r.variables)
      .filter((k) => !(REDIS_VARIABLES as readonly string[]).includes(k))
      .sort();
    if (other.length > 0)
      report.push({
        where: where(r, `variables ${other.join(", ")}`),
        what: `are not the program's (it sets ${REDIS_VARIABLES.join(", ")}); the first \`pulumi up\` removes them.`,
      });
    if (r.variables.REDIS_PASSWORD) secret(r, ADOPTED_REDIS_PASSWORD, r.variables.REDIS_PASSWORD);
    else
      report.push({
        where: where(r, "REDIS_PASSWORD"),
        what: "is not set: Redis has no password the program can keep. Set platform:secrets.REDIS_PASSWORD to the one it uses.",
      });
    if (r.limits?.vCPUs !== redisContainerVcpu(cfg) || r.limits?.memoryGB !== redisContainerMemoryGb(cfg)) {
      report.push({
        where: where(r, "resource limits"),
        what: `the program sizes Redis's container from its memory (${redisContainerVcpu(cfg)} vCPU, ${redisContainerMemoryGb(cfg)} GB); the first \`pulumi up\` sets them.`,
      });
    }
    if (!r.volume && settings.persistence !== "none")
      report.push({ where: where(r, "volume"), what: "none, so nothing it saves survives a restart; the first `pulumi up` adds one at /data." });
    for (const t of r.tcpProxies)
      report.push({
        where: where(r, `TCP proxy ${t.domain}:${t.proxyPort} → ${t.applicationPort}`),
        what: "Redis is public; the program reaches it over the private network only (policy security-redis-private-only). The proxy stays until you remove it in Railway.",
      });
    if (r.domains.serviceDomains.length > 0 || r.domains.customDomains.length > 0)
      report.push({ where: where(r, "domains"), what: "Redis has HTTP domains; the program gives Redis none. They stay, unmanaged." });
    adoptServices.redis = r.id;
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
function requireGeneratedChecks(imported: Imported, stack: string, githubRead: boolean): void {
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

/** The repository's side of the environment, read from GitHub and merged into the imported stack. */
async function importGithub(imported: Imported, access: GithubAccess, tier: Tier, environment: string): Promise<{ appUnknown: boolean; checksFound: boolean }> {
  const gh = imported.config["platform:github"];
  let live;
  try {
    live = await readGithub(access, gh.owner, gh.repository, environment);
  } catch (e) {
    if (e instanceof GithubReadError) {
      const hint =
        e.status === 401 || e.status === 403
          ? ' The credential needs the read access a \`pulumi preview --refresh\` needs (README, "Tokens and permissions": PREVIEW_GITHUB_TOKEN).'
          : "";
      throw new ImportError(`${e.message}${hint}`, IMPORT_EXIT.failure);
    }
    throw e;
  }
  const found = githubConfig(live, { tier, railwayBranch: gh.branch, services: Object.keys(imported.config["platform:services"]) });
  Object.assign(gh, found.github);
  for (const name of found.secrets) {
    imported.config["platform:secrets"][name] ??= { supplied: true };
    if (!imported.secrets.includes(name)) imported.secrets.push(name);
  }
  imported.secrets.sort();
  imported.report.push(...found.report);
  imported.notes.push(...found.notes);
  return { appUnknown: found.appUnknown, checksFound: found.github.requiredChecks !== undefined || found.github.branchOwner !== undefined };
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

/** The plan's estimate of the stack's monthly cost (the program under mocks, the cost model over it). */
async function estimatedCost(config: Props, stack: string, dir: string): Promise<number> {
  const root = path.resolve(__dirname, __filename.endsWith(".js") ? "../.." : "..");
  const pulumiYaml = path.join(existsSync(path.join(dir, "Pulumi.yaml")) ? dir : root, "Pulumi.yaml");
  const project = String((load(readFileSync(pulumiYaml, "utf8")) as { name?: unknown }).name ?? "platform");
  const flat = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const run = await runStack({ program: path.join(root, "index.ts"), dir, project, stack, config: flat, secretKeys: [] });
  if (run.error !== undefined) {
    const problems = (run.error as { problems?: Array<{ key: string; message: string }> }).problems;
    throw new ImportError(
      `The imported stack does not validate; this is a bug in the import, please report it:\n${problems ? problems.map((p) => `  ${p.key}: ${p.message}`).join("\n") : String(run.error)}`,
      IMPORT_EXIT.failure,
    );
  }
  return estimateCost(policyResources(run)).monthlyUsd;
}

function render(config: Props, header: string): string {
  return `${header}\nconfig:\n${stringify(config, { version: "1.1", aliasDuplicateObjects: false, lineWidth: 0 }).replace(/^/gm, "  ").trimEnd()}\n`;
}

export async function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "railway-project": { type: "string" },
        "railway-environment": { type: "string" },
        "supabase-project": { type: "string" },
        tier: { type: "string" },
        github: { type: "string" },
        dir: { type: "string", default: "." },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return IMPORT_EXIT.config;
  }
  if (args.help) {
    out(`${USAGE}\n`);
    return IMPORT_EXIT.ok;
  }
  const problems: string[] = [];
  for (const required of ["stack", "railway-project", "railway-environment"] as const) if (!args[required]) problems.push(`--${required} is required.`);
  if (args.stack && !/^[A-Za-z0-9_.-]{1,100}$/.test(args.stack))
    problems.push(`--stack ${JSON.stringify(args.stack)} is not a Pulumi stack name (letters, digits, '-', '_' and '.').`);
  if (args["supabase-project"] && !/^[a-z]{20}$/.test(args["supabase-project"]))
    problems.push(
      `--supabase-project ${JSON.stringify(args["supabase-project"])} is not a Supabase project ref (20 lower-case letters, the last part of the dashboard URL).`,
    );
  if (args.github && !/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(args.github))
    problems.push(`--github ${JSON.stringify(args.github)} is not a repository in the form owner/name.`);
  const tier = (args.tier ?? tierFromStackName(args["railway-environment"] ?? "") ?? tierFromStackName(args.stack ?? "")) as Tier | undefined;
  if (args.tier !== undefined && !["dev", "staging", "production"].includes(args.tier))
    problems.push(`--tier ${JSON.stringify(args.tier)} is not one of dev, staging, production.`);
  else if (!tier && args["railway-environment"])
    problems.push(
      `the tier does not follow from the environment ${JSON.stringify(args["railway-environment"])} or the stack's name; give --tier dev, staging or production.`,
    );
  const dir = path.resolve(args.dir);
  const file = path.join(dir, `Pulumi.${args.stack}.yaml`);
  if (args.stack && existsSync(file) && !args.force) problems.push(`${file} exists; it is never overwritten without --force.`);
  if (!existsSync(dir)) problems.push(`--dir ${JSON.stringify(args.dir)} does not exist.`);
  if (problems.length > 0) {
    err(`${problems.join("\n")}\n\n${USAGE}\n`);
    return IMPORT_EXIT.config;
  }

  try {
    const live = await readRailway(args["railway-project"]!, args["railway-environment"]!);
    const db = args["supabase-project"] ? await readSupabase(args["supabase-project"]) : undefined;
    const imported = toConfig(live, db, { tier: tier!, ...(args.github ? { github: args.github } : {}) });
    const access = githubAccessFrom(process.env);
    const fromGithub = access ? await importGithub(imported, access, tier!, live.environment.name) : { appUnknown: true, checksFound: false };
    // What the tier requires and nothing read says: validated and priced with a stand-in, written
    // without it, and named in the report with what to write.
    const missing = unfillable(tier!, args.stack!, !fromGithub.appUnknown);
    for (const m of missing) m.standIn(imported.config);
    if (!fromGithub.checksFound) requireGeneratedChecks(imported, args.stack!, access !== undefined);
    const cost = await estimatedCost(imported.config, args.stack!, dir);
    imported.config["platform:budget"] = { monthlyUsd: Math.max(1, Math.ceil(cost)) };
    for (const m of missing) {
      m.remove(imported.config);
      imported.report.push({ where: m.key, what: m.fill });
    }
    const header = [
      `# Imported by \`npm run import\` from Railway project ${JSON.stringify(live.project.name)}, environment ${JSON.stringify(live.environment.name)}${db ? `, Supabase project ${db.ref}` : ""}${access ? `, GitHub repository ${imported.config["platform:github"].owner}/${imported.config["platform:github"].repository}` : ""}.`,
      "# platform:adopt holds the ids this stack takes over: its first `pulumi up` creates none of them. Supplied secrets have",
      "# no value here; set each with the command `npm run import` printed.",
    ].join("\n");
    writeFileSync(file, render(imported.config, header));

    const lines = [
      `Wrote ${path.relative(process.cwd(), file) || file}: ${Object.keys(imported.config["platform:services"]).length} services${imported.config["platform:redis"] ? ", Redis" : ""}${db ? `, Supabase project ${db.name}` : ""}; budget $${imported.config["platform:budget"].monthlyUsd}/month (the plan's estimate, $${cost.toFixed(2)}, rounded up).`,
    ];
    if (imported.notes.length > 0) lines.push("", "Notes:", ...imported.notes.map((n) => `  - ${n}`));
    if (imported.report.length > 0) {
      lines.push(
        "",
        `Not carried over, or changed by the first \`pulumi up\` (${imported.report.length}):`,
        ...imported.report.map((r) => `  - ${r.where}: ${r.what}`),
      );
    }
    const dirArg = args.dir !== "." ? ` --dir ${args.dir}` : "";
    lines.push("", "Next:", `  pulumi stack init ${args.stack}    # once; it keeps the file written here`);
    if (imported.secrets.length > 0) {
      lines.push(
        "  # each supplied secret, set to the value it has now (Pulumi prompts for it; copy it from the Railway or Supabase dashboard, or wherever you keep it: GitHub never shows an Actions secret's value):",
      );
      for (const name of imported.secrets) lines.push(`  pulumi config set --secret --path 'platform:secrets.${name}.value' --stack ${args.stack}`);
    }
    lines.push(
      `  npm run plan -- --stack ${args.stack}${dirArg}`,
      `  pulumi preview --stack ${args.stack} --policy-pack policies    # every resource is new to Pulumi's state, so each shows as a create; the providers take over the ids under platform:adopt and create nothing on Railway or Supabase`,
      `  pulumi up --stack ${args.stack} --policy-pack policies`,
    );
    out(`${lines.join("\n")}\n`);
    return imported.report.length > 0 ? IMPORT_EXIT.reported : IMPORT_EXIT.ok;
  } catch (e) {
    if (e instanceof ImportError) {
      err(`${e.message}\n`);
      return e.exit;
    }
    err(`Import failed: ${(e as Error).message}\n`);
    return IMPORT_EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = IMPORT_EXIT.failure;
    },
  );
}
