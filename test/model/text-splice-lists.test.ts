// The splice compares platform.yaml's lists from their entries' JSON texts, written once
// (entryTexts, sameLists): that must decide exactly what same() (JSON.stringify of both lists)
// does, over random lists: holes, undefined, null, functions, nested values, entries with a
// toJSON method and lists that do not serialize (those fall back to same()). And its check that
// comment runs are settled, made from the lines holding a "#", answers as the walk of every line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../helpers.ts';
import { commentsSettled, commentsSettledByLine, entryTexts, sameLists } from '../../generators/model/text-splice.ts';
import { same } from '../../generators/model/yaml-patch.ts';

/** A float in [0, 1) per call, from the seed (mulberry32). */
const rng = (seed: number) => prng(seed).next;

test('entryTexts + sameLists decide what same() decides', () => {
  const r = rng(11);
  const leaf = (): unknown => [undefined, null, 0, 1, '', 'a', 'null', ',', '[1]', true, () => 1, { name: 'x' }, { name: 'x', n: 1 }, [1, 2], [undefined], { toJSON: () => 'j' }, { toJSON: (k: string) => k }][Math.floor(r() * 17)];
  const list = (): unknown[] => {
    const l: unknown[] = [];
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) if (r() < 0.85) l[i] = leaf();
    if (r() < 0.1) l.length = n + 1; // a hole at the end
    return l;
  };
  let decided = 0;
  let equal = 0;
  for (let round = 0; round < 20000; round++) {
    const a = list();
    const b = r() < 0.4 ? a.slice() : list();
    const texts = entryTexts(a, b);
    if (!texts) continue;
    decided++;
    const expected = same(a, b);
    if (expected) equal++;
    assert.is(sameLists(texts.before, texts.after), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  assert.ok(decided > 10000 && equal > 1000, `${decided} ${equal}`);
});

test('not decided from entry texts: non-lists, toJSON on an entry or the list, an entry that does not serialize', () => {
  assert.is(entryTexts({}, []), undefined);
  assert.is(entryTexts([{ toJSON: (k: string) => k }], []), undefined);
  assert.is(entryTexts(Object.assign([1], { toJSON: () => 1 }), [1]), undefined);
  assert.is(entryTexts([1n], [1]), undefined);
});

test('commentsSettled (the lines with a "#") answers as the walk of every line', () => {
  const r = rng(3);
  const bits = [' ', '  ', '#', ' # c', 'a', 'k: v # not a comment', '\r', '\t#', '', '    #', '- x'];
  let unsettled = 0;
  for (let round = 0; round < 20000; round++) {
    const lines = Array.from({ length: Math.floor(r() * 8) }, () => Array.from({ length: 1 + Math.floor(r() * 2) }, () => bits[Math.floor(r() * bits.length)]).join(''));
    const text = lines.join('\n') + (r() < 0.5 ? '\n' : '');
    const expected = commentsSettledByLine(text);
    if (!expected) unsettled++;
    assert.is(commentsSettled(text), expected, JSON.stringify(text));
  }
  assert.ok(unsettled > 1000, String(unsettled));
});

test.run();
