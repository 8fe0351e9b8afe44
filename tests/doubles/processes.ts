// Child processes that a test starts and must leave nothing behind of: each runs in its own
// process group (a shell and what it starts, a host and its workers), and stopping it kills the
// whole group and waits until the group is gone.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Kills every process of the child's group and waits until none is left; throws if one outlives 5 s. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pid)) throw new Error(`process group ${pid} (${child.spawnfile}) is still running after SIGKILL`);
}
