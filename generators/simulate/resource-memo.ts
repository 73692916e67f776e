// What the simulation learns from one resource alone, kept across runs in the pre-write check's
// cache (sim.jsonl): under the hash of the resource's file (path and text) and its place in the
// file, so a run reuses it while the file is unchanged and never parses the file for it (the
// check hands the simulation lazy resources). Values are JSON, small (findings, references).
import { sha256 } from '../io/manifest.ts';

export interface ResourceMemo {
  cache: Map<string, unknown>;
  /** The text of a repository file (what the resources were parsed from). */
  read(path: string): string | undefined;
  /** Marks a cache key as used by this run (the others are dropped at its end). */
  use(key: string): void;
  /** A file's sha256 when the caller knows it (the render's): its key is made without hashing the text. */
  sha?(path: string): string | undefined;
}

export const RESOURCE_CACHE_PREFIX = 'sim/rule/v1/';

const fileKeys = new WeakMap<ResourceMemo, Map<string, string | null>>();
/** The key of a file's text (its known sha and path, or the hash of path and text); null when it cannot be read. */
export function fileKey(memo: ResourceMemo, file: string): string | null {
  let keys = fileKeys.get(memo);
  if (!keys) fileKeys.set(memo, (keys = new Map()));
  let key = keys.get(file);
  if (key === undefined) {
    // `k:` + the known sha and the path, or the hash of the path and text (64 hex digits): the
    // two kinds of key never meet.
    const known = memo.sha?.(file);
    if (known !== undefined) keys.set(file, (key = `k:${known}:${file}`));
    else {
      const text = memo.read(file);
      keys.set(file, (key = text === undefined ? null : sha256(`${file}\0${text}`)));
    }
  }
  return key;
}

/**
 * `compute()` for the resource at `file` / `docIndex`, or what an earlier run computed for the same
 * file text (when `valid` accepts it). The value as JSON, on a hit and on a miss alike.
 */
export function perResource<T>(memo: ResourceMemo | undefined, id: string, file: string, docIndex: number | undefined, compute: () => T, valid: (v: unknown) => v is T): T {
  const hash = memo && docIndex !== undefined ? fileKey(memo, file) : null;
  if (!memo || hash === null) return compute();
  const key = `${RESOURCE_CACHE_PREFIX}${id}/${hash}/${docIndex}`;
  memo.use(key);
  const known = memo.cache.get(key);
  if (valid(known)) return known;
  const value = JSON.parse(JSON.stringify(compute())) as T;
  memo.cache.set(key, value);
  return value;
}
