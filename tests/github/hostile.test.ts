// Hostile text in every config key that reaches a generated workflow: command substitution, quotes,
// newlines. Each value is either refused by the config, naming the key, or carried as data: the
// workflows' scripts stay exactly the constant scripts (so bash -n and shellcheck hold for them),
// actionlint finds nothing, and the branch filter and the job's `if:` still mean that one branch.
// (`${{` is refused in every such key on every tier: tests/config/parse.test.ts. The deploy job
// run with hostile values against the Railway double, with a marker that must never be created:
// tests/github/deploy-job.test.ts.)
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { parse as load } from "yaml";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config";
import { ciModel, deployModel } from "../../components/github/repository";
import { DEPLOY_SCRIPTS, ciWorkflow, deployWorkflow, renderWorkflow } from "../../components/github/workflows";
import { WORKFLOW_KEYS } from "../config/workflow-keys";
import { bashParses, clone, parse, runLint, shellcheck, stackRaw } from "../helpers";

const MARKER = "/tmp/platform-hostile-marker";
const HOSTILE = [
  `$(touch ${MARKER})`,
  `\`touch ${MARKER}\``,
  `x';touch ${MARKER};'`,
  `x";touch ${MARKER};"`,
  `x\ntouch ${MARKER}`,
  `$(touch\${IFS}${MARKER})`,
  `x'||'`,
  "a+b!c]",
];

/** The scripts a generated workflow may run: the deploy job's constant scripts and the CI's command runner. */
const CONSTANT_SCRIPTS = new Set<string>([
  ...Object.values(DEPLOY_SCRIPTS),
  ...["INSTALL", "LINT", "TEST", "AUDIT"].map((c) => `bash -eo pipefail -c "$${c}_COMMAND"`),
]);

/** A GitHub expression string literal back to its text. */
function literal(expression: string): string {
  const m = /^github\.ref == '((?:[^']|'')*)'$/.exec(expression);
  if (!m) throw new Error(`not a single comparison: ${expression}`);
  return m[1]!.replace(/''/g, "'");
}

describe("hostile values in every key that reaches a workflow", () => {
  it("are refused naming the key, or stay data: constant scripts, clean linters, one branch", async () => {
    let carried = 0;
    for (const [key, set] of WORKFLOW_KEYS) {
      for (const value of HOSTILE) {
        const raw = clone(stackRaw("dev").raw) as Record<string, any>;
        set(raw, value);
        let config;
        try {
          config = parse(raw, { stack: "dev" });
        } catch (err) {
          expect(err, `${key} ${JSON.stringify(value)}`).toBeInstanceOf(ConfigError);
          expect(
            (err as ConfigError).problems.map((p) => p.key),
            `${key} ${JSON.stringify(value)}`,
          ).toContain(key);
          continue;
        }
        carried += 1;
        const workflows = [renderWorkflow(ciWorkflow(ciModel(config, ["main", config.github.branch]))), renderWorkflow(deployWorkflow(deployModel(config)))];
        for (const text of workflows) {
          expect(await runLint(text, ".github/workflows/x.yml"), `${key} ${JSON.stringify(value)}`).toEqual([]);
          const doc = load(text) as any;
          for (const job of Object.values<any>(doc.jobs)) {
            for (const step of job.steps) {
              if (step.run === undefined) continue;
              expect(CONSTANT_SCRIPTS.has(step.run), `${key} ${JSON.stringify(value)}: ${step.run}`).toBe(true);
            }
          }
          if (doc.jobs.deploy) {
            expect(literal(doc.jobs.deploy.if)).toBe(`refs/heads/${config.github.branch}`);
            expect(doc.on.push.branches[0].replace(/\\(.)/g, "$1")).toBe(config.github.branch);
          }
        }
      }
    }
    // Most values are carried (paths and commands are free text); the test is not vacuous.
    expect(carried).toBeGreaterThan(40);
  });

  it("leave the constant scripts parsing and shellcheck-clean", () => {
    for (const script of CONSTANT_SCRIPTS) {
      expect(bashParses(script), script).toBe(true);
      expect(shellcheck(script), script).toEqual([]);
    }
  });

  it("would run if a script pasted them in: the marker is real", () => {
    rmSync(MARKER, { force: true });
    try {
      for (const value of [HOSTILE[0]!, HOSTILE[3]!]) {
        spawnSync("bash", ["-c", `echo "/health${value}" >/dev/null`]);
        expect(existsSync(MARKER), value).toBe(true);
        rmSync(MARKER);
      }
    } finally {
      rmSync(MARKER, { force: true });
    }
  });
});
