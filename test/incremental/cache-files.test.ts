// The cache files in .gitops-scaffold/cache/ (check/cache-store.ts): a run appends what it
// created or changed instead of rewriting 12 MB, a later record wins, the file is rewritten once
// it holds about twice the live entries (it never outgrows the repository), a torn append (a
// killed run) makes the next load start over, and a link planted in place of a cache file is
// replaced, never written through. The simulation's cache (sim.jsonl) is kept alike.
import { lstatSync, readFileSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_DIR, loadCheckCache, loadRenderMemo, loadSimCache, saveCheckCache, saveRenderMemo, saveSimCache } from '../../generators/check/cache-store.ts';
import { checkerFingerprint } from '../../generators/check/fingerprint.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { run } from '../../generators/pipeline.ts';
import { CHECK_CACHE_FORMAT, type CheckCache } from '../../generators/check/incremental.ts';
import { emptyRenderMemo, keptRenderMemo, memoEngine, usableRenderMemo } from '../../generators/incremental/render-memo.ts';
import { tempDir } from '../helpers.ts';

const entry = (n: number) => ({ documents: n, parse: [], resources: [], schema: {}, lint: {} }) as unknown as CheckCache['files'][string];
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

function checkCacheOf(n: number): CheckCache {
  const files: CheckCache['files'] = {};
  for (let i = 0; i < n; i++) files[`k${i}`] = entry(i);
  return { format: CHECK_CACHE_FORMAT, fingerprint: 'fp', files };
}

test('check cache: changed entries are appended, a later line wins, the file is compacted when it doubles', () => {
  const root = tempDir('gs-cachefile-');
  const file = path.join(root, CACHE_DIR, 'check.jsonl');
  saveCheckCache(root, checkCacheOf(100));
  assert.is(lines(file), 101);
  let cache = loadCheckCache(root)!;
  cache.files.k3 = entry(1003);
  cache.files.new = entry(7);
  delete cache.files.k4;
  cache.dirty = new Set(['k3']);
  saveCheckCache(root, cache);
  assert.is(lines(file), 103, 'two lines appended');
  cache = loadCheckCache(root)!;
  assert.is(cache.files.k3.documents, 1003, 'the later line wins');
  assert.is(cache.files.new.documents, 7);
  assert.is(cache.stored, 102);
  let max = 0;
  for (let round = 0; round < 40; round++) {
    cache = loadCheckCache(root)!;
    const live = Object.keys(cache.files);
    cache.dirty = new Set(live.slice(0, 10));
    for (const k of cache.dirty) cache.files[k] = entry(round);
    saveCheckCache(root, cache);
    max = Math.max(max, lines(file));
    assert.is(loadCheckCache(root)!.files[live[0]].documents, round);
  }
  assert.ok(max <= 2 * 100 + 64 + 1, `bounded (${max} lines)`);
  // Entries a run no longer has are gone after the rewrite.
  cache = loadCheckCache(root)!;
  const { k0: _gone, ...rest } = cache.files;
  const kept: CheckCache = { ...cache, files: rest, dirty: new Set() };
  kept.stored = 10_000; // as if it had grown: rewrite
  saveCheckCache(root, kept);
  assert.is(lines(file), Object.keys(rest).length + 1);
  assert.not.ok('k0' in loadCheckCache(root)!.files);
});

test('check cache: a torn append starts over; a link in its place is replaced, not followed', () => {
  const root = tempDir('gs-cachefile-');
  const file = path.join(root, CACHE_DIR, 'check.jsonl');
  saveCheckCache(root, checkCacheOf(5));
  const whole = readFileSync(file, 'utf8');
  writeFileSync(file, `${whole}k9\t{"documents":`);
  assert.is(loadCheckCache(root), null);
  writeFileSync(file, `${whole}k9\t${JSON.stringify(entry(9))}`); // whole record, no newline yet
  const cache = loadCheckCache(root);
  assert.ok(cache === null || cache.stored === undefined, 'never appended to without its newline');
  const outside = path.join(tempDir('gs-outside-'), 'victim.txt');
  writeFileSync(outside, 'do not touch\n');
  writeFileSync(file, whole);
  const loaded = loadCheckCache(root)!;
  rmSync(file);
  symlinkSync(outside, file);
  loaded.files.k1 = entry(11);
  loaded.dirty = new Set(['k1']);
  saveCheckCache(root, loaded);
  assert.is(readFileSync(outside, 'utf8'), 'do not touch\n');
  assert.ok(lstatSync(file).isFile());
  assert.is(loadCheckCache(root)!.files.k1.documents, 11);
});

test('render memo: bodies rendered anew are appended; unchanged runs write nothing; links are replaced', () => {
  const root = tempDir('gs-cachefile-');
  const file = path.join(root, CACHE_DIR, 'render.memo');
  const engine = { has: () => true, render: (t: string, d: any) => `${t}:${JSON.stringify(d)}\n` };
  const run = (n: number, extra: number[] = []) => {
    const memo = usableRenderMemo(loadRenderMemo(root), 'fp');
    const e = memoEngine(engine, memo);
    for (let i = 0; i < n; i++) e.render('t', { i });
    for (const i of extra) e.render('t', { extra: i });
    saveRenderMemo(root, keptRenderMemo(memo));
    return memo;
  };
  run(50);
  const size = readFileSync(file, 'utf8').length;
  const again = run(50);
  assert.is(again.rendered, 0);
  assert.is(readFileSync(file, 'utf8').length, size, 'nothing new: not written');
  run(50, [1, 2]);
  const grown = readFileSync(file, 'utf8');
  assert.ok(grown.startsWith(readFileSync(file, 'utf8').slice(0, size)) && grown.length > size, 'appended');
  assert.is(loadRenderMemo(root)!.bodies.size, 52);
  for (let round = 0; round < 60; round++) run(50, [100 + round]);
  assert.ok(loadRenderMemo(root)!.stored! <= 2 * 51 + 64, 'compacted');
  const outside = path.join(tempDir('gs-outside-'), 'victim.txt');
  writeFileSync(outside, 'do not touch\n');
  const text = readFileSync(file, 'utf8');
  rmSync(file);
  symlinkSync(outside, file);
  writeFileSync(outside, text); // the link reads as a valid memo ...
  run(50, [999]);
  assert.is(readFileSync(outside, 'utf8'), text, '... but is never appended to');
  assert.ok(lstatSync(file).isFile());
  assert.ok([...loadRenderMemo(root)!.bodies.values()].some((b) => b.includes('999')));
  assert.is(emptyRenderMemo('x').stored, undefined);
});

test('render memo: a large body rendered anew by every run does not pile up (bounded in bytes, not only in records)', () => {
  const root = tempDir('gs-cachefile-');
  const file = path.join(root, CACHE_DIR, 'render.memo');
  const big = 'x'.repeat(300_000);
  const engine = { has: () => true, render: (t: string, d: any) => (t === 'big' ? `${big}${d.n}\n` : `${t}:${JSON.stringify(d)}\n`) };
  for (let round = 0; round < 30; round++) {
    const memo = usableRenderMemo(loadRenderMemo(root), 'fp');
    const e = memoEngine(engine, memo);
    for (let i = 0; i < 200; i++) e.render('t', { i });
    e.render('big', { n: round }); // like events.yaml: one large file that changes with every service added
    saveRenderMemo(root, keptRenderMemo(memo));
  }
  const live = 200 * 12 + big.length;
  const size = readFileSync(file, 'utf8').length;
  assert.ok(size <= 2 * live + 1024 * 1024 + big.length + 64, `render.memo is ${size} for ${live} live`);
  const back = loadRenderMemo(root)!;
  assert.ok(back.bodies.size >= 201, `${back.bodies.size} bodies`);
});

test("simulation cache: sim/ entries persist; reused values are not rewritten; other code's or a damaged file's are never handed back", () => {
  const root = tempDir('gs-cachefile-');
  const file = path.join(root, CACHE_DIR, 'sim.jsonl');
  let c = loadSimCache(root, 'fp');
  assert.is(c.map.size, 0);
  c.map.set('sim/appset/a', { result: [1, 2] });
  c.map.set('sim/appset/b', { result: 'x' });
  c.map.set('other', 'dropped: not under sim/');
  saveSimCache(root, c);
  c = loadSimCache(root, 'fp');
  assert.equal([...c.map.keys()].sort(), ['sim/appset/a', 'sim/appset/b']);
  assert.equal(c.map.get('sim/appset/a'), { result: [1, 2] });
  const before = readFileSync(file, 'utf8');
  saveSimCache(root, c); // every value the very one loaded
  assert.is(readFileSync(file, 'utf8'), before, 'nothing written');
  c.map.set('sim/appset/b', { result: 'y' });
  saveSimCache(root, c);
  assert.ok(readFileSync(file, 'utf8').startsWith(before), 'appended');
  assert.equal(loadSimCache(root, 'fp').map.get('sim/appset/b'), { result: 'y' });
  assert.is(loadSimCache(root, 'other code').map.size, 0);
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, -4));
  assert.is(loadSimCache(root, 'fp').map.size, 0, 'torn');
  const outside = path.join(tempDir('gs-outside-'), 'victim.txt');
  writeFileSync(outside, before);
  rmSync(file);
  symlinkSync(outside, file);
  c = loadSimCache(root, 'fp');
  c.map.set('sim/new', 1);
  saveSimCache(root, c);
  assert.is(readFileSync(outside, 'utf8'), before);
  assert.ok(lstatSync(file).isFile());
  assert.is(loadSimCache(root, 'fp').map.get('sim/new'), 1);
});

test('the pipeline hands the simulation its cache and keeps it beside the check cache', () => {
  const root = path.join(tempDir('gs-cachefile-'), 'repo');
  const text = readFileSync('examples/minimal/platform.yaml', 'utf8');
  run({ root, spec: parseSpecText(text, 'minimal'), previousModelText: text });
  const header = JSON.parse(readFileSync(path.join(root, CACHE_DIR, 'sim.jsonl'), 'utf8').split('\n')[0]);
  assert.is(header.fingerprint, checkerFingerprint());
  run({ root, spec: parseSpecText(text, 'minimal'), previousModelText: text, check: false });
  assert.ok(loadSimCache(root, checkerFingerprint()).stored !== undefined);
});

test.run();
