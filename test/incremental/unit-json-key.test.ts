// A service unit of plain data is keyed by its JSON text (service-units.ts plainJson) instead of
// the sha256 of its structured-clone bytes: two services with one JSON text must be the same
// data as JavaScript can tell it (isDeepStrictEqual: -0, holes, undefined fields, prototypes,
// own properties; the clone bytes are finer still, a dense and a sparse empty array differ), over random values holding what JSON
// writes alike but a planner could tell apart (-0 and 0, NaN and null, undefined, holes, extra
// array properties, a Date, a null-prototype object, an object reached twice); what plainJson
// does not key (undefined) falls back to the clone bytes, and an object of the view is 'shared'.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../helpers.ts';
import { isDeepStrictEqual } from 'node:util';
import { plainJson } from '../../generators/incremental/service-units.ts';

/** A float in [0, 1) per call, from the seed (mulberry32). */
const rng = (seed: number) => prng(seed).next;

test('one JSON text from plainJson: the same data', () => {
  const r = rng(5);
  const shared = { name: 'x' };
  const leaf = (): unknown => {
    const pick = Math.floor(r() * 16);
    return [0, -0, 1, NaN, Infinity, null, undefined, '', '0', 'null', true, false, new Date(0), Object.assign(Object.create(null), { a: 1 }), shared, 1.5][pick];
  };
  const value = (depth: number): unknown => {
    const kind = r();
    if (depth > 2 || kind < 0.4) return leaf();
    if (kind < 0.7) {
      const a: unknown[] = [];
      const n = Math.floor(r() * 3);
      for (let i = 0; i < n; i++) if (r() < 0.9) a[i] = value(depth + 1);
      if (r() < 0.05) a.length = n + 1;
      if (r() < 0.05) (a as any).extra = 1;
      return a;
    }
    const o: Record<string, unknown> = {};
    const n = Math.floor(r() * 3);
    for (let i = 0; i < n; i++) o[['a', 'b', '0', '__x'][Math.floor(r() * 4)]] = value(depth + 1);
    return o;
  };
  const byJson = new Map<string, unknown>();
  let keyed = 0;
  let collided = 0;
  for (let round = 0; round < 30000; round++) {
    const v = { name: 's', spec: value(0) };
    const json = plainJson(v, new Set());
    if (json === undefined || json === 'shared') continue;
    keyed++;
    const before = byJson.get(json);
    if (before) {
      collided++;
      assert.ok(isDeepStrictEqual(before, v), `${json}: one JSON text, two values`);
    } else byJson.set(json, v);
  }
  assert.ok(keyed > 3000 && collided > 1000, `${keyed} ${collided}`);
});

test('not keyed by JSON: what JSON writes alike or cannot write; shared with the view', () => {
  for (const [i, v] of [[-0], [NaN], [undefined], { a: undefined }, [, 1], Object.assign([1], { x: 1 }), Object.assign([, 1], { x: 1 }), [new Date(0)], Object.create(null), () => 1, [1n]].entries()) assert.is(plainJson({ v }, new Set()), undefined, `value ${i}`);
  const o = { a: 1 };
  assert.is(plainJson({ x: o, y: o }, new Set()), undefined, 'reached twice');
  assert.is(plainJson({ x: o }, new Set([o])), 'shared');
  assert.is(plainJson({ x: [1, 'a', null, true, { b: 2 }] }, new Set()), '{"x":[1,"a",null,true,{"b":2}]}');
});

test.run();
