// Rules across platform:supabase and the rest: what applies to preview stacks only, the password of
// a project taken over, and the static IPs a restricted network needs.
import { ADOPTED_DB_PASSWORD } from "../names";
import { isObject, type Problem, type Rule } from "./rule";

export const SUPABASE_RULES: readonly Rule[] = [
  {
    name: "parent-project-in-previews-only",
    check: ({ supabase, tier }) =>
      supabase?.parentProject !== undefined && tier !== "preview"
        ? [
            {
              path: ["supabase", "parentProject"],
              message: `applies to preview stacks only (they get a branch of that project); this stack's tier is ${tier}. Remove it.`,
            },
          ]
        : [],
  },
  {
    name: "git-branch-in-previews-only",
    check: ({ supabase, tier }) =>
      supabase?.gitBranch !== undefined && tier !== "preview"
        ? [
            {
              path: ["supabase", "gitBranch"],
              message: `applies to preview stacks only (their branch follows the pull request's head branch); this stack's tier is ${tier}. Remove it.`,
            },
          ]
        : [],
  },
  {
    name: "previews-take-over-no-project",
    check: ({ supabase, tier }) =>
      supabase && tier === "preview" && (supabase.adopt || supabase.projectRef !== undefined)
        ? [
            {
              path: ["supabase", supabase.projectRef !== undefined ? "projectRef" : "adopt"],
              message: "applies to projects; a preview stack gets a branch of platform:supabase.parentProject. Remove it.",
            },
          ]
        : [],
  },
  {
    name: "adopted-database-password-supplied",
    check: ({ supabase, raw, declaredSecrets }): Problem[] => {
      if (!supabase) return [];
      const viaAdopt = isObject(raw.adopt) && isObject(raw.adopt.supabase);
      const adopting = supabase.adopt || supabase.projectRef !== undefined || viaAdopt;
      if (!adopting || supabase.resetPassword || declaredSecrets.has(ADOPTED_DB_PASSWORD)) return [];
      return [
        {
          path: viaAdopt ? ["adopt", "supabase"] : ["supabase", supabase.projectRef !== undefined ? "projectRef" : "adopt"],
          message: `takes over an existing project, whose database password is kept: declare it as platform:secrets.${ADOPTED_DB_PASSWORD} ({ supplied: true }, then 'pulumi config set --secret --path platform:secrets.${ADOPTED_DB_PASSWORD}.value ...'), or set platform:supabase.resetPassword to true to replace it with a generated one.`,
        },
      ];
    },
  },
  {
    name: "restricted-network-on-railway-pro",
    check: ({ supabase, railway, show }) =>
      supabase?.restrictToServices && railway && railway.plan !== "pro"
        ? [
            {
              path: ["supabase", "restrictToServices"],
              message: `needs static outbound IPs for the services, which Railway gives on the Pro plan only; platform:railway.plan is ${show(["railway"], railway.plan)}. Set the plan to pro, or set restrictToServices to false and list platform:supabase.allowedCidrs.`,
            },
          ]
        : [],
  },
];
