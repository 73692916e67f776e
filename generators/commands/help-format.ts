// Help text, computed from the command tree: usage, arguments, every flag with its description,
// choices and default, subcommands, examples. One format for the program and every command.

import { GLOBAL_FLAGS, ROOT_FLAGS } from './flags.ts';
import type { ArgSpec, CommandSpec, FlagSpec } from './types.ts';

const PROGRAM = 'gitops-scaffold';

/** Greedy word wrap; continuation lines are indented by `indent`. */
export function wrap(text: string, width: number, indent = 0): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - (lines.length ? indent : 0)) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i ? ' '.repeat(indent) + l : l)).join('\n');
}

/** Two-column rows: the left column padded to a common width, the right one wrapped inside its column. */
function table(rows: [string, string][], width: number): string[] {
  const left = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 3);
  const column = (r: string) => wrap(r, width - left).split('\n').join(`\n${' '.repeat(left)}`);
  return rows.map(([l, r]) =>
    // A label wider than the column: the description starts on the next line, in the column.
    l.length + 3 > left ? `${l}\n${' '.repeat(left)}${column(r)}` : `${l.padEnd(left)}${column(r)}`,
  );
}

function flagLabel(name: string, f: FlagSpec): string {
  const short = f.short ? `-${f.short}, ` : '    ';
  return `  ${short}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
}

function flagText(f: FlagSpec): string {
  const extra: string[] = [];
  if (f.choices) extra.push(`one of ${f.choices.join(', ')}`);
  if (f.default !== undefined && f.default !== false) extra.push(`default: ${f.default}`);
  if (f.multiple) extra.push('repeatable');
  const tail = extra.filter((e) => !f.description.includes(e));
  if (!tail.length) return f.description;
  return f.description.endsWith(')') ? `${f.description.slice(0, -1)}; ${tail.join('; ')})` : `${f.description} (${tail.join('; ')})`;
}

const flagRows = (flags: Record<string, FlagSpec>) =>
  Object.entries(flags)
    .filter(([, f]) => !f.hidden)
    .map(([name, f]) => [flagLabel(name, f), flagText(f)] as [string, string]);

function argUsage(a: ArgSpec): string {
  const n = a.variadic ? `${a.name}...` : a.name;
  return a.required ? n : `[${n}]`;
}

export function usageOf(path: string[], c: CommandSpec): string {
  const words = [PROGRAM, ...path];
  if (!c.load && c.subcommands?.length) return `${words.join(' ')} ${c.subcommandArg ?? 'COMMAND'} [flags]`;
  const args = (c.args ?? []).map(argUsage);
  const flags = Object.keys(c.flags ?? {}).length ? ['[flags]'] : [];
  return [...words, ...args, ...flags].join(' ');
}

/** Help for the program (path []) or any command. */
export function formatHelp(root: CommandSpec, path: string[], c: CommandSpec, opts: { version: string; columns?: number }): string {
  const width = Math.max(60, Math.min(opts.columns ?? 100, 120));
  const isRoot = path.length === 0;
  const out: string[] = [];
  out.push(wrap(isRoot ? `${PROGRAM} ${opts.version}: ${root.summary}` : `${PROGRAM} ${path.join(' ')}: ${c.summary}`, width, 2));
  if (c.description) out.push('', wrap(c.description, width));
  out.push('', 'Usage:', `  ${usageOf(path, c)}`);

  const subs = (c.subcommands ?? []).filter((s) => !s.hidden);
  if (subs.length) {
    const label = (s: CommandSpec) => `  ${s.name}${s.subcommands?.length ? ` ${s.subcommandArg ?? s.subcommands[0].name}` : ''}`;
    out.push('', isRoot ? 'Commands:' : 'Subcommands:', ...table(subs.map((s) => [label(s), s.summary]), width));
  }
  if (c.args?.length) out.push('', 'Arguments:', ...table(c.args.map((a) => [`  ${a.name}`, a.choices ? `${a.description} (one of ${a.choices.join(', ')})` : a.description]), width));
  const own = flagRows(c.flags ?? {});
  if (own.length) out.push('', 'Flags:', ...table(own, width));
  out.push('', isRoot ? 'Flags:' : 'Global flags:', ...table(flagRows({ ...(isRoot ? ROOT_FLAGS : {}), ...GLOBAL_FLAGS }), width));
  if (c.examples?.length) out.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  if (isRoot || !c.load)
    out.push(
      '',
      wrap(`Run "${PROGRAM} help ${isRoot ? 'COMMAND' : `${path.join(' ')} ${subs[0]?.name ?? ''}`.trim()}" (or add --help to any command) for its flags and examples.`, width),
    );
  if (isRoot)
    out.push(
      '',
      'Exit codes: 0 ok, 1 conflicts, failed checks or a failing disk (rolled back), 2 bad or missing input (nothing written), 3 another run holds the repository lock.',
      'Without a TTY, or with CI=true, gitops-scaffold never prompts. Shell completion: gitops-scaffold completion --help.',
    );
  return out.join('\n');
}
