// The kustomize graph's namespacesOf (lint/util/kustomize.ts), worked out upwards from one file,
// against the whole map the walks from every root give: random graphs with shared bases, chains,
// cycles, folders listed as entries, empty and missing namespaces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type GraphNode, kustomizeGraphOf } from '../../generators/lint/util/kustomize.ts';

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('namespacesOf (upwards from the file) equals the namespaces of the whole walk, over random graphs', () => {
  let cycles = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const rnd = random(seed);
    const dirs = Array.from({ length: 2 + Math.floor(rnd() * 12) }, (_, i) => `d${i}`);
    const files = Array.from({ length: 1 + Math.floor(rnd() * 10) }, (_, i) => `d${i % dirs.length}/f${i}.yaml`);
    const namespaces = [undefined, undefined, '', 'a', 'b', 'c'];
    const nodes = new Map<string, GraphNode>();
    const acyclic = rnd() < 0.7;
    for (const [i, dir] of dirs.entries()) {
      const entries: string[] = [];
      const n = Math.floor(rnd() * 5);
      for (let k = 0; k < n; k++) {
        const r = rnd();
        if (r < 0.5) entries.push(files[Math.floor(rnd() * files.length)]);
        else {
          // Mostly folders further down (a DAG); sometimes any folder (cycles, self-references).
          const j = acyclic ? i + 1 + Math.floor(rnd() * (dirs.length - i - 1)) : Math.floor(rnd() * dirs.length);
          if (j < dirs.length) entries.push(dirs[j]);
        }
      }
      nodes.set(dir, { entries, namespace: namespaces[Math.floor(rnd() * namespaces.length)] });
    }
    const graph = () => kustomizeGraphOf(new Map([...nodes].map(([d, n]) => [d, () => n])));
    const whole = graph().namespaceMap();
    const lazy = graph();
    const asked = [...files, ...dirs, 'elsewhere.yaml', './d0/f0.yaml'];
    for (let k = asked.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [asked[k], asked[j]] = [asked[j], asked[k]];
    }
    for (const f of asked) {
      const expected = [...(whole.get(f.replace(/^\.\//, '')) ?? [])].sort();
      assert.equal(lazy.namespacesOf(f), expected, `seed ${seed}: ${f}`);
    }
    if (!acyclic) cycles++;
  }
  assert.ok(cycles > 50, 'graphs with cycles were tried');
});

test.run();
