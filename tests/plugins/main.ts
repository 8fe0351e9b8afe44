// `pulumi-resource-<name>` for the test plugins: `node main.js <name> <engine address>`.
import { dockerProvider } from "./docker";
import { githubProvider } from "./github";
import { randomProvider } from "./random";
import { serve, type PluginProvider } from "../../components/provider/serve";
import { timeProvider } from "./time";

/** The plugins the CLI cannot download here, by package name. */
export const TEST_PLUGINS: Readonly<Record<string, PluginProvider>> = {
  random: randomProvider,
  time: timeProvider,
  github: githubProvider,
  docker: dockerProvider,
};

if (require.main === module) {
  const [name, ...args] = process.argv.slice(2);
  const provider = TEST_PLUGINS[name ?? ""];
  if (!provider) {
    console.error(`usage: main.js <${Object.keys(TEST_PLUGINS).join("|")}> <engine address>`);
    process.exit(2);
  }
  void serve(provider, args);
}
