// GitHub evaluates `${{ … }}` anywhere in a workflow before any shell sees it, so no config text
// that reaches a workflow may hold one, on any tier: not even as data.
import { isObject, walk, type Problem, type Rule } from "./rule";

/**
 * The config text the generated workflows carry (as data in `env:`, matrices and action inputs),
 * and beside it the check names they report and the pre-deploy commands that replaced their migrations.
 */
const WORKFLOW_TEXT: readonly (readonly string[])[] = [
  ["github", "branch"],
  ["github", "ci"],
  ["github", "deploy"],
  ["github", "requiredChecks"],
  ["railway", "environment"],
];
const SERVICE_WORKFLOW_TEXT: readonly string[] = ["source", "healthcheck", "preDeployCommand"];

export const WORKFLOW_RULES: readonly Rule[] = [
  {
    name: "no-expressions-in-workflow-text",
    check: ({ raw }) => {
      const roots: { value: unknown; path: PropertyKey[] }[] = [];
      for (const path of WORKFLOW_TEXT) {
        let value: unknown = raw;
        for (const key of path) value = isObject(value) ? value[key] : undefined;
        if (value !== undefined) roots.push({ value, path: [...path] });
      }
      if (isObject(raw.services)) {
        for (const [name, service] of Object.entries(raw.services)) {
          if (!isObject(service)) continue;
          for (const key of SERVICE_WORKFLOW_TEXT) if (service[key] !== undefined) roots.push({ value: service[key], path: ["services", name, key] });
        }
      }
      const found: Problem[] = [];
      for (const root of roots) {
        walk(root.value, root.path, (value, path) => {
          if (typeof value === "string" && value.includes("${{")) {
            found.push({
              path,
              message:
                "holds '${{', which GitHub Actions would evaluate as an expression in the generated workflows. Remove it; values reach workflows as plain data.",
            });
          }
          return false;
        });
      }
      return found;
    },
  },
];
