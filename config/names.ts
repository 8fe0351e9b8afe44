// Names the program derives from config (resource names, environment variable names), and the
// names it gives meaning to (secrets it reads, variables that look secret). Kept here so the config
// check that two values never derive the same name uses the very functions that derive it.

/** `JWT_REFRESH_SECRET` → `jwt-refresh-secret`, for resource names. */
export function secretResourceName(name: string): string {
  return name.toLowerCase().replace(/_/g, "-");
}

/** `api.converge-nps.com` → `api-converge-nps-com`, for resource names. */
export function domainResourceName(domain: string): string {
  return domain.replace(/\./g, "-");
}

/** A name usable in environment variables: `web-app` → `WEB_APP`. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** The GitHub Actions variables the platform sets in each environment: its Railway environment and each service's URL. */
export function platformGithubVariables(serviceNames: readonly string[]): string[] {
  return ["RAILWAY_ENVIRONMENT", ...serviceNames.map((s) => `${envName(s)}_URL`)];
}

/** The supplied secret that lets `pulumi up` push built images to GHCR. */
export const REGISTRY_SECRET = "GHCR_TOKEN";
/** The supplied database password of a Supabase project the stack takes over without resetting it. */
export const ADOPTED_DB_PASSWORD = "SUPABASE_DB_PASSWORD";

/** The Railway service platform:redis runs as. */
export const REDIS_SERVICE = "redis";

/** The supplied password of a Redis the stack takes over (platform:adopt.railway.services.redis): kept, not regenerated. */
export const ADOPTED_REDIS_PASSWORD = "REDIS_PASSWORD";

/** A name that looks like it holds a secret: such a variable must be a secret, not a plain variable. */
const SECRET_PART = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SERVICE_?KEY|CREDENTIAL|DSN)/i;
const SECRET_WORDS = new Set(["PASS", "PWD", "PASSPHRASE", "CREDENTIALS", "AUTH"]);

/**
 * Whether a variable's name says it holds a secret, in any case and position: a part such as
 * SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY or CREDENTIAL anywhere in it, or one of the words
 * PASS, PWD, PASSPHRASE, CREDENTIALS, AUTH as a whole word (`DB_PASS`, `smtpPwd`, `X-Auth`), not
 * inside another (`PASSENGERS`, `AUTHOR`).
 */
export function looksSecret(name: string): boolean {
  if (SECRET_PART.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toUpperCase());
  return words.some((w) => SECRET_WORDS.has(w));
}
