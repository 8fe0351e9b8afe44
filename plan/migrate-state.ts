// `npm run state:migrate -- <export.json>`: moves a stack made when Railway and Supabase were
// dynamic providers over to the `platform` provider plugin, as a state edit. It reads what
// `pulumi stack export` wrote and prints what `pulumi stack import` takes: each
// `pulumi-nodejs:dynamic/<cloud>-<kind>:<Name>` resource becomes `platform:<cloud>:<Name>` (its URN,
// and every reference to it, follow), loses the provider code and the `kind` it carried, and goes
// through the explicit `platform` provider the program now registers under its Platform component;
// the dynamic providers' default provider goes. Nothing on Railway or Supabase changes, and the
// first `pulumi preview` after the import proposes nothing.
//
//   pulumi stack export --stack dev > old.json
//   npm run state:migrate -- old.json > new.json
//   pulumi stack import --stack dev --file new.json
//   pulumi preview --stack dev --policy-pack policies    # no changes
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { KIND_BY_TOKEN } from "../components/provider/kinds";
import { EXIT } from "./cli";

type Resource = Record<string, any> & { urn: string; type: string };

const DYNAMIC = /^pulumi-nodejs:dynamic\/(railway|supabase)-[a-z-]+:([A-Za-z]+)$/;
const PLATFORM = "platform:index:Platform";

/** A resource's URN with the last type of its type chain replaced. */
function withType(urn: string, type: string): string {
  const parts = urn.split("::");
  const chain = parts[2]!.split("$");
  chain[chain.length - 1] = type;
  parts[2] = chain.join("$");
  return parts.join("::");
}

/** The deployment (`pulumi stack export`'s `deployment`) moved over; throws naming what it cannot move. */
export function migrateDeployment(deployment: { resources?: Resource[] } & Record<string, unknown>, newId: () => string = randomUUID): typeof deployment {
  const resources = deployment.resources ?? [];
  const renamed = new Map<string, string>();
  const tokens = new Map<string, string>();
  for (const r of resources) {
    const m = DYNAMIC.exec(r.type);
    if (!m) continue;
    const token = `platform:${m[1]}:${m[2]}`;
    if (!KIND_BY_TOKEN.has(token)) throw new Error(`${r.urn}: there is no kind ${token} to move it to; it cannot be moved by this version.`);
    renamed.set(r.urn, withType(r.urn, token));
    tokens.set(r.urn, token);
  }
  if (renamed.size === 0) return deployment;
  const platform = resources.find((r) => r.type === PLATFORM);
  if (!platform) throw new Error(`the state has dynamic resources but no ${PLATFORM} component to put the platform provider under.`);
  const providerUrn = `${platform.urn.split("::").slice(0, 2).join("::")}::${platform.urn.split("::")[2]}$pulumi:providers:platform::${platform.urn.split("::").at(-1)}-provider`;
  const provider: Resource = { urn: providerUrn, custom: true, id: newId(), type: "pulumi:providers:platform", parent: platform.urn };
  const providerRef = `${providerUrn}::${provider.id}`;
  const rename = (urn: string) => renamed.get(urn) ?? urn;
  const strip = (props: Record<string, unknown> | undefined) => {
    if (!props) return props;
    const { __provider: _code, kind: _kind, ...rest } = props;
    return rest;
  };

  const moved: Resource[] = [];
  for (const r of resources) {
    if (r.type === "pulumi:providers:pulumi-nodejs") continue;
    const next: Resource = { ...r, urn: rename(r.urn) };
    if (r.parent) next.parent = rename(r.parent);
    if (r.dependencies) next.dependencies = (r.dependencies as string[]).map(rename);
    if (r.propertyDependencies)
      next.propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies as Record<string, string[]>)
          .filter(([k]) => k !== "__provider" && k !== "kind")
          .map(([k, urns]) => [k, urns.map(rename)]),
      );
    const token = tokens.get(r.urn);
    if (token) {
      next.type = token;
      next.inputs = strip(r.inputs);
      next.outputs = strip(r.outputs);
      next.provider = providerRef;
    }
    moved.push(next);
    if (r.urn === platform.urn) moved.push(provider);
  }
  return { ...deployment, resources: moved };
}

export function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): number {
  if (argv.length !== 1) {
    err("usage: npm run state:migrate -- <file written by pulumi stack export>\n");
    return EXIT.config;
  }
  try {
    const exported = JSON.parse(readFileSync(argv[0]!, "utf8")) as { version: number; deployment: { resources?: Resource[] } };
    out(`${JSON.stringify({ ...exported, deployment: migrateDeployment(exported.deployment) }, null, 2)}\n`);
    return EXIT.ok;
  } catch (e) {
    err(`state:migrate: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
