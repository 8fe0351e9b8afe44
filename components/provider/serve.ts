// Serves a provider plugin over gRPC with `@pulumi/pulumi/provider`'s `main`: the `platform`
// plugin (./main.ts), and the tests' stand-ins for the plugins the CLI cannot download here
// (tests/plugins). The SDK's server leaves CheckConfig and DiffConfig unimplemented, after which the
// CLI shows the provider as changed on every preview, and its Configure hands the provider no
// config: a plugin served here answers all three.
import * as grpc from "@grpc/grpc-js";
import { main, type Provider } from "@pulumi/pulumi/provider";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { plainValue, sameValue, type Props } from "./values";

/** What a test plugin is: the SDK's provider, plus what it makes of its configuration. */
export interface PluginProvider extends Provider {
  /** Takes the provider's configuration (Configure's `args`, secrets unwrapped). */
  configure?(config: Props): void;
  /** Configuration keys whose change replaces the provider (and with it every resource it manages). */
  readonly replaceOnChange?: readonly string[];
}

type Handler = (call: { request: any }, callback: (err: unknown, response?: unknown) => void) => unknown;

/** Configuration as the engine sends it, without the keys it adds itself. */
function configOf(struct: Struct | undefined): Props {
  const all = (struct?.toJavaScript() ?? {}) as Props;
  const { version: _version, ...rest } = all;
  return rest;
}

/** The SDK server's handlers, with CheckConfig, DiffConfig and Configure answered as real plugins answer them. */
function completeHandlers(impl: Record<string, Handler>, provider: PluginProvider): Record<string, Handler> {
  // The SDK's handlers are methods of its server class: keep them, through the prototype chain.
  const answered: Record<string, Handler> = {
    checkConfig: (call, callback) => {
      const response = new provproto.CheckResponse();
      response.setInputs(call.request.getNews());
      callback(null, response);
    },
    diffConfig: (call, callback) => {
      const olds = configOf(call.request.getOlds());
      const news = configOf(call.request.getNews());
      const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !sameValue(olds[k], news[k])).sort();
      const response = new provproto.DiffResponse();
      response.setChanges(keys.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      response.setDiffsList(keys);
      response.setReplacesList(keys.filter((k) => provider.replaceOnChange?.includes(k)));
      callback(null, response);
    },
    configure: (call, callback) => {
      const args = call.request.getArgs() as Struct | undefined;
      const variables = Object.fromEntries((call.request.getVariablesMap() as { toArray(): [string, string][] }).toArray());
      // Old engines send `variables` (`<pkg>:config:<key>` → JSON text); current ones send `args`.
      const fromVariables = Object.fromEntries(
        Object.entries(variables).map(([k, v]) => [
          k.split(":").at(-1)!,
          (() => {
            try {
              return JSON.parse(v);
            } catch {
              return v;
            }
          })(),
        ]),
      );
      provider.configure?.(plainValue({ ...fromVariables, ...configOf(args) }) as Props);
      impl.configure!.call(impl, call, callback);
    },
  };
  return Object.assign(Object.create(impl) as Record<string, Handler>, answered);
}

/** Serves `provider` as the plugin the CLI started. */
export function serve(provider: PluginProvider, args: string[]): Promise<void> {
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: grpc.Server, service, impl) {
    return addService.call(this, service, completeHandlers(impl as Record<string, Handler>, provider) as typeof impl);
  };
  return main(provider, args);
}
