// The render memo (incremental/render-memo.ts) may never change a rendered byte: after every
// random edit of a model (services added, removed and changed, tenants, platform-wide fields),
// rendering with the memo the previous render left (through the disk format) gives exactly the
// files of a render without it, and only templates whose data changed are rendered anew. Its key
// tells apart data that JSON would conflate (a missing field and an undefined one, -0 and 0, a
// Map and an empty object), and the planners hand templates plain data only (the key's premise).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRenderMemo, saveRenderMemo } from '../../generators/check/cache-store.ts';
import { emptyRenderMemo, keptRenderMemo, memoEngine, usableRenderMemo, type RenderMemo } from '../../generators/incremental/render-memo.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import type { PlatformSpec } from '../../generators/model/types.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { planRepo } from '../../generators/plan/index.ts';
import { renderSpec } from '../../generators/pipeline.ts';
import type { Engine } from '../../generators/render/engine.ts';
import { editWalk, tempDir, prng } from '../helpers.ts';

/** An edit the model refuses is skipped: renderSpec refuses it alike, memo or not. */
const accepts = (s: PlatformSpec) => {
  try {
    validateSpec(s);
    return true;
  } catch {
    return false;
  }
};

const spec = (example: string) => parseSpecText(readFileSync(`examples/${example}/platform.yaml`, 'utf8'), example) as PlatformSpec;


/** One random model edit (on a copy); what it did, for the failure message. */
function edit(s: PlatformSpec, rnd: ReturnType<typeof prng>, step: number): [PlatformSpec, string] {
  const next = structuredClone(s) as any;
  const services = next.services ?? [];
  const svc = services.length ? rnd.pick(services) as any : undefined;
  switch (rnd.int(8)) {
    case 0:
      if (!svc) return [next, 'no-op'];
      svc.tag = `2.${step}.0`;
      return [next, `tag of ${svc.name}`];
    case 1:
      if (!svc) return [next, 'no-op'];
      svc.replicas = 1 + rnd.int(5);
      return [next, `replicas of ${svc.name}`];
    case 2:
      if (!svc) return [next, 'no-op'];
      services.push({ ...structuredClone(svc), name: `${svc.name.slice(0, 40)}-c${step}`, host: undefined });
      delete services.at(-1).host;
      return [next, `copy of ${svc.name}`];
    case 3:
      if (services.length < 2) return [next, 'no-op'];
      services.splice(rnd.int(services.length), 1);
      return [next, 'service removed'];
    case 4:
      if (!svc) return [next, 'no-op'];
      svc.description = rnd.pick(['a "quoted" one', 'line: with colon', 'plain', '']);
      if (!svc.description) delete svc.description;
      return [next, `description of ${svc.name}`];
    case 5: {
      const t = rnd.pick(next.tenants ?? []) as any;
      if (!t) return [next, 'no-op'];
      t.description = `Tenant edited at ${step}`;
      return [next, `tenant ${t.name}`];
    }
    case 6:
      if (!svc) return [next, 'no-op'];
      svc.strategy = rnd.pick(['canary', 'blueGreen', 'rolling']);
      return [next, `strategy of ${svc.name}`];
    default:
      next.platform = { ...next.platform, description: `Edited ${step}` };
      return [next, 'platform description'];
  }
}

for (const example of ['minimal', 'enterprise']) {
  test(`${example}: with the memo, every render after random model edits is byte for byte a render without it`, () => {
    const dir = tempDir('gs-memo-');
    const rnd = prng(example.length * 7919);
    let memo: RenderMemo = emptyRenderMemo('fp');
    let anew = 0;
    let templates = 0;
    for (const { step, what, spec: s } of editWalk(spec(example), 12, (s, step) => edit(s, rnd, step), accepts)) {
      const plain = renderSpec(structuredClone(s));
      const memoed = renderSpec(structuredClone(s), undefined, undefined, undefined, memo);
      assert.equal(memoed.map((f) => f.path), plain.map((f) => f.path), `step ${step} (${what}): paths`);
      for (let i = 0; i < plain.length; i++) assert.is(memoed[i].content, plain[i].content, `step ${step} (${what}): ${plain[i].path}`);
      if (step) anew += memo.rendered;
      templates += memo.used.size;
      // Through the disk format, as between two runs.
      saveRenderMemo(dir, keptRenderMemo(memo));
      memo = usableRenderMemo(loadRenderMemo(dir), 'fp');
      assert.ok(memo.bodies.size > 0);
    }
    assert.ok(anew < templates / 4, `most templates come from the memo after the first render (${anew} of ${templates})`);
  });
}

test('the key tells apart what JSON conflates; uncloneable data renders every time', () => {
  const calls: unknown[] = [];
  const engine: Engine = { has: () => true, render: (_t, data) => (calls.push(data), `${calls.length}`) };
  const memo = emptyRenderMemo('fp');
  const e = memoEngine(engine, memo);
  const distinct = [{}, { a: undefined }, { a: null }, { a: 0 }, { a: -0 }, { a: NaN }, { a: new Map() }, { a: [] }, { a: [undefined] }, { a: [, 1] }, { a: '0' }, { b: 1, a: 1 }, { a: 1, b: 1 }];
  const outs = distinct.map((d) => e.render('t.hbs', d));
  assert.is(new Set(outs).size, distinct.length, 'each renders anew');
  // Equal data gives its own body back (a clone's array may be laid out differently in memory and
  // render anew: a miss, never another's body).
  distinct.forEach((d, i) => {
    const again = e.render('t.hbs', structuredClone(d));
    assert.ok(again === outs[i] || !outs.includes(again), `${i}: ${again}`);
  });
  assert.is(e.render('t.hbs', { b: 1, a: 1 }), outs[11]);
  const before = calls.length;
  assert.is(e.render('other.hbs', {}), String(before + 1), 'the template name is part of the key');
  const fn = { a: () => 1 };
  e.render('t.hbs', fn);
  e.render('t.hbs', fn);
  assert.is(calls.filter((c) => c === fn).length, 2);
});

test('a memo made by other code, or a damaged memo file, is not used', () => {
  const memo = emptyRenderMemo('old');
  memo.bodies.set('k', 'body');
  memo.used.add('k');
  memo.rendered = 1;
  assert.is(usableRenderMemo(memo, 'new').bodies.size, 0);
  assert.is(usableRenderMemo(memo, 'old').bodies.size, 1);
  const dir = tempDir('gs-memo-');
  const tricky = 'tab\there\nnewline\n\n\u2028 unicode ✓ 🚀\r\n';
  memo.bodies.set('k2', tricky);
  memo.used.add('k2');
  saveRenderMemo(dir, keptRenderMemo(memo));
  const back = loadRenderMemo(dir)!;
  assert.is(back.bodies.get('k2'), tricky);
  assert.is(back.bodies.get('k'), 'body');
  const file = path.join(dir, '.gitops-scaffold/cache/render.memo');
  const text = readFileSync(file, 'utf8');
  for (const cut of [text.length - 1, text.length - 5, text.indexOf('\n') + 3]) {
    writeFileSync(file, text.slice(0, cut));
    assert.is(loadRenderMemo(dir), null, `cut at ${cut}`);
  }
  writeFileSync(file, text.replace('\t4\n', '\t5\n'));
  assert.is(loadRenderMemo(dir), null, 'a wrong length');
});

test("the planners hand templates plain data (the memo's key holds own properties only)", () => {
  const plain = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object') {
      assert.ok(typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint', `${at}: ${typeof v}`);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => plain(x, `${at}[${i}]`));
    const proto = Object.getPrototypeOf(v);
    assert.ok(proto === Object.prototype || proto === null, `${at}: an instance of ${proto?.constructor?.name}`);
    for (const k of Reflect.ownKeys(v)) {
      assert.ok(typeof k === 'string' && Object.getOwnPropertyDescriptor(v, k)!.enumerable, `${at}.${String(k)}: a symbol or hidden key`);
      plain((v as any)[k], `${at}.${k}`);
    }
  };
  for (const example of ['minimal', 'enterprise']) {
    const s = validateSpec(spec(example));
    for (const f of planRepo({ spec: s, platform: normalize(s) })) if (f.template) plain(f.data ?? {}, `${example}:${f.path}`);
  }
});

test.run();
