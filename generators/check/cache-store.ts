// Where the pre-write check keeps its cache (incremental.ts): `.gitops-scaffold/cache/check.jsonl`
// in the generated repository, beside a `.gitignore` that keeps the whole folder out of Git. It is
// derived data: never in the manifest, never committed, and losing it (or finding it corrupt, or
// written by another version) only costs a full check. One line per file entry, so a run rewrites
// only the lines of entries that changed and copies the others as they were read.
import fs from 'node:fs';
import path from 'node:path';
import { CHECK_CACHE_FORMAT, type CheckCache } from './incremental.ts';

export const CACHE_DIR = '.gitops-scaffold/cache';
const FILE = 'check.jsonl';

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
