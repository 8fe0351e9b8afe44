// A service's first container image, built from the repository and pushed to GitHub's registry by
// the `pulumi up` that creates the service (@pulumi/docker), so a new environment runs at once, by
// digest. Every later build is the deploy workflow's: it builds the commit it checked out and
// deploys that digest, so this image is never rebuilt (its inputs' changes are ignored).
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface ContainerImageArgs {
  /** The GitHub owner: the image is `ghcr.io/<owner>/<service>`. */
  readonly owner: string;
  readonly service: string;
  /** Tag for this stack's builds, e.g. the stack name. */
  readonly tag: string;
  readonly context: string;
  /** Relative to `context`. */
  readonly dockerfile: string;
  /** A token that may push to ghcr.io (a Pulumi secret). */
  readonly registryToken: pulumi.Input<string>;
}

/** `ghcr.io/<owner>/<service>`, lower case as the registry requires. */
export function imageRepository(owner: string, service: string): string {
  return `ghcr.io/${owner}/${service}`.toLowerCase();
}

export class ContainerImage extends pulumi.ComponentResource {
  /** `ghcr.io/<owner>/<service>@sha256:…`: the image as pushed, immutable. */
  public readonly digestRef: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:images:ContainerImage", name, {}, opts);
    const repository = imageRepository(args.owner, args.service);
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: `${repository}:${args.tag}`,
        build: { context: args.context, dockerfile: `${args.context}/${args.dockerfile}`, platform: "linux/amd64" },
        registry: { server: "ghcr.io", username: args.owner, password: args.registryToken },
      },
      // The deploy workflow builds every later image; a `pulumi up` does not rebuild, push or redeploy code.
      { parent: this, ignoreChanges: ["build", "imageName", "registry"] },
    );
    this.digestRef = image.repoDigest;
    this.registerOutputs({ digestRef: this.digestRef });
  }
}
