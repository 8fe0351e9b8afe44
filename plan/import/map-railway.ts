// From a Railway environment's services to `platform:services` and `platform:redis`, for `npm run
// import`: pure functions of what ./read-railway.ts read. What the config cannot say, or the first
// `pulumi up` changes, goes to the report, each item with where it lives.
import { REDIS_IMAGE, REDIS_VARIABLES, redisContainerMemoryGb, redisContainerVcpu, redisStartCommand } from "../../components/railway/redis";
import { databaseUrl, directUrl } from "../../components/supabase/database";
import type { Connection } from "../../components/supabase/kinds/connection";
import { ADOPTED_REDIS_PASSWORD, looksSecret as secretLookingName } from "../../config";
import { WIRED_VARIABLES, type Tier } from "../../config/catalog";
import { REDIS_DEFAULTS } from "../../config/defaults";
import type { RedisConfig } from "../../config/schema";
import type { LiveService } from "./read-railway";
import type { LiveSupabase } from "./read-supabase";

type Props = Record<string, any>;

/** A setting the stack cannot carry over, or that the first `pulumi up` changes, and where it lives. */
export interface Unexpressed {
  readonly where: string;
  readonly what: string;
}

const REFERENCE = /\$\{\{/;
/** A URL that carries a password (`scheme://user:password@host`): a secret whatever its name. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

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

export function isRedis(s: LiveService): boolean {
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

/** What the mapping of one environment collects besides config: the report, notes, and each secret's one value. */
export interface Mapping {
  readonly report: Unexpressed[];
  readonly notes: string[];
  /** Keeps a secret's value under its name; false (reported) when another service holds a different one. */
  secret(s: LiveService, name: string, value: string): boolean;
}

/** Where a setting lives, for the report: `Railway service "api", PORT`. */
export const where = (s: LiveService, what?: string) => `Railway service ${JSON.stringify(s.name)}${what ? `, ${what}` : ""}`;

/** One service's `platform:services` entry. */
export function mapService(s: LiveService, m: Mapping, o: { branch: string; production: boolean; redis: boolean; db: LiveSupabase | undefined }): Props {
  const { report, notes, secret } = m;
  const { branch, production, db } = o;
  const wiredSupabase = new Set(db ? WIRED_VARIABLES.supabase : []);
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
    else if (name === "REDIS_URL" && o.redis) uses.add("redis");
    else if (wiredSupabase.has(name)) uses.add("supabase");
    else if (looksSecret(name, value)) {
      if (secret(s, name, value)) secrets.push(name);
    } else variables[name] = value;
    if (REFERENCE.test(value) && !(name === "REDIS_URL" && o.redis) && !wiredSupabase.has(name)) {
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
  return service;
}

/** `platform:redis` from the Redis service: its settings read from its command line, and what the program runs differently. */
export function mapRedis(r: LiveService, m: Mapping, tier: Tier): Props {
  const { report, secret } = m;
  const settings = redisSettings(r.instance.startCommand, r.limits?.memoryGB);
  // What the program will run: these settings, the tier's memory when none was found.
  const cfg = {
    memoryMb: settings.memoryMb ?? REDIS_DEFAULTS[tier].memoryMb,
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
  return { ...settings };
}
