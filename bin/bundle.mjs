// Loads the CLI bundle (dist/cli.cjs, one CommonJS script) through a V8 code cache, the one
// compile cache Node 20 has (module.enableCompileCache is 22.1+ and does not cover vm scripts):
// the script is compiled with the cachedData a previous run of the same command left, and when
// there was none (or V8 rejected it: another Node, other V8 flags, a new bundle) the cache is
// written at exit, after the command ran (and succeeded), so it also holds the functions the command compiled
// lazily. One cache per command (`init`, `add`, `--help`, ...): each holds what its command runs.
// V8 checks a cache against its own version and flags and the source's length; the file name also
// names the bundle's path, size, mtime and inode (a new build is a new file, written by rename).
// Caches live in the user cache folder, as perf's validator caches do, never beside the package
// (often read-only). Any failure to read or write a cache only costs the compile it would save.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * = cacheRoot() of generators/validate/cache-dir.ts (test/cli/code-cache.test.ts holds them equal):
 * $GITOPS_SCAFFOLD_CACHE_DIR, else $XDG_CACHE_HOME/gitops-scaffold, else ~/.cache/gitops-scaffold;
 * GITOPS_SCAFFOLD_CACHE=off (or 0) turns it off.
 */
export function cacheRoot(env = process.env) {
  if (env.GITOPS_SCAFFOLD_CACHE === 'off' || env.GITOPS_SCAFFOLD_CACHE === '0') return undefined;
  if (env.GITOPS_SCAFFOLD_CACHE_DIR) return path.resolve(env.GITOPS_SCAFFOLD_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : path.join(os.tmpdir(), `gitops-scaffold-${os.userInfo().uid}`));
  return path.join(base, 'gitops-scaffold');
}

/**
 * The cache's name for a command line: `help` for any help, else its first word when that is a
 * plain word, else `other` (a cache holds what its first run ran: `init --help` must not leave
 * init's).
 */
export function cacheName(argv) {
  if (argv.some((a) => a === '--help' || a === '-h')) return 'help';
  const first = argv.find((a) => !a.startsWith('-')) ?? 'other';
  return /^[a-z][a-z-]{0,30}$/.test(first) ? first : 'other';
}

const debug = (message) => {
  if (/(^|,)code-cache(,|$)/.test(process.env.GITOPS_SCAFFOLD_DEBUG ?? '')) process.stderr.write(`gitops-scaffold: code cache: ${message}\n`);
};

/** `require(file)` of the bundle, compiled from the command's code cache when there is one. */
export function loadBundle(file, argv) {
  // The build writes the bundle in ASCII (scripts/build-dist.mjs): read as latin1 it is the same
  // string, made without decoding 3.6 MB of UTF-8 (~20 ms of every start-up vs ~1.5).
  const bytes = fs.readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const root = cacheRoot();
  let cacheFile;
  let cachedData;
  if (root) {
    try {
      const st = fs.statSync(file);
      const key = [process.version, process.arch, file, st.size, st.mtimeMs, st.ino].join('\0');
      cacheFile = path.join(root, 'v8', `cli-${cacheName(argv)}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.bin`);
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache yet (or no cache folder): compiled below, cached at exit
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const rejected = cachedData !== undefined && script.cachedDataRejected === true;
  debug(cacheFile === undefined ? 'off' : cachedData === undefined ? `miss ${cacheFile}` : rejected ? `rejected ${cacheFile}` : `hit ${cacheFile}`);
  // Written only after a run that succeeded: a run stopped by bad input compiled little of its command.
  if (cacheFile && (cachedData === undefined || rejected)) process.once('exit', (code) => code === 0 && writeCache(cacheFile, script));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/**
 * Each new bundle (an upgrade, a rebuild) starts new cache files: keep the KEEP newest of this
 * command (a few installs side by side, e.g. npx of two versions, keep theirs), delete the rest.
 * Runs only after writing a cache, so a normal run never lists the folder.
 */
const KEEP = 3;
function pruneOlder(file) {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file).replace(/-[0-9a-f]{24}\.bin$/, '')}-`;
  const mine = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^[0-9a-f]{24}\.bin$/.test(f.slice(prefix.length)))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of mine.slice(KEEP)) if (f !== path.basename(file)) fs.rmSync(path.join(dir, f), { force: true });
}

function writeCache(file, script) {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file); // atomic: a concurrent run reads the old cache or the new one
    debug(`wrote ${file}`);
    pruneOlder(file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // read-only or full: the next run compiles again
    }
  }
}
