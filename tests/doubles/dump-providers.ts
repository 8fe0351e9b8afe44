// Runs the program for one stack in plain Node (CommonJS through a transpile-only loader, as
// `pulumi up` runs it, not under the test runner's transform) and prints each dynamic resource
// kind's serialized provider text as JSON: { "<type token>": "<module text>" }.
import * as path from "node:path";
import { runStack } from "../../plan/run";
import { readProjectDir } from "../../plan/stacks";

async function main(): Promise<void> {
  const [dir = ".", stackName = "production"] = process.argv.slice(2);
  const standIn = "dump-providers-stand-in";
  const project = readProjectDir(path.resolve(dir), standIn, stackName);
  const stack = project.stacks[0]!;
  const run = await runStack({ program: project.program, project: project.project, stack: stack.name, config: stack.config, secretKeys: stack.secretKeys, serializeProviders: true });
  if (run.error) throw run.error;
  const byType: Record<string, string> = {};
  for (const resource of run.resources) {
    const source = run.providerSources[resource.urn];
    if (source !== undefined) byType[resource.type] ??= source;
  }
  process.stdout.write(JSON.stringify(byType));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
