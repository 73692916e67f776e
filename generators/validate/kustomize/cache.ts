// The build cache of `validate`: the output of a kustomize build, stored under a key made of the
// hashes of every file the build reads (see plan.ts) and the tool's identity, so a build whose
// inputs did not change is not run again. It lives in the user's cache folder (../cache-dir.ts),
// never in the repository being validated (validate writes nothing there). Entries are written
// atomically (a temporary file renamed into place), so concurrent runs never read half an entry;
// an unreadable entry is a miss. Entries unused for two weeks are pruned, at most once a day.
import fs from 'node:fs';
import path from 'node:path';
import { cacheRoot } from '../cache-dir.ts';

/** Bump when the stored format or what a key covers changes. */
const FORMAT = 1;
const PRUNE_EVERY_MS = 24 * 3600_000;
const KEEP_UNUSED_MS = 14 * 24 * 3600_000;

export interface BuildCache {
  get(key: string): unknown[] | undefined;
  set(key: string, docs: unknown[]): void;
}

/** The kustomize build cache, or a cache that keeps nothing when caching is off or impossible. */
export function openBuildCache(env: NodeJS.ProcessEnv = process.env): BuildCache {
  const root = cacheRoot(env);
  if (!root) return { get: () => undefined, set: () => {} };
  const dir = path.join(root, `kustomize-builds-v${FORMAT}`);
  const file = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);
  let writable = true;
  prune(dir);
  return {
    get(key) {
      try {
        const f = file(key);
        const docs = JSON.parse(fs.readFileSync(f, 'utf8'));
        if (!Array.isArray(docs)) return undefined;
        touch(f);
        return docs;
      } catch {
        return undefined;
      }
    },
    set(key, docs) {
      if (!writable) return;
      const f = file(key);
      const tmp = `${f}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify(docs));
        fs.renameSync(tmp, f);
      } catch {
        // A read-only or full disk costs speed, never a result: stop trying for this run.
        writable = false;
        fs.rmSync(tmp, { force: true });
      }
    },
  };
}

/** Marks an entry as used (its mtime), at most once a day per entry. */
function touch(f: string) {
  try {
    const st = fs.statSync(f);
    if (Date.now() - st.mtimeMs > PRUNE_EVERY_MS) {
      const now = new Date();
      fs.utimesSync(f, now, now);
    }
  } catch {
    /* best effort */
  }
}

function prune(dir: string) {
  const stamp = path.join(dir, '.pruned');
  try {
    if (Date.now() - fs.statSync(stamp).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    if (!fs.existsSync(dir)) return; // nothing cached yet
  }
  try {
    const cutoff = Date.now() - KEEP_UNUSED_MS;
    for (const sub of fs.readdirSync(dir)) {
      const subDir = path.join(dir, sub);
      if (!fs.statSync(subDir).isDirectory()) continue;
      for (const f of fs.readdirSync(subDir)) {
        const p = path.join(subDir, f);
        if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true });
      }
    }
    fs.writeFileSync(stamp, '');
  } catch {
    /* best effort */
  }
}
