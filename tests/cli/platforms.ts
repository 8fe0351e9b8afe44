// Railway, Supabase and GitHub doubles that behave as the platforms do, as one world a CLI run
// reaches through the environment a user would export for the real ones (API addresses and
// tokens), with the providers' waits shortened. GitHub holds the Converge-NPS repository with only
// its main branch and the reviewer team, which has access to it. `up` runs as each team's GitHub
// App (a repository admin), with the App's private key in GITHUB_APP_PEM_FILE and no GITHUB_TOKEN.
import { generateKeyPairSync } from "node:crypto";
import { GithubDouble } from "../github/double";
import { FULL_REALISM as RAILWAY_REALISM, RailwayDouble } from "../railway/double";
import { FULL_REALISM as SUPABASE_REALISM, SupabaseDouble, type SupabaseRealism } from "../supabase/double";

/** Supabase as it behaves, at a pace a test can afford: every stage still passes, each briefly. */
export const SUPABASE_AT_TEST_SPEED: SupabaseRealism = {
  ...SUPABASE_REALISM,
  comingUpMs: 150,
  unhealthyMs: 50,
  sslApplyMs: 50,
  resizeMs: 50,
  goingDownMs: 50,
  poolerMissingMs: 300,
};

/** The GitHub App that runs `up` for Converge-NPS (platform:github.app in its stack files), and its installation. */
export const PLATFORM_APP_ID = 1027384;
export const PLATFORM_APP_INSTALLATION = 58213946;
/** Founderhouse's App (examples/founderhouse). */
export const FOUNDERHOUSE_APP_ID = 1163529;
export const FOUNDERHOUSE_APP_INSTALLATION = 61730218;

export interface World {
  readonly railway: RailwayDouble;
  readonly supabase: SupabaseDouble;
  readonly github: GithubDouble;
  /** What `pulumi` needs to reach the doubles, as a user exports it for the real platforms. */
  env(): Record<string, string>;
  /** The private key of the Apps that run `up` (PEM), which GITHUB_APP_PEM_FILE holds. */
  readonly appPrivateKey: string;
  /** Writes the doubles have received, per platform (a SQL query that only reads is not one). */
  writes(): { railway: number; supabase: number; github: number };
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A request to Supabase's SQL endpoint that only reads (POST, but no write). */
export function readOnlyQuery(r: { operation: string; body?: unknown }): boolean {
  return r.operation === "v1-run-a-query" && /^\s*select\b/i.test(String((r.body as { query?: string } | undefined)?.query));
}

export function createWorld(): World {
  const railway = new RailwayDouble();
  const supabase = new SupabaseDouble();
  const github = new GithubDouble();
  // The Apps' key, made once per world; GitHub keeps only its public half.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return {
    railway,
    supabase,
    github,
    appPrivateKey: privateKey,
    // No GITHUB_TOKEN: every stack runs as its App, with a token the provider mints per run.
    env: () => ({ ...railway.env(), ...supabase.env(), GITHUB_APP_PEM_FILE: privateKey, GITHUB_BASE_URL: github.url }),
    writes: () => ({
      railway: railway.count({ type: "mutation" }),
      supabase: supabase.requests.filter((r) => r.method !== "GET" && !readOnlyQuery(r)).length,
      github: github.writes(),
    }),
    async start() {
      railway.realism = { ...RAILWAY_REALISM };
      supabase.realism = { ...SUPABASE_AT_TEST_SPEED };
      await Promise.all([railway.start(), supabase.start(), github.start()]);
      // Only main: each stack makes the branch it deploys from.
      github.seedRepository("converge-nps", "converge-nps", ["main"]);
      // Private repositories with required reviewers: the organizations are on GitHub Enterprise.
      github.organizations.set("converge-nps", "enterprise");
      github.organizations.set("founderhouse", "enterprise");
      github.teams.set("converge-nps/devops", 4242);
      github.teamAccess.set("converge-nps/devops", new Map([["converge-nps/converge-nps", "push"]]));
      github.installApp(PLATFORM_APP_ID, PLATFORM_APP_INSTALLATION, publicKey, { login: "converge-nps-platform[bot]", id: 9_000_001, admin: true });
      github.installApp(FOUNDERHOUSE_APP_ID, FOUNDERHOUSE_APP_INSTALLATION, publicKey, { login: "founderhouse-platform[bot]", id: 9_000_002, admin: true });
    },
    async stop() {
      await Promise.all([railway.stop(), supabase.stop(), github.stop()]);
    },
  };
}
