// `pulumi-resource-platform`: the platform provider plugin's entry, as the CLI starts it
// (provider/pulumi-resource-platform runs this file, compiled).
import { platformProvider } from "./plugin";
import { serve } from "./serve";

void serve(platformProvider, process.argv.slice(2));
