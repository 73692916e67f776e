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
import { type CheckCache, emptyCheckCache, type FileEntry, type FileSummary } from '../../generators/check/incremental.ts';
import { emptyRenderMemo, keptRenderMemo, memoEngine, usableRenderMemo } from '../../generators/incremental/render-memo.ts';
import { tempDir } from '../helpers.ts';

const entry = (n: number): FileEntry => ({ documents: n, parse: [], resources: [], schema: {}, lint: {} });
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
const summary = (key: string): FileSummary => ({ key, kinds: [], pods: [], flags: 0 });

/** A check cache of n files (`f<i>.yaml`, key `k<i>`), the entries made this run. */
function checkCacheOf(n: number): CheckCache {
  const cache = emptyCheckCache('fp');
  cache.fresh = new Map();
  for (let i = 0; i < n; i++) {
    cache.files.set(`f${i}.yaml`, summary(`k${i}`));
    cache.fresh.set(`k${i}`, entry(i));
  }
  return cache;
}

test('check cache: entries made anew are appended, the index names the latest, the data file is compacted when it doubles', () => {
  const root = tempDir('gs-cachefile-');
  const data = path.join(root, CACHE_DIR, 'check.data');
  saveCheckCache(root, checkCacheOf(100));
  assert.is(lines(data), 101);
  let cache = loadCheckCache(root)!;
  assert.is(cache.entry('k3')!.documents, 3);
  // One file changed (a new key), one added: two records appended, the others kept where they are.
  cache.files.set('f3.yaml', summary('k3b'));
  cache.files.set('new.yaml', summary('knew'));
  cache.fresh = new Map([['k3b', entry(33)], ['knew', entry(7)]]);
  saveCheckCache(root, cache);
  assert.is(lines(data), 103);
  cache = loadCheckCache(root)!;
  assert.is(cache.entry('k3b')!.documents, 33);
  assert.is(cache.entry('knew')!.documents, 7);
  assert.is(cache.entry('k4')!.documents, 4);
  assert.is(cache.entry('k3'), undefined, 'no longer named by the index');
  // Rewritten entries grow the file until it holds about twice the live bytes, then it is compacted.
  for (let round = 0; round < 400; round++) {
    cache = loadCheckCache(root)!;
    cache.fresh = new Map([...cache.files.values()].slice(0, 50).map((s) => [s.key, entry(round)]));
    saveCheckCache(root, cache);
  }
  // (bound: twice the live bytes plus about a megabyte of slack; 400 x 50 records is far beyond it)
  assert.ok(lines(data) < 400 * 50 / 2 && readFileSync(data).length <= 2 * 101 * 80 + 1.1 * 1024 * 1024, `compacted (${lines(data)} lines)`);
  cache = loadCheckCache(root)!;
  assert.is(cache.entry('k0')!.documents, 399);
  assert.is(cache.entry('k60')!.documents, 60);
  // Nothing changed: nothing written.
  const before = readFileSync(data, 'utf8');
  cache.unchanged = true;
  cache.fresh = new Map();
  saveCheckCache(root, cache);
  assert.is(readFileSync(data, 'utf8'), before);
});

test('check cache: index lines of records kept as loaded are written back as read; changed records, moved entries and new files are written anew', () => {
  const root = tempDir('gs-cacheindex-');
  // Records of every shape an index line holds: kinds (plain and quoted), pods, flags, lint, kz, odd paths.
  const rich = (i: number, key: string): FileSummary => ({
    key,
    kinds: i % 3 === 0 ? [] : i % 3 === 1 ? ['Deployment', 'Service'] : ['Odd Kind', ''],
    pods: i % 2 ? [0] : [],
    flags: i % 4,
    ...(i % 5 ? { lint: { key: 'lk', reads: i % 2 ? ['shared:x'] : ['shared:x', `ns:f${i}.yaml`] } } : {}),
    ...(i % 7 === 0 ? { kz: [{ i: 0, docIndex: 0, line: 1, refs: [{ pointer: '/resources/0', role: 'resource' as const, value: 'a.yaml', resolved: `d${i}/a.yaml`, remote: false }] }] } : {}),
  });
  const pathOf = (i: number) => (i % 11 === 0 ? `odd dir/f${i} é.yaml` : `f${i}.yaml`);
  let cache = emptyCheckCache('fp');
  cache.fresh = new Map();
  const expected = new Map<string, FileSummary>();
  for (let i = 0; i < 60; i++) {
    const s = rich(i, `k${i}`);
    cache.files.set(pathOf(i), s);
    expected.set(pathOf(i), s);
    cache.fresh.set(s.key, entry(i));
  }
  saveCheckCache(root, cache);
  const same = (c: CheckCache, round: number) => {
    assert.equal([...c.files.keys()], [...expected.keys()], `paths and order (round ${round})`);
    for (const [p, s] of expected) {
      assert.equal(c.files.get(p), s, `${p} (round ${round})`);
      assert.is(c.entry(s.key)?.documents, Number(s.key.match(/\d+/)![0]) % 1000, `${p}'s entry (round ${round})`);
    }
  };
  for (let round = 0; round < 40; round++) {
    cache = loadCheckCache(root)!;
    same(cache, round);
    // Some records replaced (same key: only the index line changes), some files given new
    // content (a new entry, appended), one removed, one added; every other record kept as loaded.
    const paths = [...cache.files.keys()];
    cache.fresh = new Map();
    for (let j = 0; j < 3; j++) {
      const p = paths[(round * 7 + j * 13) % paths.length];
      const i = Number(p.match(/\d+/)![0]);
      const s = { ...rich(i + round, cache.files.get(p)!.key) };
      cache.files.set(p, s);
      expected.set(p, s);
    }
    const p = paths[(round * 5 + 3) % paths.length];
    const i = Number(p.match(/\d+/)![0]);
    const s = rich(i + 1, `k${i + 1000 * (round + 1)}`);
    cache.files.set(p, s);
    expected.set(p, s);
    cache.fresh.set(s.key, entry(i));
    const gone = paths[(round * 3 + 1) % paths.length];
    if (gone !== p) (cache.files.delete(gone), expected.delete(gone));
    const added = `added${round}.yaml`;
    const a = rich(round, `k${round + 100000}`);
    cache.files.set(added, a);
    expected.set(added, a);
    cache.fresh.set(a.key, entry(round));
    // Every few rounds the data file is written anew (a torn last line: every entry moves).
    if (round % 4 === 3) writeFileSync(path.join(root, CACHE_DIR, 'check.data'), 'x', { flag: 'a' });
    saveCheckCache(root, cache);
  }
  same(loadCheckCache(root)!, 40);
});

test('check cache: a save appends to the index only what changed (globals last); a save cut short starts over; the index is rewritten when it doubles', () => {
  const root = tempDir('gs-cacheappend-');
  const index = path.join(root, CACHE_DIR, 'check.index');
  saveCheckCache(root, checkCacheOf(200));
  const whole = readFileSync(index, 'utf8');
  // One file changed, one removed, one added: three lines and the globals appended.
  let cache = loadCheckCache(root)!;
  cache.files.set('f3.yaml', summary('k3b'));
  cache.files.delete('f4.yaml');
  cache.files.set('new.yaml', summary('knew'));
  cache.fresh = new Map([['k3b', entry(33)], ['knew', entry(7)]]);
  saveCheckCache(root, cache);
  const after = readFileSync(index, 'utf8');
  assert.ok(after.startsWith(whole), 'appended, not rewritten');
  const delta = after.slice(whole.length).split('\n').filter(Boolean);
  assert.is(delta.length, 4, delta.join('\n'));
  assert.ok(delta[0].startsWith('f3.yaml\tk3b\t') && delta[1].startsWith('new.yaml\tknew\t') && delta[2] === '!\tf4.yaml' && delta[3].startsWith('{'));
  cache = loadCheckCache(root)!;
  assert.is(cache.files.size, 200);
  assert.is(cache.files.get('f3.yaml')!.key, 'k3b');
  assert.not.ok(cache.files.has('f4.yaml'));
  assert.is(cache.entry('knew')!.documents, 7);
  assert.is(cache.entry('k4'), undefined, 'a removed file\'s entry is no longer named');
  // Cut short after a file line, before the globals that commit it: no cache.
  writeFileSync(index, `${after}f5.yaml\tk5\t-\t\t0\t-\t-\t-\t-\n`);
  assert.is(loadCheckCache(root), null);
  writeFileSync(index, after);
  // Every save appends its globals: the index is rewritten once it holds about twice the live lines.
  for (let round = 0; round < 60; round++) {
    cache = loadCheckCache(root)!;
    cache.passes = { big: { reads: [], out: 'x'.repeat(100_000) } };
    cache.files.set('f0.yaml', summary(`k0-${round}`));
    cache.fresh = new Map([[`k0-${round}`, entry(round)]]);
    saveCheckCache(root, cache);
  }
  assert.ok(readFileSync(index).length < 2 * (whole.length + 100_000) + 1.1 * 1024 * 1024, `rewritten (${readFileSync(index).length} bytes)`);
  cache = loadCheckCache(root)!;
  assert.is(cache.entry('k0-59')!.documents, 59);
  assert.is(cache.files.size, 200);
});

test('check cache: a torn or foreign data file gives no entries; a torn index starts over; a link is replaced, not followed', () => {
  const root = tempDir('gs-cachefile-');
  const index = path.join(root, CACHE_DIR, 'check.index');
  const data = path.join(root, CACHE_DIR, 'check.data');
  saveCheckCache(root, checkCacheOf(5));
  const whole = readFileSync(index, 'utf8');
  writeFileSync(index, whole.slice(0, -5));
  assert.is(loadCheckCache(root), null);
  writeFileSync(index, whole);
  // A data file cut short (a killed run) or of another generation: its records are not read.
  const dataText = readFileSync(data, 'utf8');
  writeFileSync(data, dataText.slice(0, -3));
  assert.is(loadCheckCache(root)!.entry('k4'), undefined);
  writeFileSync(data, dataText.replace(/"gen":"[^"]+"/, '"gen":"other"'));
  assert.is(loadCheckCache(root)!.entry('k1'), undefined);
  writeFileSync(data, dataText);
  assert.is(loadCheckCache(root)!.entry('k1')!.documents, 1);
  // An append after a torn last record would shift offsets: a new data file instead.
  writeFileSync(data, `${dataText}k9\t{"documents":`);
  const torn = loadCheckCache(root)!;
  torn.files.set('f9.yaml', summary('k9'));
  torn.fresh = new Map([['k9', entry(9)]]);
  saveCheckCache(root, torn);
  assert.is(loadCheckCache(root)!.entry('k9')!.documents, 9);
  assert.is(loadCheckCache(root)!.entry('k2')!.documents, 2);
  // A link planted in place of the data file is replaced, never written through.
  const outside = path.join(tempDir('gs-outside-'), 'victim.txt');
  writeFileSync(outside, 'do not touch\n');
  const loaded = loadCheckCache(root)!;
  rmSync(data);
  symlinkSync(outside, data);
  loaded.files.set('f1.yaml', summary('k1b'));
  loaded.fresh = new Map([['k1b', entry(11)]]);
  saveCheckCache(root, loaded);
  assert.is(readFileSync(outside, 'utf8'), 'do not touch\n');
  assert.ok(lstatSync(data).isFile());
  assert.is(loadCheckCache(root)!.entry('k1b')!.documents, 11);
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
