// The walk skips measuring an object's last-applied annotation when its file is small enough
// (inventory.ts surelyWithin: no `*` or `!` in the file, 16 x its bytes + 1 KiB under the limit).
// That rests on the compact JSON of a document (as lastAppliedBytes counts it) being at most ~6
// bytes per byte of YAML text. Random YAML-ish texts, as both parsers read them, hold it with
// margin (6 x + 64, where the shortcut assumes 16 x + 1024), and so do the worst cases by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSourceFast, parseSourceFull } from '../../generators/check/parse.ts';
import { lastAppliedBytes } from '../../generators/model/components.ts';
import { surelyWithin } from '../../generators/simulate/inventory.ts';
import { prng } from '../helpers.ts';

const bound = (text: string) => 6 * Buffer.byteLength(text, 'utf8') + 64;

function check(text: string) {
  if (text.includes('*') || text.includes('!')) return;
  // (the yaml library warns about collection keys it stringifies: expected here, kept quiet)
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    checkQuietly(text);
  } finally {
    process.emitWarning = emit;
  }
}

function checkQuietly(text: string) {
  const file = { path: 'x.yaml', content: text };
  const full = (() => {
    try {
      return parseSourceFull(file, 'file');
    } catch {
      return undefined; // (a merge of a scalar: the full parser throws; not this test's question)
    }
  })();
  for (const parsed of [parseSourceFast(file, 'file'), full]) {
    for (const r of parsed?.resources ?? []) {
      const bytes = lastAppliedBytes(r.obj);
      assert.ok(bytes <= bound(text), `${bytes} bytes of JSON from ${Buffer.byteLength(text)} bytes of text: ${JSON.stringify(text)}`);
    }
  }
}

test('worst cases by hand: escaped characters, empty values, timestamps, long numbers, complex keys', () => {
  for (const text of [
    'a: <<<<<<<<>>>>>>>&&&&&&\n',
    '<: <\n>: >\n&: &\n',
    'a:\nb:\nc:\nd:\n',
    '- \n-\n-\n-\n',
    '[[[[[[[[]]]]]]]]\n',
    'a: 2001-1-1\nb: 2001-12-14\n',
    'a: 1e20\nb: 9e20\n1e20: 1\n',
    '? a\n? b\n? c\n',
    'a: "\\x01\\x02\\x03\\u2028\\u2029"\n',
    'a: "\\U0001F600\\uD800"\n',
    'k: \u2028\u2029\n',
    'a: |\n  <\n  <\n  <\n',
    '{a, b, c, d, e}\n',
    'a: 1:0:0:0:0:0:0:0:0\n',
    'a: 0b1\nb: 0x1\nc: .inf\nd: ~\n',
    'kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "<&>"\n',
  ])
    check(text);
});

test('random YAML-ish texts: compact JSON within 6 bytes per byte of text', () => {
  const r = prng(20261202);
  const atoms = ['a', 'b', 'k', '<', '>', '&', '-', ' ', ':', '? ', '\n', '\n  ', '\n- ', '"', "'", '[', ']', '{', '}', ',', '1', 'e2', '0x', '.inf', '~', 'null', 'yes', '2001-1-1', '\\x01', '\\u2028', '|', '|\n  ', '#', '\t', 'é', '\u2028', '---\n', '<<: ', '=', '%'];
  for (let i = 0; i < 4000; i++) {
    let text = '';
    const n = 1 + r.int(40);
    for (let j = 0; j < n; j++) text += r.pick(atoms);
    check(text);
    check(`kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ${text}\n`);
  }
});

test('surelyWithin: only small files without aliases or tags, only objects that would be measured', () => {
  const small = 'kind: ConfigMap\nmetadata:\n  name: x\n';
  const read = (p: string) => ({ 'a.yaml': small, 'alias.yaml': `${small}x: *a\n`, 'tag.yaml': `${small}x: !!binary aGk=\n`, 'big.yaml': small + `x: "${'y'.repeat(20_000)}"\n` } as Record<string, string>)[p];
  const o = (file?: string, lastAppliedBytes?: number) => ({ group: '', kind: 'ConfigMap', name: 'x', wave: 0, file, lastAppliedBytes });
  const limit = 256 * 1024;
  assert.ok(surelyWithin(o('a.yaml'), limit, read));
  for (const file of ['alias.yaml', 'tag.yaml', 'big.yaml', 'missing.yaml', undefined]) assert.not.ok(surelyWithin(o(file), limit, read), String(file));
  assert.not.ok(surelyWithin(o('a.yaml', 0), limit, read));
});

test.run();
