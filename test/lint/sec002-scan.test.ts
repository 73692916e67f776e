// SEC002 tests each value against the union of its detectors first and makes a value's pointer
// only for a hit: the same findings as testing every detector on every value with the pointer
// built along the way (the plain scan below), over random values with and without tokens and
// keys that need escaping or are pointers themselves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DETECTORS, tokenInManifest } from '../../generators/lint/rules/secrets/sec002-token-in-manifest.ts';
import { ptr } from '../../generators/lint/util/pointer.ts';
import { isObj } from '../../generators/lint/util/values.ts';
function oldScan(value: unknown, pointer: string, hits: { pointer: string; what: string }[]) {
  if (typeof value === 'string') { for (const [what, re] of DETECTORS) if (re.test(value)) hits.push({ pointer, what }); }
  else if (Array.isArray(value)) value.forEach((v, i) => oldScan(v, pointer + ptr(i), hits));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) oldScan(v, pointer + ptr(k), hits);
}
let s = 7; const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const tokens = ['ghp_' + 'a'.repeat(36), 'glpat-' + 'b'.repeat(20), 'AKIA' + 'C'.repeat(16), 'xoxb-' + '1'.repeat(10), 'AIza' + 'd'.repeat(35), 'eyJ' + 'e'.repeat(8) + '.eyJ' + 'f'.repeat(8) + '.' + 'g'.repeat(8), '-----BEGIN RSA PRIVATE KEY-----', 'plain', 'ghp_short', ''];
const keys = ['a', 'b/c', '~x', '/abs', 'spec', '0'];
const gen = (d: number): unknown => { const r = rnd(); if (d > 3 || r < 0.4) return rnd() < 0.8 ? `${rnd() < 0.5 ? 'x ' : ''}${tokens[Math.floor(rnd() * tokens.length)]}${rnd() < 0.5 ? ' y' : ''}${rnd() < 0.2 ? tokens[Math.floor(rnd() * tokens.length)] : ''}` : Math.floor(rnd() * 9); if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1)); const o: Record<string, unknown> = {}; for (let i = 0; i < 3; i++) o[keys[Math.floor(rnd() * keys.length)]] = gen(d + 1); return o; };
test('SEC002: the union prefilter and pointers made per hit give the plain scan\'s findings', () => {
let hitsSeen = 0;
for (let n = 0; n < 3000; n++) {
  const obj = { kind: 'ConfigMap', metadata: { name: 'x' }, data: gen(0) };
  const r = { file: 'f.yaml', docIndex: 0, line: 1, origin: 'file', obj } as any;
  const got = tokenInManifest.check({ resources: [r] } as any).map((f) => `${f.path} ${f.message}`);
  const hits: { pointer: string; what: string }[] = []; oldScan(obj, '', hits);
  const want = hits.map((h) => `${h.pointer} value looks like ${h.what} committed in plain text`);
  hitsSeen += want.length;
  assert.equal(got, want, JSON.stringify(obj));
}
assert.ok(hitsSeen > 1000, 'random values hold tokens');
});

test.run();
