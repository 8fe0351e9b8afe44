// Names the program derives from the stack's name and the repository's, which Railway and Supabase
// must accept: a derived name that they would refuse is refused here, naming the key that sets it.
import { quote } from "../errors";
import { RAILWAY_NAME, SUPABASE_PROJECT_NAME } from "../schema";
import type { Rule } from "./rule";

const ALLOWED = "letters, digits, spaces, '.', '_' and '-', at most 63 characters, starting with a letter or digit";

export const NAME_RULES: readonly Rule[] = [
  {
    name: "derived-names-accepted",
    check: ({ github, railway, supabase, stack, tier, show }) => {
      if (!github || !railway) return [];
      const found = [];
      if (railway.environment === undefined && !RAILWAY_NAME.test(stack)) {
        found.push({
          path: ["railway", "environment"],
          message: `is not set, and the stack name ${quote(stack)} is not a Railway environment name (${ALLOWED}); set it.`,
        });
      }
      if (railway.project === undefined && !RAILWAY_NAME.test(github.repository)) {
        found.push({
          path: ["railway", "project"],
          message: `is not set, and the repository name ${show(["github"], github.repository)} is not a Railway project name (${ALLOWED}); set it.`,
        });
      }
      if (supabase && supabase.project === undefined && !SUPABASE_PROJECT_NAME.test(`${github.repository}-${stack}`)) {
        found.push({
          path: ["supabase", "project"],
          message: `is not set, and ${show(["github"], `${github.repository}-${stack}`)} (repository and stack) is not a Supabase project name (${ALLOWED}); set it.`,
        });
      }
      if (supabase && tier === "preview" && supabase.parentProject === undefined && !SUPABASE_PROJECT_NAME.test(`${github.repository}-staging`)) {
        found.push({
          path: ["supabase", "parentProject"],
          message: `is not set, and ${show(["github"], `${github.repository}-staging`)} is not a Supabase project name (${ALLOWED}); set it.`,
        });
      }
      return found;
    },
  },
];
