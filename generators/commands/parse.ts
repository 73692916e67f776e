// Command line -> (command, arguments, flags), checked against the command tree. node:util
// parseArgs splits the line into tokens; every check is made here against the command that runs,
// so a flag of another command, a missing value or a value outside the choices is an error that
// names the flag and the fix (exit 2), all of them at once.

import { parseArgs } from 'node:util';
import { InputError, type Problem } from '../model/errors.ts';
import { GLOBAL_FLAGS, ROOT_FLAGS } from './flags.ts';
import { canonicalChoice, didYouMean } from './suggest.ts';
import type { CommandSpec, FlagSpec } from './types.ts';

export type ParsedLine =
  | { kind: 'run'; path: string[]; command: CommandSpec; args: string[]; flags: Record<string, any> }
  | { kind: 'help'; path: string[]; command: CommandSpec }
  | { kind: 'version' };

const usageLine = (path: string[]) => `gitops-scaffold ${path.join(' ')}`.trim();

/** Thrown for a command line that does not fit the tree (an InputError: exit 2, nothing runs). */
export class UsageError extends InputError {
  /** The line printed under the problems. */
  readonly hint: string;
  constructor(
    readonly path: string[],
    headline: string,
    problems: Problem[],
  ) {
    super(headline, problems);
    this.hint = `Run "${usageLine(path)} --help" for usage.`;
  }
}

/** Every flag a command accepts: its own, the global ones, and --version on the bare program. */
export function flagsOf(command: CommandSpec, isRoot: boolean): Record<string, FlagSpec> {
  return { ...(command.flags ?? {}), ...GLOBAL_FLAGS, ...(isRoot ? ROOT_FLAGS : {}) };
}

const visible = (commands: readonly CommandSpec[] | undefined) => (commands ?? []).filter((c) => !c.hidden);

/** Every leaf command of the tree with its words, e.g. [['add','service'], spec]. */
export function leaves(root: CommandSpec, prefix: string[] = []): [string[], CommandSpec][] {
  return (root.subcommands ?? []).flatMap((c) => (c.subcommands?.length ? leaves(c, [...prefix, c.name]) : [[[...prefix, c.name], c] as [string[], CommandSpec]]));
}

/**
 * Resolves the command words. Flags may come before them (`--repo ../x add service web`): they
 * are kept, with the value of a flag that takes one, and checked against the command found.
 */
export function resolveCommand(root: CommandSpec, argv: readonly string[]): { path: string[]; command: CommandSpec; rest: string[] } {
  const takesValue = new Set(leaves(root).flatMap(([, c]) => Object.entries(c.flags ?? {}).filter(([, f]) => f.type === 'string').map(([n]) => `--${n}`)));
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') {
    leading.push(argv[i]);
    if (takesValue.has(argv[i]) && i + 1 < argv.length) leading.push(argv[++i]);
    i++;
  }
  let command = root;
  const path: string[] = [];
  while (i < argv.length && command.subcommands?.length) {
    const word = argv[i];
    const next = command.subcommands.find((c) => c.name === word);
    if (!next) break;
    command = next;
    path.push(word);
    i++;
  }
  return { path, command, rest: [...leading, ...argv.slice(i)] };
}


export function parseCommandLine(root: CommandSpec, argv: readonly string[]): ParsedLine {
  const { path, command, rest } = resolveCommand(root, argv);
  if (command.rawArgs && command.load) return { kind: 'run', path, command, args: argv.slice(argv.indexOf(path.at(-1)!) + 1), flags: {} };
  const isRoot = path.length === 0;
  const flags = flagsOf(command, isRoot);
  const options = Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, { type: f.type, multiple: !!f.multiple, ...(f.short ? { short: f.short } : {}) }]));
  const { tokens } = parseArgs({ args: [...rest], options, strict: false, allowPositionals: true, tokens: true });

  const problems: Problem[] = [];
  const values: Record<string, any> = {};
  const positionals: string[] = [];
  const knownRaw = new Set(Object.entries(flags).flatMap(([name, f]) => [`--${name}`, ...(f.short ? [`-${f.short}`] : [])]));
  // The value after an unknown flag that takes one elsewhere (`lint --tenant x`) is not an argument.
  const skip = new Set<number>();
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue; // what follows `--` is positional
    if (t.kind === 'positional') {
      if (!skip.has(t.index)) positionals.push(t.value);
      continue;
    }
    const spec = flags[t.name];
    if (!spec) {
      problems.push(unknownFlag(root, path, command, t.rawName, isRoot));
      if (!t.inlineValue && leaves(root).some(([, c]) => c.flags?.[t.name]?.type === 'string')) skip.add(t.index + 1);
      continue;
    }
    if (spec.type === 'boolean') {
      if (t.inlineValue) problems.push({ path: t.rawName, message: 'takes no value', fix: `write ${t.rawName} alone` });
      else values[t.name] = true;
      continue;
    }
    // A string flag: parseArgs takes the next word as its value even when it is another flag.
    if (t.value === undefined || (!t.inlineValue && knownRaw.has(String(t.value).split('=')[0]))) {
      problems.push({ path: `--${t.name}`, message: `needs a value (${spec.value ?? 'VALUE'})`, fix: `write --${t.name} ${spec.value ?? 'VALUE'}${t.value !== undefined ? ` (a value starting with "-" is written --${t.name}=VALUE)` : ''}` });
      continue;
    }
    let value = String(t.value);
    if (spec.choices) {
      const canonical = canonicalChoice(value, spec.choices);
      if (canonical === undefined) {
        const hint = didYouMean(value, spec.choices);
        problems.push({ path: `--${t.name}`, message: `"${value}" is not one of ${spec.choices.join(', ')}`, fix: hint || `use one of ${spec.choices.join(', ')}` });
        continue;
      }
      value = canonical;
    }
    if (spec.multiple) (values[t.name] ??= []).push(value);
    else values[t.name] = value;
  }

  if (values.help) return { kind: 'help', path, command };
  if (isRoot && values.version) return { kind: 'version' };

  // A group (`add`, `schemas`) or the bare program: the next word must be one of its commands.
  if (!command.load) {
    const word = positionals[0];
    const names = visible(command.subcommands).map((c) => c.name);
    if (word === undefined && isRoot && !problems.length) return { kind: 'help', path, command };
    const where = isRoot ? 'command' : `${path.join(' ')} subcommand`;
    const what = command.subcommandArg?.toLowerCase() ?? (isRoot ? 'command' : 'subcommand');
    if (word === undefined) problems.unshift({ path: usageLine(path), message: `needs a ${what}: ${names.join(', ')}`, fix: `e.g. ${usageLine([...path, names[0]])}` });
    else problems.unshift({ path: word, message: `unknown ${where}`, fix: didYouMean(word, names) || `use one of: ${names.join(', ')}` });
    throw new UsageError(path, `${usageLine(path)}: ${word === undefined ? `missing the ${what}` : `unknown ${where} "${word}"`}`, problems);
  }

  const args = command.args ?? [];
  const variadic = args.at(-1)?.variadic;
  if (!variadic && positionals.length > args.length)
    problems.push({ path: positionals.slice(args.length).join(' '), message: args.length ? `unexpected argument${positionals.length - args.length > 1 ? 's' : ''} (${usageLine(path)} takes ${args.map((a) => a.name).join(' ')})` : `unexpected argument (${usageLine(path)} takes no arguments)`, fix: `see ${usageLine(path)} --help` });
  args.forEach((a, i) => {
    if (a.required && positionals[i] === undefined) problems.push({ path: a.name, message: `required: ${a.description}`, fix: `${usageLine(path)} ${args.map((x) => x.name).join(' ')}` });
    if (a.choices && positionals[i] !== undefined) {
      const canonical = canonicalChoice(positionals[i], a.choices);
      if (canonical === undefined) problems.push({ path: a.name, message: `"${positionals[i]}" is not one of ${a.choices.join(', ')}`, fix: didYouMean(positionals[i], a.choices) || `use one of ${a.choices.join(', ')}` });
      else positionals[i] = canonical;
    }
  });
  if (problems.length) throw new UsageError(path, `${usageLine(path)}: ${problems.length === 1 ? 'bad command line' : `${problems.length} problems on the command line`}; nothing was done`, problems);

  for (const [name, f] of Object.entries(flags)) if (values[name] === undefined && f.default !== undefined) values[name] = f.default;
  return { kind: 'run', path, command, args: positionals, flags: values };
}

/** An unknown flag: the closest flag of this command, or the commands it belongs to. */
function unknownFlag(root: CommandSpec, path: string[], command: CommandSpec, raw: string, isRoot: boolean): Problem {
  const name = raw.replace(/^--?/, '');
  const own = Object.entries(flagsOf(command, isRoot)).filter(([, f]) => !f.hidden);
  const hint = didYouMean(raw, own.map(([n]) => `--${n}`));
  const owners = leaves(root)
    .filter(([, c]) => !c.hidden && c !== command && c.flags?.[name])
    .map(([words]) => words.join(' '));
  const where = usageLine(path);
  if (isRoot && owners.length) return { path: raw, message: `is a flag of a command (${owners.slice(0, 4).join(', ')}${owners.length > 4 ? ', ...' : ''}), and no command was given`, fix: `e.g. gitops-scaffold ${owners[0]} ${raw}` };
  if (hint) return { path: raw, message: `unknown flag for ${where}`, fix: hint };
  if (owners.length) return { path: raw, message: `is not a flag of ${where} (it belongs to ${owners.slice(0, 4).join(', ')}${owners.length > 4 ? ', ...' : ''})`, fix: `see ${where} --help for its flags` };
  return { path: raw, message: `unknown flag for ${where}`, fix: `see ${where} --help for its flags` };
}
