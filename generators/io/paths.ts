// Path safety: every path the tool reads, writes or deletes is relative to the repository's real
// path, and none may cross a symbolic link that leads out of it. A link inside the repository
// that points inside it is followed as the file system would; one that points outside (a folder
// `apps -> /etc`, a managed file linked to ~/.ssh/id_rsa) stops the run with exit 2 naming the
// link, before anything is read through it or written.

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.ts';
import { onDisk } from './disk.ts';

/** The real path of `dir` (symlinks resolved), also when it, or its last folders, do not exist yet. */
export function realPathOf(dir: string): string {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    try {
      return path.join(realpathSync(d), ...missing);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A loop of symbolic links is how the user's tree is set up, not a failing disk: bad input.
      if (code === 'ELOOP') throw symlinkLoop(d);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(d) === d) return onDisk(d, 'resolve', () => { throw err; });
      missing.unshift(path.basename(d));
    }
  }
}

/** The InputError (exit 2) of a path that is, or passes through, a loop of symbolic links. */
export const symlinkLoop = (p: string) =>
  new InputError(`${p} is a loop of symbolic links; nothing was written`, [{ path: p, message: 'resolving it never ends (too many levels of symbolic links)', fix: 'point the link at a real file or folder, or pass another path' }]);

export const isInside = (realRoot: string, abs: string) => abs === realRoot || abs.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);

/** An empty, `.` or `..` segment (one test instead of splitting every path of a fleet). */
const NOT_PLAIN_SEGMENT = /(?:^|[\\/])\.{0,2}(?:[\\/]|$)/;

/** A repository-relative path the planner produced: never absolute, never `..`, never empty. */
export function assertRelative(rel: string): void {
  if (!rel || rel.includes('\0') || path.isAbsolute(rel) || NOT_PLAIN_SEGMENT.test(rel))
    throw new Error(`gitops-scaffold refused the path "${rel}": it is not a plain path inside the repository (this is a bug in the tool)`);
}

export interface Escape {
  /** The link, relative to the repository. */
  link: string;
  /** Where it points. */
  target: string;
}

/**
 * Resolves repository-relative paths against the real root, one folder at a time, remembering
 * each folder so a run over thousands of files makes one lstat per folder and file.
 */
export class PathGuard {
  private readonly dirs = new Map<string, { abs: string } | { escape: Escape }>();

  constructor(readonly realRoot: string) {
    this.dirs.set('', { abs: realRoot });
  }

  /** Where `rel` really is on disk, or the link that leads it out of the repository. */
  resolve(rel: string): { abs: string } | { escape: Escape } {
    assertRelative(rel);
    const segments = rel.split('/');
    let known = '';
    let at: { abs: string } | { escape: Escape } = { abs: this.realRoot };
    // the longest folder prefix already resolved
    for (let i = segments.length - 1; i > 0; i--) {
      const prefix = segments.slice(0, i).join('/');
      const hit = this.dirs.get(prefix);
      if (hit) {
        known = prefix;
        at = hit;
        break;
      }
    }
    if ('escape' in at) return at;
    let abs = at.abs;
    const start = known ? known.split('/').length : 0;
    for (let i = start; i < segments.length; i++) {
      const relHere = segments.slice(0, i + 1).join('/');
      const next = path.join(abs, segments[i]);
      const step = this.step(next, relHere);
      if ('escape' in step) {
        if (i < segments.length - 1) this.dirs.set(relHere, step);
        return step;
      }
      abs = step.abs;
      if (i < segments.length - 1) this.dirs.set(relHere, { abs });
    }
    return { abs };
  }

  /** The absolute path to use for `rel`; throws InputError (exit 2) naming the link if it leaves. */
  absolute(rel: string): string {
    const r = this.resolve(rel);
    if ('escape' in r) throw escapeError([{ path: rel, ...r.escape }]);
    return r.abs;
  }

  private step(next: string, relHere: string): { abs: string } | { escape: Escape } {
    let stat;
    try {
      stat = lstatSync(next);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { abs: next }; // not there (yet): nothing to follow
      return onDisk(relHere, 'inspect', () => { throw err; });
    }
    if (!stat.isSymbolicLink()) return { abs: next };
    let target: string;
    try {
      target = realpathSync(next);
    } catch {
      // dangling or looping link: judge it by where it points
      target = path.resolve(path.dirname(next), onDisk(relHere, 'read the link', () => readlinkSync(next)));
    }
    if (!isInside(this.realRoot, target)) return { escape: { link: relHere, target } };
    return { abs: target };
  }
}

export function escapeError(escapes: (Escape & { path: string })[]): InputError {
  const links = [...new Map(escapes.map((e) => [e.link, e])).values()];
  return new InputError(`symbolic link${links.length > 1 ? 's' : ''} leading out of the repository; nothing was read through ${links.length > 1 ? 'them' : 'it'} or written`, links.map((e) => ({ path: e.link, message: `is a symbolic link to ${e.target}, outside the repository (gitops-scaffold would write or read ${e.path} there)`, fix: `replace ${e.link} with a real ${e.link === e.path ? 'file' : 'folder'} inside the repository, or remove what needs it from platform.yaml` })));
}
