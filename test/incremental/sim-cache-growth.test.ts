// The simulation's cache file (sim.jsonl) is appended to between rewrites: bounded in size, not
// only in lines. On a fleet, every add replaces its tenant's large unit entries while thousands of
// small ones stay, so a line bound alone let the file grow by those entries' size on every run
// (seen: 17 MB -> 35 MB after about twenty adds, and every run reads all of it).
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_DIR, loadSimCache, saveSimCache } from '../../generators/check/cache-store.ts';

test('sim.jsonl stays within twice its live size (plus slack) while large entries are replaced run after run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gs-simgrowth-'));
  const file = path.join(root, CACHE_DIR, 'sim.jsonl');
  let c = loadSimCache(root, 'fp');
  for (let i = 0; i < 2000; i++) c.map.set(`sim/rule/v1/small-${i}`, { findings: [], i });
  const big = (run: number) => ({ steps: Array.from({ length: 4000 }, (_, j) => `step-${run}-${j}`) });
  c.map.set('sim/walk/v1/tenant-01', big(0));
  saveSimCache(root, c);
  let appended = 0;
  let largest = 0;
  for (let run = 1; run <= 60; run++) {
    const before = readFileSync(file, 'latin1');
    c = loadSimCache(root, 'fp');
    c.map.set('sim/walk/v1/tenant-01', big(run)); // the add's tenant: one large entry replaced
    saveSimCache(root, c);
    const after = readFileSync(file, 'latin1');
    if (after.startsWith(before) && after.length > before.length) appended++;
    largest = Math.max(largest, after.length);
  }
  const liveChars = readFileSync(file, 'latin1').length; // upper bound of the live size after a rewrite
  const live = [...loadSimCache(root, 'fp').map.keys()].length;
  assert.is(live, 2001);
  assert.equal(loadSimCache(root, 'fp').map.get('sim/walk/v1/tenant-01'), big(60), 'the last value wins');
  assert.ok(appended > 0, 'saves append between rewrites');
  const oneLive = JSON.stringify(big(0)).length + 2000 * 40;
  assert.ok(largest <= 2 * oneLive + 1024 * 1024 + JSON.stringify(big(0)).length + 200, `sim.jsonl reached ${largest} chars for ~${oneLive} live (last ${liveChars})`);
});

test.run();
