// What the CLI tests look for in what the CLI leaves: secrets in plain text, and the URNs a preview
// declares.

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
