// The repository lock: `.gitops-scaffold/lock`, held by every run that may write, for the whole
// read -> plan -> apply. Like Git's `index.lock`, it is created atomically: the holder's record
// (pid, host, command, start time, a random nonce) is written to a private file and hard-linked
// into place, so the lock exists only complete and only one process can create it. A second run
// waits a bounded time, then fails with exit 3 naming the holder. A lock whose holder is gone
// (same host, pid no longer running, or our own pid without our nonce after a pid reuse) is taken
// over, and the run says so.

import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LockError } from '../model/errors.ts';
import { onDisk } from './disk.ts';

import { LOCK_PATH, STATE_DIR, TMP_DIR } from './state-layout.ts';

export { LOCK_PATH, STATE_DIR, TMP_DIR };

export interface LockRecord {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  nonce: string;
}

export interface HeldLock {
  file: string;
  record: LockRecord;
  /** Set when a stale lock was taken over: what the run prints. */
  takeover?: string;
  /** The first folder taking the lock created (the repository itself on a first init, or its
   *  `.gitops-scaffold`): removed again when the run writes nothing. */
  created?: string;
}

/** Nonces of the locks this process holds (a lock with our pid but another nonce is stale). */
const held = new Set<string>();

/** Default wait for a busy lock: GITOPS_SCAFFOLD_LOCK_WAIT seconds, else 10 s. */
export function defaultLockWaitMs(): number {
  const env = Number(process.env.GITOPS_SCAFFOLD_LOCK_WAIT);
  return Number.isFinite(env) && env >= 0 ? env * 1000 : 10_000;
}

/** Private lock records of runs waiting for the lock: `tmp/lock.<pid>.<nonce>` (kept while that pid runs). */
export const LOCK_RECORD_PREFIX = 'lock.';

/** Whether a temp file named by pid belongs to a run still alive on this host. */
export function pidAlive(pid: number): boolean {
  return pid === process.pid || alive(pid);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readRecord(file: string): LockRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return typeof r?.pid === 'number' && typeof r?.host === 'string' ? r : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // unreadable or half-written by a foreign tool: treat as held by an unknown process
    return { pid: -1, host: 'unknown', command: 'unknown', startedAt: 'unknown', nonce: '' };
  }
}

const describe = (r: LockRecord) => `pid ${r.pid} on ${r.host}, "${r.command}", since ${r.startedAt}`;

/** Why the holder is gone, or undefined while it may still run. */
function staleReason(r: LockRecord): string | undefined {
  if (r.host !== hostname() || r.pid <= 0) return undefined; // another machine: cannot know
  if (r.pid === process.pid) return held.has(r.nonce) ? undefined : 'its pid is this process, which does not hold it (pid reused after a crash)';
  return alive(r.pid) ? undefined : 'that process is no longer running';
}

export function acquireLock(root: string, command: string, waitMs = defaultLockWaitMs()): HeldLock {
  const file = path.join(root, LOCK_PATH);
  const record: LockRecord = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
  const mine = path.join(root, TMP_DIR, `${LOCK_RECORD_PREFIX}${process.pid}.${record.nonce}`);
  // The record goes into tmp/. The run that holds the lock removes tmp/ when it is empty, so the
  // folder can vanish between our mkdir and our open: then create it again (a record in it keeps
  // it from then on).
  let created: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const made = onDisk(TMP_DIR, 'create the folder', () => mkdirSync(path.join(root, TMP_DIR), { recursive: true }));
    created ??= made;
    try {
      const fd = openSync(mine, 'wx', 0o644);
      try {
        // not synced: after a power loss no holder survives, and a stale lock is taken over
        writeSync(fd, `${JSON.stringify(record)}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 20) continue;
      onDisk(LOCK_PATH, 'create', () => { throw err; });
    }
  }
  const deadline = Date.now() + waitMs;
  let takeover: string | undefined;
  try {
    for (let pause = 25; ; pause = Math.min(pause * 2, 200)) {
      try {
        linkSync(mine, file);
        held.add(record.nonce);
        return { file, record, takeover, created };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return onDisk(LOCK_PATH, 'create', () => { throw err; });
      }
      const holder = readRecord(file);
      if (!holder) continue; // released between our link and our read: try again at once
      const stale = staleReason(holder);
      if (stale) {
        // Move the stale lock aside atomically; only the run that moved exactly that record goes on.
        const aside = path.join(root, TMP_DIR, `stale-lock.${process.pid}.${record.nonce}`);
        try {
          renameSync(file, aside);
        } catch {
          continue; // someone else moved it first
        }
        const moved = readRecord(aside);
        if (moved && moved.nonce === holder.nonce && moved.pid === holder.pid) {
          rmSync(aside, { force: true });
          takeover = `took over the lock of ${describe(holder)}: ${stale}`;
          continue;
        }
        // We moved a fresh lock someone took meanwhile: put it back (link: never over a newer one).
        try {
          linkSync(aside, file);
        } catch {
          /* a third run holds it now; the one we moved will notice before it writes */
        }
        rmSync(aside, { force: true });
        continue;
      }
      if (Date.now() >= deadline)
        throw new LockError(
          `${root} is locked by another gitops-scaffold run (${describe(holder)}); nothing was written. Wait for it to finish and re-run${waitMs ? ` (waited ${waitMs / 1000} s; GITOPS_SCAFFOLD_LOCK_WAIT=SECONDS waits longer)` : ''}. If no such run exists, delete ${file}.`,
          file,
        );
      sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
    }
  } catch (err) {
    rmSync(mine, { force: true });
    removeEmptyStateDirs(root, created);
    throw err;
  } finally {
    rmSync(mine, { force: true });
  }
}

/** After a run (or a lock never taken): tmp/, and the folders taking the lock created, when empty
 *  (rmdir only: a folder holding anything stays, and so does everything above it). */
export function removeEmptyStateDirs(root: string, created: string | undefined): void {
  const tmp = path.join(root, TMP_DIR);
  const dirs = [tmp];
  if (created)
    for (let d = path.dirname(tmp); d.length >= created.length; d = path.dirname(d)) {
      dirs.push(d);
      if (d === created) break;
    }
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
}

/** Before the first write: the lock is still ours (a takeover race or a hand-deleted lock stops the run). */
export function assertStillHeld(lock: HeldLock): void {
  const now = readRecord(lock.file);
  if (now?.nonce !== lock.record.nonce)
    throw new LockError(`the repository lock ${lock.file} was removed or taken over while this run held it (${now ? describe(now) : 'no lock now'}); nothing was written. Re-run when no other gitops-scaffold run is active.`, lock.file);
}

export function releaseLock(lock: HeldLock): void {
  held.delete(lock.record.nonce);
  const now = readRecord(lock.file);
  if (now?.nonce === lock.record.nonce) {
    try {
      unlinkSync(lock.file);
    } catch {
      /* already gone */
    }
  }
}
