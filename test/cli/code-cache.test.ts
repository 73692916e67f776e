// The bin runs dist/cli.cjs through a V8 code cache per command (bin/bundle.mjs): written after a
// first successful run, used by the next, and never able to change what a run does: a corrupt or
// foreign cache is rejected by V8 and rewritten, no cache folder means compiling as usual.
// Help and --version take the ES-module bundle and touch no cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import path from 'node:path';
// @ts-expect-error plain JavaScript module of the bin, no type declarations
import { cacheName, cacheRoot as binCacheRoot } from '../../bin/bundle.mjs';
import { cacheRoot } from '../../generators/validate/cache-dir.ts';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'gitops-scaffold.js');

test('the bin keeps its code caches where the validators keep theirs (same environment variables)', () => {
  const envs: NodeJS.ProcessEnv[] = [
    { HOME: '/home/a' },
    { HOME: '/home/a', XDG_CACHE_HOME: '/xdg' },
    { HOME: '/home/a', XDG_CACHE_HOME: '/xdg', GITOPS_SCAFFOLD_CACHE_DIR: 'rel/dir' },
    { HOME: '/home/a', GITOPS_SCAFFOLD_CACHE: 'off' },
    { HOME: '/home/a', GITOPS_SCAFFOLD_CACHE: '0', GITOPS_SCAFFOLD_CACHE_DIR: '/c' },
  ];
  for (const env of envs) assert.is(binCacheRoot(env), cacheRoot(env), JSON.stringify(env));
});

test('one cache per command; any help shares one; odd words do not make file names', () => {
  assert.is(cacheName(['init', '--example', 'minimal']), 'init');
  assert.is(cacheName(['--no-color', 'add', 'service', 'web']), 'add');
  assert.is(cacheName(['init', '--help']), 'help', 'init --help must not leave a cache without init in it');
  assert.is(cacheName(['-h']), 'help');
  assert.is(cacheName(['../../etc']), 'other');
  assert.is(cacheName([]), 'other');
});

test('miss -> written after the run, hit on the next, rejected and rewritten when corrupt, off when disabled', async () => {
  const work = tempDir('gs-code-cache-');
  const cacheDir = path.join(work, 'cache');
  let n = 0;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execa(process.execPath, [BIN, ...args], { reject: false, env: { GITOPS_SCAFFOLD_CACHE_DIR: cacheDir, GITOPS_SCAFFOLD_DEBUG: 'code-cache', CI: 'true', ...env } });
  const init = () => run(['init', '--example', 'minimal', '--out', path.join(work, `out${n++}`), '--yes', '--json']);

  // Caches of older bundles: the newest few are kept, older ones go when a new one is written.
  mkdirSync(path.join(cacheDir, 'v8'), { recursive: true });
  const old = ['a', 'b', 'c'].map((c, i) => {
    const f = path.join(cacheDir, 'v8', `cli-init-${c.repeat(24)}.bin`);
    writeFileSync(f, 'old');
    utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    return f;
  });
  writeFileSync(path.join(cacheDir, 'v8', 'unrelated.bin'), 'not ours');
  const caches = () => {
    try {
      return readdirSync(path.join(cacheDir, 'v8')).filter((f) => f.startsWith('cli-') && !old.includes(path.join(cacheDir, 'v8', f)));
    } catch {
      return [];
    }
  };

  const bad = await run(['init', '--example', 'nope', '--out', path.join(work, 'bad')]);
  assert.is(bad.exitCode, 2, bad.stderr);
  assert.equal(caches(), [], 'a run stopped by bad input leaves no cache');

  const first = await init();
  assert.is(first.exitCode, 0, first.stderr);
  assert.match(first.stderr, /code cache: miss /);
  assert.match(first.stderr, /code cache: wrote /);
  const [file] = caches();
  assert.match(file, /^cli-init-[0-9a-f]{24}\.bin$/);
  assert.equal(old.map((f) => existsSync(f)), [false, true, true], 'the new cache and the two newest older ones are kept');
  assert.ok(existsSync(path.join(cacheDir, 'v8', 'unrelated.bin')));
  const cache = path.join(cacheDir, 'v8', file);
  const written = statSync(cache).mtimeMs;
  const result = JSON.parse(first.stdout);

  const second = await init();
  assert.is(second.exitCode, 0, second.stderr);
  assert.match(second.stderr, /code cache: hit /);
  assert.not.match(second.stderr, /wrote/);
  assert.is(statSync(cache).mtimeMs, written, 'a cache V8 accepted is not rewritten');
  assert.equal(JSON.parse(second.stdout).files, result.files, 'same run, same result');

  writeFileSync(cache, Buffer.alloc(4096, 7));
  const third = await init();
  assert.is(third.exitCode, 0, third.stderr);
  assert.match(third.stderr, /code cache: rejected /);
  assert.match(third.stderr, /code cache: wrote /);
  assert.equal(JSON.parse(third.stdout).files, result.files);
  const fourth = await init();
  assert.match(fourth.stderr, /code cache: hit /, 'the rewritten cache is accepted');

  const off = await run(['init', '--example', 'minimal', '--out', path.join(work, 'off'), '--yes', '--json'], { GITOPS_SCAFFOLD_CACHE: 'off' });
  assert.is(off.exitCode, 0, off.stderr);
  assert.match(off.stderr, /code cache: off/);
  assert.equal(caches(), [file]);

  for (const args of [['--help'], ['--version'], ['help', 'init'], ['add', 'service', '--help']]) {
    const light = await run(args);
    assert.is(light.exitCode, 0, light.stderr);
    assert.not.match(light.stderr, /code cache/, `${args.join(' ')} runs the ES-module bundle`);
  }
});

test('the CommonJS bundle is ASCII, so the bin reads it without a UTF-8 decode (scripts/build-dist.mjs asciiOnly)', () => {
  const bytes = readFileSync(path.join(ROOT, 'dist', 'cli.cjs'));
  assert.ok(isAscii(bytes), 'dist/cli.cjs holds non-ASCII bytes: bin/bundle.mjs would decode 3.6 MB of UTF-8 on every start');
});

test.run();
