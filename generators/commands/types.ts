// The shape of the command tree. Every command is a plain object (name, flags, arguments, help
// text, examples) plus a lazily imported handler, so help, flag checking and shell completion are
// computed from data, and start-up loads only the handler of the command that runs.
// How to add a command or a global flag: see generators/commands/README.md.

/** Where a value is completed from, for shell completion (`gitops-scaffold completion`). */
export type Completion =
  | 'file'
  | 'dir'
  | 'none'
  /** Names declared in the platform.yaml of the repository (--repo, or found from the current folder). */
  | { model: 'services' | 'tenants' | 'clusters' | 'environments' };

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One line, lower case, no final period: what the flag does (and its default when not obvious). */
  description: string;
  /** Placeholder for the value in help: FILE, DIR, URL, NAME... (string flags). */
  value?: string;
  /** The flag may be given more than once; its value is then a list. */
  multiple?: boolean;
  /** One-letter alias: `y` for `-y`. */
  short?: string;
  /** Accepted values (canonical spellings; kebab-case and case variants are accepted and mapped). */
  choices?: readonly string[];
  /** Applied when the flag is absent; shown in help. */
  default?: string | boolean;
  complete?: Completion;
  /** Accepted, not listed in help or completion (kept for compatibility). */
  hidden?: boolean;
}

export interface ArgSpec {
  /** Upper case in help: NAME, DIR. */
  name: string;
  description: string;
  required?: boolean;
  /** Takes every remaining positional (must be last). */
  variadic?: boolean;
  choices?: readonly string[];
  complete?: Completion;
}

/** What a handler gets: the parsed and checked command line. */
export interface RunContext {
  /** The command words, e.g. ['add', 'service']. */
  path: string[];
  /** Positional arguments, in order (after the command words). */
  args: string[];
  /** Flag values by long name (defaults applied; multiple flags are arrays). */
  flags: Record<string, any>;
  io: Io;
}

export type Handler = (ctx: RunContext) => Promise<number>;

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs shown in the command's own help, under the summary. */
  description?: string;
  args?: readonly ArgSpec[];
  flags?: Readonly<Record<string, FlagSpec>>;
  /** Shown in help; each is a full command line, optionally followed by "  # comment". */
  examples?: readonly string[];
  subcommands?: readonly CommandSpec[];
  /** A group's word for its subcommand in usage lines (`KIND` for add); default: the first subcommand's name. */
  subcommandArg?: string;
  /** The handler, imported only when this command runs. Absent on groups (`add`, `schemas`). */
  load?: () => Promise<Handler>;
  /** Every word after the command is an argument, flags included (__complete receives a command line). */
  rawArgs?: boolean;
  /** Not listed in help or completion (internal commands such as __complete). */
  hidden?: boolean;
}

/** How a command reaches the terminal. The bin builds it from process streams and the env. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** A person can answer prompts (stdin and stdout are TTYs, CI is not set). */
  interactive: boolean;
  /** stderr is a terminal (and CI is not set): progress may be drawn there. */
  stderrTty?: boolean;
  /** Raw text to stderr, no newline added (progress lines). */
  writeStderr?: (text: string) => void;
  /** Colour is wanted on stdout (a TTY and NO_COLOR unset, or FORCE_COLOR set); `--no-color` turns it off. */
  color?: boolean;
  /** The same for stderr (errors, progress). */
  stderrColor?: boolean;
  /** Terminal width for help text. */
  columns?: number;
  /** Asks a yes/no question (default: inquirer on the terminal; tests inject answers). */
  confirm?: (message: string) => Promise<boolean>;
}
