// The composition root: one child component per concern, all fed from the validated stack config.
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { Secrets } from "./secrets/secrets";

export class Platform extends pulumi.ComponentResource {
  public readonly secrets: Secrets;

  constructor(name: string, config: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Platform", name, {}, opts);
    this.secrets = new Secrets(`${name}-secrets`, { secrets: config.secrets }, { parent: this });
    this.registerOutputs({ secretNames: this.secrets.names });
  }
}
