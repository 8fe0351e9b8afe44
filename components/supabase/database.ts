// The environment's database on Supabase: a project with its settings and network restrictions, or,
// for a preview stack, a branch of the parent (staging) project. Hands services the variables they
// connect with, each a secret.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../../config";
import type { SUPABASE_VARIABLES } from "../../config/catalog";
import { Branch, NetworkRestrictions, Project, Settings } from "./resources";

export interface SupabaseDatabaseArgs {
  /** `platform:supabase`, validated. */
  readonly config: NonNullable<PlatformConfig["supabase"]>;
  /** Preview stacks get a branch of `config.parentProject` instead of a project. */
  readonly preview: boolean;
  /** The git branch the parent project follows (the repository's deploy branch). */
  readonly parentGitBranch: string;
  /** The branch name for a preview stack (its stack name). */
  readonly branchName: string;
  /** Production: the project is protected and retained on delete. */
  readonly production: boolean;
  /** Resources the change may delete or replace though they hold data (platform:confirmDestructive). */
  readonly confirmDestructive: readonly string[];
  /** The supplied password of a project taken over without resetting it. */
  readonly adoptedPassword?: pulumi.Input<string>;
}

export interface ConnectionParts {
  readonly user: string;
  readonly password: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/** Supavisor's ports: transaction mode on 6543, session mode on 5432. */
export const TRANSACTION_PORT = 6543;
export const SESSION_PORT = 5432;

function postgresUrl(c: ConnectionParts, port: number, query: string): string {
  return `postgresql://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${c.host}:${port}/${c.database}?${query}`;
}

/**
 * What services query with: the pooler on its port, TLS required; in transaction mode also
 * `pgbouncer=true`, since prepared statements do not survive a transaction-mode pooler.
 */
export function databaseUrl(c: ConnectionParts): string {
  return postgresUrl(c, c.port, c.port === TRANSACTION_PORT ? "sslmode=require&pgbouncer=true" : "sslmode=require");
}

/** What migrations run with: the pooler in session mode (5432), TLS required. */
export function directUrl(c: ConnectionParts): string {
  return postgresUrl(c, SESSION_PORT, "sslmode=require");
}

export class SupabaseDatabase extends pulumi.ComponentResource {
  /** The variables a service that uses Supabase gets, each a secret. */
  public readonly variables: Readonly<Record<(typeof SUPABASE_VARIABLES)[number], pulumi.Output<string>>>;
  public readonly ref: pulumi.Output<string>;
  private readonly project?: Project;
  private readonly settings?: Settings;
  private readonly name: string;
  private readonly args: SupabaseDatabaseArgs;

  constructor(name: string, args: SupabaseDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:supabase:SupabaseDatabase", name, {}, opts);
    this.name = name;
    this.args = args;
    const c = args.config;
    let connection: Branch | Project;
    let password: pulumi.Output<string>;
    let port: pulumi.Output<number>;
    if (args.preview) {
      const branch = new Branch(
        `${name}-branch`,
        {
          parentProject: c.parentProject!,
          organization: c.organization,
          name: args.branchName,
          ...(c.gitBranch ? { gitBranch: c.gitBranch } : {}),
          parentGitBranch: args.parentGitBranch,
          ...(c.computeSize ? { computeSize: c.computeSize } : {}),
        },
        { parent: this },
      );
      connection = branch;
      password = branch.dbPass;
      port = branch.poolerPort;
    } else {
      const adopting = c.adopt || c.projectRef !== undefined;
      if (adopting && !c.resetPassword && args.adoptedPassword !== undefined) {
        password = pulumi.secret(pulumi.output(args.adoptedPassword));
      } else {
        password = new random.RandomPassword(`${name}-password`, { length: 40, special: false }, { parent: this }).result;
      }
      const projectName = `${name}-project`;
      const allowReplace = args.confirmDestructive.includes(projectName);
      const project = new Project(
        projectName,
        {
          name: c.project,
          organization: c.organization,
          region: c.region,
          ...(c.computeSize ? { computeSize: c.computeSize } : {}),
          dbPass: password,
          adopt: c.adopt,
          ...(c.projectRef ? { projectRef: c.projectRef } : {}),
          resetPassword: c.resetPassword,
          allowReplace,
        },
        // Production data is never deleted by accident: protected (Platform lifts it for a change
        // that confirms replacing it) and retained even when the stack is destroyed.
        { parent: this, protect: args.production, retainOnDelete: args.production },
      );
      const settings = new Settings(
        `${name}-settings`,
        {
          ref: project.ref,
          project: c.project,
          sslEnforcement: c.sslEnforcement,
          pooler: { mode: c.pooler.mode, poolSize: c.pooler.poolSize },
          pitrDays: c.pitrDays,
          extensions: [...c.extensions],
        },
        { parent: this },
      );
      this.project = project;
      this.settings = settings;
      connection = project;
      port = settings.poolerPort;
    }
    this.ref = connection.ref;
    const parts = pulumi
      .all([connection.poolerUser, password, connection.poolerHost, port, connection.databaseName])
      .apply(([user, pass, host, p, database]): ConnectionParts => ({ user, password: pass, host, port: p, database }));
    this.variables = {
      DATABASE_URL: pulumi.secret(parts.apply(databaseUrl)),
      DIRECT_URL: pulumi.secret(parts.apply(directUrl)),
      SUPABASE_URL: pulumi.secret(connection.apiUrl),
      SUPABASE_PUBLISHABLE_KEY: pulumi.secret(connection.publishableKey),
      SUPABASE_SECRET_KEY: pulumi.secret(connection.secretKey),
    };
    this.registerOutputs({ ref: this.ref });
  }

  /**
   * Who may connect (projects only; a branch follows its parent): the configured CIDRs and, with
   * `restrictToServices`, the static egress addresses of the services that use the database.
   */
  restrict(serviceIps: pulumi.Input<string[]>): NetworkRestrictions | undefined {
    if (!this.project) return undefined;
    const c = this.args.config;
    return new NetworkRestrictions(
      `${this.name}-network`,
      { ref: this.project.ref, project: c.project, allowedCidrs: [...c.allowedCidrs], serviceIps, restrictToServices: c.restrictToServices },
      // After the settings: an SSL change reboots the database, and a write meanwhile is refused.
      { parent: this, dependsOn: this.settings ? [this.settings] : [] },
    );
  }
}
