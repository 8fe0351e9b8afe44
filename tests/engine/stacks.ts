// Stacks as a real `pulumi up` would get them, for the lifecycle tests: this repository's stack
// files (or a template under another stack name), with every supplied secret set, encrypted, the
// way `pulumi config set --secret` leaves it.
import * as path from "node:path";
import { readProjectDir } from "../../plan/stacks";
import { ROOT, STAND_IN } from "../helpers";
import { RailwayDouble } from "../railway/double";
import { SupabaseDouble, type SupabaseRealism } from "../supabase/double";
import { Engine } from "./engine";

export interface StackInput {
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

/** Stack `file` of `dir` (Pulumi.<file>.yaml), run as stack `stack`, its supplied secrets set. */
export function stackWithSecrets(file: string, stack = file, dir = ROOT, edit: (config: Record<string, any>) => void = () => {}): StackInput {
  const project = readProjectDir(dir, STAND_IN, file);
  const config = { ...project.stacks[0]!.config };
  const secrets = JSON.parse(config["platform:secrets"] ?? "{}") as Record<string, Record<string, unknown>>;
  for (const [name, secret] of Object.entries(secrets)) if (secret.supplied) secret.value = `value-of-${name}-${stack}`;
  config["platform:secrets"] = JSON.stringify(secrets);
  const parsed = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, (() => { try { return JSON.parse(v); } catch { return v; } })()]));
  edit(parsed);
  const out = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return { stack, config: out, secretKeys: [...new Set([...project.stacks[0]!.secretKeys, "platform:secrets"])] };
}

/** The compiled program every engine test runs (tests/setup/build.ts builds it). */
export const COMPILED_PROGRAM = path.join(ROOT, "dist/index.js");

/** One Railway double, one Supabase double and one engine whose providers reach them: a lifecycle file's world. */
export interface Platforms {
  readonly railway: RailwayDouble;
  readonly supabase: SupabaseDouble;
  readonly engine: Engine;
  stop(): Promise<void>;
}

/** Starts the doubles (Supabase with `supabaseRealism`, else as Supabase behaves) and the engine. */
export async function startPlatforms(supabaseRealism?: SupabaseRealism): Promise<Platforms> {
  const railway = new RailwayDouble();
  const supabase = new SupabaseDouble();
  if (supabaseRealism) supabase.realism = supabaseRealism;
  await railway.start();
  await supabase.start();
  const engine = await Engine.start({ project: "platform", dir: ROOT, program: COMPILED_PROGRAM, providerEnv: { ...railway.env(), ...supabase.env() } });
  return {
    railway,
    supabase,
    engine,
    async stop() {
      await engine.stop();
      await railway.stop();
      await supabase.stop();
    },
  };
}
