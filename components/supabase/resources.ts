// The Supabase resource kinds, each a dynamic resource with its own type token
// `pulumi-nodejs:dynamic/supabase-<kind>:<Kind>`; all share one provider.
import * as pulumi from "@pulumi/pulumi";
import { supabaseProvider, type SupabaseKind } from "./providers";

type In<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** A project or a branch: what it hands services, its API URL, keys and pooler address. */
abstract class DatabaseResource extends pulumi.dynamic.Resource {
  declare readonly ref: pulumi.Output<string>;
  declare readonly apiUrl: pulumi.Output<string>;
  declare readonly anonKey: pulumi.Output<string>;
  declare readonly serviceKey: pulumi.Output<string>;
  declare readonly poolerUser: pulumi.Output<string>;
  declare readonly poolerHost: pulumi.Output<string>;
  declare readonly poolerPort: pulumi.Output<number>;
  declare readonly databaseName: pulumi.Output<string>;
}

export type ConnectionOutputs = DatabaseResource;

const CONNECTION_OUTPUTS = { ref: undefined, apiUrl: undefined, anonKey: undefined, serviceKey: undefined, poolerUser: undefined, poolerHost: undefined, poolerPort: undefined, databaseName: undefined };

export interface ProjectInputs {
  name: string;
  organization: string;
  region: string;
  computeSize: string;
  dbPass: string;
  /** Let a change of name, organization or region replace the project (a new, empty database). */
  allowReplace: boolean;
}

export class Project extends DatabaseResource {
  constructor(name: string, args: In<ProjectInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      supabaseProvider,
      name,
      { kind: "project" satisfies SupabaseKind, ...CONNECTION_OUTPUTS, ...args },
      { ...opts, additionalSecretOutputs: ["dbPass", "anonKey", "serviceKey"] },
      "supabase-project",
      "Project",
    );
  }
}

export interface SettingsInputs {
  ref: string;
  /** The project's name, for messages. */
  project: string;
  sslEnforcement?: boolean;
  allowedCidrs?: string[];
  pooler?: { mode: string; poolSize: number };
  pitrDays?: number;
  extensions?: string[];
}

export class Settings extends pulumi.dynamic.Resource {
  constructor(name: string, args: In<SettingsInputs>, opts?: pulumi.CustomResourceOptions) {
    super(supabaseProvider, name, { kind: "settings" satisfies SupabaseKind, ...args }, opts, "supabase-settings", "Settings");
  }
}

export interface BranchInputs {
  /** The parent project's name (the staging stack's project). */
  parentProject: string;
  organization: string;
  name: string;
  gitBranch: string;
  computeSize: string;
}

export class Branch extends DatabaseResource {
  /** The branch database's password, which Supabase sets. */
  declare readonly dbPass: pulumi.Output<string>;
  constructor(name: string, args: In<BranchInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      supabaseProvider,
      name,
      { kind: "branch" satisfies SupabaseKind, ...CONNECTION_OUTPUTS, dbPass: undefined, ...args },
      { ...opts, additionalSecretOutputs: ["dbPass", "anonKey", "serviceKey"] },
      "supabase-branch",
      "Branch",
    );
  }
}
