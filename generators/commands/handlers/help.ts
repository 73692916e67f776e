import { ROOT } from '../index.ts';
import { formatHelp } from '../help-format.ts';
import { UsageError, resolveCommand } from '../parse.ts';
import { didYouMean } from '../suggest.ts';
import { GENERATOR_VERSION } from '../../model/versions.ts';
import type { Handler } from '../types.ts';

/** `help [COMMAND...]`: the same text as `COMMAND --help`. */
export const help: Handler = async ({ args, io }) => {
  const { path, command, rest } = resolveCommand(ROOT, args);
  if (rest.length) {
    const names = (command.subcommands ?? []).filter((c) => !c.hidden).map((c) => c.name);
    throw new UsageError(['help'], `gitops-scaffold help: no command "${args.join(' ')}"`, [{ path: rest[0], message: `unknown ${path.length ? `${path.join(' ')} subcommand` : 'command'}`, fix: didYouMean(rest[0], names) || `use one of: ${names.join(', ')}` }]);
  }
  io.stdout(formatHelp(ROOT, path, command, { version: GENERATOR_VERSION, columns: io.columns }));
  return 0;
};
