// Every cross-key rule, in the order the parser runs them: each a named pure function of the
// parsed config (./rule.ts), listed in the file of its area.
import { ADOPT_RULES } from "./adopt";
import { GITHUB_RULES } from "./github";
import { NAME_RULES } from "./names";
import type { Rule } from "./rule";
import { SERVICE_RULES } from "./services";
import { SUPABASE_RULES } from "./supabase";
import { WORKFLOW_RULES } from "./workflow";

export type { Problem, Rule, RuleInput } from "./rule";

export const RULES: readonly Rule[] = [...SERVICE_RULES, ...SUPABASE_RULES, ...GITHUB_RULES, ...WORKFLOW_RULES, ...ADOPT_RULES, ...NAME_RULES];
