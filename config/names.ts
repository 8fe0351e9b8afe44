// Names the program derives from config: resource names, environment variable names. Kept here so
// the config check that two values never derive the same name uses the very functions that derive it.

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
