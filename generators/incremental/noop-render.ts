// The no-op fast path of `render`: when nothing a render reads has changed since a render that
// changed nothing, the result is that render's, without parsing the model, planning, rendering or
// checking. "Nothing changed" is proven, not guessed: the record (in .gitops-scaffold/cache/,
// derived data) holds a key over every input that is not a repository file (this tool's code and
// schemas, the pins, platform.yaml, the inputs it reads from the repository, the manifest, the
// flags) and the size, mtime, ctime and inode of every file (the names of every folder) the plan read, each
// checked against the disk (a stat apiece) before the record is believed. A record is written only
// after a full render that was a no-op and only when re-reading every file it read finds the same
// text, so a file edited while that run ran can never be hidden by it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, ensureCacheDir, readCacheText } from '../check/cache-store.ts';
import { STATE_DIR } from '../io/state-layout.ts';
import { sha256 } from '../io/manifest.ts';
import type { CheckOutcome } from '../check/generated.ts';
import type { Change } from '../io/changes.ts';

const FORMAT = 'gitops-scaffold-noop-render-1';
const FILE = 'noop-render.json';

// ctime too: an edit that puts the old mtime back (utimes) still moves ctime.
type Stat = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

interface NoopRecord {
  format: string;
  key: string;
  /** Files the plan read, with their stats; paths it looked for that did not exist. */
  files: [string, ...Stat][];
  missing: string[];
  /** Folders whose names the plan listed (a proposal appearing there changes the plan). */
  dirs: [string, number, number, string[]][];
  result: { changes: Change[]; check?: CheckOutcome; files: number };
}

export interface NoopResult {
  changes: Change[];
  check?: CheckOutcome;
  files: number;
}

export function noopKey(parts: Record<string, unknown>): string {
  const h = createHash('sha256').update(FORMAT);
  for (const [k, v] of Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${k}\0${typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined'}`);
  return h.digest('hex');
}

const statOf = (abs: string): Stat | undefined => {
  try {
    const st = fs.statSync(abs);
    return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
  } catch {
    return undefined;
  }
};

/** The recorded result when the record's key is `key` and every recorded stat still holds. */
export function recordedNoop(realRoot: string, key: string): NoopResult | undefined {
  let record: NoopRecord;
  try {
    record = JSON.parse(readCacheText(path.join(realRoot, CACHE_DIR, FILE)) ?? 'null');
  } catch {
    return undefined;
  }
  if (record?.format !== FORMAT || record.key !== key) return undefined;
  for (const [rel, ...want] of record.files) {
    const st = statOf(path.join(realRoot, rel));
    if (!st || st.some((v, i) => v !== want[i])) return undefined;
  }
  for (const rel of record.missing) if (statOf(path.join(realRoot, rel))) return undefined;
  for (const [rel, mtime, ino, names] of record.dirs) {
    const st = statOf(path.join(realRoot, rel));
    if (!st) return undefined;
    // A run's own lock and temp files touch .gitops-scaffold/: then compare the names themselves.
    if ((st[1] !== mtime || st[3] !== ino) && !sameNames(path.join(realRoot, rel), rel, names)) return undefined;
  }
  return record.result;
}

/** Run-time entries of the state folder (lock, journal, tmp/, cache/): never part of a plan. */
const runTime = (dir: string, name: string) => dir === STATE_DIR && ['lock', 'journal.json', 'tmp', 'cache'].includes(name);

function sameNames(abs: string, rel: string, names: readonly string[]): boolean {
  try {
    const now = fs.readdirSync(abs).filter((n) => !runTime(rel, n));
    const want = names.filter((n) => !runTime(rel, n));
    return now.length === want.length && want.every((n) => now.includes(n));
  } catch {
    return false;
  }
}

export interface ReadSet {
  /** Every path the plan looked for, with the sha256 of what it read (undefined: absent). */
  files: ReadonlyMap<string, string | undefined>;
  /** Folders whose names it listed, with the names. */
  dirs: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Records a no-op render's result for `key`, after checking that the disk still holds exactly
 * what the run read (stat first, then read and compare: a later edit changes the stat).
 */
export function recordNoop(realRoot: string, key: string, read: ReadSet, result: NoopResult): void {
  const files: NoopRecord['files'] = [];
  const missing: string[] = [];
  const dirs: NoopRecord['dirs'] = [];
  try {
    for (const [rel, hash] of read.files) {
      const abs = path.join(realRoot, rel);
      const st = statOf(abs);
      if (hash === undefined) {
        if (st) return;
        missing.push(rel);
        continue;
      }
      if (!st || sha256(fs.readFileSync(abs, 'utf8')) !== hash) return;
      files.push([rel, ...st]);
    }
    for (const [rel, names] of read.dirs) {
      const abs = path.join(realRoot, rel);
      const st = statOf(abs);
      if (!st) {
        if (names.size) return;
        missing.push(rel);
        continue;
      }
      if (!sameNames(abs, rel, [...names])) return;
      dirs.push([rel, st[1], st[3], [...names].filter((n) => !runTime(rel, n)).sort()]);
    }
    // Only what the output needs: never file contents.
    const changes = result.changes.map(({ content: _c, before: _b, ...rest }) => rest);
    // The check's outcome without the check cache it carries (that lives in its own file).
    const check = result.check && { validators: result.check.validators, resources: result.check.resources, errors: result.check.errors, warnings: result.check.warnings, findings: result.check.findings };
    const record: NoopRecord = { format: FORMAT, key, files, missing, dirs, result: { changes, check, files: result.files } };
    const dir = ensureCacheDir(realRoot);
    const tmp = path.join(dir, `${FILE}.tmp-${process.pid}`);
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, path.join(dir, FILE));
  } catch {
    /* best effort: the next render plans in full */
  }
}
