// Benchmark: Railway API requests for a fresh environment and for a no-op update. Plans a stack
// (default: production) under the mock runtime, then plays the engine's part against the API
// double: creates each Railway resource in registration order with the ids its dependencies
// returned, then diffs every resource against its own state as `pulumi up` would with no change.
// Prints request counts per service; targets: ≤ 6 per service, 0 writes on a no-op.
import * as path from "node:path";
import { railwayProvider } from "../components/railway/providers";
import { runStack } from "../plan/run";
import { readProjectDir } from "../plan/stacks";
import { RailwayDouble } from "../tests/railway/double";

const ROOT = path.resolve(__dirname, "..");
const stackName = process.argv[2] ?? "production";

async function main(): Promise<void> {
  const double = new RailwayDouble();
  await double.start();
  Object.assign(process.env, double.env());
  const project = readProjectDir(ROOT, "bench-stand-in", stackName);
  const stack = project.stacks[0]!;
  const run = await runStack({ program: project.program, project: project.project, stack: stack.name, config: stack.config, secretKeys: stack.secretKeys });
  if (run.error) throw run.error;

  const railway = run.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/railway-"));
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const ids: Record<string, string> = {};
  const serviceIdUnder = new Map<string, string>(); // component URN → its service's id
  const state = new Map<string, { id: string; outs: any; inputs: any }>();
  const perComponent = new Map<string, number>();

  for (const resource of railway) {
    const inputs: Record<string, any> = structuredClone(resource.inputs);
    delete inputs.__provider;
    for (const key of ["projectId", "environmentId"]) if (inputs[key] === "[unknown]") inputs[key] = ids[key];
    if (inputs.serviceId === "[unknown]") inputs.serviceId = serviceIdUnder.get(resource.parent!);
    if (inputs.variables) for (const k of Object.keys(inputs.variables)) if (inputs.variables[k].startsWith("[")) inputs.variables[k] = `value-of-${k}`;
    const before = double.requests.length;
    const { id, outs } = await railwayProvider.create(inputs);
    const component = byUrn.get(resource.parent!);
    const label = inputs.kind === "custom-domain" ? "custom domains" : component?.type === "platform:railway:RailwayService" ? component.name : "environment";
    perComponent.set(label, (perComponent.get(label) ?? 0) + double.requests.length - before);
    state.set(resource.urn, { id, outs, inputs });
    if (inputs.kind === "project") ids.projectId = id;
    if (inputs.kind === "environment") ids.environmentId = id;
    if (inputs.kind === "service") serviceIdUnder.set(resource.parent!, id);
  }
  const fresh = double.requests.length;
  const freshWrites = double.count({ type: "mutation" });

  double.resetCounts();
  let changed = 0;
  for (const { id, outs, inputs } of state.values()) {
    const diff = await railwayProvider.diff!(id, outs, inputs);
    if (diff.changes) {
      changed++;
      await railwayProvider.update!(id, outs, inputs);
    }
  }
  const services = [...perComponent.entries()].filter(([k]) => k !== "environment" && k !== "custom domains");
  const domains = railway.filter((r) => r.inputs.kind === "custom-domain").length;
  console.log(`stack ${stackName}: ${railway.length} Railway resources, ${services.length} services`);
  console.log(`fresh environment: ${fresh} requests (${freshWrites} writes); project and environment: ${perComponent.get("environment") ?? 0}`);
  for (const [name, count] of services) console.log(`  ${name.padEnd(24)} ${count} requests`);
  const worst = Math.max(...services.map(([, c]) => c));
  console.log(`custom domains: ${perComponent.get("custom domains") ?? 0} requests for ${domains} domains`);
  console.log(`most requests for one service, its custom domains aside: ${worst} (target ≤ 6)`);
  console.log(`no-op update: ${double.requests.length} requests, ${double.count({ type: "mutation" })} writes, ${changed} resources changed (target 0 writes)`);
  await double.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
