// Drives the dynamic-provider host (host.cjs) from tests: the serialized providers of the program,
// loaded in plain Node as Pulumi's host loads them, called one JSON line at a time.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "../helpers";

/** Each dynamic resource type's serialized provider text, from the program run in plain Node. */
export function dumpProviders(stack = "production", dir = ROOT): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--require", "tsx/cjs", path.join(ROOT, "tests/doubles/dump-providers.ts"), dir, stack],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout))),
    );
  });
}

export interface Host {
  load(kind: string, text: string): Promise<void>;
  call(kind: string, method: string, args: unknown[]): Promise<any>;
  stop(): void;
}

/** Starts host.cjs with `env` added to this process's environment (an API double's address and token). */
export function startHost(env: Record<string, string>): Host {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(ROOT, "tests/doubles/host.cjs")], { cwd: ROOT, env: { ...process.env, ...env } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const msg = JSON.parse(line);
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) waiter?.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
    else waiter?.resolve(msg.result);
  });
  const send = (message: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  return {
    load: async (kind, text) => void (await send({ op: "load", kind, text })),
    call: (kind, method, args) => send({ op: "call", kind, method, args }),
    stop: () => child.kill(),
  };
}

/** A dynamic provider's methods, as a test calls them. */
export interface ProviderLike {
  check?(olds: any, news: any): Promise<{ inputs: any }>;
  diff(id: string, olds: any, news: any): Promise<{ changes?: boolean; replaces?: string[] }>;
  create(inputs: any): Promise<{ id: string; outs: any }>;
  read(id: string, props: any): Promise<{ id?: string; props?: any }>;
  update(id: string, olds: any, news: any): Promise<{ outs?: any }>;
  delete(id: string, props: any): Promise<void>;
}
