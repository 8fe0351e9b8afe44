// Stand-ins for the resource providers that are not ours (random, time, GitHub, Docker): what the
// engine would get back from each when it creates one. Our own dynamic providers are never
// modelled here; they run in the SDK's real dynamic-provider host.
import { createHash, randomBytes, randomUUID } from "node:crypto";

type Props = Record<string, unknown>;

/** Output properties a create returns, besides the inputs. */
export function builtinCreate(type: string, inputs: Props): { id: string; outputs: Props } {
  const id = randomUUID();
  switch (type) {
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 16);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      const result = Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
      return { id: "none", outputs: { ...inputs, result, bcryptHash: `$2a$10$${createHash("sha256").update(result).digest("base64").slice(0, 53)}` } };
    }
    case "random:index/randomBytes:RandomBytes": {
      const bytes = randomBytes(Number(inputs.length ?? 32));
      return { id: "none", outputs: { ...inputs, hex: bytes.toString("hex"), base64: bytes.toString("base64") } };
    }
    case "time:index/rotating:Rotating": {
      const now = new Date();
      const days = Number(inputs.rotationDays ?? 0);
      const rotation = new Date(now.getTime() + days * 86_400_000);
      return { id: now.toISOString(), outputs: { ...inputs, rfc3339: now.toISOString(), rotationRfc3339: rotation.toISOString(), unix: Math.floor(now.getTime() / 1000) } };
    }
    case "docker:index/image:Image": {
      const name = String(inputs.imageName ?? "image");
      const repository = name.includes(":") ? name.slice(0, name.lastIndexOf(":")) : name;
      return { id, outputs: { ...inputs, repoDigest: `${repository}@sha256:${randomBytes(32).toString("hex")}` } };
    }
    default:
      return { id, outputs: { ...inputs } };
  }
}

/** Whether a change of inputs replaces the resource (random values and timers do; the rest update). */
export function builtinReplacesOnChange(type: string): boolean {
  return type.startsWith("random:") || type.startsWith("time:") || type.startsWith("pulumi:providers:");
}

/** What a data source (an invoke) answers: a GitHub team or user with an id. */
export function builtinInvoke(token: string, args: Props): Props {
  return { ...args, id: String(1000 + (createHash("sha256").update(token + JSON.stringify(args)).digest()[0] ?? 0)), nodeId: "N_stand_in" };
}
