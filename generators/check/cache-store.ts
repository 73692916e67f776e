// Where the pre-write check keeps its cache (incremental.ts): `.gitops-scaffold/cache/check.index` + `check.data`
// in the generated repository, beside a `.gitignore` that keeps the whole folder out of Git. It is
// derived data: never in the manifest, never committed, and losing it (or finding it corrupt, or
// written by another version) only costs a full check. One line per file entry; a run appends the
// lines of entries it created or changed (a later line wins), and rewrites the file (a temporary
// file renamed into place, unchanged lines copied as read) when it would hold more than about
// twice the live entries, was written by other code, or does not end in a whole line.
// The render memo (incremental/render-memo.ts) lives beside it in `render.memo`, and the
// simulation's cache (simulate/rendered.ts) in `sim.jsonl`; both kept alike.
// An append goes to a regular file only (O_NOFOLLOW): a link planted there is replaced, never
// followed. A torn append (a killed run) fails the next load as a whole: a full check, never a
// half-read entry.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from './finding.ts';
import { CHECK_CACHE_FORMAT, type CheckCache, type FileEntry, type FileSummary } from './incremental.ts';
import { RENDER_MEMO_FORMAT, renderMemoChanged, type RenderMemo } from '../incremental/render-memo.ts';
import { SplitValue } from './split-value.ts';

export const CACHE_DIR = '.gitops-scaffold/cache';
const RENDER_FILE = 'render.memo';
const SIM_FILE = 'sim.jsonl';
const SIM_FORMAT = 'gitops-scaffold-sim-cache-1';

/**
 * A cache file's text, or undefined (none, unreadable, not a regular file): a FIFO or a device
 * put where a cache file goes is never read (it would block the run forever), and a cache that
 * cannot be read only costs speed.
 */
export function readCacheText(file: string, read?: { bytes?: number }): string | undefined {
  const bytes = readCacheBytes(file);
  if (bytes === undefined) return undefined;
  if (read) read.bytes = bytes.length;
  // Mostly ASCII (hashes, YAML, JSON): then latin1 makes the same string without a UTF-8
  // decode (13 MB: ~2 ms instead of ~20-50).
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** A cache file's bytes, or undefined (as readCacheText). */
function readCacheBytes(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) return undefined;
    return fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Removes a cache temp file; failing to (a file where the cache folder goes...) costs nothing. */
function dropTemp(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    /* the write failed before creating it, or its folder is not one */
  }
}

/** Where the check cache's entries are on disk (CheckCache.store). */
interface CheckStore {
  /** Generation of the data file the index points into. */
  gen: string;
  /** Entry records by file key: byte offset and length (without the newline). */
  at: Map<string, [number, number]>;
  /**
   * Each index line as loaded, by path, with the record it was parsed into: a record still ===
   * that one, whose entry stays where it was, is written back as the same line (no re-serialising).
   */
  lines?: Map<string, { summary: FileSummary; line: string }>;
  /**
   * The index file as loaded: its size in bytes (a save appends only when it is still that), and
   * about how many of them a rewrite would hold (its live lines and globals).
   */
  index?: { size: number; live: number };
}

/** Characters of the live lines (one per file) and the globals: about what a rewrite writes. */
function live(files: ReadonlyMap<string, FileSummary>, lines: ReadonlyMap<string, { line: string }>, globals: number): number {
  let n = globals + 1;
  for (const p of files.keys()) n += (lines.get(p)?.line.length ?? 0) + 1;
  return n;
}

const INDEX_FILE = 'check.index';
const DATA_FILE = 'check.data';
/** A path, kind or tag list field that needs no quoting in an index line. */
const PLAIN_FIELD = /^[\w.@+/-]+$/;
const field = (v: string) => (PLAIN_FIELD.test(v) ? v : JSON.stringify(v));
const unfield = (v: string): string => (v.startsWith('"') ? JSON.parse(v) : v);

/**
 * The cache a previous run left in `root`, or null (none, unreadable, another format). Only the
 * index (`check.index`: a header, the cross-file jobs, a line per manifest file) is read whole;
 * a file's entry is read from `check.data` by its offset when the check asks for it.
 */
export function loadCheckCache(root: string): CheckCache | null {
  const dir = path.join(root, CACHE_DIR);
  const read: { bytes?: number } = {};
  const text = readCacheText(path.join(dir, INDEX_FILE), read);
  if (text === undefined) return null;
  try {
    let at = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, at));
    if (header?.format !== CHECK_CACHE_FORMAT || typeof header.fingerprint !== 'string' || typeof header.gen !== 'string') return null;
    let next: number;
    const files = new Map<string, FileSummary>();
    const locations = new Map<string, [number, number]>();
    const lines = new Map<string, { summary: FileSummary; line: string }>();
    // Most files' lint records are the same text (same config, same reads): parsed once each.
    // Shared between records, so never changed in place (a run replaces a record's `lint`).
    const lints = new Map<string, FileSummary['lint']>();
    // Where the last globals line is: what the lines before it (since the one before) commit.
    let globalsAt = -1;
    let globalsEnd = -1;
    at++;
    while (at < text.length) {
      next = text.indexOf('\n', at);
      if (next < 0) return null; // cut short
      if (text.charCodeAt(at) === 123 /* { */) {
        globalsAt = at;
        globalsEnd = next;
        at = next + 1;
        continue;
      }
      const line = text.slice(at, next);
      const f = line.split('\t');
      at = next + 1;
      if (f.length === 2 && f[0] === '!') {
        // A file gone since the lines before (appended by a later run).
        const gone = unfield(f[1]);
        // Its entry is no longer named (a key is one path's: its content's hash with the path).
        const was = files.get(gone);
        if (was) locations.delete(was.key);
        files.delete(gone);
        lines.delete(gone);
        continue;
      }
      if (f.length !== 9) return null;
      const [p, key, kinds, pods, flags, offset, length, lint, kz] = f;
      let lintRecord = lint === '-' ? undefined : lints.get(lint);
      if (lint !== '-' && !lintRecord) lints.set(lint, (lintRecord = JSON.parse(lint)));
      const summary: FileSummary = {
        key,
        kinds: kinds === '-' ? [] : kinds.startsWith('[') ? JSON.parse(kinds) : kinds.split(','),
        pods: pods ? pods.split(',').map(Number) : [],
        flags: Number(flags),
        ...(lint === '-' ? {} : { lint: lintRecord }),
        ...(kz === '-' ? {} : { kz: JSON.parse(kz) }),
      };
      const path = unfield(p);
      const was = files.get(path);
      if (was) locations.delete(was.key); // a later line wins, its entry too
      files.set(path, summary);
      lines.set(path, { summary, line });
      if (offset !== '-') locations.set(key, [Number(offset), Number(length)]);
    }
    // Lines after the last globals line are a save cut short: start over.
    if (globalsEnd < 0 || globalsEnd !== text.length - 1) return null;
    const globals = JSON.parse(text.slice(globalsAt, globalsEnd));
    const store: CheckStore = { gen: header.gen, at: locations, lines, index: { size: read.bytes!, live: live(files, lines, globalsEnd - globalsAt) } };
    return { format: header.format, fingerprint: header.fingerprint, files, others: globals.others, roles: globals.roles, passes: globals.passes, jobs: globals.jobs, entry: entryReader(path.join(dir, DATA_FILE), store), store };
  } catch {
    return null; // hand-edited, from another version: start over
  }
}
/**
 * Reads entries from the data file by offset (one read each; the whole file once many are
 * asked for). A record that is not where the index says (another generation, cut short,
 * overwritten) is no entry: the check makes it again from the file.
 */
function entryReader(file: string, store: CheckStore): (key: string) => FileEntry | undefined {
  let valid: boolean | undefined;
  let whole: Buffer | undefined;
  let reads = 0;
  const withFile = <T>(fn: (fd: number) => T): T | undefined => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      return fs.fstatSync(fd).isFile() ? fn(fd) : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };
  // The data file the index was written with (its generation), or none.
  const check = () =>
    (valid ??= !!withFile((fd) => {
      const head = Buffer.alloc(256);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      const nl = head.subarray(0, n).indexOf(10);
      const header = nl < 0 ? undefined : JSON.parse(head.subarray(0, nl).toString('utf8'));
      return header?.format === CHECK_CACHE_FORMAT && header.gen === store.gen;
    }));
  return (key) => {
    const loc = store.at.get(key);
    if (!loc || !check()) return undefined;
    try {
      const [offset, length] = loc;
      let bytes: Buffer | undefined;
      if (!whole && ++reads > 64) whole = withFile((fd) => fs.readFileSync(fd));
      if (whole) bytes = whole.subarray(offset, offset + length + 1);
      else
        bytes = withFile((fd) => {
          const b = Buffer.alloc(length + 1);
          return fs.readSync(fd, b, 0, length + 1, offset) === length + 1 ? b : undefined;
        });
      if (!bytes || bytes.length !== length + 1 || bytes[length] !== 10) return undefined;
      const record = bytes.toString('utf8', 0, length);
      if (!record.startsWith(`${key}\t`)) return undefined;
      return entryOf(record.slice(key.length + 1));
    } catch {
      return undefined;
    }
  };
}

/**
 * A file entry's record: the entry as JSON with each resource's object JSON (`json`, most of the
 * bytes) replaced by `true` and appended after it, tab-separated (JSON text holds no raw tab), so
 * loading slices those strings instead of unescaping them as strings inside JSON.
 */
function recordOf(entry: FileEntry): string {
  const objects: string[] = [];
  const resources = (entry.resources ?? []).map((r) => (r.json === undefined ? r : (objects.push(r.json), { ...r, json: true })));
  const text = JSON.stringify({ ...entry, resources });
  return objects.length ? `${text}\t${objects.join('\t')}` : text;
}

function entryOf(record: string): FileEntry | undefined {
  const tab = record.indexOf('\t');
  const entry = JSON.parse(tab < 0 ? record : record.slice(0, tab));
  if (!entry || typeof entry !== 'object' || !Array.isArray(entry.resources ?? [])) return undefined;
  let at = tab;
  for (const r of entry.resources ?? []) {
    if (r?.json !== true) continue;
    if (at < 0) return undefined; // fewer objects than the entry names: not a record this module wrote
    const next = record.indexOf('\t', at + 1);
    r.json = record.slice(at + 1, next < 0 ? undefined : next);
    at = next;
  }
  return at < 0 ? entry : undefined; // as many objects as named, no more
}

/** The cache folder, created with the .gitignore that keeps it out of Git; its absolute path. */
export function ensureCacheDir(root: string): string {
  const dir = path.join(root, CACHE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# gitops-scaffold caches: derived data, never committed\n*\n');
  return dir;
}

/** Entries at most this many times the live ones (plus slack) before the file is rewritten. */
const GROWTH = 2;
const SLACK = 64;
const SLACK_BYTES = 1024 * 1024;

/**
 * Saves the cache: the entries made this run appended to the data file (or, when it holds more
 * than about twice the live bytes or is not the one the index named, the live entries written to
 * a new one), then the index rewritten atomically (a temporary file renamed into place), so it
 * only ever names records that are on disk. Errors cost speed only.
 */
export function saveCheckCache(root: string, cache: CheckCache): void {
  const dir = path.join(root, CACHE_DIR);
  const dataFile = path.join(dir, DATA_FILE);
  const previous = cache.store as CheckStore | undefined;
  const fresh = cache.fresh ?? new Map<string, FileEntry>();
  const live = new Set([...cache.files.values()].map((s) => s.key));
  if (previous && !fresh.size && unchangedSince(cache, previous)) return;
  try {
    ensureCacheDir(root);
    const at = new Map<string, [number, number]>();
    let gen = previous?.gen;
    // Append when the data file is the index's and will stay within bounds.
    let appended = false;
    if (gen && previous) {
      const size = dataSize(dataFile, gen);
      let liveBytes = 0;
      for (const k of live) if (!fresh.has(k)) liveBytes += previous.at.get(k)?.[1] ?? 0;
      const records = [...fresh].filter(([k]) => live.has(k)).map(([k, e]) => `${k}\t${recordOf(e)}`);
      for (const r of records) liveBytes += Buffer.byteLength(r);
      if (size !== undefined && size + liveBytes <= GROWTH * liveBytes + SLACK_BYTES + SLACK * 1024) {
        let offset = size;
        const parts: string[] = [];
        for (const [k, e] of fresh) {
          if (!live.has(k)) continue;
          const record = `${k}\t${recordOf(e)}`;
          at.set(k, [offset, Buffer.byteLength(record)]);
          offset += Buffer.byteLength(record) + 1;
          parts.push(record, '\n');
        }
        if (!parts.length || appendTo(dataFile, parts.join(''), size)) {
          appended = true;
          for (const k of live) if (!at.has(k) && previous.at.has(k)) at.set(k, previous.at.get(k)!);
        } else at.clear();
      }
    }
    if (!appended) {
      // A new data file: the live entries, those not made this run copied from the old file as they are.
      gen = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const read = previous ? rawReader(dataFile, previous) : () => undefined;
      const parts: string[] = [JSON.stringify({ format: CHECK_CACHE_FORMAT, gen }), '\n'];
      let offset = Buffer.byteLength(parts[0]) + 1;
      for (const k of live) {
        const record = fresh.has(k) ? `${k}\t${recordOf(fresh.get(k)!)}` : read(k);
        if (record === undefined) continue;
        at.set(k, [offset, Buffer.byteLength(record)]);
        offset += Buffer.byteLength(record) + 1;
        parts.push(record, '\n');
      }
      const tmp = `${dataFile}.tmp-${process.pid}`;
      try {
        fs.writeFileSync(tmp, parts.join(''));
        fs.renameSync(tmp, dataFile);
      } catch (e) {
        dropTemp(tmp);
        throw e;
      }
    }
    writeIndex(path.join(dir, INDEX_FILE), cache, gen!, at, previous);
  } catch {
    /* the cache is derived data: next run checks more */
  }
}

/** Nothing to write: no entry made, every index record and job as loaded. */
function unchangedSince(cache: CheckCache, previous: CheckStore): boolean {
  for (const s of cache.files.values()) if (!previous.at.has(s.key)) return false;
  return cache.unchanged === true;
}

/** The data file's size when it is a regular file of this generation, else undefined. */
function dataSize(file: string, gen: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return undefined;
    const head = Buffer.alloc(256);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const nl = head.subarray(0, n).indexOf(10);
    if (nl < 0 || JSON.parse(head.subarray(0, nl).toString('utf8'))?.gen !== gen) return undefined;
    // A torn last record (a killed run) would shift every offset after it: only append after a whole line.
    const last = Buffer.alloc(1);
    if (fs.readSync(fd, last, 0, 1, st.size - 1) !== 1 || last[0] !== 10) return undefined;
    return st.size;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Records of the old data file as they are (bytes, not parsed), by key. */
function rawReader(file: string, store: CheckStore): (key: string) => string | undefined {
  let whole: Buffer | undefined | null;
  return (key) => {
    if (whole === null) return undefined;
    if (!whole) {
      try {
        const text = readCacheText(file);
        whole = text === undefined ? null : Buffer.from(text);
        const nl = whole?.indexOf(10) ?? -1;
        if (whole && (nl < 0 || JSON.parse(whole.subarray(0, nl).toString('utf8'))?.gen !== store.gen)) whole = null;
      } catch {
        whole = null;
      }
      if (!whole) return undefined;
    }
    const loc = store.at.get(key);
    if (!loc || whole[loc[0] + loc[1]] !== 10) return undefined;
    const record = whole.toString('utf8', loc[0], loc[0] + loc[1]);
    return record.startsWith(`${key}\t`) ? record : undefined;
  };
}

/**
 * Writes the index: a header, a line per manifest file, then the globals (jobs, roles, other
 * paths) as the last line, which commits the lines before it. When the data file is the one the
 * index was loaded with and the index is as loaded, only what changed is appended: the lines of
 * records that are not the ones loaded (or whose entry moved), a `!` line per file gone, and the
 * globals (a later line wins; lines after the last globals line are a cut-short save, and the
 * next load starts over). Rewritten whole when it would hold more than about twice the live lines.
 */
function writeIndex(file: string, cache: CheckCache, gen: string, at: ReadonlyMap<string, [number, number]>, previous?: CheckStore): void {
  const globals = JSON.stringify({ others: cache.others, roles: cache.roles, passes: cache.passes, jobs: cache.jobs });
  const simpleKinds = (kinds: string[]) => kinds.every((k) => PLAIN_FIELD.test(k));
  const lineOf = (p: string, s: FileSummary, loc: [number, number] | undefined) =>
    [
      field(p),
      s.key,
      s.kinds.length === 0 ? '-' : simpleKinds(s.kinds) ? s.kinds.join(',') : JSON.stringify(s.kinds),
      s.pods.join(','),
      String(s.flags),
      loc ? String(loc[0]) : '-',
      loc ? String(loc[1]) : '-',
      s.lint ? JSON.stringify(s.lint) : '-',
      s.kz ? JSON.stringify(s.kz) : '-',
    ].join('\t');
  // The record as loaded, its entry where it was: the line as loaded (it parses into this record).
  const asLoaded = (p: string, s: FileSummary, loc: [number, number] | undefined): string | undefined => {
    const loaded = previous?.lines?.get(p);
    if (loaded?.summary !== s) return undefined;
    const was = previous!.at.get(s.key);
    return (loc === undefined ? was === undefined : was !== undefined && was[0] === loc[0] && was[1] === loc[1]) ? loaded.line : undefined;
  };
  if (previous?.index && previous.lines && previous.gen === gen) {
    const parts: string[] = [];
    let live = globals.length + 1;
    for (const [p, s] of cache.files) {
      const loc = at.get(s.key);
      let line = asLoaded(p, s, loc);
      if (line === undefined) parts.push((line = lineOf(p, s, loc)), '\n');
      live += line.length + 1;
    }
    for (const p of previous.lines.keys()) if (!cache.files.has(p)) parts.push(`!\t${field(p)}`, '\n');
    parts.push(globals, '\n');
    const delta = parts.join('');
    if (previous.index.size + Buffer.byteLength(delta) <= GROWTH * live + SLACK_BYTES && appendTo(file, delta, previous.index.size)) return;
  }
  const parts = [JSON.stringify({ format: cache.format, fingerprint: cache.fingerprint, gen }), '\n'];
  for (const [p, s] of cache.files) {
    const loc = at.get(s.key);
    parts.push(asLoaded(p, s, loc) ?? lineOf(p, s, loc), '\n');
  }
  parts.push(globals, '\n');
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, parts.join(''));
    fs.renameSync(tmp, file);
  } catch {
    dropTemp(tmp);
  }
}
/**
 * Appends `text` to `file` when it is a regular file (never through a link) and, when given,
 * still of `size` bytes; false otherwise.
 */
function appendTo(file: string, text: string, size?: number): boolean {
  let fd: number | undefined;
  try {
    if (!fs.constants.O_NOFOLLOW && !fs.lstatSync(file).isFile()) return false;
    // O_NONBLOCK: a FIFO put there fails the open (ENXIO) instead of blocking the run
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile() || (size !== undefined && st.size !== size)) return false;
    fs.writeSync(fd, text);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The render memo a previous run left in `root`, or null (none, unreadable, another format).
 * Layout: a JSON header line, then per body `key<TAB>length<LF>body<LF>` (length in UTF-16 code
 * units): loading slices the file's text instead of parsing 12 MB of JSON strings.
 */
export function loadRenderMemo(root: string): RenderMemo | null {
  const read = readCacheText(path.join(root, CACHE_DIR, RENDER_FILE));
  if (read === undefined) return null;
  const text: string = read;
  try {
    let at = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, at));
    if (header?.format !== RENDER_MEMO_FORMAT || typeof header.fingerprint !== 'string') return null;
    const bodies = new Map<string, string>();
    let stored = 0;
    at++;
    while (at < text.length) {
      stored++;
      const tab = text.indexOf('\t', at);
      const nl = text.indexOf('\n', at);
      if (tab < 0 || nl < tab) return null; // not a line this module wrote: start over
      const length = Number(text.slice(tab + 1, nl));
      const end = nl + 1 + length;
      if (!Number.isSafeInteger(length) || length < 0 || end >= text.length || text[end] !== '\n') return null; // cut short by a crash
      bodies.set(text.slice(at, tab), text.slice(nl + 1, end));
      at = end + 1;
    }
    return { format: header.format, fingerprint: header.fingerprint, bodies, used: new Set(), rendered: 0, anew: new Set(), loaded: bodies.size, stored, storedBytes: text.length };
  } catch {
    return null; // hand-edited: start over
  }
}

/**
 * Saves the memo to keep (keptRenderMemo): bodies rendered anew appended to the file it was loaded
 * from, else (see the top) the whole file rewritten atomically. Errors cost speed only.
 */
export function saveRenderMemo(root: string, memo: RenderMemo): void {
  if (!renderMemoChanged(memo)) return;
  const file = path.join(root, CACHE_DIR, RENDER_FILE);
  const record = (parts: string[], key: string, body: string) => parts.push(key, '\t', String(body.length), '\n', body, '\n');
  const fresh = [...memo.anew].filter((k) => memo.bodies.has(k));
  // renderinc: bounded in bytes too (live bodies vs the file), not only in records.
  let live = 0;
  for (const body of memo.bodies.values()) live += body.length;
  let freshBytes = 0;
  for (const k of fresh) freshBytes += memo.bodies.get(k)!.length;
  const withinBytes = memo.storedBytes === undefined || memo.storedBytes + freshBytes <= GROWTH * live + 1024 * 1024;
  if (memo.stored !== undefined && withinBytes && memo.stored + fresh.length <= GROWTH * memo.bodies.size + SLACK) {
    const parts: string[] = [];
    for (const k of fresh) record(parts, k, memo.bodies.get(k)!);
    if (!parts.length || appendTo(file, parts.join(''))) return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const parts = [JSON.stringify({ format: memo.format, fingerprint: memo.fingerprint }), '\n'];
    for (const [key, body] of memo.bodies) record(parts, key, body);
    fs.writeFileSync(tmp, parts.join(''));
    fs.renameSync(tmp, file);
  } catch {
    dropTemp(tmp);
  }
}

/**
 * A line of sim.jsonl as loaded: where it is in the file's bytes (its start, the tab after its
 * key, its newline), and its value once parsed.
 */
class LoadedLine {
  parsed = false;
  value: unknown;
  constructor(
    readonly start: number,
    readonly tab: number,
    readonly end: number,
  ) {}
  get bytes(): number {
    return this.end + 1 - this.start;
  }
}

/**
 * The map handed to the simulation: a value loaded from sim.jsonl is parsed from the file's
 * bytes when first got (an add gets most of the ~20 MB, not all: its tenant's old entries, the
 * units of changed files), and one never got stays its bytes, written back as they are. A value
 * that does not parse is no entry (the simulation makes it again). Values are never changed in
 * place by the simulation (it sets new ones), so a value still === the one parsed is the line's.
 */
export class SimCacheMap extends Map<string, unknown> {
  constructor(
    /** The file as loaded (the lines point into it). */
    readonly file?: Buffer,
    /** Each key's last line in the file. */
    readonly lines: ReadonlyMap<string, LoadedLine> = new Map(),
  ) {
    super();
    for (const [k, line] of lines) super.set(k, line);
  }
  override get(key: string): unknown {
    const v = super.get(key);
    if (!(v instanceof LoadedLine)) return v;
    try {
      const file = this.file!;
      // A value's JSON holds no raw tab: one after it starts the parts of a SplitValue.
      let next = file.indexOf(9, v.tab + 1);
      if (next < 0 || next > v.end) v.value = JSON.parse(file.toString('utf8', v.tab + 1, v.end));
      else {
        const head = JSON.parse(file.toString('utf8', v.tab + 1, next));
        const bounds: number[] = [];
        while (next < v.end) {
          const after = file.indexOf(9, next + 1);
          const end = after < 0 || after > v.end ? v.end : after;
          bounds.push(next + 1, end);
          next = end;
        }
        v.value = SplitValue.inFile(head, file, bounds);
      }
      v.parsed = true;
      super.set(key, v.value);
      return v.value;
    } catch {
      super.delete(key); // damaged: no entry
      return undefined;
    }
  }
  /** The line `key` holds as loaded, when its value is still that line's (got or not). */
  keptLine(key: string): LoadedLine | undefined {
    const line = this.lines.get(key);
    if (!line) return undefined;
    const v = super.get(key);
    return v === line || (line.parsed && v === line.value) ? line : undefined;
  }
  override forEach(fn: (value: unknown, key: string, map: Map<string, unknown>) => void, self?: unknown): void {
    for (const k of [...this.keys()]) if (this.has(k)) fn.call(self, this.get(k), k, this);
  }
  override *entries(): MapIterator<[string, unknown]> {
    for (const k of [...this.keys()]) if (this.has(k)) yield [k, this.get(k)];
  }
  override *values(): MapIterator<unknown> {
    for (const [, v] of this.entries()) yield v;
  }
  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
}

/** The simulation's cache as loaded: the map handed to it, and what the file held. */
export interface SimCache {
  map: SimCacheMap;
  /** Lines in the file (duplicates included), when it can be appended to. */
  stored?: number;
  /** Bytes in the file, when it can be appended to. */
  storedBytes?: number;
  fingerprint: string;
}

/**
 * The simulation's cache a previous run left, or an empty one (none, damaged, other code, a torn
 * append: a file that does not end in a whole line). Only the keys are read here: each value is
 * parsed when the simulation gets it (SimCacheMap).
 */
export function loadSimCache(root: string, fingerprint: string): SimCache {
  const empty = (): SimCache => ({ map: new SimCacheMap(), fingerprint });
  const file = readCacheBytes(path.join(root, CACHE_DIR, SIM_FILE));
  if (file === undefined || !file.length) return empty();
  try {
    // Cut short by a killed run: no entry of it is handed back, as when it is damaged.
    if (file[file.length - 1] !== 10) return empty();
    let at = file.indexOf(10);
    const header = JSON.parse(file.toString('utf8', 0, at));
    if (header?.format !== SIM_FORMAT || header.fingerprint !== fingerprint) return empty();
    const lines = new Map<string, LoadedLine>();
    let stored = 0;
    at++;
    while (at < file.length) {
      const end = file.indexOf(10, at);
      if (end === at) {
        at++;
        continue;
      }
      const tab = file.indexOf(9, at);
      // 's' 'i' 'm' '/': every key is the simulation's
      if (tab < 0 || tab > end || file[at] !== 115 || file[at + 1] !== 105 || file[at + 2] !== 109 || file[at + 3] !== 47) return empty();
      const key = file.toString('utf8', at, tab);
      lines.set(key, new LoadedLine(at, tab, end)); // a later line wins
      stored++;
      at = end + 1;
    }
    return { map: new SimCacheMap(file, lines), stored, storedBytes: file.length, fingerprint };
  } catch {
    return empty(); // hand-edited: start over
  }
}

/**
 * Saves the `sim/` entries left in the map: new or replaced ones appended, else rewritten (see the
 * top), the values kept from the file copied as their bytes (never parsed or serialised again).
 */
export function saveSimCache(root: string, cache: SimCache): void {
  const map = cache.map;
  const live = [...map.keys()].filter((k) => k.startsWith('sim/'));
  const fresh = live.filter((k) => !map.keptLine(k));
  const line = (k: string) => {
    const value = map.get(k);
    if (value instanceof SplitValue && value.size) {
      const texts = value.texts(); // decoded from the file's bytes: once
      if (texts.every((t) => !t.includes('\t') && !t.includes('\n'))) return `${k}\t${JSON.stringify(value.head)}\t${texts.join('\t')}\n`;
    }
    const v = JSON.stringify(value);
    return v === undefined ? undefined : `${k}\t${v}\n`;
  };
  let gone = false;
  for (const k of map.lines.keys()) if (!map.has(k)) gone = true;
  if (!fresh.length && !gone && cache.stored !== undefined) return;
  const file = path.join(root, CACHE_DIR, SIM_FILE);
  if (cache.stored !== undefined && cache.storedBytes !== undefined && cache.stored + fresh.length <= GROWTH * live.length + SLACK) {
    if (!fresh.length) return;
    const text = fresh.map(line).filter((l) => l !== undefined).join('');
    // Bounded in size too, not only in lines: a few large entries replaced on every add (a
    // tenant's units) would otherwise grow the file by their size each run, and every run reads
    // all of it. Kept values cost their loaded line; the fresh ones the text about to be appended.
    const textBytes = Buffer.byteLength(text);
    let liveBytes = textBytes;
    for (const k of live) liveBytes += map.keptLine(k)?.bytes ?? 0;
    if (cache.storedBytes + textBytes <= GROWTH * liveBytes + SLACK_BYTES && appendTo(file, text, cache.storedBytes)) return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const parts: Buffer[] = [Buffer.from(`${JSON.stringify({ format: SIM_FORMAT, fingerprint: cache.fingerprint })}\n`)];
    let pending: string[] = [];
    const flush = () => {
      if (pending.length) parts.push(Buffer.from(pending.join('')));
      pending = [];
    };
    for (const k of live) {
      const kept = map.keptLine(k);
      if (kept) {
        flush();
        parts.push(map.file!.subarray(kept.start, kept.end + 1));
        continue;
      }
      const l = line(k);
      if (l !== undefined) pending.push(l);
    }
    flush();
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, file);
  } catch {
    dropTemp(tmp);
  }
}
