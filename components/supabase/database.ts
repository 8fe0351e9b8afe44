// The environment's database on Supabase: a project with its settings, or, for a preview stack, a
// branch of the parent (staging) project. Hands services the variables they connect with.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../../config";
import { Branch, Project, Settings, type ConnectionOutputs } from "./resources";

export interface SupabaseDatabaseArgs {
  /** `platform:supabase`, validated. */
  readonly config: NonNullable<PlatformConfig["supabase"]>;
  /** Preview stacks get a branch of `config.parentProject` instead of a project. */
  readonly preview: boolean;
  /** The git branch a preview branch follows. */
  readonly gitBranch: string;
  /** The branch name for a preview stack (its stack name). */
  readonly branchName: string;
  /** Production: the project is protected and retained on delete. */
  readonly production: boolean;
}

/** The pooler connection string services use: TLS required. */
export function databaseUrl(c: { user: string; password: string; host: string; port: number; database: string }): string {
  return `postgresql://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}?sslmode=require`;
}

export class SupabaseDatabase extends pulumi.ComponentResource {
  /** The variables a service that uses Supabase gets, each a secret. */
  public readonly variables: Readonly<Record<"DATABASE_URL" | "SUPABASE_URL" | "SUPABASE_ANON_KEY" | "SUPABASE_SERVICE_KEY", pulumi.Output<string>>>;
  public readonly ref: pulumi.Output<string>;

  constructor(name: string, args: SupabaseDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:supabase:SupabaseDatabase", name, {}, opts);
    const c = args.config;
    let connection: ConnectionOutputs;
    let password: pulumi.Output<string>;
    if (args.preview) {
      const branch = new Branch(
        `${name}-branch`,
        { parentProject: c.parentProject!, organization: c.organization, name: args.branchName, gitBranch: args.gitBranch, computeSize: c.computeSize },
        { parent: this },
      );
      connection = branch;
      password = branch.dbPass;
    } else {
      const generated = new random.RandomPassword(`${name}-password`, { length: 40, special: false }, { parent: this });
      password = generated.result;
      const project = new Project(
        `${name}-project`,
        { name: c.project, organization: c.organization, region: c.region, computeSize: c.computeSize, dbPass: generated.result, allowReplace: c.allowReplace },
        // Production data is never deleted by accident: protected (unless replacing was allowed on
        // purpose) and retained even when the stack is destroyed.
        { parent: this, protect: args.production && !c.allowReplace, retainOnDelete: args.production },
      );
      new Settings(
        `${name}-settings`,
        {
          ref: project.ref,
          project: c.project,
          sslEnforcement: c.sslEnforcement,
          allowedCidrs: [...c.allowedCidrs],
          pooler: { mode: c.pooler.mode, poolSize: c.pooler.poolSize },
          pitrDays: c.pitrDays,
          extensions: [...c.extensions],
        },
        { parent: this },
      );
      connection = project;
    }
    this.ref = connection.ref;
    this.variables = {
      DATABASE_URL: pulumi.secret(
        pulumi
          .all([connection.poolerUser, password, connection.poolerHost, connection.poolerPort, connection.databaseName])
          .apply(([user, pass, host, port, database]) => databaseUrl({ user, password: pass, host, port, database })),
      ),
      SUPABASE_URL: pulumi.secret(connection.apiUrl),
      SUPABASE_ANON_KEY: pulumi.secret(connection.anonKey),
      SUPABASE_SERVICE_KEY: pulumi.secret(connection.serviceKey),
    };
    this.registerOutputs({ ref: this.ref });
  }
}
