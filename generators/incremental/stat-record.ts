// The stat record: what the last run knew of each repository file it read, so the next run reads
// and hashes only files that changed since (adding a service to a 500-service fleet compares
// ~7,700 files; it reads ~20). Git's index does the same, with the same rule for "racy" entries.
//
// An entry is (path, stat signature, sha256 of the text): the signature is size, mtime and ctime
// in nanoseconds, inode and device, from an lstat taken BEFORE the file was read and hashed (so a
// change after the stat changes the stat; a change between stat and read is in the hash). A file
// is believed unchanged only when its lstat now gives exactly that signature (a regular file,
// never a link); anything else is read. Why that holds:
//   - every write moves ctime (the kernel sets it; `touch -d` and utimes set mtime, never ctime),
//     and a rename over the file or a copy gives another inode;
//   - racy entries: a file changed in the same clock tick as its stat, later, would keep its
//     signature. So an entry is recorded only when its mtime and ctime are strictly older than the
//     run's `since` (the lock's timestamps, read before the first stat, from the same file-system
//     clock): a change after the stat then gets a ctime >= since > the recorded one. With a
//     margin (RACY_MARGIN_NS, 3 s): a folder on another file system inside the repository may
//     count time in coarser steps (FAT: 2 s) or by a slightly different clock (NFS);
//   - files this run writes are not recorded (their stat after the rename could pair a later
//     edit's stat with our text); the next run reads them.
// Derived data in .gitops-scaffold/cache/stat.record (never committed); damaged, foreign or missing
// = every file read, as without it. test/incremental/stat-record.test.ts tries to fool it.
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, ensureCacheDir, readCacheText } from '../check/cache-store.ts';

const FORMAT = 'gitops-scaffold-stat-record-1';
const FILE = 'stat.record';

export interface StatEntry {
  /** statSignature() of the lstat taken before the text was read. */
  sig: string;
  sha256: string;
  /** Loaded from a record: it passed the racy rule of the run that recorded it, which keeps
   *  holding (a change after that stat moved its ctime), so it is not checked again. */
  settled?: true;
  /** This run's stat: the later of its mtime and ctime (ns), for the racy rule at save. */
  newest?: bigint;
  /** Its line in the record it was loaded from (written back as is). */
  line?: string;
}

export interface DirEntry {
  /** statSignature() of the folder's lstat taken before its names were listed. */
  sig: string;
  names: readonly string[];
  settled?: true;
  newest?: bigint;
  line?: string;
}

export interface StatRecord {
  files: Map<string, StatEntry>;
  /** Folders whose names a run listed (a folder's mtime and ctime move when an entry is created,
   *  removed or renamed in it). */
  dirs: Map<string, DirEntry>;
}

export const emptyStatRecord = (): StatRecord => ({ files: new Map(), dirs: new Map() });

/** size:mtimeNs:ctimeNs:ino:dev of a bigint lstat (compared as a whole string). */
export const statSignature = (st: fs.BigIntStats): string => `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;

/** The later of an lstat's mtime and ctime (StatEntry.newest). */
export const newestOf = (st: fs.BigIntStats): bigint => (st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs);

/** newestOf() from a signature (size:mtimeNs:ctimeNs:ino:dev). */
export function newestOfSig(sig: string): bigint {
  const a = sig.indexOf(':');
  const b = sig.indexOf(':', a + 1);
  const mtime = BigInt(sig.slice(a + 1, b));
  const ctime = BigInt(sig.slice(b + 1, sig.indexOf(':', b + 1)));
  return mtime > ctime ? mtime : ctime;
}

/** The file-system time before which an entry may be trusted: the lock's timestamps (read
 *  before the first stat of the run). Undefined (no lock: a dry run) = nothing is recorded. */
export function recordSince(lockFile: string | undefined): bigint | undefined {
  if (!lockFile) return undefined;
  try {
    const st = fs.lstatSync(lockFile, { bigint: true });
    return st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs;
  } catch {
    return undefined;
  }
}

/** The record the last run left in `realRoot` (empty when none, damaged or foreign). */
export function loadStatRecord(realRoot: string): StatRecord {
  const text = readCacheText(path.join(realRoot, CACHE_DIR, FILE));
  const out = emptyStatRecord();
  if (text === undefined || !text.startsWith(`${FORMAT}\n`) || !text.endsWith('\nend\n')) return out;
  const lines = text.split('\n');
  // header, entries ("f\tpath\tsig\tsha256" | "d\tpath\tsig\tname/name/..."), "end", ""
  for (let i = 1; i < lines.length - 2; i++) {
    const line = lines[i];
    const a = line.indexOf('\t', 2);
    const b = line.indexOf('\t', a + 1);
    if (a < 2 || b < 0) return emptyStatRecord();
    if (line.startsWith('f\t') && line.length - b - 1 === 64) out.files.set(line.slice(2, a), { sig: line.slice(a + 1, b), sha256: line.slice(b + 1), settled: true, line });
    else if (line.startsWith('d\t')) out.dirs.set(line.slice(2, a), { sig: line.slice(a + 1, b), names: b + 1 === line.length ? [] : line.slice(b + 1).split('/'), settled: true, line });
    else return emptyStatRecord();
  }
  return out;
}

/** How much older than the run's start an entry's timestamps must be to be recorded. */
export const RACY_MARGIN_NS = 3_000_000_000n;

/** The margin; GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS is a test seam (tests write files and record
 *  them within milliseconds; the rule itself is tested with the real margin). */
function racyMargin(): bigint {
  const ms = process.env.GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS;
  return ms !== undefined && /^\d{1,6}$/.test(ms) ? BigInt(ms) * 1_000_000n : RACY_MARGIN_NS;
}

/** Not racy: mtime and ctime (of a signature) older than `since` by the margin, or settled when recorded. */
function settled(e: StatEntry | DirEntry, since: bigint): boolean {
  if (e.settled) return true;
  const before = since - racyMargin();
  if (e.newest !== undefined) return e.newest < before;
  const [, mtime, ctime] = e.sig.split(':').map((s) => BigInt(s));
  return mtime < before && ctime < before;
}

const plain = (s: string) => !s.includes('\n') && !s.includes('\t');

/**
 * Writes the record (atomic rename; errors cost speed only): `record` minus the files this run
 * wrote or deleted, and minus racy entries (mtime or ctime not older than `since` minus the margin).
 */
export function saveStatRecord(realRoot: string, since: bigint, record: StatRecord, changed: ReadonlySet<string>): void {
  const lines: string[] = [FORMAT];
  // A loaded entry (settled, unchanged: readFiles hands the loaded object on) keeps its line.
  for (const [p, e] of record.files) if (!changed.has(p) && (e.line !== undefined || (plain(p) && settled(e, since)))) lines.push(e.line ?? `f\t${p}\t${e.sig}\t${e.sha256}`);
  for (const [p, e] of record.dirs) if (e.line !== undefined || (plain(p) && e.names.every((n) => plain(n) && !n.includes('/')) && settled(e, since))) lines.push(e.line ?? `d\t${p}\t${e.sig}\t${e.names.join('/')}`);
  lines.push('end', '');
  let tmp: string | undefined;
  try {
    const dir = ensureCacheDir(realRoot);
    tmp = path.join(dir, `${FILE}.tmp-${process.pid}`);
    fs.rmSync(tmp, { force: true });
    // 'wx': never through a link planted at the temp name
    fs.writeFileSync(tmp, lines.join('\n'), { flag: 'wx' });
    fs.renameSync(tmp, path.join(dir, FILE));
    tmp = undefined;
  } catch {
    /* best effort: the next run reads every file */
  } finally {
    if (tmp) try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to undo */ }
  }
}
