// The write journal, `.gitops-scaffold/journal.json`: the intent of one write, on disk and synced
// before the first file is touched, removed after the manifest. It lists every step (put a
// staged file in place, delete a file) with the hash each target had when the run read it and
// the hash it will have, and the folders the write creates. Every step can be redone and undone
// from the journal and the disk alone, so:
//   - a run that fails midway undoes its steps (roll back) before it reports the error;
//   - a run that is killed midway leaves the journal, and the next run finishes the write (roll
//     forward) when every target is still as the journal expects, or undoes it otherwise, and
//     says which. Temp files (staged texts, pre-images) all live in `.gitops-scaffold/tmp/`.
// Only this module and writer.ts change the repository.

import { closeSync, copyFileSync, fchmodSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isErrno, onDisk } from './disk.ts';
import { faultPoint } from './faults.ts';
import { LOCK_RECORD_PREFIX, pidAlive } from './lock.ts';
import { JOURNAL_PATH, STATE_DIR, TMP_DIR } from './state-layout.ts';
import { sha256 } from './manifest.ts';
import type { PathGuard } from './paths.ts';

export { JOURNAL_PATH };

export interface PutStep {
  op: 'put';
  path: string;
  /** Name of the staged text in tmp/. */
  staged: string;
  /** sha256 of the text it puts. */
  sha256: string;
  /** sha256 of the file it replaces (absent: the file did not exist). */
  before?: string;
  /** Name in tmp/ of the replaced file's pre-image (kept until the journal goes). */
  old: string;
}

export interface DeleteStep {
  op: 'delete';
  path: string;
  before: string;
  old: string;
}

export type Step = PutStep | DeleteStep;

export interface Journal {
  version: 1;
  command: string;
  pid: number;
  startedAt: string;
  steps: Step[];
  /** Folders the write creates, parents first (removed again on roll back). */
  dirs: string[];
}

export class JournalDisk {
  readonly tmp: string;
  constructor(
    readonly realRoot: string,
    readonly guard: PathGuard,
  ) {
    this.tmp = path.join(realRoot, TMP_DIR);
  }

  target(rel: string): string {
    return this.guard.absolute(rel);
  }

  tmpFile(name: string): string {
    return path.join(this.tmp, name);
  }

  exists(abs: string): boolean {
    try {
      lstatSync(abs);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw err;
    }
  }

  hashOf(rel: string): string | undefined {
    const abs = this.target(rel);
    if (!this.exists(abs)) return undefined;
    return onDisk(rel, 'read', () => sha256(readFileSync(abs, 'utf8')));
  }

  ensureDir(rel: string): void {
    const parts = rel.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const abs = this.target(dir);
      if (this.exists(abs)) continue;
      onDisk(dir, 'create the folder', () => mkdirSync(abs));
    }
  }

  ensureTmp(): void {
    onDisk(TMP_DIR, 'create the folder', () => mkdirSync(this.tmp, { recursive: true }));
  }

  /** Writes a staged text with its mode. Not synced one by one (that would cost a disk flush per
   *  file): the journal records each text's hash, and recovery rolls forward only texts that are
   *  whole, so a power loss can at worst turn a roll forward into a roll back. */
  stage(name: string, forPath: string, content: string, mode: number | undefined): void {
    const abs = this.tmpFile(name);
    onDisk(forPath, 'write', () => {
      faultPoint('stage', forPath);
      const fd = openSync(abs, 'wx', mode ?? 0o666);
      try {
        // The mode a person gave the file (chmod 600) survives its rewrite; umask does not change it.
        if (mode !== undefined) fchmodSync(fd, mode);
        writeAll(fd, content);
      } finally {
        closeSync(fd);
      }
    });
  }

  /** sha256 of a staged text (undefined when it is gone). */
  stagedHash(step: PutStep): string | undefined {
    const abs = this.tmpFile(step.staged);
    if (!this.exists(abs)) return undefined;
    return onDisk(`${TMP_DIR}/${step.staged}`, 'read', () => sha256(readFileSync(abs, 'utf8')));
  }

  /** The commit point: the journal, synced, renamed into place, its folder synced. */
  writeJournal(journal: Journal, nonce: string): void {
    const staged = this.tmpFile(`journal.${process.pid}.${nonce}`);
    onDisk(JOURNAL_PATH, 'write', () => {
      const fd = openSync(staged, 'wx', 0o644);
      try {
        writeAll(fd, `${JSON.stringify(journal, null, 1)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
    onDisk(JOURNAL_PATH, 'write', () => {
      faultPoint('commit', JOURNAL_PATH);
      return renameSync(staged, path.join(this.realRoot, JOURNAL_PATH));
    });
    this.syncStateDir();
  }

  syncStateDir(): void {
    try {
      const fd = openSync(path.join(this.realRoot, STATE_DIR), 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      /* some file systems cannot sync a folder; the renames stand regardless */
    }
  }

  removeJournal(): void {
    onDisk(JOURNAL_PATH, 'delete', () => {
      faultPoint('unlink', JOURNAL_PATH);
      return rmSync(path.join(this.realRoot, JOURNAL_PATH), { force: true });
    });
  }

  /** Redo one step (idempotent: a step already done is left as it is). */
  forward(step: Step): void {
    const abs = this.target(step.path);
    const old = this.tmpFile(step.old);
    if (step.op === 'put') {
      const staged = this.tmpFile(step.staged);
      if (!this.exists(staged)) return; // already in place
      this.ensureDir(step.path);
      // Keep the replaced file's pre-image (a hard link: no copy) so the step can be undone.
      if (step.before !== undefined && !this.exists(old) && this.exists(abs)) keepPreImage(abs, old, step.path);
      onDisk(step.path, 'write', () => {
        faultPoint('rename', step.path);
        return renameSync(staged, abs);
      });
    } else {
      if (!this.exists(abs)) return; // already deleted
      // Deleting is a rename into tmp/: the file can come back until the journal goes.
      onDisk(step.path, 'delete', () => {
        faultPoint('unlink', step.path);
        return renameSync(abs, old);
      });
    }
  }

  /** Undo one step (idempotent). */
  backward(step: Step): void {
    const abs = this.target(step.path);
    const old = this.tmpFile(step.old);
    if (this.exists(old)) {
      this.ensureDir(step.path);
      onDisk(step.path, 'restore', () => {
        faultPoint('rename', step.path);
        return renameSync(old, abs);
      });
      return;
    }
    if (step.op === 'put' && step.before === undefined && !this.exists(this.tmpFile(step.staged)) && this.exists(abs)) {
      onDisk(step.path, 'delete', () => {
        faultPoint('unlink', step.path);
        return unlinkSync(abs);
      });
    }
  }

  /** Whether a step is done on disk (its staged text or its target gone). */
  done(step: Step): boolean {
    return step.op === 'put' ? !this.exists(this.tmpFile(step.staged)) : !this.exists(this.target(step.path));
  }

  /** Removes folders emptied by deletions (add-then-remove restores the tree), deepest first. */
  pruneEmpty(dirs: Iterable<string>): void {
    const all = new Set<string>();
    for (const d of dirs) for (let k = d; k; k = k.includes('/') ? k.slice(0, k.lastIndexOf('/')) : '') all.add(k);
    for (const dir of [...all].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1))) {
      const abs = this.target(dir);
      let entries: string[];
      try {
        entries = readdirSync(abs);
      } catch {
        continue;
      }
      if (entries.length) continue;
      onDisk(dir, 'remove the empty folder', () => {
        faultPoint('rmdir', dir);
        return rmdirSync(abs);
      });
    }
  }

  /** Removes a folder the write created, if nothing else landed in it. */
  removeIfEmpty(dir: string): void {
    const abs = this.target(dir);
    try {
      if (readdirSync(abs).length) return;
    } catch {
      return;
    }
    onDisk(dir, 'remove the empty folder', () => {
      faultPoint('rmdir', dir);
      return rmdirSync(abs);
    });
  }

  /** Empties tmp/ (keeping the lock records of runs that are waiting) and removes it when empty.
   *  Returns how many staged texts (`put.*`: a write that never committed) and pre-images (a
   *  write that completed) it removed. */
  cleanTmp(): { staged: number; preImages: number } {
    const removed = { staged: 0, preImages: 0 };
    let names: string[];
    try {
      names = readdirSync(this.tmp);
    } catch {
      return removed;
    }
    for (const name of names) {
      const waiting = name.startsWith(LOCK_RECORD_PREFIX) || name.startsWith('stale-lock.');
      if (waiting && pidAlive(Number(name.split('.')[1]))) continue;
      onDisk(`${TMP_DIR}/${name}`, 'delete', () => {
        faultPoint('unlink', `${TMP_DIR}/${name}`);
        return rmSync(this.tmpFile(name), { recursive: true, force: true });
      });
      if (name.startsWith('put.') || name.startsWith('journal.')) removed.staged++;
      else if (!waiting) removed.preImages++;
    }
    try {
      rmdirSync(this.tmp);
    } catch {
      /* a waiting run's record is in it */
    }
    return removed;
  }
}

export function readJournal(realRoot: string): Journal | 'damaged' | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(realRoot, JOURNAL_PATH), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return onDisk(JOURNAL_PATH, 'read', () => { throw err; });
  }
  try {
    const j = JSON.parse(text);
    return j?.version === 1 && Array.isArray(j.steps) && Array.isArray(j.dirs) ? (j as Journal) : 'damaged';
  } catch {
    return 'damaged';
  }
}

function keepPreImage(abs: string, old: string, rel: string) {
  try {
    linkSync(abs, old);
  } catch (err) {
    if (!isErrno(err) || err.code === 'ENOSPC' || err.code === 'EROFS') return onDisk(rel, 'back up', () => { throw err; });
    onDisk(rel, 'back up', () => copyFileSync(abs, old)); // no hard links here (some network file systems)
  }
}

function writeAll(fd: number, content: string) {
  const buf = Buffer.from(content, 'utf8');
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}
