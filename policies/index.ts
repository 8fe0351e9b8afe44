// The policy pack `pulumi preview --policy-pack policies` runs: every policy under rules/, each held
// to the stack's own policy config the way the offline plan holds it. When the CLI starts the pack
// it names the stack (ConfigureStack); the pack then offers, as its initial config, the stack's file
// (`policies/config/<stack>.json`) or its tier's (`<tier>.json`), the tier taken from
// `platform:tier` or the stack name. A `--policy-pack-config` file given on the command line
// overrides it key by key. A stack whose config cannot be found or read stops the preview, naming
// the file: the pack never falls back to something laxer, and without a stack every policy is
// mandatory at production strength.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { PolicyPack, type PolicyPackConfig } from "@pulumi/policy";
import { stackPolicyConfig } from "../plan/policy-config";
import { PACK, POLICIES } from "./all";

/** The project whose `policies/config` holds the files: this pack's (compiled or not), or PLATFORM_POLICY_CONFIG_DIR. */
function projectDir(): string {
  if (process.env.PLATFORM_POLICY_CONFIG_DIR) return path.resolve(process.env.PLATFORM_POLICY_CONFIG_DIR);
  for (let dir = path.resolve(__dirname, ".."); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "policies", "config"))) return dir;
    if (dir === path.dirname(dir)) return path.resolve(__dirname, "..");
  }
}

/** The pack's initial config, filled in once the CLI names the stack. */
const initialConfig: PolicyPackConfig = {};

type Handler = (call: { request: any }, callback: (err: unknown, response?: unknown) => void) => unknown;

// @pulumi/policy answers ConfigureStack by keeping the stack's tags only; the stack's name and
// config arrive in the same request, before the CLI asks for the pack's initial config.
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (this: grpc.Server, service, impl) {
  const handlers = impl as Record<string, Handler>;
  const configureStack = handlers.configureStack;
  if (configureStack) {
    handlers.configureStack = (call, callback) => {
      try {
        const config = new Map<string, string>((call.request.getConfigMap() as { toArray(): [string, string][] }).toArray());
        Object.assign(initialConfig, stackPolicyConfig(projectDir(), call.request.getStack(), config, POLICIES));
      } catch (err) {
        callback({ code: grpc.status.FAILED_PRECONDITION, details: (err as Error).message });
        return;
      }
      configureStack(call, callback);
    };
  }
  return addService.call(this, service, impl);
};

new PolicyPack(PACK.name, { policies: [...POLICIES] }, initialConfig);
