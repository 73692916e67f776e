// serializeManifest and canonical (io/manifest.ts) take shortcuts (no re-sort of an already
// sorted file map, loops for canonical): over random manifests and models, the bytes are the
// reference implementation's (the code before the shortcuts, kept here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonical, newManifest, serializeManifest, type Manifest, type ManifestEntry } from '../../generators/io/manifest.ts';
import { prng } from '../helpers.ts';

function refCanonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(refCanonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, refCanonical((value as Record<string, unknown>)[k])]).filter(([, v]) => v !== undefined));
  return value;
}
function refSerialize(m: Manifest): string {
  const files = Object.fromEntries(Object.entries(m.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ generator: m.generator, version: m.version, pins: m.pins, files, model: m.model }, null, 2)}\n`;
}

const KEYS = ['a', 'b', 'B', 'z', '10', '9', '0', '01', '-1', 'é', 'name', 'services', '__proto_', ' ', ''];
function value(r: ReturnType<typeof prng>, depth: number): unknown {
  switch (r.int(depth > 3 ? 4 : 8)) {
    case 0: return r.pick(['x', '', 'ü"\\n', '1']);
    case 1: return r.pick([0, -0, 1.5, -7, 1e21]);
    case 2: return r.pick([true, false, null]);
    case 3: return undefined;
    case 4: case 5: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(6); i > 0; i--) o[r.pick(KEYS)] = value(r, depth + 1);
      return o;
    }
  }
}

test('canonical gives the reference value (and JSON bytes) over random values', () => {
  const r = prng(5);
  for (let i = 0; i < 3000; i++) {
    const v = value(r, 0);
    assert.is(JSON.stringify(canonical(v)), JSON.stringify(refCanonical(v)));
    assert.equal(canonical(v), refCanonical(v));
  }
  assert.is(JSON.stringify(canonical([1, , 3])), JSON.stringify(refCanonical([1, , 3]))); // eslint-disable-line no-sparse-arrays
});

test('serializeManifest gives the reference bytes, file maps sorted or not, integer-like paths included', () => {
  const r = prng(9);
  const paths = ['a/b.yaml', 'a/a.yaml', 'A.yaml', '10', '9', 'z/é.yaml', 'a/b.yaml.orig', 'platform.yaml', '.gitops-scaffold/x', 'a b'];
  for (let i = 0; i < 2000; i++) {
    const chosen = [...new Set(Array.from({ length: r.int(paths.length + 1) }, () => r.pick(paths)))];
    if (r.int(2)) chosen.sort();
    const files: Record<string, ManifestEntry> = {};
    for (const p of chosen) files[p] = { owner: r.pick(['managed', 'seed', 'model']), sha256: r.pick(['00', 'ff']), ...(r.int(4) === 0 ? { conflict: { proposal: '1', base: '2', disk: '3', ...(r.int(2) ? { foreign: true } : {}) } } : {}) };
    const m = newManifest(files, value(r, 0), value(r, 1));
    assert.is(serializeManifest(m), refSerialize({ ...m, model: refCanonical(m.model), pins: refCanonical(m.pins) }));
  }
});

test.run();
