// Where the pre-write check keeps its cache (incremental.ts): `.gitops-scaffold/cache/check.jsonl`
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
import { CHECK_CACHE_FORMAT, type CheckCache } from './incremental.ts';
import { RENDER_MEMO_FORMAT, renderMemoChanged, type RenderMemo } from '../incremental/render-memo.ts';

export const CACHE_DIR = '.gitops-scaffold/cache';
const FILE = 'check.jsonl';
const RENDER_FILE = 'render.memo';
const SIM_FILE = 'sim.jsonl';
const SIM_FORMAT = 'gitops-scaffold-sim-cache-1';

/**
 * A cache file's text, or undefined (none, unreadable, not a regular file): a FIFO or a device
 * put where a cache file goes is never read (it would block the run forever), and a cache that
 * cannot be read only costs speed.
 */
export function readCacheText(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) return undefined;
    // Mostly ASCII (hashes, YAML, JSON): then latin1 makes the same string without a UTF-8
    // decode (13 MB: ~2 ms instead of ~20-50).
    const bytes = fs.readFileSync(fd);
    return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
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

/** The cache a previous run left in `root`, or null (none, unreadable, another format). */
export function loadCheckCache(root: string): CheckCache | null {
  const text = readCacheText(path.join(root, CACHE_DIR, FILE));
  if (text === undefined) return null;
  try {
    const lines = text.split('\n');
    const header = JSON.parse(lines[0]);
    if (header?.format !== CHECK_CACHE_FORMAT || typeof header.fingerprint !== 'string') return null;
    const jobs: Record<string, Finding[]> = {};
    const cache: CheckCache = { format: header.format, fingerprint: header.fingerprint, files: {}, jobs, raw: new Map(), stored: 0 };
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const tab = line.indexOf('\t');
      if (tab < 0) {
        if (line) return null; // not a line this module wrote
        continue;
      }
      cache.stored!++;
      const key = line.slice(0, tab);
      const raw = line.slice(tab + 1);
      // Job results (incremental.ts) have keys starting with `x`; file entries are hex hashes.
      if (key.startsWith('x')) jobs[key] = JSON.parse(raw);
      else {
        const entry = entryOf(raw);
        if (!entry) return null;
        cache.files[key] = entry;
      }
      cache.raw!.set(key, raw);
    }
    // Appending after a last line without its newline would join two lines: rewrite instead.
    if (!text.endsWith('\n')) cache.stored = undefined;
    return cache;
  } catch {
    return null; // half-written by a crash, hand-edited: start over
  }
}

/**
 * A file entry's record: the entry as JSON with each resource's object JSON (`json`, most of the
 * bytes) replaced by `true` and appended after it, tab-separated (JSON text holds no raw tab), so
 * loading slices those strings instead of unescaping them as strings inside JSON.
 */
function recordOf(entry: CheckCache['files'][string]): string {
  const objects: string[] = [];
  const resources = (entry.resources ?? []).map((r) => (r.json === undefined ? r : (objects.push(r.json), { ...r, json: true })));
  const text = JSON.stringify({ ...entry, resources });
  return objects.length ? `${text}\t${objects.join('\t')}` : text;
}

function entryOf(record: string): CheckCache['files'][string] | undefined {
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

/**
 * Saves the cache: the new and changed entries appended to the file it was loaded from, else
 * (see the top) the whole file rewritten atomically. Errors cost speed only.
 */
export function saveCheckCache(root: string, cache: CheckCache): void {
  const file = path.join(root, CACHE_DIR, FILE);
  const jobs = cache.jobs ?? {};
  const live = [...Object.keys(cache.files), ...Object.keys(jobs)];
  const value = (k: string) => (k.startsWith('x') ? JSON.stringify(jobs[k]) : recordOf(cache.files[k]));
  const fresh = cache.raw ? live.filter((k) => cache.dirty?.has(k) || !cache.raw!.has(k)) : live;
  if (cache.raw && cache.stored !== undefined && cache.stored + fresh.length <= GROWTH * live.length + SLACK) {
    if (!fresh.length) return;
    if (appendTo(file, fresh.map((k) => `${k}\t${value(k)}\n`).join(''))) return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const lines = [JSON.stringify({ format: cache.format, fingerprint: cache.fingerprint })];
    for (const key of live) {
      const raw = cache.dirty?.has(key) ? undefined : cache.raw?.get(key);
      lines.push(`${key}\t${raw ?? value(key)}`);
    }
    fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
    fs.renameSync(tmp, file);
  } catch {
    dropTemp(tmp);
  }
}

/** Appends `text` to `file` when it is a regular file (never through a link); false otherwise. */
function appendTo(file: string, text: string): boolean {
  let fd: number | undefined;
  try {
    if (!fs.constants.O_NOFOLLOW && !fs.lstatSync(file).isFile()) return false;
    // O_NONBLOCK: a FIFO put there fails the open (ENXIO) instead of blocking the run
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
    if (!fs.fstatSync(fd).isFile()) return false;
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

/** The simulation's cache as loaded: the map handed to it, and what the file held. */
export interface SimCache {
  map: Map<string, unknown>;
  /** The values as loaded (a value still === one of these is not written again). */
  loaded: Map<string, unknown>;
  /** Lines in the file (duplicates included), when it can be appended to. */
  stored?: number;
  fingerprint: string;
}

/** The simulation's cache a previous run left, or an empty one (none, damaged, other code). */
export function loadSimCache(root: string, fingerprint: string): SimCache {
  const empty: SimCache = { map: new Map(), loaded: new Map(), fingerprint };
  const read = readCacheText(path.join(root, CACHE_DIR, SIM_FILE));
  if (read === undefined) return empty;
  const text: string = read;
  try {
    const lines = text.split('\n');
    const header = JSON.parse(lines[0]);
    if (header?.format !== SIM_FORMAT || header.fingerprint !== fingerprint) return empty;
    const loaded = new Map<string, unknown>();
    let stored = 0;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const tab = line.indexOf('\t');
      if (tab < 0 || !line.startsWith('sim/')) return { ...empty, map: new Map(), loaded: new Map() };
      loaded.set(line.slice(0, tab), JSON.parse(line.slice(tab + 1)));
      stored++;
    }
    return { map: new Map(loaded), loaded, stored: text.endsWith('\n') ? stored : undefined, fingerprint };
  } catch {
    return { ...empty, map: new Map(), loaded: new Map() }; // half-written by a crash, hand-edited: start over
  }
}

/** Saves the `sim/` entries left in the map: new or replaced ones appended, else rewritten (see the top). */
export function saveSimCache(root: string, cache: SimCache): void {
  const live = [...cache.map.keys()].filter((k) => k.startsWith('sim/'));
  const fresh = live.filter((k) => !cache.loaded.has(k) || cache.loaded.get(k) !== cache.map.get(k));
  const line = (k: string) => {
    const v = JSON.stringify(cache.map.get(k));
    return v === undefined ? undefined : `${k}\t${v}\n`;
  };
  const gone = [...cache.loaded.keys()].some((k) => !cache.map.has(k));
  if (!fresh.length && !gone && cache.stored !== undefined) return;
  if (cache.stored !== undefined && cache.stored + fresh.length <= GROWTH * live.length + SLACK) {
    if (!fresh.length) return;
    const text = fresh.map(line).filter((l) => l !== undefined).join('');
    if (appendTo(path.join(root, CACHE_DIR, SIM_FILE), text)) return;
  }
  const file = path.join(root, CACHE_DIR, SIM_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const parts = [`${JSON.stringify({ format: SIM_FORMAT, fingerprint: cache.fingerprint })}\n`];
    for (const k of live) {
      const l = line(k);
      if (l !== undefined) parts.push(l);
    }
    fs.writeFileSync(tmp, parts.join(''));
    fs.renameSync(tmp, file);
  } catch {
    dropTemp(tmp);
  }
}
