// planDocs asks a set of paths "does some path start with this prefix" through prefixTest (the
// paths grouped by top folder once): it must answer as the plain scan of every path does, over
// random path sets and prefixes (with and without a "/", empty segments, a prefix that is a whole path).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../helpers.ts';
import { prefixTest } from '../../generators/plan/docs.ts';

const scan = (present: ReadonlySet<string>, prefix: string) => [...present].some((p) => p.startsWith(prefix));

/** A float in [0, 1) per call, from the seed (mulberry32). */
const rng = (seed: number) => prng(seed).next;

test('prefixTest answers as a scan of every path', () => {
  const r = rng(7);
  const parts = ['platform', 'apps', 'ci', 'a', '', 'README.md', 'events.yaml', 'addons', 'p'];
  const pick = () => parts[Math.floor(r() * parts.length)];
  const path = () => Array.from({ length: 1 + Math.floor(r() * 4) }, pick).join('/');
  let asked = 0;
  for (let round = 0; round < 300; round++) {
    const present = new Set(Array.from({ length: Math.floor(r() * 30) }, path));
    const has = prefixTest(present);
    for (let q = 0; q < 20; q++) {
      const whole = [...present][Math.floor(r() * present.size)];
      const prefix = r() < 0.2 && whole ? whole.slice(0, Math.floor(r() * (whole.length + 1))) : r() < 0.5 ? `${path()}/` : path();
      assert.is(has(prefix), scan(present, prefix), `${prefix} in ${[...present].join(' ')}`);
      asked++;
    }
  }
  assert.ok(asked > 1000);
});

test('the README of platform/ names what platform/ holds, found after thousands of other paths', () => {
  const present = new Set([...Array.from({ length: 5000 }, (_, i) => `apps/t/s${i}/base/kustomization.yaml`), 'platform/ci/events.yaml', 'platform/policy/x.yaml']);
  const has = prefixTest(present);
  assert.ok(has('platform/ci/events.yaml'));
  assert.ok(has('platform/policy/'));
  assert.not.ok(has('platform/addons/'));
  assert.not.ok(has('platformx/'));
});

test.run();
