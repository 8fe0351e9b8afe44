// Builds dist/ (the compiled program, plan and policies) when its inputs changed, and only then.
// `npm run plan`, `npm run bench` and the test setup run this first. tsc's own incremental build
// re-reads every declaration file the program depends on (seconds, even when nothing changed), so
// a digest of the build's inputs is kept beside dist/ and tsc runs, incrementally, only when it
// differs. Plain JavaScript: it runs before anything is compiled.
"use strict";
const { createHash } = require("node:crypto");
const { execFileSync } = require("node:child_process");
const { existsSync, readdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const STAMP = path.join(ROOT, "dist", ".inputs.sha256");
const CONFIG = "tsconfig.build.json";

/** Files a tsconfig `include` pattern names: `a/b.ts`, `*.ts`, `dir/**\/*.ts`. */
function expand(pattern) {
  const star = pattern.indexOf("*");
  if (star < 0) return existsSync(path.join(ROOT, pattern)) ? [pattern] : [];
  const dir = pattern.slice(0, pattern.lastIndexOf("/", star) + 1);
  const deep = pattern.includes("**");
  const ext = path.extname(pattern);
  const out = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (deep && entry.name !== "node_modules" && entry.name !== "dist") walk(child);
      } else if (entry.name.endsWith(ext) || entry.name.endsWith(".json")) out.push(child);
    }
  };
  if (existsSync(path.join(ROOT, dir || "."))) walk(dir || ".");
  return out;
}

/** A digest of everything the build reads: its sources, the JSON they import, the configs and the locked dependencies. */
function inputsDigest() {
  const config = JSON.parse(readFileSync(path.join(ROOT, CONFIG), "utf8"));
  const files = new Set([CONFIG, "tsconfig.json", "package-lock.json"]);
  for (const pattern of config.include) for (const file of expand(pattern)) files.add(path.posix.normalize(file));
  const hash = createHash("sha256");
  for (const file of [...files].sort()) {
    hash.update(file).update("\0");
    if (existsSync(path.join(ROOT, file))) hash.update(readFileSync(path.join(ROOT, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function build() {
  const digest = inputsDigest();
  const built = existsSync(STAMP) && existsSync(path.join(ROOT, "dist", "plan", "cli.js")) ? readFileSync(STAMP, "utf8") : "";
  if (built === digest) return false;
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", CONFIG], { cwd: ROOT, stdio: "inherit" });
  writeFileSync(STAMP, digest);
  return true;
}

module.exports = { build, inputsDigest };

if (require.main === module) build();
