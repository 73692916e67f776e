// The only module that writes to the repository (with journal.ts, whose steps it runs).
//
// apply(): stage every text in `.gitops-scaffold/tmp/` (synced), commit the journal, then put
// each file in place by rename and delete by rename into tmp/ (pre-images kept as hard links),
// the manifest last; prune emptied folders; remove the journal; empty tmp/. If anything fails,
// every step is undone from the journal before the error (one line, naming the file) is thrown:
// a failed run leaves the repository as it was.
//
// recover(): at the start of every writing run, under the lock: a journal left by a killed run
// is finished (or undone, when a file changed since), leftover temp files are removed, and the
// run says what it did.

import { randomBytes } from 'node:crypto';
import { ConflictError, DiskError, InputError } from '../model/errors.ts';
import { JOURNAL_PATH, JournalDisk, readJournal, type Journal, type Step } from './journal.ts';
import { assertStillHeld, type HeldLock } from './lock.ts';
import { sha256 } from './manifest.ts';

export interface PutFile {
  path: string;
  content: string;
  /** Permission bits to give the file (the replaced file's, or the backed-up file's); default by umask. */
  mode?: number;
  /** sha256 of the file it replaces, as the run read it (absent: it did not exist). */
  before?: string;
}

export interface WritePlan {
  /** Files to write, in order; the manifest is the last. */
  puts: PutFile[];
  deletes: { path: string; before: string }[];
}

const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** Adds the rollback to a disk error's message: the one line the CLI prints. */
function rolledBack(err: unknown, how: string): unknown {
  if (err instanceof DiskError) return new DiskError(err.message.replace(/ \(fix: /, `; ${how} (fix: `), err.file, err.code);
  return err;
}

/** `onStep`: called after each file is in place or deleted (progress). */
export function apply(disk: JournalDisk, lock: HeldLock, plan: WritePlan, onStep: () => void = () => {}): void {
  assertStillHeld(lock);
  const nonce = randomBytes(6).toString('hex');
  const tag = `${process.pid}.${nonce}`;
  const steps: Step[] = [];
  plan.puts.forEach((p, i) => steps.push({ op: 'put', path: p.path, staged: `put.${tag}.${i}`, sha256: sha256(p.content), ...(p.before !== undefined ? { before: p.before } : {}), old: `old.${tag}.${i}` }));
  // Deletions before the manifest (the last put): the manifest only lands once the tree matches it.
  const manifest = steps.pop();
  plan.deletes.forEach((d, i) => steps.push({ op: 'delete', path: d.path, before: d.before, old: `gone.${tag}.${i}` }));
  if (manifest) steps.push(manifest);
  // Folders the write creates, parents first (only those: roll back removes them again).
  const dirs: string[] = [];
  const seen = new Set<string>(['']);
  for (const p of plan.puts)
    for (let d = parentOf(p.path), chain: string[] = []; ; d = parentOf(d)) {
      if (seen.has(d)) {
        dirs.push(...chain);
        break;
      }
      seen.add(d);
      if (disk.exists(disk.target(d))) {
        dirs.push(...chain);
        break;
      }
      chain.unshift(d);
    }

  try {
    disk.ensureTmp();
    plan.puts.forEach((p, i) => disk.stage(`put.${tag}.${i}`, p.path, p.content, p.mode));
  } catch (err) {
    safely(() => disk.cleanTmp());
    throw rolledBack(err, 'nothing was changed');
  }
  const journal: Journal = { version: 1, command: lock.record.command, pid: process.pid, startedAt: lock.record.startedAt, steps, dirs };
  try {
    disk.writeJournal(journal, nonce);
  } catch (err) {
    safely(() => disk.removeJournal());
    safely(() => disk.cleanTmp());
    throw rolledBack(err, 'nothing was changed');
  }
  try {
    for (const s of steps) {
      disk.forward(s);
      onStep();
    }
    disk.pruneEmpty(plan.deletes.map((d) => parentOf(d.path)).filter(Boolean));
    disk.removeJournal();
  } catch (err) {
    try {
      rollBack(disk, journal);
    } catch {
      throw new DiskError(`${err instanceof Error ? err.message : String(err)}; undoing the partial write failed too: the next gitops-scaffold run finishes or undoes it from ${JOURNAL_PATH}`, err instanceof DiskError ? err.file : JOURNAL_PATH, err instanceof DiskError ? err.code : 'EIO');
    }
    throw rolledBack(err, 'the repository was rolled back');
  }
  safely(() => disk.cleanTmp()); // the write stands; a leftover is cleaned by the next run
}

function rollBack(disk: JournalDisk, journal: Journal, keep: (s: Step) => boolean = () => false): void {
  for (const s of [...journal.steps].reverse()) if (!keep(s)) disk.backward(s);
  for (const d of [...journal.dirs].reverse()) disk.removeIfEmpty(d);
  disk.removeJournal();
  disk.cleanTmp();
}

function safely(fn: () => void) {
  try {
    fn();
  } catch {
    /* best effort */
  }
}

/**
 * Finishes or undoes what a killed run left. Returns the sentence the run prints, or undefined
 * when there was nothing to do. `dryRun`: never writes; a pending journal is an error instead.
 */
export function recover(disk: JournalDisk, dryRun = false): string | undefined {
  const journal = readJournal(disk.realRoot);
  if (journal === undefined) {
    if (dryRun) return undefined;
    const removed = disk.cleanTmp();
    if (removed.staged) return `removed ${removed.staged + removed.preImages} temp file(s) of an interrupted run that had not changed any file yet`;
    if (removed.preImages) return `removed ${removed.preImages} temp file(s) of an interrupted run whose write had completed`;
    return undefined;
  }
  if (journal === 'damaged')
    throw new InputError(`${JOURNAL_PATH} is damaged: an interrupted write cannot be finished or undone; nothing was written`, [{ path: JOURNAL_PATH, message: 'is not a journal gitops-scaffold wrote', fix: `check the repository with git status / git diff, restore what is wrong, then delete ${JOURNAL_PATH} and .gitops-scaffold/tmp` }]);
  const who = `"${journal.command}", pid ${journal.pid}, started ${journal.startedAt}`;
  if (dryRun) throw new ConflictError(`an interrupted write (${who}) is pending in ${JOURNAL_PATH}; --dry-run writes nothing, so it cannot finish it. Run any gitops-scaffold command without --dry-run (e.g. render) to finish it, then plan again.`, [JOURNAL_PATH]);
  // Roll forward only when every step still finds the disk as the killed run left it.
  const changed: { step: Step; why: string }[] = [];
  for (const s of journal.steps) {
    const now = disk.hashOf(s.path);
    const done = disk.done(s);
    const expected = done ? (s.op === 'put' ? s.sha256 : undefined) : s.before;
    if (now !== expected) changed.push({ step: s, why: `${s.path} changed since` });
    // a staged text not yet in place must be whole (staged texts are not synced one by one)
    else if (!done && s.op === 'put' && disk.stagedHash(s) !== s.sha256) changed.push({ step: s, why: `the staged text of ${s.path} is incomplete` });
  }
  if (!changed.length) {
    for (const s of journal.steps) disk.forward(s);
    disk.pruneEmpty(journal.steps.filter((s) => s.op === 'delete').map((s) => parentOf(s.path)).filter(Boolean));
    disk.removeJournal();
    safely(() => disk.cleanTmp());
    return `finished the write of an interrupted run (${who}): ${journal.steps.length} file(s) now as that run intended`;
  }
  // Undo it, but keep any file a person changed after the kill (neither its old nor its new text).
  const kept = new Set(
    changed
      .map((c) => c.step)
      .filter((s) => {
        const now = disk.hashOf(s.path);
        return now !== s.before && !(s.op === 'put' && now === s.sha256);
      }),
  );
  rollBack(disk, journal, (s) => kept.has(s));
  const why = changed.map((c) => c.why);
  return `undid the write of an interrupted run (${who}) because ${why.slice(0, 3).join(', ')}${why.length > 3 ? ` and ${why.length - 3} more` : ''}${kept.size ? `; kept your later changes to ${[...kept].map((s) => s.path).slice(0, 3).join(', ')}` : ''}`;
}
