// Benchmark: Railway API requests for a fresh environment, a no-op update and an update straight
// after a refresh, against the Railway double (as Railway behaves). Plans a stack (default:
// production) and plays the engine's part through the SDK's real dynamic-provider host: creates
// each Railway resource in registration order with the ids its dependencies returned, then diffs
// each against its own state as `pulumi up` would with no change, then reads each back (a refresh)
// and diffs again. Prints requests per service and in all; targets: ≤ 6 per service (its domains
// and volume counted apart), one deployment per deployed service, 0 requests for either update.
import * as path from "node:path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { railwayType } from "../components/railway/kinds";
import { runStack } from "../plan/run";
import { readProjectDir } from "../plan/stacks";
import { Engine } from "../tests/engine/engine";
import { RailwayDouble } from "../tests/railway/double";

const ROOT = path.resolve(__dirname, "..");
const stackName = process.argv[2] ?? "production";
type Props = Record<string, any>;

/** Plan values the bench stands in for: the ids of what it created, secrets and digests. */
function resolve(value: unknown, ids: Props): unknown {
  if (value === "[unknown]" || value === unknownValue) return undefined;
  if (Array.isArray(value)) return value.map((v) => resolve(v, ids));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k in ids && (v === "[unknown]" || v === "[secret]") ? ids[k] : v === "[secret]" ? `bench-${k}` : resolve(v, ids)]));
  return value;
}

async function main(): Promise<void> {
  const double = new RailwayDouble();
  await double.start();
  const project = readProjectDir(ROOT, "bench-stand-in", stackName);
  const stack = project.stacks[0]!;
  const run = await runStack({ program: project.program, dir: ROOT, project: project.project, stack: stack.name, config: stack.config, secretKeys: stack.secretKeys, serializeProviders: true });
  if (run.error) throw run.error;
  const engine = await Engine.start({ project: project.project, dir: ROOT, program: "unused", providerEnv: double.env() });
  const host = engine.provider(true);
  try {
    const railway = run.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/railway-"));
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const ids: Props = {};
    const serviceIdUnder = new Map<string, string>();
    const state = new Map<string, { id: string; outs: Props; inputs: Props; type: string }>();
    const perService = new Map<string, { core: number; domains: number; volume: number }>();

    for (const resource of railway) {
      const component = byUrn.get(resource.parent!);
      const serviceId = serviceIdUnder.get(resource.parent!);
      const inputs = resolve(resource.inputs, { ...ids, ...(serviceId ? { serviceId } : {}), digest: "bench-digest" }) as Props;
      inputs.__provider = run.providerSources[resource.urn];
      if (inputs.secrets) for (const k of Object.keys(inputs.secrets)) inputs.secrets[k] = `value-of-${k}`;
      const before = double.requests.length;
      const checked = await host.check(resource.urn, {}, inputs, resource.type);
      const { id, outs } = await host.create(resource.urn, checked, resource.type);
      const sent = double.requests.length - before;
      if (component?.type === "platform:railway:RailwayService") {
        const counts = perService.get(component.name) ?? { core: 0, domains: 0, volume: 0 };
        if (resource.type.includes("domain")) counts.domains += sent;
        else if (resource.type === railwayType("volume")) counts.volume += sent;
        else counts.core += sent;
        perService.set(component.name, counts);
      }
      state.set(resource.urn, { id, outs, inputs: checked, type: resource.type });
      if (inputs.kind === "project") ids.projectId = id;
      if (inputs.kind === "environment") ids.environmentId = id;
      if (inputs.kind === "service") serviceIdUnder.set(resource.parent!, id);
    }
    const fresh = double.requests.length;
    const deployments = [...double.deployments.values()];

    double.resetCounts();
    let changed = 0;
    for (const [urn, { id, outs, inputs, type }] of state) if ((await host.diff(id, urn, outs, inputs, inputs, type)).changes) changed++;
    const noop = double.requests.length;

    await engine.restartProviders();
    const refreshed = await engine.refresh({ stack: stackName, resources: [...state].map(([urn, s]) => ({ urn, type: s.type, name: urn, custom: true, id: s.id, parent: "", inputs: s.inputs, outputs: s.outs, protect: false, retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] })) });
    double.resetCounts();
    let changedAfterRefresh = 0;
    for (const r of refreshed.state.resources) if ((await host.diff(r.id, r.urn, r.outputs, r.inputs, r.inputs, r.type)).changes) changedAfterRefresh++;
    const afterRefresh = double.requests.length;

    console.log(`stack ${stackName}: ${railway.length} Railway resources, ${perService.size} services; fresh environment: ${fresh} requests in all`);
    for (const [name, c] of perService) console.log(`  ${name.padEnd(24)} ${c.core} requests, + ${c.domains} for its domains, + ${c.volume} for its volume`);
    const worst = Math.max(...[...perService.values()].map((c) => c.core));
    console.log(`most requests for one service, its domains and volume aside: ${worst} (target ≤ 6)`);
    const perDeployed = new Map<string, number>();
    for (const d of deployments) perDeployed.set(d.serviceId, (perDeployed.get(d.serviceId) ?? 0) + 1);
    console.log(`deployments: ${deployments.length}, at most ${Math.max(0, ...perDeployed.values())} per service (target 1; services the deploy workflow deploys start with none)`);
    console.log(`no-op update: ${noop} requests, ${changed} resources changed (target 0)`);
    console.log(`update after a refresh: ${afterRefresh} requests, ${changedAfterRefresh} resources changed (target 0)`);
  } finally {
    await engine.stop();
    await double.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
