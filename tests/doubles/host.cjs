// A dynamic-provider host for tests, in plain Node (no TypeScript loader, no test runner): it loads
// serialized provider text exactly as Pulumi's own host does (require-from-string, then
// `.handler()`), and runs the provider methods it is asked to, one JSON line in, one out.
"use strict";
const path = require("node:path");
const readline = require("node:readline");
const requireFromString = require(require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));

const providers = new Map();
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const msg = JSON.parse(line);
  try {
    let result = null;
    if (msg.op === "load") {
      providers.set(msg.kind, requireFromString(msg.text).handler());
    } else {
      const provider = providers.get(msg.kind);
      if (!provider) throw new Error(`no provider loaded for ${msg.kind}`);
      result = provider[msg.method] ? await provider[msg.method](...msg.args) : null;
    }
    process.stdout.write(JSON.stringify({ id: msg.id, result: result ?? null }) + "\n");
  } catch (err) {
    process.stdout.write(JSON.stringify({ id: msg.id, error: { name: err.name, message: err.message } }) + "\n");
  }
});
