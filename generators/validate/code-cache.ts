// Loads the precompiled schema validators (CommonJS modules of several hundred KB each, Ajv
// standalone code) with a V8 code cache: parsing them is most of their cost (about 230 ms for
// the 27 kinds a generated repository uses), a cached load is a few times cheaper. The cache is
// written at exit, after the run used the validators, so it also holds the functions that ran.
// V8 checks a cache against the source and its own version and rejects a stale one (then the
// module is simply compiled, and the cache rewritten). Lives in the user cache folder.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheRoot } from './cache-dir.ts';
import { interruptBudgetNow, setInterruptBudget } from './v8-tuning.ts';

const DEBUG = /(^|,)code-cache(,|$)/.test(process.env.GITOPS_SCAFFOLD_DEBUG ?? '');
const pending: { file: string; script: vm.Script; budget: number | undefined }[] = [];
let exitHook = false;

/** `require(file)` for a CommonJS module, through the V8 code cache when there is one. */
export function loadCommonJs(file: string): any {
  const root = cacheRoot();
  // The schema build writes validators in ASCII: read as latin1 that is the same string, made
  // without decoding the UTF-8 of several MB (as bin/bundle.mjs reads the bundle).
  const bytes = fs.readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  // V8 only checks the source's length: the key names this exact file (the schema build writes
  // new files by rename, so inode and mtime change with any new content).
  const st = fs.statSync(file);
  const key = `${process.version}\0${process.arch}\0${file}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  const cacheFile = root ? path.join(root, 'v8', `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.bin`) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      /* no cache yet */
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (DEBUG) process.stderr.write(`gitops-scaffold: code cache: ${cacheFile === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit'} ${path.basename(file)}\n`);
  const module = { exports: {} as any };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    pending.push({ file: cacheFile, script, budget: interruptBudgetNow() });
    if (!exitHook) {
      exitHook = true;
      process.once('exit', writeCaches);
    }
  }
  return module.exports;
}

function writeCaches() {
  for (const { file, script, budget } of pending.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      // V8 tags a cache with the flags in effect now: those the module was read with, as the
      // next run reads it (v8-tuning.ts sets the budget back to V8's own before exit).
      if (interruptBudgetNow() !== budget) setInterruptBudget(budget);
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    } catch {
      return; // read-only or full: the next run compiles again
    }
  }
}
