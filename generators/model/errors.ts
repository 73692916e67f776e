// Typed errors. Library code throws these; only the CLI entry prints them and picks the exit
// code (2 for input problems, 1 for conflicts or failed checks), as changesets does.

export interface Problem {
  /** Where, in the user's terms: `clusters[2].environment`, `--set`, `platform.yaml`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix?: string;
  /** The file the field is in, and its line (1-based), when the model came from a file. */
  file?: string;
  line?: number;
}

export const formatProblem = (p: Problem) => `${p.file && p.line ? `${p.file}:${p.line}: ` : ''}${p.path}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`;

/** Bad input: a spec that does not validate, an unknown flag, a missing answer. Exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly headline: string,
    readonly problems: Problem[] = [],
  ) {
    super([headline, ...problems.map((p) => `  - ${formatProblem(p)}`)].join('\n'));
    this.name = 'InputError';
  }
}

/** Something that would have been written conflicts with the user's files. Exit code 1. */
export class ConflictError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * The generator produced output that fails its own checks: a bug in the tool. Exit code 1.
 * (Not `details`: uvu reads `err.details` as its own diff text, and its reporter dies silently on
 * an array, hiding every failure of a test file that meets this error.)
 */
export class GeneratedOutputError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super([message, ...problems.map((d) => `  - ${d}`)].join('\n'));
    this.name = 'GeneratedOutputError';
  }
}

/**
 * Git or the Git host refused an operation the command needs (an unreachable remote, a rejected
 * push). Exit code 1: the input was fine, the world said no; nothing in the repository changed.
 */
export class GitError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message}\n  fix: ${fix}`);
    this.name = 'GitError';
  }
}

/** Another gitops-scaffold run holds the repository lock. Exit code 3; nothing was written. */
export class LockError extends Error {
  readonly exitCode = 3;
  constructor(
    message: string,
    readonly lockFile: string,
  ) {
    super(message);
    this.name = 'LockError';
  }
}

/**
 * The disk refused a read or write (permission, space, read-only file system, a folder where a
 * file goes, ...). Exit code 1. The message is one line naming the file, the reason and the fix;
 * a failed write has been rolled back when this reaches the CLI.
 */
export class DiskError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly file: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DiskError';
  }
}
