// What the CLI tests look for in what the CLI leaves: secrets in plain text (and the values a state
// holds as secrets), and the URNs a preview declares.

/**
 * The secrets that appear in `text` in plain: as they are, JSON-escaped once or twice (as a state
 * file holds them), or URL-encoded (as a connection URL carries a password). Each is reported by its first
 * characters only, so a failing test does not print it whole.
 */
export function plainSecretsIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < 8) throw new Error(`a secret of ${secret.length} characters is too short to look for`);
    // JSON-escaped twice too: a provider input the SDK stringifies (the GitHub provider's appAuth) is JSON inside JSON.
    const escaped = JSON.stringify(secret).slice(1, -1);
    const forms = new Set([secret, escaped, JSON.stringify(escaped).slice(1, -1), encodeURIComponent(secret)]);
    if ([...forms].some((form) => text.includes(form))) found.push(`${secret.slice(0, 4)}… (${secret.length} characters)`);
  }
  return found;
}

/** The URNs a `pulumi preview --json --show-sames` declares, default providers aside, sorted. */
export function urnsOf(preview: { steps?: Array<{ urn: string }> }): string[] {
  return [...new Set((preview.steps ?? []).map((s) => s.urn).filter((urn) => !/::pulumi:providers:[^:]+::default/.test(urn)))].sort();
}

/** Pulumi's mark of a secret in an exported state; `--show-secrets` adds its value as JSON text in `plaintext`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A URL that carries no credential (the project's API URL): public, though handed on among secrets. */
const publicUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.password === "" && url.username === "";
  } catch {
    return false;
  }
};

/**
 * Every value a stack's state holds as a secret, as `--show-secrets` reveals it: each string inside
 * a secret (generated passwords and bytes, connection URLs, keys, tokens), public URLs aside
 * (kept as secrets, but not secret).
 */
export function revealedSecrets(deployment: unknown): string[] {
  const found = new Set<string>();
  const strings = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.length >= 12 && !publicUrl(value)) found.add(value);
    } else if (Array.isArray(value)) value.forEach(strings);
    else if (value && typeof value === "object") Object.values(value).forEach(strings);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (SECRET_SIG in record && typeof record.plaintext === "string") strings(JSON.parse(record.plaintext));
      else Object.values(record).forEach(walk);
    }
  };
  walk(deployment);
  return [...found];
}
