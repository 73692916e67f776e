// Failing disks, in people's terms. Every fs call of the reader, the lock, the journal and the
// writer goes through `onDisk(file, action, fn)`, which turns an errno error (EACCES, ENOSPC,
// EROFS, EISDIR, ENOTDIR, ...) into a DiskError: one line naming the file, the reason and the fix.
// Anything else (a bug) passes through unchanged.

import { DiskError } from '../model/errors.ts';

const REASONS: Record<string, { reason: string; fix: string }> = {
  EACCES: { reason: 'permission denied', fix: 'check the owner and permissions of the file and its folder (ls -ld), or run as a user that may write there' },
  EPERM: { reason: 'operation not permitted', fix: 'check the file is not immutable or locked (lsattr, chflags) and that you own it' },
  ENOSPC: { reason: 'no space left on the device', fix: 'free some space (df -h) and re-run' },
  EDQUOT: { reason: 'disk quota exceeded', fix: 'free some space within your quota and re-run' },
  EROFS: { reason: 'read-only file system', fix: 'run on a writable checkout (or remount the file system read-write)' },
  EISDIR: { reason: 'is a folder where gitops-scaffold needs a file', fix: 'move the folder away, or remove the entity from platform.yaml' },
  ENOTDIR: { reason: 'a file sits where gitops-scaffold needs a folder', fix: 'move that file away (a parent of this path must be a folder)' },
  ENOTEMPTY: { reason: 'folder is not empty', fix: 'move its contents away' },
  EEXIST: { reason: 'already exists', fix: 'move it away and re-run' },
  ENAMETOOLONG: { reason: 'path is too long for the file system', fix: 'use shorter names in platform.yaml or a shorter repository path' },
  ELOOP: { reason: 'too many levels of symbolic links', fix: 'replace the symbolic link loop with a real folder' },
  EMFILE: { reason: 'too many open files in this process', fix: 'raise the limit (ulimit -n) and re-run' },
  ENFILE: { reason: 'too many open files on the system', fix: 'close other programs or raise the system limit, and re-run' },
  EIO: { reason: 'input/output error', fix: 'check the disk (dmesg) and re-run' },
  EBUSY: { reason: 'resource busy', fix: 'close the program using it and re-run' },
  ETXTBSY: { reason: 'file is busy', fix: 'close the program using it and re-run' },
  EXDEV: { reason: 'crosses a mount point', fix: 'keep the repository (and its .gitops-scaffold folder) on one file system' },
  ENOENT: { reason: 'no such file or folder', fix: 'check the path exists (something removed it during the run?)' },
  EAGAIN: { reason: 'resource temporarily unavailable', fix: 're-run' },
  ESTALE: { reason: 'stale network file handle', fix: 'remount the network file system and re-run' },
};

export const isErrno = (err: unknown): err is NodeJS.ErrnoException => typeof (err as NodeJS.ErrnoException)?.code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;

/** `action`: what was being done, e.g. "write", "read", "delete", "create the folder". */
export function diskError(err: NodeJS.ErrnoException, file: string, action: string, rolledBack = false): DiskError {
  const known = REASONS[err.code!];
  const reason = known?.reason ?? `${err.code} (${err.message.split(',')[0]})`;
  const fix = known?.fix ?? 'check the file and its folder and re-run';
  const tail = rolledBack ? '; the repository was rolled back' : '';
  return new DiskError(`cannot ${action} ${file}: ${reason}${tail} (fix: ${fix})`, file, err.code!);
}

/** Runs one fs action, naming `file` (relative to the repository where possible) if it fails. */
export function onDisk<T>(file: string, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isErrno(err)) throw diskError(err, file, action);
    throw err;
  }
}
