// Rules across platform:adopt and the rest: only what the stack declares can be taken over, and
// what keeps a password needs it supplied.
import { closest, quote } from "../errors";
import { ADOPTED_REDIS_PASSWORD, REDIS_SERVICE } from "../names";
import type { AdoptConfig } from "../schema";
import { setCommand, type Problem, type Rule, type RuleInput } from "./rule";

/** A rule about platform:adopt, run when it parsed, in stacks that take over what runs (not previews, which the first rule refuses). */
function adoptRule(name: string, check: (adopt: AdoptConfig, input: RuleInput) => Problem[]): Rule {
  return { name, check: (input) => (input.adopt && input.tier !== "preview" ? check(input.adopt, input) : []) };
}

export const ADOPT_RULES: readonly Rule[] = [
  {
    name: "previews-take-over-nothing",
    check: ({ adopt, tier }) =>
      adopt && tier === "preview"
        ? [{ path: ["adopt"], message: "applies to stacks that take over what already runs; a preview stack makes its own copy. Remove it." }]
        : [],
  },

  adoptRule("adopted-services-declared", (adopt, { services, redis }) => {
    const names = services.map((s) => s.name);
    return Object.keys(adopt.railway?.services ?? {}).flatMap((name) => {
      const declared = name === REDIS_SERVICE ? redis !== undefined : names.includes(name);
      if (declared) return [];
      const guess = closest(name, [...names, ...(redis ? [REDIS_SERVICE] : [])]);
      return [
        {
          path: ["adopt", "railway", "services", name],
          message: `names a service this stack does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it under platform:services (or platform:redis for redis), or remove it here.`,
        },
      ];
    });
  }),

  adoptRule("adopted-redis-password-supplied", (adopt, { redis, declaredSecrets }) =>
    adopt.railway?.services[REDIS_SERVICE] !== undefined && redis && !declaredSecrets.has(ADOPTED_REDIS_PASSWORD)
      ? [
          {
            path: ["adopt", "railway", "services", REDIS_SERVICE],
            message: `takes over a running Redis, whose password is kept: declare it as platform:secrets.${ADOPTED_REDIS_PASSWORD} ({ supplied: true }, then ${setCommand(ADOPTED_REDIS_PASSWORD)}).`,
          },
        ]
      : [],
  ),

  adoptRule("adopted-supabase-project-is-one", (adopt, { supabase }) => {
    if (!adopt.supabase) return [];
    if (!supabase)
      return [
        { path: ["adopt", "supabase"], message: "names a Supabase project, but platform:supabase is not configured. Add platform:supabase or remove it here." },
      ];
    if (supabase.projectRef !== undefined && supabase.projectRef !== adopt.supabase.project) {
      return [
        {
          path: ["adopt", "supabase", "project"],
          message: `is ${quote(adopt.supabase.project)}, but platform:supabase.projectRef is ${quote(supabase.projectRef)}; a stack takes over one project. Keep one of them.`,
        },
      ];
    }
    return [];
  }),
];
