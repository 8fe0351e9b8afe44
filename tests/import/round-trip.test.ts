// The import's mappings are inverses of what the program writes: whatever config the program
// turns into a Redis command line, or into a ruleset and an environment on GitHub, the import reads
// back as that config.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bypassActorsOf } from "../../components/github/repository";
import { redisStartCommand } from "../../components/railway/redis";
import { looksSecret } from "../../config";
import { REDIS_EVICTION_POLICIES, REDIS_PERSISTENCE } from "../../config/catalog";
import { platformGithubVariables } from "../../config/names";
import { githubConfig } from "../../plan/import/map-github";
import { redisSettings } from "../../plan/import/map";
import type { LiveGithub } from "../../plan/import/read-github";

const NAME = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/);

describe("Redis settings ↔ the command line the program runs", () => {
  it("reads back memory, eviction and persistence from every command line it writes", () => {
    fc.assert(
      fc.property(
        fc.record({
          memoryMb: fc.integer({ min: 16, max: 65536 }),
          evictionPolicy: fc.constantFrom(...REDIS_EVICTION_POLICIES),
          persistence: fc.constantFrom(...REDIS_PERSISTENCE),
        }),
        (settings) => {
          expect(redisSettings(redisStartCommand(settings), undefined)).toEqual(settings);
        },
      ),
    );
  });
});

describe("platform:github ↔ what the program leaves on GitHub", () => {
  it("reads back the branch, checks, App, bypass actors, reviewers, secrets and variables", () => {
    fc.assert(
      fc.property(
        fc.record({
          tier: fc.constantFrom("dev" as const, "staging" as const, "production" as const),
          branch: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
          requiredChecks: fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z ()._-]{0,15}$/), { maxLength: 4 }),
          app: fc.record({ id: fc.integer({ min: 1, max: 1e7 }), installationId: fc.integer({ min: 1, max: 1e8 }) }),
          bypassActors: fc.uniqueArray(fc.record({ type: fc.constantFrom("Team", "DeployKey"), id: fc.integer({ min: 1, max: 1e6 }) }), {
            maxLength: 2,
            selector: (a) => `${a.type}:${a.id}`,
          }),
          users: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { maxLength: 3 }),
          teams: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { maxLength: 2 }),
          secrets: fc.uniqueArray(NAME, { maxLength: 3 }),
          variables: fc.dictionary(
            NAME.filter((n) => !looksSecret(n)),
            fc.string({ maxLength: 12 }),
            { maxKeys: 3 },
          ),
        }),
        (c) => {
          const environment = c.tier;
          const reserved = platformGithubVariables(["api"]);
          const variables = Object.fromEntries(Object.entries(c.variables).filter(([n]) => !reserved.includes(n)));
          // What `pulumi up` of this config leaves on GitHub (components/github/repository.ts).
          const live: LiveGithub = {
            owner: "acme",
            repository: "shop",
            defaultBranch: "main",
            app: c.app,
            rulesets: [
              {
                id: 1,
                name: `${environment}: protect ${c.branch}`,
                enforcement: "active",
                target: "branch",
                includes: [`refs/heads/${c.branch}`],
                bypassActors: bypassActorsOf({ app: c.app, bypassActors: c.bypassActors }, c.tier === "production").map((a) => ({
                  actor_id: a.actorId ?? null,
                  actor_type: a.actorType,
                })),
                requiredChecks: c.requiredChecks,
              },
            ],
            environment: {
              name: environment,
              reviewers: [...c.teams.map((slug) => ({ type: "Team", slug })), ...c.users.map((login) => ({ type: "User", login }))],
              branchPolicies: [c.branch],
              secrets: c.secrets,
              variables: { ...variables, RAILWAY_ENVIRONMENT: environment, API_URL: "https://api.example.com" },
            },
          };
          const back = githubConfig(live, { tier: c.tier, railwayBranch: "elsewhere", services: ["api"] }).github;
          expect(back).toEqual({
            branch: c.branch,
            app: c.app,
            requiredChecks: c.requiredChecks,
            ...(c.bypassActors.length > 0 ? { bypassActors: c.bypassActors } : {}),
            ...(c.teams.length + c.users.length > 0 ? { reviewers: [...c.teams.map((t) => `acme/${t}`), ...c.users] } : {}),
            ...(c.secrets.length > 0 ? { secrets: [...c.secrets].sort() } : {}),
            ...(Object.keys(variables).length > 0 ? { variables } : {}),
          });
        },
      ),
    );
  });
});
