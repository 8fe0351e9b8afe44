// The exit codes of the project's commands (`npm run plan`, `npm run import`), and how each runs
// as a command: its `main`'s code becomes the process's, an unexpected error exit 3.
export const EXIT = {
  ok: 0,
  /** The plan: a mandatory policy fails. */
  policy: 1,
  /** Invalid configuration, stack files, policy config or arguments. */
  config: 2,
  /** The program, or an API, failed for another reason. */
  failure: 3,
  /** The import: written, with a report of what was left out or changes on the first `pulumi up`. */
  reported: 4,
} as const;

/** Runs `main` with the process's arguments when `module` is the one Node started. */
export function runAsCli(module: NodeJS.Module, main: (argv: string[]) => Promise<number>, showStack = false): void {
  if (require.main !== module) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? ((showStack ? err.stack : undefined) ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
