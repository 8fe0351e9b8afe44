// The Railway project every stack shares, and this stack's environment in it.
import * as pulumi from "@pulumi/pulumi";
import { Environment, Project } from "./resources";

export interface RailwayEnvironmentArgs {
  /** The Railway project's name; found by name in the workspace, created if missing. */
  readonly project: string;
  /** `platform:railway.workspace`: the workspace's name or id, when the token sees several. */
  readonly workspace?: string;
  /** This stack's environment name, e.g. `production`. */
  readonly environment: string;
  /** Copy this environment (by name) instead of starting empty; preview stacks copy staging. */
  readonly sourceEnvironment?: string;
  /** Ephemeral environments are preview stacks' throwaway copies. @default false */
  readonly ephemeral: boolean;
  /** Make this environment the base of Railway's pull-request environments, and turn them on. @default false */
  readonly prEnvironments: boolean;
  /** Protect the environment from deletion (production). */
  readonly protect: boolean;
  /** The Railway plan (`hobby` or `pro`), recorded on the environment for cost and policy checks. */
  readonly plan: string;
  /** The ids of the project and environment to take over (platform:adopt.railway), instead of finding them by name. */
  readonly adopt?: { readonly project: string; readonly environment: string };
}

export class RailwayEnvironment extends pulumi.ComponentResource {
  public readonly projectId: pulumi.Output<string>;
  public readonly environmentId: pulumi.Output<string>;

  constructor(name: string, args: RailwayEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:railway:RailwayEnvironment", name, {}, opts);
    // Every stack declares the same project; none may delete it on its own.
    const project = new Project(
      `${name}-project`,
      {
        name: args.project,
        ...(args.workspace ? { workspace: args.workspace } : {}),
        ...(args.prEnvironments ? { prDeploys: true } : {}),
        ...(args.adopt ? { adoptId: args.adopt.project } : {}),
      },
      { parent: this, retainOnDelete: true },
    );
    const environment = new Environment(
      `${name}-environment`,
      {
        projectId: project.projectId,
        name: args.environment,
        ...(args.sourceEnvironment ? { sourceEnvironment: args.sourceEnvironment } : {}),
        ephemeral: args.ephemeral,
        prBase: args.prEnvironments,
        plan: args.plan,
        ...(args.adopt ? { adoptId: args.adopt.environment } : {}),
      },
      { parent: this, protect: args.protect },
    );
    this.projectId = project.projectId;
    this.environmentId = environment.environmentId;
    this.registerOutputs({ projectId: this.projectId, environmentId: this.environmentId });
  }
}
