// The Redis start command, run by a real redis-server (Debian's package) exactly as generated, for
// every persistence mode: a shell with the service's variables substituted, a temporary volume
// directory and a free port.
import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REDIS_PERSISTENCE, type RedisPersistence } from "../../config/catalog";
import { redisContainerMemoryGb, redisStartCommand } from "../../components/railway/redis";
import { groupAlive, spawnGroup, stopGroup } from "../doubles/processes";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function cli(port: number, args: string[], password?: string): Promise<string> {
  return new Promise((resolve) => {
    const auth = password ? ["--no-auth-warning", "-a", password] : [];
    execFile("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...auth, ...args], (_err, stdout, stderr) => resolve((stdout + stderr).trim()));
  });
}

const running: Array<{ child: ChildProcess; dir: string }> = [];
afterEach(async () => {
  // The start command is a shell that starts another shell that execs redis-server: killing the
  // outer one alone would leave the server running. The whole process group goes, and is checked.
  for (const { child, dir } of running.splice(0)) {
    await stopGroup(child);
    expect(groupAlive(child.pid!)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function start(persistence: RedisPersistence, memoryMb: number, evictionPolicy: "allkeys-lru" | "noeviction") {
  const dir = mkdtempSync(path.join(tmpdir(), "redis-volume-"));
  const port = await freePort();
  const password = `pw${Math.random().toString(36).slice(2)}${Date.now()}`;
  const command = redisStartCommand({ memoryMb, evictionPolicy, persistence });
  // Railway runs the start command as a command line; the outer shell here plays that part.
  // REDISPORT is expanded unquoted into the flags, so it also carries a loopback-only bind: the
  // server under test is reachable from this machine alone.
  const child = spawnGroup("/bin/sh", ["-c", command], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", REDIS_PASSWORD: password, REDISPORT: `${port} --bind 127.0.0.1`, RAILWAY_VOLUME_MOUNT_PATH: dir },
    stdio: "ignore",
  });
  running.push({ child, dir });
  for (let i = 0; i < 100; i++) {
    if ((await cli(port, ["PING"], password)) === "PONG") return { port, password, dir };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start with: ${command}`);
}

async function config(port: number, password: string, key: string): Promise<string> {
  const out = await cli(port, ["CONFIG", "GET", key], password);
  return out.split("\n").slice(1).join("\n");
}

describe("Redis start command", () => {
  it.each(REDIS_PERSISTENCE)("persistence %s runs in redis-server with the configured limits", async (persistence) => {
    const { port, password, dir } = await start(persistence, 256, "allkeys-lru");
    expect(await config(port, password, "maxmemory")).toBe(String(256 * 1024 * 1024));
    expect(await config(port, password, "maxmemory-policy")).toBe("allkeys-lru");
    const aof = persistence === "aof" || persistence === "rdb+aof";
    const rdb = persistence === "rdb" || persistence === "rdb+aof";
    expect(await config(port, password, "appendonly")).toBe(aof ? "yes" : "no");
    if (aof) expect(await config(port, password, "appendfsync")).toBe("everysec");
    expect(await config(port, password, "save")).toBe(rdb ? "3600 1 300 100 60 10000" : "");
    if (persistence !== "none") expect(await config(port, password, "dir")).toBe(dir);
    // Without the password, nothing is allowed.
    expect(await cli(port, ["PING"])).toMatch(/NOAUTH/);
    expect(await cli(port, ["GET", "k"], "wrong-password")).toMatch(/WRONGPASS|invalid/i);
  });

  it("carries the eviction policy and size through", async () => {
    const { port, password } = await start("rdb+aof", 512, "noeviction");
    expect(await config(port, password, "maxmemory")).toBe(String(512 * 1024 * 1024));
    expect(await config(port, password, "maxmemory-policy")).toBe("noeviction");
  });

  it("sizes the container at twice maxmemory", () => {
    expect([128, 256, 512, 1024].map((memoryMb) => redisContainerMemoryGb({ memoryMb, evictionPolicy: "allkeys-lru", persistence: "none" }))).toEqual([
      0.25, 0.5, 1, 2,
    ]);
  });
});
