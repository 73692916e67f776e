// The simulation's cache (sim.jsonl) is loaded lazily: only the keys are read at load, a value is
// parsed from the file's bytes when first got, and a value never got (or got and still the very
// one parsed) is written back as its bytes. These tests hold that what a get returns is always
// the last value saved under the key (never a stale line, another key's bytes or a placeholder),
// over random runs of sets, gets, deletes, saves and loads checked against a plain Map.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_DIR, loadSimCache, saveSimCache, type SimCache } from '../../generators/check/cache-store.ts';
import { prng, tempDir } from '../helpers.ts';

const FILE = (root: string) => path.join(root, CACHE_DIR, 'sim.jsonl');

test('random runs: every get returns the last value saved under its key, through appends and rewrites', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = prng(seed);
    const root = tempDir('gs-simlazy-');
    const model = new Map<string, unknown>(); // what the file should hold after the last save
    // A key deleted before an append may come back (entries are dropped on a rewrite only): then
    // with the last value saved under it.
    const lastSaved = new Map<string, unknown>();
    let c: SimCache = loadSimCache(root, 'fp');
    let pending = new Map(model); // the model of c.map
    const keys = Array.from({ length: 12 }, (_, i) => `sim/${r.pick(['walk', 'appset', 'apps', 'rule'])}/v1/k${i}${'x'.repeat(r.int(3))}`);
    const value = () => {
      const n = r.int(4);
      // sizes from a few bytes to ~40 KB (large values replaced trigger rewrites: the size bound)
      return n === 0 ? r.int(100) : n === 1 ? `s-${r.int(1000)}-é` : { n: r.int(1e6), list: Array.from({ length: r.int(n === 3 ? 4000 : 8) }, (_, j) => `item-${j}`) };
    };
    for (let step = 0; step < 120; step++) {
      const k = r.pick(keys);
      const op = r.int(10);
      const what = `seed ${seed} step ${step}`;
      if (op < 3) {
        const v = value();
        c.map.set(k, v);
        pending.set(k, v);
      } else if (op < 6) {
        assert.equal(c.map.get(k), pending.get(k), `${what}: get ${k}`);
      } else if (op < 7) {
        c.map.delete(k);
        pending.delete(k);
      } else if (op < 8) {
        // A value got is replaced by an equal-looking new object: still saved as given.
        const got = c.map.get(k);
        if (got && typeof got === 'object') {
          const v = { ...(got as object), replaced: step };
          c.map.set(k, v);
          pending.set(k, v);
        }
      } else {
        saveSimCache(root, c);
        for (const key of [...model.keys()]) if (!pending.has(key)) model.delete(key);
        for (const [key, v] of pending) model.set(key, JSON.parse(JSON.stringify(v)));
        for (const [key, v] of model) lastSaved.set(key, v);
        c = loadSimCache(root, 'fp');
        for (const key of model.keys()) assert.ok(c.map.has(key), `${what}: ${key} kept`);
        for (const key of c.map.keys()) if (!model.has(key)) model.set(key, lastSaved.get(key));
        assert.equal([...c.map.keys()].sort(), [...model.keys()].sort(), `${what}: keys after load`);
        pending = new Map(model);
        // Half the time, every value is checked right away; else they stay unparsed into the next save.
        if (r.int(2)) for (const [key, v] of model) assert.equal(c.map.get(key), v, `${what}: loaded ${key}`);
      }
    }
  }
});

test('a value never got is written back as its bytes on a rewrite; one replaced after a get is not', () => {
  const root = tempDir('gs-simlazy-');
  let c = loadSimCache(root, 'fp');
  c.map.set('sim/walk/v1/kept', { steps: ['a', 'b'], note: 'ünïcode' });
  c.map.set('sim/walk/v1/got', { steps: ['c'] });
  c.map.set('sim/walk/v1/replaced', { steps: ['d'] });
  saveSimCache(root, c);
  c = loadSimCache(root, 'fp');
  c.map.get('sim/walk/v1/got');
  c.map.get('sim/walk/v1/replaced');
  c.map.set('sim/walk/v1/replaced', { steps: ['e'] });
  c.map.delete('sim/walk/v1/gone'); // nothing
  c.map.set('sim/walk/v1/gone', 1);
  c.map.delete('sim/walk/v1/gone');
  // one key dropped: the file is rewritten
  c.map.delete('sim/walk/v1/got');
  c.stored = undefined; // as when the file holds too many lines: rewritten
  saveSimCache(root, c);
  const text = readFileSync(FILE(root), 'utf8');
  assert.ok(text.includes('sim/walk/v1/kept\t{"steps":["a","b"],"note":"ünïcode"}\n'), text);
  assert.not.ok(text.includes('sim/walk/v1/got'), 'dropped on the rewrite');
  c = loadSimCache(root, 'fp');
  assert.equal(c.map.get('sim/walk/v1/kept'), { steps: ['a', 'b'], note: 'ünïcode' });
  assert.equal(c.map.get('sim/walk/v1/replaced'), { steps: ['e'] });
  assert.is(c.map.size, 2);
});

test('a later line wins; a line whose value does not parse is no entry; a torn append fails the whole load', () => {
  const root = tempDir('gs-simlazy-');
  let c = loadSimCache(root, 'fp');
  c.map.set('sim/rule/v1/a', 1);
  c.map.set('sim/rule/v1/b', 2);
  saveSimCache(root, c);
  appendFileSync(FILE(root), 'sim/rule/v1/a\t3\nsim/rule/v1/bad\t{"cut\n');
  c = loadSimCache(root, 'fp');
  assert.is(c.map.get('sim/rule/v1/a'), 3);
  assert.is(c.map.get('sim/rule/v1/b'), 2);
  assert.is(c.map.get('sim/rule/v1/bad'), undefined);
  assert.not.ok(c.map.has('sim/rule/v1/bad'), 'dropped once got');
  assert.equal([...c.map.values()], [3, 2], 'in the order of first lines, as loaded before');
  c.stored = undefined; // rewritten (a key gone alone appends nothing): without the damaged line
  saveSimCache(root, c);
  assert.not.ok(readFileSync(FILE(root), 'utf8').includes('bad'));
  assert.equal([...loadSimCache(root, 'fp').map.entries()], [['sim/rule/v1/a', 3], ['sim/rule/v1/b', 2]]);
  appendFileSync(FILE(root), 'sim/rule/v1/c\t[1,');
  assert.is(loadSimCache(root, 'fp').map.size, 0, 'torn: nothing handed back');
  writeFileSync(FILE(root), readFileSync(FILE(root), 'utf8').replace('[1,', '[1]'));
  assert.is(loadSimCache(root, 'fp').map.size, 0, 'no final newline: still torn');
});

test('values kept unparsed count in the size bound: a small change beside large kept entries is appended', () => {
  const root = tempDir('gs-simlazy-');
  let c = loadSimCache(root, 'fp');
  for (let i = 0; i < 4; i++) c.map.set(`sim/appset/v2/t${i}`, { result: 'x'.repeat(600_000) });
  c.map.set('sim/rule/v1/small', 0);
  saveSimCache(root, c);
  for (let run = 1; run <= 5; run++) {
    const before = readFileSync(FILE(root), 'latin1');
    c = loadSimCache(root, 'fp');
    c.map.set('sim/rule/v1/small', { run, pad: 'y'.repeat(400_000) });
    saveSimCache(root, c);
    const after = readFileSync(FILE(root), 'latin1');
    assert.ok(after.startsWith(before) && after.length > before.length, `run ${run}: appended`);
  }
  assert.equal(loadSimCache(root, 'fp').map.get('sim/rule/v1/small'), { run: 5, pad: 'y'.repeat(400_000) });
});

test.run();
