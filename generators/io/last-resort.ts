// What the CLI entry says about an error nobody typed: never a stack trace for bad input or a
// failing disk. An errno error that escaped (EACCES, ENOSPC, ...) becomes the same one-line
// DiskError the writer throws; anything else is an internal error (a bug), one line with a hint,
// and the stack only with GITOPS_SCAFFOLD_DEBUG=1.

import { DiskError } from '../model/errors.ts';
import { diskError, isErrno } from './disk.ts';

export interface LastResort {
  message: string;
  exitCode: number;
  /** The stack, only when GITOPS_SCAFFOLD_DEBUG is set. */
  stack?: string;
}

const ACTIONS: Record<string, string> = { open: 'open', read: 'read', write: 'write', rename: 'rename', unlink: 'delete', mkdir: 'create the folder', rmdir: 'remove the folder', stat: 'inspect', lstat: 'inspect', scandir: 'list' };

const firstLine = (s: string) => s.split('\n')[0].slice(0, 500);

export function lastResort(err: unknown, env: NodeJS.ProcessEnv = process.env): LastResort {
  const debug = !!env.GITOPS_SCAFFOLD_DEBUG && env.GITOPS_SCAFFOLD_DEBUG !== '0';
  const stack = debug && err instanceof Error ? err.stack : undefined;
  if (err instanceof DiskError) return { message: err.message, exitCode: err.exitCode, stack };
  if (isErrno(err)) {
    const d = diskError(err, err.path ?? '(a file)', ACTIONS[err.syscall ?? ''] ?? 'access');
    return { message: d.message, exitCode: d.exitCode, stack };
  }
  const what = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${firstLine(err.message)}` : firstLine(String(err));
  return {
    message: `internal error: ${what} (this is a bug in gitops-scaffold, not in your input; re-run with GITOPS_SCAFFOLD_DEBUG=1 to see where it happened, and report it)`,
    exitCode: 1,
    stack,
  };
}
