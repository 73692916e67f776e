// The command-line entry: the command line is checked against the command tree
// (generators/commands/), then the one handler that runs is imported, called, and its errors
// printed. 0 ok, 1 conflicts or failed checks, 2 bad input (nothing written). Only this module
// prints errors and picks exit codes; handlers return theirs.

import { InputError, ConflictError, GeneratedOutputError, GitError, LockError, DiskError, formatProblem } from './model/errors.ts';
import { lastResort } from './io/last-resort.ts';
import { ROOT } from './commands/index.ts';
import { parseCommandLine, UsageError, type ParsedLine } from './commands/parse.ts';
import type { Io } from './commands/types.ts';
import { GENERATOR_VERSION } from './model/versions.ts';
import { paint } from './io/colors.ts';

export type { Io };

const errorLabel = (io: Io) => paint(io.stderrColor).red(paint(io.stderrColor).bold('error:'));

const isKnownError = (err: unknown): err is InputError | ConflictError | GeneratedOutputError | GitError | LockError | DiskError =>
  err instanceof InputError || err instanceof ConflictError || err instanceof GeneratedOutputError || err instanceof GitError || err instanceof LockError || err instanceof DiskError;

export async function main(argv: string[], io: Io): Promise<number> {
  // --json may be anywhere: errors are then also one JSON document on stdout.
  const wantsJson = argv.some((a, i) => a === '--json' || a === '--output=json' || (a === '--output' && argv[i + 1] === 'json'));
  // Global flags that shape the output hold even when the rest of the line is wrong.
  if (argv.includes('--no-color')) io = { ...io, color: false, stderrColor: false };
  let parsed: ParsedLine;
  let command = argv[0] ?? '';
  try {
    parsed = parseCommandLine(ROOT, argv);
    if (parsed.kind === 'version') return io.stdout(GENERATOR_VERSION), 0;
    if (parsed.kind === 'help') {
      const { formatHelp } = await import('./commands/help-format.ts');
      io.stdout(formatHelp(ROOT, parsed.path, parsed.command, { version: GENERATOR_VERSION, columns: io.columns }));
      return 0;
    }
    command = parsed.path.join(' ');
    const handler = await parsed.command.load!();
    return await handler({ path: parsed.path, args: parsed.args, flags: parsed.flags, io });
  } catch (err) {
    // What the run did before it failed (an interrupted write finished, a stale lock taken over).
    for (const note of ((err as { notes?: string[] })?.notes ?? [])) io.stderr(`Note: ${note}.`);
    if (isKnownError(err)) {
      if (err instanceof UsageError) command = err.path.join(' ');
      if (wantsJson) io.stdout(JSON.stringify({ command, ok: false, error: err.name, message: err.message.split('\n')[0], problems: err instanceof InputError ? err.problems.map((p) => ({ ...p, text: formatProblem(p) })) : [] }, null, 2));
      const hint = (err as { hint?: unknown }).hint;
      io.stderr(`${errorLabel(io)} ${err.message}${typeof hint === 'string' ? `\n${hint}` : ''}`);
      return err.exitCode;
    }
    if ((err as any)?.yamlError) {
      io.stderr(`${errorLabel(io)} ${(err as Error).message}`);
      return 2;
    }
    // Last resort: one line (a disk error named, or "internal error" with a hint), never a stack
    // unless GITOPS_SCAFFOLD_DEBUG=1.
    const last = lastResort(err);
    if (wantsJson) io.stdout(JSON.stringify({ command, ok: false, error: 'InternalError', message: last.message, problems: [] }, null, 2));
    io.stderr(`${errorLabel(io)} ${last.message}${last.stack ? `\n${last.stack}` : ''}`);
    return last.exitCode;
  }
}

/** Colour on a stream: FORCE_COLOR wins, then NO_COLOR (any value), then whether it is a terminal. */
export function wantsColor(isTty: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return !!isTty && env.TERM !== 'dumb';
}

/**
 * The bin's entry: the process streams and environment as an Io, then `main`. An error nobody
 * anticipated is printed as one line (the stack only with GITOPS_SCAFFOLD_DEBUG=1), never as a
 * stack trace; a closed stdout (`| head`) ends the run quietly.
 */
export async function runProcess(argv: string[]): Promise<number> {
  const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s.endsWith('\n') ? s : `${s}\n`);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const io: Io = {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI,
    stderrTty: Boolean(process.stderr.isTTY) && !process.env.CI,
    writeStderr: (s) => void process.stderr.write(s),
    color: wantsColor(process.stdout.isTTY),
    stderrColor: wantsColor(process.stderr.isTTY),
    columns: process.stdout.columns,
  };
  try {
    return await main(argv, io);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const where = e?.code && e?.path ? ` (${e.code}: ${e.path})` : e?.code ? ` (${e.code})` : '';
    io.stderr(`error: ${e?.message ?? String(err)}${where}`);
    io.stderr(process.env.GITOPS_SCAFFOLD_DEBUG ? String(e?.stack ?? '') : 'This is a bug in gitops-scaffold, or a failing disk: re-run with GITOPS_SCAFFOLD_DEBUG=1 for details, and report it.');
    return 1;
  }
}
