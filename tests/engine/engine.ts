// A small stand-in for the Pulumi engine, for tests: it serves the resource monitor and engine
// endpoints the SDK's `cmd/run` calls back into, and decides what each registration means the way
// the engine's step generator does (check, then diff against the last state, then create, update,
// replace or nothing; deletes of what the program no longer declares at the end), sending every
// `pulumi-nodejs:dynamic/*` operation to the SDK's real `cmd/dynamic-provider` host. With a policy
// pack it runs `cmd/run-policy-pack` and asks it about each resource and the whole stack, as
// `pulumi preview --policy-pack` does. It also refreshes (Read) and destroys.
//
// What it does not model: providers other than our dynamic ones (random, time, GitHub, Docker get
// the stand-ins in ./builtin), targets, aliases, imports, plans, parallelism.
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { spawnGroup, stopGroup } from "../doubles/processes";
import { builtinCreate, builtinInvoke, builtinReplacesOnChange } from "./builtin";
import { SDK_DIR, startAnalyzerHost, startDynamicProviderHost, unary, type Started } from "./hosts";

type Props = Record<string, any>;

export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id: string;
  readonly parent: string;
  /** Inputs as the engine keeps them: secrets marked. */
  readonly inputs: Props;
  /** Outputs as the engine keeps them: secrets marked. */
  readonly outputs: Props;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: readonly string[];
  readonly dependencies: readonly string[];
}

export interface StackState {
  readonly stack: string;
  readonly resources: readonly ResourceState[];
}

export type Op = "create" | "update" | "same" | "replace" | "delete" | "refresh" | "read-gone";

export interface Step {
  readonly op: Op;
  readonly urn: string;
  readonly type: string;
  /** For refresh: whether Read returned something other than the last state. */
  readonly changed?: boolean;
}

export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly additionalSecretOutputs: readonly string[];
  /** The URNs it depends on, as sent. */
  readonly dependencies: readonly string[];
  /** The program's inputs, as sent: secrets marked, unknowns as the engine's unknown marker. */
  readonly inputs: Props;
}

export interface Diagnostic {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  readonly urn: string;
  readonly message: string;
}

export interface RunResult {
  readonly state: StackState;
  readonly steps: readonly Step[];
  readonly registrations: readonly Registration[];
  readonly logs: readonly { severity: "debug" | "info" | "warning" | "error"; message: string; urn: string }[];
  readonly outputs: Props;
  readonly diagnostics: readonly Diagnostic[];
  /** cmd/run's exit code; 0 when the program ran to its end. */
  readonly exitCode: number | null;
  readonly stderr: string;
}

export interface EngineOptions {
  readonly project: string;
  /** The project directory: cmd/run's `--pwd`. */
  readonly dir: string;
  /** What cmd/run loads: `.` (package.json `main`, through Pulumi's TypeScript loader) or a compiled `.js` file. */
  readonly program: string;
  /** The providers' environment: API addresses and tokens. The program itself never sees it. */
  readonly providerEnv: Readonly<Record<string, string>>;
  /** A policy pack directory: previews and updates then run its analyzer. */
  readonly policyPack?: string;
  /** What data sources (invokes) return; by default a stand-in GitHub team or user with an id. */
  readonly invoke?: (token: string, args: Props) => Props;
}

export interface RunOptions {
  readonly stack: string;
  /** `project:key` → string, as in PULUMI_CONFIG. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  readonly dryRun: boolean;
  /** The stack's last state (none for a new stack). */
  readonly state?: StackState;
  /** A policy pack config (`--policy-pack-config`); only with `policyPack`. */
  readonly policyConfig?: Readonly<Record<string, unknown>>;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** The engine's URN: the child's type qualified by its parents' types, the root stack's left out. */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2]! : "";
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function isSig(value: unknown, sig: string): value is Props {
  return typeof value === "object" && value !== null && (value as Props)[specialSigKey] === sig;
}

/**
 * Values as a provider that does not accept secrets or resources gets them: secrets unwrapped,
 * resource references turned into their id (or URN for a component).
 */
export function plain(value: unknown): any {
  if (isSig(value, specialSecretSig)) return plain(value.value);
  if (isSig(value, specialResourceSig)) return value.id !== undefined && value.id !== "" ? value.id : value.urn;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function containsSecret(value: unknown): boolean {
  if (isSig(value, specialSecretSig)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

export function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

function secretKeys(value: Props): string[] {
  return Object.keys(value).filter((k) => containsSecret(value[k]));
}

function markSecret(value: Props, keys: Iterable<string>): Props {
  const out = { ...value };
  for (const k of keys) if (k in out && !isSig(out[k], specialSecretSig)) out[k] = { [specialSigKey]: specialSecretSig, value: out[k] };
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Props)[k])]));
  return v;
}

function struct(value: Props): Struct {
  return Struct.fromJavaScript(value as never);
}

function toJs(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** A gRPC error for the SDK: the message is what `pulumi up` would print. */
function rpcError(message: string): grpc.ServiceError {
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() });
}

class Deployment {
  readonly registrations: Registration[] = [];
  readonly steps: Step[] = [];
  readonly logs: RunResult["logs"][number][] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly news = new Map<string, ResourceState>();
  /** Old resources replaced create-before-delete, deleted once the program is done. */
  readonly replaced: ResourceState[] = [];
  readonly olds: Map<string, ResourceState>;
  rootUrn = "";
  stackOutputs: Props = {};
  pending: Promise<unknown>[] = [];
  /** The first resource operation that failed: the engine then stops the update, as Pulumi's does. */
  failure?: string;
  onFailure: () => void = () => {};

  readonly engine: Engine;
  readonly options: RunOptions;

  constructor(engine: Engine, options: RunOptions) {
    this.engine = engine;
    this.options = options;
    this.olds = new Map((options.state?.resources ?? []).map((r) => [r.urn, r]));
  }

  async register(req: resproto.RegisterResourceRequest): Promise<{ urn: string; id: string; outputs: Props }> {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const custom = req.getCustom();
    const urn = engineUrn(this.options.stack, this.engine.options.project, parent, type, name);
    if (this.news.has(urn) || this.registrations.some((r) => r.urn === urn)) throw rpcError(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    const goal = toJs(req.getObject());
    const registration: Registration = {
      urn,
      type,
      name,
      parent,
      custom,
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependencies: req.getDependenciesList(),
      inputs: goal,
    };
    this.registrations.push(registration);
    const base = {
      urn,
      type,
      name,
      custom,
      parent,
      protect: registration.protect,
      retainOnDelete: registration.retainOnDelete,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      additionalSecretOutputs: registration.additionalSecretOutputs,
      dependencies: req.getDependenciesList(),
    };
    const old = this.olds.get(urn);

    if (!custom) {
      await this.analyze(base, goal);
      this.news.set(urn, { ...base, id: "", inputs: goal, outputs: old?.outputs ?? {} });
      this.steps.push({ op: old ? "same" : "create", urn, type });
      return { urn, id: "", outputs: {} };
    }

    const dynamic = type.startsWith(DYNAMIC_PREFIX);
    const provider = this.engine.provider(dynamic);
    const secretInputs = secretKeys(goal);
    const checked = await provider.check(urn, old ? plain(old.inputs) : {}, plain(goal), type);
    const inputs = markSecret(checked, secretInputs);
    await this.analyze(base, inputs);
    const dryRun = this.options.dryRun;

    let op: Op;
    let id: string;
    let outs: Props;
    if (old) {
      const diff = await provider.diff(old.id, urn, plain(old.outputs), checked, plain(old.inputs), type);
      if (!diff.changes) {
        op = "same";
        id = old.id;
        outs = plain(old.outputs);
      } else if (diff.replaces.length > 0) {
        if (old.protect) {
          throw rpcError(`unable to replace resource "${urn}" as it is currently marked for protection (changes to ${diff.replaces.join(", ")}). To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``);
        }
        op = "replace";
        if (dryRun) {
          id = "";
          outs = checked;
        } else {
          if (diff.deleteBeforeReplace || base.deleteBeforeReplace) await this.engine.deleteResource(old);
          else this.replaced.push(old);
          ({ id, outs } = await provider.create(urn, checked, type));
        }
      } else {
        op = "update";
        id = old.id;
        outs = dryRun ? checked : await provider.update(old.id, urn, plain(old.outputs), checked, plain(old.inputs), type);
      }
    } else {
      op = "create";
      if (dryRun) {
        id = "";
        outs = checked;
      } else ({ id, outs } = await provider.create(urn, checked, type));
    }
    const outputs = markSecret(outs, new Set([...secretInputs, ...base.additionalSecretOutputs]));
    this.news.set(urn, { ...base, id, inputs, outputs });
    this.steps.push({ op, urn, type });
    return { urn, id, outputs };
  }

  private async analyze(resource: Pick<ResourceState, "urn" | "type" | "name" | "parent" | "protect">, properties: Props): Promise<void> {
    const analyzer = this.engine.analyzer;
    if (!analyzer) return;
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(resource.type);
    req.setUrn(resource.urn);
    req.setName(resource.name);
    req.setProperties(struct(properties));
    req.setOptions(options(resource));
    const res = await unary<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(analyzer.client, "analyze", req);
    this.collect(res, resource.urn);
  }

  collect(res: analyzerproto.AnalyzeResponse, urn: string): void {
    for (const d of res.getDiagnosticsList()) {
      this.diagnostics.push({ policy: d.getPolicyname(), enforcementLevel: LEVELS[d.getEnforcementlevel()]!, urn: d.getUrn() || urn, message: d.getMessage() });
    }
  }
}

function options(resource: Pick<ResourceState, "parent" | "protect">): analyzerproto.AnalyzerResourceOptions {
  const o = new analyzerproto.AnalyzerResourceOptions();
  o.setProtect(resource.protect);
  o.setParent(resource.parent);
  return o;
}

interface ProviderOps {
  check(urn: string, olds: Props, news: Props, type: string): Promise<Props>;
  diff(id: string, urn: string, olds: Props, news: Props, oldInputs: Props, type: string): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(urn: string, inputs: Props, type: string): Promise<{ id: string; outs: Props }>;
  update(id: string, urn: string, olds: Props, news: Props, oldInputs: Props, type: string): Promise<Props>;
}

export class Engine {
  private server?: grpc.Server;
  address = "";
  private current?: Deployment;
  private dynamicHost?: Promise<Awaited<ReturnType<typeof startDynamicProviderHost>>>;
  analyzer?: Awaited<ReturnType<typeof startAnalyzerHost>>;
  private children = new Set<ChildProcess>();
  /** Every provider operation sent to the dynamic-provider host, in order. */
  readonly providerCalls: Array<{ method: string; urn: string; type: string }> = [];

  readonly options: EngineOptions;

  /** The dynamic-provider host's environment: the options' until restartProviders replaces it. */
  private providerEnv: Readonly<Record<string, string>>;

  constructor(options: EngineOptions) {
    this.options = options;
    this.providerEnv = options.providerEnv;
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    await engine.listen();
    // Started now, not at the first check: its start-up then overlaps the program's.
    void engine.dynamic();
    return engine;
  }

  private async listen(): Promise<void> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    const deployment = () => {
      if (!this.current) throw rpcError("no deployment is running");
      return this.current;
    };
    const handle =
      <Req, Res>(run: (req: Req) => Promise<Res> | Res) =>
      (call: { request: Req }, callback: (err: grpc.ServiceError | null, res?: Res) => void) => {
        const work = Promise.resolve()
          .then(() => run(call.request))
          .then(
            (res) => callback(null, res),
            (err: unknown) => callback(err instanceof Error && "code" in err ? (err as grpc.ServiceError) : rpcError(err instanceof Error ? err.message : String(err))),
          );
        this.current?.pending.push(work);
      };
    server.addService(resrpc.ResourceMonitorService as never, {
      supportsFeature: handle((req: resproto.SupportsFeatureRequest) => {
        const res = new resproto.SupportsFeatureResponse();
        res.setHassupport(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"].includes(req.getId()));
        return res;
      }),
      registerResource: handle(async (req: resproto.RegisterResourceRequest) => {
        const d = deployment();
        // After a failed step the engine starts nothing new, and cancels the program.
        if (d.failure !== undefined) throw rpcError(`the update was stopped: ${d.failure}`);
        const registered = await d.register(req).catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (d.failure === undefined) {
            d.failure = message;
            d.logs.push({ severity: "error", message, urn: "" });
            d.onFailure();
          }
          throw err;
        });
        const { urn, id, outputs } = registered;
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(id);
        res.setObject(struct(outputs));
        return res;
      }),
      registerResourceOutputs: handle((req: resproto.RegisterResourceOutputsRequest) => {
        const d = deployment();
        const outputs = toJs(req.getOutputs());
        if (req.getUrn() === d.rootUrn) d.stackOutputs = outputs;
        const resource = d.news.get(req.getUrn());
        if (resource) d.news.set(resource.urn, { ...resource, outputs });
        return new Empty();
      }),
      invoke: handle((req: resproto.ResourceInvokeRequest) => {
        const res = new provproto.InvokeResponse();
        res.setReturn(struct((this.options.invoke ?? builtinInvoke)(req.getTok(), toJs(req.getArgs()))));
        return res;
      }),
      readResource: handle((req: resproto.ReadResourceRequest) => {
        throw rpcError(`ReadResource of ${req.getType()} is not supported by this engine stand-in`);
      }),
      signalAndWaitForShutdown: handle(() => new Empty()),
    });
    server.addService(enginerpc.EngineService as never, {
      log: handle((req: engineproto.LogRequest) => {
        const severity = (["debug", "info", "warning", "error"] as const)[req.getSeverity()] ?? "info";
        this.current?.logs.push({ severity, message: req.getMessage(), urn: req.getUrn() });
        return new Empty();
      }),
      getRootResource: handle(() => {
        const res = new engineproto.GetRootResourceResponse();
        res.setUrn(deployment().rootUrn);
        return res;
      }),
      setRootResource: handle((req: engineproto.SetRootResourceRequest) => {
        deployment().rootUrn = req.getUrn();
        return new engineproto.SetRootResourceResponse();
      }),
    });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.server = server;
    this.address = `127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.restartProviders();
    await this.analyzer?.host.stop();
    this.analyzer?.client.close();
    this.analyzer = undefined;
    for (const child of this.children) await stopGroup(child);
    this.server?.forceShutdown();
  }

  /**
   * Stops the dynamic-provider host; the next operation starts a new one, as each `pulumi` command
   * does, with `env` as its environment when given (e.g. without tokens, as a pull request's preview).
   */
  async restartProviders(env?: Readonly<Record<string, string>>): Promise<void> {
    if (env) this.providerEnv = env;
    const started = this.dynamicHost;
    this.dynamicHost = undefined;
    if (!started) return;
    const { host, client } = await started;
    client.close();
    await host.stop();
  }

  private dynamic() {
    // One host at a time, however many registrations ask for it at once.
    this.dynamicHost ??= this.startDynamic();
    return this.dynamicHost.then((h) => h.client);
  }

  private async startDynamic() {
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...this.providerEnv };
    const started = await startDynamicProviderHost(this.address, env, this.options.dir);
    const configure = new provproto.ConfigureRequest();
    configure.setArgs(struct({}));
    configure.setAcceptsecrets(true);
    configure.setAcceptresources(true);
    const res = await unary<provproto.ConfigureRequest, provproto.ConfigureResponse>(started.client, "configure", configure);
    // The host answers that it takes no secrets: everything it is sent must be unwrapped.
    if (res.getAcceptsecrets()) throw new Error("the dynamic-provider host unexpectedly accepts secrets");
    return started;
  }

  provider(dynamic: boolean): ProviderOps {
    if (!dynamic) {
      return {
        check: async (_urn, _olds, news) => news,
        diff: async (_id, _urn, _olds, news, oldInputs, type) => {
          const changes = !same(oldInputs, news);
          return { changes, replaces: changes && builtinReplacesOnChange(type) ? Object.keys(news).filter((k) => !same(oldInputs[k], news[k])) : [], deleteBeforeReplace: false };
        },
        create: async (_urn, inputs, type) => {
          const { id, outputs } = builtinCreate(type, inputs);
          return { id, outs: outputs };
        },
        update: async (_id, _urn, olds, news) => ({ ...olds, ...news }),
      };
    }
    const call = async <Req, Res>(method: string, urn: string, type: string, req: Req): Promise<Res> => {
      this.providerCalls.push({ method, urn, type });
      return unary<Req, Res>(await this.dynamic(), method, req);
    };
    return {
      check: async (urn, olds, news, type) => {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        req.setType(type);
        const res = await call<provproto.CheckRequest, provproto.CheckResponse>("check", urn, type, req);
        const failures = res.getFailuresList();
        if (failures.length > 0) throw rpcError(failures.map((f) => `${f.getProperty()}: ${f.getReason()}`).join("; "));
        return toJs(res.getInputs());
      },
      diff: async (id, urn, olds, news, oldInputs, type) => {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        req.setOldInputs(struct(oldInputs));
        req.setType(type);
        const res = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", urn, type, req);
        const kind = res.getChanges();
        // DIFF_UNKNOWN: the engine compares the inputs itself.
        const changes = kind === provproto.DiffResponse.DiffChanges.DIFF_SOME || (kind === provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN && !same(oldInputs, news));
        return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
      },
      create: async (urn, inputs, type) => {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(struct(inputs));
        req.setType(type);
        const res = await call<provproto.CreateRequest, provproto.CreateResponse>("create", urn, type, req);
        return { id: res.getId(), outs: toJs(res.getProperties()) };
      },
      update: async (id, urn, olds, news, oldInputs, type) => {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        req.setOldInputs(struct(oldInputs));
        req.setType(type);
        const res = await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", urn, type, req);
        return toJs(res.getProperties());
      },
    };
  }

  /** Deletes one resource through its provider, as a destroy or a replacement does; retained resources are only forgotten. */
  async deleteResource(resource: ResourceState): Promise<void> {
    if (!resource.custom || resource.retainOnDelete || !resource.type.startsWith(DYNAMIC_PREFIX)) return;
    const req = new provproto.DeleteRequest();
    req.setId(resource.id);
    req.setUrn(resource.urn);
    req.setProperties(struct(plain(resource.outputs)));
    req.setOldInputs(struct(plain(resource.inputs)));
    req.setType(resource.type);
    this.providerCalls.push({ method: "delete", urn: resource.urn, type: resource.type });
    await unary<provproto.DeleteRequest, Empty>(await this.dynamic(), "delete", req);
  }

  private async configureAnalyzer(config: Readonly<Record<string, unknown>>): Promise<void> {
    if (!this.options.policyPack) throw new Error("policyConfig given, but the engine has no policy pack");
    if (!this.analyzer) {
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
      this.analyzer = await startAnalyzerHost(this.address, this.options.policyPack, env);
    }
    const info = await unary<Empty, analyzerproto.AnalyzerInfo>(this.analyzer.client, "getAnalyzerInfo", new Empty());
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(reconcilePolicyConfig(info, config))) {
      const pc = new analyzerproto.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(entry.enforcementLevel as (typeof LEVELS)[number]) as analyzerproto.EnforcementLevel);
      pc.setProperties(struct(entry.properties));
      map.set(name, pc);
    }
    await unary(this.analyzer.client, "configure", req);
  }

  /** `pulumi preview` (dryRun) or `pulumi up`: runs the program through cmd/run against this engine. */
  async run(options: RunOptions): Promise<RunResult> {
    if (this.current) throw new Error("one deployment at a time");
    if (options.policyConfig) await this.configureAnalyzer(options.policyConfig);
    const d = new Deployment(this, options);
    this.current = d;
    let exitCode: number | null;
    let stderr = "";
    try {
      const program = this.options.program;
      const args = [
        path.join(SDK_DIR, "cmd/run"),
        `--monitor=${this.address}`,
        `--engine=${this.address}`,
        `--project=${this.options.project}`,
        `--stack=${options.stack}`,
        `--pwd=${this.options.dir}`,
        "--parallel=16",
        ...(options.dryRun ? ["--dry-run"] : []),
        program,
      ];
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        PULUMI_CONFIG: JSON.stringify(options.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
        ...(program.endsWith(".js") ? {} : { PULUMI_NODEJS_TYPESCRIPT: "true" }),
      };
      const child = spawnGroup(process.execPath, args, { cwd: this.options.dir, env, stdio: ["ignore", "pipe", "pipe"] });
      this.children.add(child);
      // Cancelled once a step failed and the work already under way is done.
      d.onFailure = () => void Promise.allSettled(d.pending).then(() => setTimeout(() => stopGroup(child), 200));
      child.stdout!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      this.children.delete(child);
      await Promise.allSettled(d.pending);
      const failed = exitCode !== 0;
      if (!failed && !options.dryRun) {
        // What the program no longer declares, and what was replaced create-before-delete, goes last,
        // dependents first.
        const gone = [...d.olds.values()].filter((r) => !d.news.has(r.urn)).reverse();
        for (const r of [...d.replaced, ...gone]) {
          if (r.protect && !d.news.has(r.urn)) throw new Error(`unable to delete resource "${r.urn}" as it is currently marked for protection`);
          await this.deleteResource(r);
          d.steps.push({ op: "delete", urn: r.urn, type: r.type });
        }
      } else if (!failed) {
        for (const r of [...d.olds.values()].filter((x) => !d.news.has(x.urn)).reverse()) d.steps.push({ op: "delete", urn: r.urn, type: r.type });
      }
      if (!failed && this.analyzer && options.policyConfig) await this.analyzeStack(d);
      const kept = [...d.olds.values()].filter((r) => !d.news.has(r.urn) && (failed || options.dryRun));
      const resources = options.dryRun ? [...(options.state?.resources ?? [])] : [...d.news.values(), ...kept];
      return {
        state: { stack: options.stack, resources },
        steps: d.steps,
        registrations: d.registrations,
        logs: d.logs,
        outputs: d.stackOutputs,
        diagnostics: d.diagnostics,
        exitCode,
        stderr,
      };
    } finally {
      this.current = undefined;
    }
  }

  private async analyzeStack(d: Deployment): Promise<void> {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(
      [...d.news.values()].map((r) => {
        const a = new analyzerproto.AnalyzerResource();
        a.setType(r.type);
        a.setUrn(r.urn);
        a.setName(r.name);
        a.setProperties(struct(r.outputs));
        a.setOptions(options(r));
        a.setParent(r.parent);
        a.setDependenciesList([...r.dependencies]);
        return a;
      }),
    );
    const res = await unary<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>(this.analyzer!.client, "analyzeStack", req);
    d.collect(res, "");
  }

  /** `pulumi refresh`: reads every dynamic resource back through its provider. */
  async refresh(state: StackState): Promise<{ state: StackState; steps: Step[] }> {
    const steps: Step[] = [];
    const resources: ResourceState[] = [];
    for (const r of state.resources) {
      if (!r.custom || !r.type.startsWith(DYNAMIC_PREFIX)) {
        resources.push(r);
        continue;
      }
      const req = new provproto.ReadRequest();
      req.setId(r.id);
      req.setUrn(r.urn);
      req.setProperties(struct(plain(r.outputs)));
      req.setInputs(struct(plain(r.inputs)));
      this.providerCalls.push({ method: "read", urn: r.urn, type: r.type });
      const res = await unary<provproto.ReadRequest, provproto.ReadResponse>(await this.dynamic(), "read", req);
      if (!res.getId()) {
        steps.push({ op: "read-gone", urn: r.urn, type: r.type });
        continue;
      }
      const read = toJs(res.getProperties());
      const outputs = markSecret(read, new Set([...secretKeys(r.outputs), ...r.additionalSecretOutputs]));
      const inputs = res.hasInputs() ? markSecret(toJs(res.getInputs()), secretKeys(r.inputs)) : r.inputs;
      steps.push({ op: "refresh", urn: r.urn, type: r.type, changed: !same(plain(outputs), plain(r.outputs)) || !same(plain(inputs), plain(r.inputs)) });
      resources.push({ ...r, id: res.getId(), outputs, inputs });
    }
    return { state: { stack: state.stack, resources }, steps };
  }

  /** `pulumi destroy`: refuses while anything is protected (unless `excludeProtected`), retains what says so. */
  async destroy(state: StackState, options: { excludeProtected?: boolean } = {}): Promise<{ state: StackState; steps: Step[] }> {
    const protectedOnes = state.resources.filter((r) => r.protect);
    if (protectedOnes.length > 0 && !options.excludeProtected) {
      throw new Error(`refusing to destroy: ${protectedOnes.map((r) => r.urn).join(", ")} ${protectedOnes.length === 1 ? "is" : "are"} protected`);
    }
    // What protected resources sit under stays, so the state keeps its shape.
    const keep = new Set<string>();
    for (const r of protectedOnes) for (let p: string | undefined = r.urn; p; p = state.resources.find((x) => x.urn === p)?.parent) keep.add(p);
    const steps: Step[] = [];
    for (const r of [...state.resources].reverse()) {
      if (keep.has(r.urn)) continue;
      await this.deleteResource(r);
      steps.push({ op: "delete", urn: r.urn, type: r.type });
    }
    return { state: { stack: state.stack, resources: state.resources.filter((r) => keep.has(r.urn)) }, steps };
  }
}

/**
 * What the CLI makes of `--policy-pack-config` before it configures the analyzer: per policy the
 * entry's level, else `all`'s, else the policy's own; its settings over the schema's defaults.
 */
export function reconcilePolicyConfig(info: analyzerproto.AnalyzerInfo, config: Readonly<Record<string, unknown>>): Record<string, { enforcementLevel: string; properties: Props }> {
  const all = typeof config.all === "string" ? config.all : undefined;
  const out: Record<string, { enforcementLevel: string; properties: Props }> = {};
  for (const policy of info.getPoliciesList()) {
    const name = policy.getName();
    const entry = config[name];
    const own = LEVELS[policy.getEnforcementlevel()]!;
    const defaults = Object.fromEntries(
      Object.entries(toJs(policy.getConfigschema()?.getProperties()))
        .filter(([, schema]) => schema && typeof schema === "object" && "default" in schema)
        .map(([key, schema]) => [key, (schema as Props).default]),
    );
    if (typeof entry === "string") out[name] = { enforcementLevel: entry, properties: defaults };
    else if (entry && typeof entry === "object") {
      const { enforcementLevel, ...settings } = entry as Props;
      out[name] = { enforcementLevel: enforcementLevel ?? all ?? own, properties: { ...defaults, ...settings } };
    } else out[name] = { enforcementLevel: all ?? own, properties: defaults };
  }
  return out;
}
