// The SDK's own hosts, started the way the Pulumi engine starts them, and reached over gRPC with
// the SDK's own stubs (`@pulumi/pulumi/proto`, `@grpc/grpc-js`):
// - `cmd/run`, the program (what `pulumi-language-nodejs` launches), which calls back into a
//   resource monitor;
// - `cmd/dynamic-provider`, the ResourceProvider for every `pulumi-nodejs:dynamic/*` resource;
// - `cmd/run-policy-pack`, the Analyzer that serves a policy pack.
// Pinned to @pulumi/pulumi 3.248.0 (package.json): the flags, the first stdout line carrying the
// port, and the request shapes are that version's. Each host runs in its own process group and is
// stopped with everything it started.
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { spawnGroup, stopGroup } from "../doubles/processes";

export const SDK_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
export const SDK_VERSION: string = require("@pulumi/pulumi/package.json").version;

/** The SDK version these tests speak the protocol of. */
export const PINNED_SDK_VERSION = "3.248.0";

export interface Started {
  readonly child: ChildProcess;
  /** `127.0.0.1:<port>` the host listens on. */
  readonly address: string;
  /** Everything it wrote to stderr so far. */
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `node <script> ...args` and waits for the port it prints as its first stdout line. */
export async function startHost(script: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Started> {
  const child = spawnGroup(process.execPath, [script, ...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const port = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`${path.basename(script)} exited with ${code} before it listened:\n${stderr}`)));
  });
  return { child, address: `127.0.0.1:${port}`, stderr: () => stderr, stop: () => stopGroup(child) };
}

/** Calls one unary gRPC method and resolves with its response. */
export function unary<Req, Res>(client: grpc.Client, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => void>)[method]!(request, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** `cmd/dynamic-provider`, connected. */
export async function startDynamicProviderHost(engineAddress: string, env: NodeJS.ProcessEnv, cwd: string) {
  const host = await startHost(path.join(SDK_DIR, "cmd/dynamic-provider"), [engineAddress], { cwd, env });
  const client = new provrpc.ResourceProviderClient(host.address, grpc.credentials.createInsecure());
  return { host, client };
}

/** `cmd/run-policy-pack` serving the pack in `packDir`, connected. */
export async function startAnalyzerHost(engineAddress: string, packDir: string, env: NodeJS.ProcessEnv) {
  const host = await startHost(path.join(SDK_DIR, "cmd/run-policy-pack"), [engineAddress, "."], { cwd: packDir, env });
  const client = new analyzerrpc.AnalyzerClient(host.address, grpc.credentials.createInsecure());
  return { host, client };
}
