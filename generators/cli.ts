// The command-line entry: the command line is checked against the command tree
// (generators/commands/), then the one handler that runs is imported, called, and its errors
// printed. 0 ok, 1 conflicts or failed checks, 2 bad input (nothing written). Only this module
// prints errors and picks exit codes; handlers return theirs.

import { InputError, ConflictError, GeneratedOutputError, formatProblem } from './model/errors.ts';
import { ROOT } from './commands/index.ts';
import { parseCommandLine, UsageError, type ParsedLine } from './commands/parse.ts';
import type { Io } from './commands/types.ts';
import { GENERATOR_VERSION } from './model/versions.ts';

export type { Io };

const isKnownError = (err: unknown): err is InputError | ConflictError | GeneratedOutputError => err instanceof InputError || err instanceof ConflictError || err instanceof GeneratedOutputError;

export async function main(argv: string[], io: Io): Promise<number> {
  // --json may be anywhere: errors are then also one JSON document on stdout.
  const wantsJson = argv.some((a, i) => a === '--json' || a === '--output=json' || (a === '--output' && argv[i + 1] === 'json'));
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
    if (parsed.flags['no-color']) io = { ...io, color: false };
    const handler = await parsed.command.load!();
    return await handler({ path: parsed.path, args: parsed.args, flags: parsed.flags, io });
  } catch (err) {
    if (isKnownError(err)) {
      if (err instanceof UsageError) command = err.path.join(' ');
      if (wantsJson) io.stdout(JSON.stringify({ command, ok: false, error: err.name, message: err.message.split('\n')[0], problems: err instanceof InputError ? err.problems.map((p) => ({ ...p, text: formatProblem(p) })) : [] }, null, 2));
      io.stderr(`error: ${err.message}${err instanceof UsageError ? `\n${err.hint}` : ''}`);
      return err.exitCode;
    }
    if ((err as any)?.yamlError) {
      io.stderr(`error: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}
