// The fast path of parse.ts (check/fast-yaml.ts) must give exactly what the full `yaml` parse
// gives - values, findings, document counts, lines - or give up. Each snippet is checked both ways.
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document } from 'yaml';
import { clearSlotsForTest, fastLineLookup, fastParseDocuments, slotForTest, UNSURE_LINE } from '../../generators/check/fast-yaml.ts';
import { lazyLineLookup, parseSourceFast, parseSourceFull } from '../../generators/check/parse.ts';
import { readRepoFiles } from '../../generators/validate/repo-files.ts';
import { prng } from '../helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const pointers = (v: unknown, base = ''): string[] => {
  const out = [base];
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pointers(x, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
};
const strip = (r: ReturnType<typeof parseSourceFull>) => ({
  documents: r.documents,
  findings: r.findings,
  resources: r.resources.map(({ lineOf: _l, ...x }) => ({ ...x, keys: JSON.stringify(x.obj) })),
});

/** Fast and full agree (when the fast path answers); returns whether it answered. */
function same(content: string, path = 'm.yaml'): boolean {
  const fast = parseSourceFast({ path, content }, 'file');
  if (!fast) return false;
  const full = parseSourceFull({ path, content }, 'file');
  assert.ok(isDeepStrictEqual(strip(fast), strip(full)), `${JSON.stringify(content)}\nfast ${JSON.stringify(strip(fast))}\nfull ${JSON.stringify(strip(full))}`);
  fast.resources.forEach((r, i) => {
    for (const p of [...pointers(r.obj), '/missing', '/metadata/missing/x']) assert.is(r.lineOf?.(p), full.resources[i].lineOf?.(p), `${JSON.stringify(content)} ${p}`);
  });
  return true;
}

const RESOURCE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

test('the block subset is read by the fast path, identically', () => {
  const answered = [
    RESOURCE,
    `# header\n${RESOURCE}`,
    `# header\n---\n${RESOURCE}---\n# only a comment\n---\n${RESOURCE}\n\n`,
    `${RESOURCE}---\n`,
    `---\n---\n${RESOURCE}`,
    `${RESOURCE}data:\n  a: "1"\n  b: 'it''s'\n  c: "q\\"uote\\\\ \\n\\t"\n  d: plain text  # comment\n  e: http://x:80/a#frag\n`,
    `${RESOURCE}data:\n  script: |\n    #!/bin/sh\n    echo hi\n\n      indented\n\n\n  strip: |-\n    a\n    b\n  after: x\n`,
    `${RESOURCE}spec:\n  list:\n  - a\n  - name: b\n    value: c\n  -\n    nested: 1\n  - - deep\n    - deeper\n  empty:\n  braces: {}\n  brackets: []\n  flow: [a, "b", 'c', 1, true]\n`,
    `${RESOURCE}spec:\n  num: 8080\n  neg: -3\n  f: 1.5\n  e: 1e3\n  oct: 0755\n  hex: 0x1F\n  sexa: 1:30\n  yes: 1\n`.replace('  yes: 1\n', '  flag: yes\n  no2: false\n  on2: On\n  nul: ~\n  nul2: null\n  inf: .inf\n  nan: .NaN\n  und: 1_000\n'),
    '- a\n- b\n',
    '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "x", "labels": {}},\n  "data": {"n": 1, "b": true, "z": null, "l": [1, "two", []]}\n}\n',
    '[]\n',
    'kind: List\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- kind: Secret\n',
    'metadata:\n  name: no-kind\n',
    '"quoted key": 1\nkind: K\napiVersion: v1\n',
    // plain scalars wrapped over lines (kubectl's style for long strings), folded with spaces
    `${RESOURCE}s: multi\n  line plain\n`,
    `${RESOURCE}spec:\n  query: ((sum(rate(x{a="b"}[2m]))\n    or on() vector(0)) / 2\n      > 0\n  next: 1\n`,
    `${RESOURCE}l:\n- first\n  second  \n- name: n\n  value: a\n    b c\n    d\n`,
    `${RESOURCE}s: 1\n  2\n`,
    `${RESOURCE}s: true\n  story\n`,
    `${RESOURCE}s: a\n  b\n  # a comment ends it\nt: c\n`,
    `${RESOURCE}s: a\n  b\n\nt: c\n`,
    `${RESOURCE}s: a\n  - b\n  [c] "d" :e > f\n`,
  ];
  for (const c of answered) assert.ok(same(c), `fast path expected for ${JSON.stringify(c)}`);
});

test('anything unusual or possibly wrong is left to the full parser', () => {
  const refused = [
    `${RESOURCE}a: &x 1\nb: *x\n`,
    `${RESOURCE}<<: {a: 1}\n`,
    `${RESOURCE}t: !!str 1\n`,
    `%YAML 1.1\n---\n${RESOURCE}`,
    `${RESOURCE}...\n`,
    `${RESOURCE}kind: Dup\n`,
    `${RESOURCE}on: push\n`,
    `${RESOURCE}d: 2001-12-14\n`,
    `${RESOURCE}s: "multi\n  line"\n`,
    `${RESOURCE}s: >\n  folded\n`,
    `${RESOURCE}s: |+\n  keep\n`,
    `${RESOURCE}s: |2\n   x\n`,
    `${RESOURCE}s: "\\x41"\n`,
    `${RESOURCE}s: {a: 1}\n`,
    `${RESOURCE}s: [a, [b]]\n`,
    `${RESOURCE}s:\tx\n`,
    `${RESOURCE.replace(/\n/g, '\r\n')}`,
    `${RESOURCE}    bad: indent\n`,
    `${RESOURCE}a: b: c\n`,
    `${RESOURCE}? complex\n`,
    `${RESOURCE}__proto__: 1\n`,
    'just a scalar\n',
    '{"a": 1, "a": 2}',
    '{"a": 1.5}',
    '{"a": 1,}',
    `${RESOURCE}s: a # comment\n  b\n`,
    `${RESOURCE}s: a\n  b: c\n`,
    `${RESOURCE}s: a\n  b:\n`,
    `${RESOURCE}s: a\n  b # c\n`,
    `${RESOURCE}s: a\n  # comment\n  b\n`,
    `${RESOURCE}s: a\n\n  b\n`,
    `${RESOURCE}l:\n  - a\n   b\n  -c\n`,
    `${RESOURCE}s: a\n  :\n`,
  ];
  for (const c of refused) {
    assert.is(fastParseDocuments(c), undefined, `expected the full parser for ${JSON.stringify(c)}`);
    assert.not.ok(same(c));
  }
});

/** Every pointer of a value, plus ones past its items and keys. */
const allPointers = (v: unknown, p = '', out: string[] = []): string[] => {
  out.push(p);
  if (Array.isArray(v)) {
    v.forEach((x, i) => allPointers(x, `${p}/${i}`, out));
    out.push(`${p}/${v.length}`, `${p}/x`);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) allPointers(x, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    out.push(`${p}/no-such-key`);
  } else out.push(`${p}/deeper`);
  return out;
};

/** The fast reader's line of every pointer = the yaml AST's; returns how many it was unsure of. */
function sameLines(content: string, where: string): number {
  let unsure = 0;
  for (const doc of fastParseDocuments(content) ?? []) {
    if (!doc.value || typeof doc.value !== 'object') continue;
    const fast = fastLineLookup(content, doc);
    assert.ok(fast, `${where}: the fast reader reads its own document again`);
    const slow = lazyLineLookup(content, doc.start, doc.end, () => doc.startLine);
    for (const p of allPointers(doc.value)) {
      const line = fast!(p);
      if (line === UNSURE_LINE) unsure++;
      else assert.is(line, slow(p), `${where} ${p}`);
    }
  }
  return unsure;
}

test('line numbers from the fast reader are the yaml AST\'s, for every field of the examples and fixtures', () => {
  let files = 0;
  for (const dir of ['examples/enterprise', 'examples/minimal', 'test/fixtures/validate']) {
    for (const f of readRepoFiles([path.join(ROOT, dir)]).manifests) {
      files++;
      assert.is(sameLines(f.content, `${dir}/${f.path}`), 0);
    }
  }
  assert.ok(files > 200, `${files} files`);
});

test('line numbers of unusual layouts: nested and wrapped items, flow collections, JSON; an empty item is left to the yaml AST', () => {
  const layouts = [
    'a:\n- x\n-\n  - y\n  - z\n- - p\n  - q\n',
    'items:\n  - # comment\n    name: x\n  - |\n    text\n  - "q"\n',
    '# c\n---\n# lead\nkind: X\nspec:\n  "a/b": 1\n  \'c~d\': {}\n  e: []\n  f: [1, 2]\n  g:\n\n    h: long\n      wrapped\n',
    '{\n  "a": [\n    1,\n    {"b": 2},\n    [3]\n  ],\n  "c": {}\n}\n',
    '[\n {"x": 1}, {"y":\n 2}\n]',
    'a: 1\n---\nb:\n  - c: 1\n    d: 2\n  - e\n---\n',
  ];
  for (const c of layouts) assert.is(sameLines(c, JSON.stringify(c)), 0, JSON.stringify(c));
  assert.ok(sameLines('k:\n  -\n  - a\n', 'empty item') > 0, 'an empty item: unsure, the yaml AST answers');
  // ... and through parse.ts the resource's lineOf still gives the AST's line there.
  const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  -\n  - a\n';
  const fast = parseSourceFast({ path: 'm.yaml', content }, 'file')!;
  const full = parseSourceFull({ path: 'm.yaml', content }, 'file');
  for (const p of ['/data/0', '/data/1', '/data/0/x']) assert.is(fast.resources[0].lineOf!(p), full.resources[0].lineOf!(p), p);
});

test('a plain scalar of a letter and 6+ characters is a string unless e/E + sign or digit: the YAML 1.1 tags the rule relies on', () => {
  // fast-yaml.ts resolvePlain skips the tag tests for such scalars; these are the tests it skips.
  const tests = (new Document(null, { version: '1.1' }).schema.tags as { test?: RegExp; default?: unknown }[]).filter((t) => t.test && (t.default === true || t.default === 'key')).map((t) => t.test!.source).filter((src) => !src.startsWith('^([0-9]{4})-([0-9]{1,2})-')).sort(); // timestamps start with 4 digits
  assert.equal(tests, [
    '^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$',
    '^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$',
    '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
    '^(?:~|[Nn]ull|NULL)?$',
    '^<<$',
    '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$',
    '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$',
    '^[-+]?0[0-7_]+$',
    '^[-+]?0b[0-1_]+$',
    '^[-+]?0x[0-9a-fA-F_]+$',
    '^[-+]?[0-9][0-9_]*$',
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$',
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$',
  ].sort());
  for (const s of ['namespace', 'enabled', 'targetPort', 'offline', 'nullable', 'truely', 'yesterday', 'e12345', 'E+12345', 'e-mail-x']) assert.ok(same(`${RESOURCE}k: ${s}\n${/^[eE][-+0-9]/.test(s) ? '' : `${s}: v\n`}`), s);
});

test('line ends the reader looks past (it checks bounds: reads past the end deoptimized the parser): both ways the same', () => {
  const cases = [
    `${RESOURCE}spec:   \n  a: 1\n`,
    `${RESOURCE}spec:\n  list:\n  -   \n    nested: 1\n  -\n    n: 2\n`,
    `${RESOURCE}data:\n  q: 'it'''\n  r: ''\n  s: 'a'\n`,
    `${RESOURCE}"k":\n  a: 1\n"l": x\n`,
    `${RESOURCE}"k"`,
    `${RESOURCE}f: [a, b]   \ng: [ ]\nh: [a,b]\n`,
    `${RESOURCE}f: [a, 'b''']\n`,
    `\n\n${RESOURCE}\n\n---\n\n${RESOURCE}\n`,
    `${RESOURCE}   \n     \n`,
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}   \n\n  ',
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}',
    `${RESOURCE}s: |\n  a\n     \n  b\n`, // a blank line longer than the block's indentation keeps its spaces
    `${RESOURCE}f: [a , b  ]\ng: [ c  ,d ]\n`,
  ];
  for (const c of cases) same(c);
  // the common ones still take the fast path
  for (const c of [cases[0], cases[2], cases[5], cases[7], cases[9], cases[10]]) assert.ok(same(c), `fast path expected for ${JSON.stringify(c)}`);
});

/** Texts that land in one slot of the reader's key and value caches (fast-yaml.ts slotOf). */
function sharingSlot(first: string, make: (i: number) => string, want: (t: string) => boolean = () => true): string {
  const slot = slotForTest(first);
  for (let i = 0; i < 2_000_000; i++) {
    const t = make(i);
    if (t !== first && want(t) && slotForTest(t) === slot) return t;
  }
  throw new Error(`no text shares the slot of ${first}`);
}

test('the key and value slot caches give the text read, whatever shares its slot', () => {
  // Each pair: read `a` (cached), then `b` in the same slot: `b` must be read as itself. Fails
  // when a hit skips the length check (`b` starting with `a`), the text check (same length), or
  // takes a cached value's type for another text (a number's slot then a string).
  const sameLength = sharingSlot('alpha', (i) => `k${i.toString(36).padStart(4, '0')}`.slice(0, 5), (t) => t.length === 5);
  const longer = sharingSlot('ab', (i) => `ab${i.toString(36)}`);
  const numberThenString = sharingSlot('8080', (i) => `p${i.toString(36)}`);
  const stringThenNumber = sharingSlot('web', (i) => String(i));
  const pairs: [string, string][] = [['Aa', 'BB'], ['alpha', sameLength], ['ab', longer], ['8080', numberThenString], ['web', stringThenNumber]];
  const isKey = (t: string) => !/^[-0-9~]|^(?:true|no|null)$/.test(t);
  for (const [a, b] of pairs) {
    for (const [x, y] of [[a, b], [b, a]]) {
      const cases = [`${RESOURCE}spec:\n  one: ${x}\n  two: ${y}\n  list:\n  - ${x}\n  - ${y}\n`];
      if (isKey(x) && isKey(y)) cases.push(`${RESOURCE}spec:\n  ${x}: 1\n  ${y}: 2\n`, `${RESOURCE}spec:\n  ${x}: ${y}\n  ${y}: ${x}\n`);
      for (const c of cases) {
        clearSlotsForTest();
        assert.ok(same(c), `fast path expected for ${JSON.stringify(c)}`);
        assert.ok(same(c), `fast path expected (slots filled) for ${JSON.stringify(c)}`);
      }
    }
  }
});

test('trailing white space other than spaces belongs to a plain scalar, as in the yaml library', () => {
  // YAML's white space is space and tab: a no-break or ideographic space ends no scalar.
  for (const ws of ['\u00a0', '\u3000', '\u2003', '\u202f']) {
    for (const c of [`${RESOURCE}a: b${ws}\n`, `${RESOURCE}a: x\n  b${ws}\n`, `${RESOURCE}a: [b${ws}, c]\n`, `${RESOURCE}a${ws}: 1\n`, `${RESOURCE}a: b${ws} # c\n`]) {
      const answered = same(c);
      if (!c.includes('[')) assert.ok(answered, `fast path expected for ${JSON.stringify(c)}`);
    }
  }
});

/** A random document of the subset and of its edges: keys, plain / quoted / flow / block values, comments, wraps. */
function randomDocument(r: ReturnType<typeof prng>): string {
  const words = ['a', 'web', 'Aa', 'BB', '8080', '-1', '1.5', 'true', 'no', 'null', '~', 'x:y', 'a #b', 'a#b', 'c: d', 'e:', ' ', '- x', '-x', '#c', '"q"', "'s'", "'it''s'", '"a\\"b"', '[a, b]', '[]', '{}', '|', '|-', 'k8s.io/name', 'http://h:80/p', '0x1F', '1e3', 'on', 'Yes', '0755', '\u00a0', 'é', '2001-12-14'];
  const word = () => r.pick(words);
  const scalar = () => {
    const n = 1 + r.int(3);
    let s = '';
    for (let i = 0; i < n; i++) s += (i ? r.pick([' ', '  ', '']) : '') + word();
    return s + r.pick(['', '', ' ', '  # c', ' #', '#']);
  };
  const lines: string[] = [];
  const block = (ind: number, depth: number) => {
    const n = 1 + r.int(4);
    const seq = r.int(3) === 0;
    for (let i = 0; i < n; i++) {
      const pad = ' '.repeat(ind);
      const head = seq ? `${pad}-` : `${pad}${r.int(6) === 0 ? word() : `k${r.int(5)}`}:`;
      const kind = depth > 2 ? r.int(3) : r.int(7);
      if (kind <= 2) {
        lines.push(`${head} ${scalar()}`);
        if (r.int(5) === 0) lines.push(`${pad}${' '.repeat(1 + r.int(3))}${scalar()}`); // a wrapped line (or an error)
      } else if (kind === 3) {
        lines.push(`${head} ${r.pick(['|', '|-', '| # c', '|2'])}`);
        const bi = ind + 2 + r.int(2);
        for (let j = 0, m = 1 + r.int(3); j < m; j++) lines.push(r.int(4) === 0 ? ' '.repeat(r.int(bi + 2)) : `${' '.repeat(bi + (r.int(4) === 0 ? 1 : 0))}${scalar()}`);
      } else if (kind === 4) {
        lines.push(`${head}${r.pick(['', ' ', ' # c'])}`);
        if (r.int(6) === 0) lines.push(`${pad}${r.pick(['', '  ', '# c'])}`);
      } else {
        lines.push(`${head}${r.pick(['', ' # c'])}`);
        block(ind + r.pick([0, 2, 2, 4]) + (seq ? 2 : 0), depth + 1);
      }
    }
  };
  block(0, 0);
  return lines.join('\n') + r.pick(['\n', '', '\n---\n', '\n\n']);
}

test('random documents of the subset and its edges: the fast reader agrees with the yaml library or leaves them to it', () => {
  const r = prng(11);
  let answered = 0;
  const cases = 3000;
  for (let i = 0; i < cases; i++) {
    const c = randomDocument(r);
    try {
      if (same(c)) answered++;
    } catch (e) {
      throw new Error(`case ${i}: ${JSON.stringify(c)}\n${(e as Error).message}`);
    }
  }
  // enough of them take the fast path for the comparison to mean something
  assert.ok(answered > cases / 5, `${answered} of ${cases} read by the fast path`);
});

test.run();
