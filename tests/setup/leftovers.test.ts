// The suite's last check finds what a test left running: one of the SDK's hosts from this checkout.
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../helpers";
import { leftovers } from "./build";

it("lists a process running one of the SDK's hosts until it is gone", async () => {
  const host = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider");
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30_000)", host], { stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(leftovers().some((l) => l.startsWith(`${child.pid} `) && l.includes(host))).toBe(true);
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  expect(leftovers().some((l) => l.startsWith(`${child.pid} `))).toBe(false);
});
