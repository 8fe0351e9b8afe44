// Every config key whose text reaches a generated workflow (or the checks and commands beside it),
// each with a setter on a shipped stack's raw config: the keys `${{` is refused in, and the keys
// the hostile-value tests feed.
export const WORKFLOW_KEYS: Array<[string, (c: any, v: string) => void]> = [
  ["platform:github.branch", (c, v) => (c.github.branch = v)],
  ["platform:github.ci.install", (c, v) => (c.github.ci = { runtime: "node", install: v })],
  ["platform:github.ci.lint", (c, v) => (c.github.ci = { runtime: "node", lint: v })],
  ["platform:github.ci.test", (c, v) => (c.github.ci = { runtime: "node", test: v })],
  ["platform:github.ci.audit", (c, v) => (c.github.ci = { runtime: "node", audit: v })],
  ["platform:github.deploy.smoke", (c, v) => (c.github.deploy.smoke = v)],
  ["platform:github.requiredChecks[0]", (c, v) => (c.github.requiredChecks = [v])],
  ["platform:services.api.source.rootDirectory", (c, v) => (c.services.api.source.rootDirectory = v)],
  ["platform:services.api.source.dockerfile", (c, v) => (c.services.api.source.dockerfile = v)],
  ["platform:services.api.healthcheck.path", (c, v) => (c.services.api.healthcheck.path = `/${v}`)],
  ["platform:services.api.preDeployCommand", (c, v) => (c.services.api.preDeployCommand = v)],
  [
    "platform:services.web.source.build.context",
    (c, v) => (
      (c.services.web.source = { image: "ghcr.io/converge-nps/web", build: { context: v, dockerfile: "Dockerfile" } }),
      (c.secrets.GHCR_TOKEN = { supplied: true })
    ),
  ],
  [
    "platform:services.web.source.build.dockerfile",
    (c, v) => (
      (c.services.web.source = { image: "ghcr.io/converge-nps/web", build: { context: "frontend", dockerfile: v } }),
      (c.secrets.GHCR_TOKEN = { supplied: true })
    ),
  ],
];
