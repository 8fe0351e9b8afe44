// The stack's secrets: generated ones (random bytes that rotate on a schedule) and supplied ones
// (set by the team with `pulumi config set --secret`), all handed on as Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as time from "@pulumiverse/time";
import type { SecretConfig } from "../../config";
import { secretResourceName } from "../../config/names";

export interface SecretsArgs {
  /** The secrets from `platform:secrets`, validated. */
  readonly secrets: readonly SecretConfig[];
}

export class Secrets extends pulumi.ComponentResource {
  /** Every secret's value by name, each a Pulumi secret. */
  public readonly values: Readonly<Record<string, pulumi.Output<string>>>;
  /** The declared names, in config order. */
  public readonly names: readonly string[];

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:secrets:Secrets", name, {}, opts);
    const values: Record<string, pulumi.Output<string>> = {};
    for (const secret of args.secrets) {
      values[secret.name] = secret.kind === "generated" ? this.generate(name, secret) : secret.value;
    }
    this.values = values;
    this.names = args.secrets.map((s) => s.name);
    this.registerOutputs({ names: this.names });
  }

  private generate(parentName: string, secret: Extract<SecretConfig, { kind: "generated" }>): pulumi.Output<string> {
    const base = `${parentName}-${secretResourceName(secret.name)}`;
    // Replaced when its period ends (at the next `pulumi up` after it), which changes the keeper
    // below, which makes new bytes.
    const rotation = new time.Rotating(`${base}-rotation`, { rotationDays: secret.rotateDays }, { parent: this });
    const bytes = new random.RandomBytes(
      base,
      { length: secret.bytes, keepers: { rotation: rotation.id } },
      { parent: this, additionalSecretOutputs: ["hex", "base64"] },
    );
    return pulumi.secret(bytes.hex);
  }
}
