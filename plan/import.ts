// `npm run import`: turns a Railway environment (and a Supabase project) that a team set up by hand
// into a stack file, with GitHub access the repository's side of that environment too. It reads
// them (import/read-*.ts, the only I/O, through the providers' own clients), maps what runs to
// config with pure functions (import/map*.ts), records the ids the stack takes over under
// `platform:adopt`, never writes a secret's value (secrets become `{ supplied: true }`, with the
// command that sets each), sets the budget to the plan's estimate rounded up, and ends with every
// setting it could not carry over.
// Exit 0: written, nothing left out; 4: written, and the report lists what was left out or will
// change on the first `pulumi up`; 2: bad arguments or an existing file; 3: an API failed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse as load, stringify } from "yaml";
import type { Tier } from "../config/catalog";
import { tierFromStackName } from "../config/defaults";
import { estimateCost } from "../policies/cost/model";
import { EXIT, runAsCli } from "./exit";
import { UserError } from "../config/errors";
import { githubConfig } from "./import/map-github";
import { requireGeneratedChecks, toConfig, unfillable, type Imported } from "./import/map";
import { GithubReadError, githubAccessFrom, readGithub, type GithubAccess } from "./import/read-github";
import { readRailway } from "./import/read-railway";
import { readSupabase } from "./import/read-supabase";
import { policyResources, runStack } from "./run";

type Props = Record<string, any>;

const USAGE = `Usage: npm run import -- --stack NAME --railway-project <name or id> --railway-environment <name> [--supabase-project <ref>] [--tier TIER] [--github owner/name] [--dir DIR] [--force]

  --stack NAME                the stack to write: DIR/Pulumi.NAME.yaml
  --railway-project P         the Railway project, by name or id
  --railway-environment E     the environment in it to take over
  --supabase-project REF      the Supabase project the environment uses (its ref, from the dashboard URL)
  --tier TIER                 dev, staging or production (default: from the environment's name)
  --github owner/name         the application's repository (default: the one the services deploy from)
  --dir DIR                   where to write (default: .)
  --force                     overwrite an existing stack file

Reads RAILWAY_API_TOKEN and SUPABASE_ACCESS_TOKEN (RAILWAY_API_URL and SUPABASE_API_URL override the endpoints).
With GitHub access as the provider takes it (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE
for the App that runs \`pulumi up\`, or GITHUB_TOKEN; GITHUB_BASE_URL overrides the endpoint), it also reads the
repository: the ruleset on the branch, the environment's reviewers, branch, secrets' names and variables.
Exit 0: written, nothing left out; 4: written, with settings it could not carry over (listed); 2: bad arguments; 3: an API failed.`;

/** The repository's side of the environment, read from GitHub and merged into the imported stack. */
async function importGithub(imported: Imported, access: GithubAccess, tier: Tier, environment: string): Promise<void> {
  const gh = imported.config["platform:github"];
  let live;
  try {
    live = await readGithub(access, gh.owner, gh.repository, environment);
  } catch (e) {
    if (e instanceof GithubReadError) {
      const hint =
        e.status === 401 || e.status === 403
          ? ' The credential needs the read access a `pulumi preview --refresh` needs (README, "Tokens and permissions": PREVIEW_GITHUB_TOKEN).'
          : "";
      throw new Error(`${e.message}${hint}`);
    }
    throw e;
  }
  const found = githubConfig(live, { tier, railwayBranch: gh.branch, services: Object.keys(imported.config["platform:services"]) });
  Object.assign(gh, found.github);
  for (const name of found.secrets) {
    imported.config["platform:secrets"][name] ??= { supplied: true };
    if (!imported.secrets.includes(name)) imported.secrets.push(name);
  }
  imported.secrets.sort();
  imported.report.push(...found.report);
  imported.notes.push(...found.notes);
}

/** The plan's estimate of the stack's monthly cost (the program under mocks, the cost model over it). */
async function estimatedCost(config: Props, stack: string, dir: string): Promise<number> {
  const root = path.resolve(__dirname, __filename.endsWith(".js") ? "../.." : "..");
  const pulumiYaml = path.join(existsSync(path.join(dir, "Pulumi.yaml")) ? dir : root, "Pulumi.yaml");
  const project = String((load(readFileSync(pulumiYaml, "utf8")) as { name?: unknown }).name ?? "platform");
  const flat = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const run = await runStack({ program: path.join(root, "index.ts"), dir, project, stack, config: flat, secretKeys: [] });
  if (run.error !== undefined) {
    const problems = (run.error as { problems?: Array<{ key: string; message: string }> }).problems;
    throw new Error(
      `The imported stack does not validate; this is a bug in the import, please report it:\n${problems ? problems.map((p) => `  ${p.key}: ${p.message}`).join("\n") : String(run.error)}`,
    );
  }
  return estimateCost(policyResources(run)).monthlyUsd;
}

function render(config: Props, header: string): string {
  return `${header}\nconfig:\n${stringify(config, { version: "1.1", aliasDuplicateObjects: false, lineWidth: 0 }).replace(/^/gm, "  ").trimEnd()}\n`;
}

export async function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "railway-project": { type: "string" },
        "railway-environment": { type: "string" },
        "supabase-project": { type: "string" },
        tier: { type: "string" },
        github: { type: "string" },
        dir: { type: "string", default: "." },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return EXIT.config;
  }
  if (args.help) {
    out(`${USAGE}\n`);
    return EXIT.ok;
  }
  const problems: string[] = [];
  for (const required of ["stack", "railway-project", "railway-environment"] as const) if (!args[required]) problems.push(`--${required} is required.`);
  if (args.stack && !/^[A-Za-z0-9_.-]{1,100}$/.test(args.stack))
    problems.push(`--stack ${JSON.stringify(args.stack)} is not a Pulumi stack name (letters, digits, '-', '_' and '.').`);
  if (args["supabase-project"] && !/^[a-z]{20}$/.test(args["supabase-project"]))
    problems.push(
      `--supabase-project ${JSON.stringify(args["supabase-project"])} is not a Supabase project ref (20 lower-case letters, the last part of the dashboard URL).`,
    );
  if (args.github && !/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(args.github))
    problems.push(`--github ${JSON.stringify(args.github)} is not a repository in the form owner/name.`);
  const tier = (args.tier ?? tierFromStackName(args["railway-environment"] ?? "") ?? tierFromStackName(args.stack ?? "")) as Tier | undefined;
  if (args.tier !== undefined && !["dev", "staging", "production"].includes(args.tier))
    problems.push(`--tier ${JSON.stringify(args.tier)} is not one of dev, staging, production.`);
  else if (!tier && args["railway-environment"])
    problems.push(
      `the tier does not follow from the environment ${JSON.stringify(args["railway-environment"])} or the stack's name; give --tier dev, staging or production.`,
    );
  const dir = path.resolve(args.dir);
  const file = path.join(dir, `Pulumi.${args.stack}.yaml`);
  if (args.stack && existsSync(file) && !args.force) problems.push(`${file} exists; it is never overwritten without --force.`);
  if (!existsSync(dir)) problems.push(`--dir ${JSON.stringify(args.dir)} does not exist.`);
  if (problems.length > 0) {
    err(`${problems.join("\n")}\n\n${USAGE}\n`);
    return EXIT.config;
  }

  try {
    const live = await readRailway(args["railway-project"]!, args["railway-environment"]!);
    const db = args["supabase-project"] ? await readSupabase(args["supabase-project"]) : undefined;
    const imported = toConfig(live, db, { tier: tier!, ...(args.github ? { github: args.github } : {}) });
    const access = githubAccessFrom(process.env);
    if (access) await importGithub(imported, access, tier!, live.environment.name);
    const gh = imported.config["platform:github"];
    // What the tier requires and nothing read says: validated and priced with a stand-in, written
    // without it, and named in the report with what to write.
    const missing = unfillable(tier!, args.stack!, gh.app !== undefined);
    for (const m of missing) m.standIn(imported.config);
    // No ruleset of the repository's to take the checks from: the generated CI's.
    if (gh.requiredChecks === undefined && gh.branchOwner === undefined) requireGeneratedChecks(imported, args.stack!, access !== undefined);
    const cost = await estimatedCost(imported.config, args.stack!, dir);
    imported.config["platform:budget"] = { monthlyUsd: Math.max(1, Math.ceil(cost)) };
    for (const m of missing) {
      m.remove(imported.config);
      imported.report.push({ where: m.key, what: m.fill });
    }
    const header = [
      `# Imported by \`npm run import\` from Railway project ${JSON.stringify(live.project.name)}, environment ${JSON.stringify(live.environment.name)}${db ? `, Supabase project ${db.ref}` : ""}${access ? `, GitHub repository ${imported.config["platform:github"].owner}/${imported.config["platform:github"].repository}` : ""}.`,
      "# platform:adopt holds the ids this stack takes over: its first `pulumi up` creates none of them. Supplied secrets have",
      "# no value here; set each with the command `npm run import` printed.",
    ].join("\n");
    writeFileSync(file, render(imported.config, header));

    const lines = [
      `Wrote ${path.relative(process.cwd(), file) || file}: ${Object.keys(imported.config["platform:services"]).length} services${imported.config["platform:redis"] ? ", Redis" : ""}${db ? `, Supabase project ${db.name}` : ""}; budget $${imported.config["platform:budget"].monthlyUsd}/month (the plan's estimate, $${cost.toFixed(2)}, rounded up).`,
    ];
    if (imported.notes.length > 0) lines.push("", "Notes:", ...imported.notes.map((n) => `  - ${n}`));
    if (imported.report.length > 0) {
      lines.push(
        "",
        `Not carried over, or changed by the first \`pulumi up\` (${imported.report.length}):`,
        ...imported.report.map((r) => `  - ${r.where}: ${r.what}`),
      );
    }
    const dirArg = args.dir !== "." ? ` --dir ${args.dir}` : "";
    lines.push("", "Next:", `  pulumi stack init ${args.stack}    # once; it keeps the file written here`);
    if (imported.secrets.length > 0) {
      lines.push(
        "  # each supplied secret, set to the value it has now (Pulumi prompts for it; copy it from the Railway or Supabase dashboard, or wherever you keep it: GitHub never shows an Actions secret's value):",
      );
      for (const name of imported.secrets) lines.push(`  pulumi config set --secret --path 'platform:secrets.${name}.value' --stack ${args.stack}`);
    }
    lines.push(
      `  npm run plan -- --stack ${args.stack}${dirArg}`,
      `  pulumi preview --stack ${args.stack} --policy-pack policies    # every resource is new to Pulumi's state, so each shows as a create; the providers take over the ids under platform:adopt and create nothing on Railway or Supabase`,
      `  pulumi up --stack ${args.stack} --policy-pack policies`,
    );
    out(`${lines.join("\n")}\n`);
    return imported.report.length > 0 ? EXIT.reported : EXIT.ok;
  } catch (e) {
    if (e instanceof UserError) {
      err(`${e.message}\n`);
      return EXIT.config;
    }
    err(`Import failed: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}

runAsCli(module, (argv) => main(argv));
