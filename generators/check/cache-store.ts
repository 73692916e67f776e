// Where the pre-write check keeps its cache (incremental.ts): `.gitops-scaffold/cache/check.jsonl`
// in the generated repository, beside a `.gitignore` that keeps the whole folder out of Git. It is
// derived data: never in the manifest, never committed, and losing it (or finding it corrupt, or
// written by another version) only costs a full check. One line per file entry, so a run rewrites
// only the lines of entries that changed and copies the others as they were read.
// The render memo (incremental/render-memo.ts) lives beside it in `render.memo`.
import fs from 'node:fs';
import path from 'node:path';
import { CHECK_CACHE_FORMAT, type CheckCache } from './incremental.ts';
import { RENDER_MEMO_FORMAT, renderMemoChanged, type RenderMemo } from '../incremental/render-memo.ts';

export const CACHE_DIR = '.gitops-scaffold/cache';
const FILE = 'check.jsonl';
const RENDER_FILE = 'render.memo';

/** The cache a previous run left in `root`, or null (none, unreadable, another format). */
export function loadCheckCache(root: string): CheckCache | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, CACHE_DIR, FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const lines = text.split('\n');
    const header = JSON.parse(lines[0]);
    if (header?.format !== CHECK_CACHE_FORMAT || typeof header.fingerprint !== 'string') return null;
    const cache: CheckCache = { format: header.format, fingerprint: header.fingerprint, files: {}, raw: new Map() };
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const key = line.slice(0, tab);
      const raw = line.slice(tab + 1);
      cache.files[key] = JSON.parse(raw);
      cache.raw!.set(key, raw);
    }
    return cache;
  } catch {
    return null; // half-written by a crash, hand-edited: start over
  }
}

/** The cache folder, created with the .gitignore that keeps it out of Git; its absolute path. */
export function ensureCacheDir(root: string): string {
  const dir = path.join(root, CACHE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# gitops-scaffold caches: derived data, never committed\n*\n');
  return dir;
}

/** Writes the cache atomically (a temporary file renamed into place); errors cost speed only. */
export function saveCheckCache(root: string, cache: CheckCache): void {
  const file = path.join(root, CACHE_DIR, FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const lines = [JSON.stringify({ format: cache.format, fingerprint: cache.fingerprint })];
    for (const [key, entry] of Object.entries(cache.files)) {
      const raw = cache.dirty?.has(key) ? undefined : cache.raw?.get(key);
      lines.push(`${key}\t${raw ?? JSON.stringify(entry)}`);
    }
    fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The render memo a previous run left in `root`, or null (none, unreadable, another format).
 * Layout: a JSON header line, then per body `key<TAB>length<LF>body<LF>` (length in UTF-16 code
 * units): loading slices the file's text instead of parsing 12 MB of JSON strings.
 */
export function loadRenderMemo(root: string): RenderMemo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, CACHE_DIR, RENDER_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    let at = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, at));
    if (header?.format !== RENDER_MEMO_FORMAT || typeof header.fingerprint !== 'string') return null;
    const bodies = new Map<string, string>();
    at++;
    while (at < text.length) {
      const tab = text.indexOf('\t', at);
      const nl = text.indexOf('\n', at);
      if (tab < 0 || nl < tab) return null; // not a line this module wrote: start over
      const length = Number(text.slice(tab + 1, nl));
      const end = nl + 1 + length;
      if (!Number.isSafeInteger(length) || length < 0 || end >= text.length || text[end] !== '\n') return null; // cut short by a crash
      bodies.set(text.slice(at, tab), text.slice(nl + 1, end));
      at = end + 1;
    }
    return { format: header.format, fingerprint: header.fingerprint, bodies, used: new Set(), rendered: 0, loaded: bodies.size };
  } catch {
    return null; // hand-edited: start over
  }
}

/** Writes the memo to keep (keptRenderMemo) atomically when it differs from what was loaded; errors cost speed only. */
export function saveRenderMemo(root: string, memo: RenderMemo): void {
  if (!renderMemoChanged(memo)) return;
  const file = path.join(root, CACHE_DIR, RENDER_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    const parts = [JSON.stringify({ format: memo.format, fingerprint: memo.fingerprint }), '\n'];
    for (const [key, body] of memo.bodies) parts.push(key, '\t', String(body.length), '\n', body, '\n');
    fs.writeFileSync(tmp, parts.join(''));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
