// model/text-splice.ts (the fast path of patchModelText) against the yaml-library path it stands
// for: over random models written by the library with comments, blank lines, quoting styles,
// block scalars, flow collections and YAML-looking strings, and random add / remove / update
// edits, the splice either says "not sure" or gives exactly the library path's text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { patchModelText } from '../../generators/model/edits.ts';
import { spliceModelText } from '../../generators/model/text-splice.ts';
import { jsonFaithful, knownModel } from '../../generators/model/serialize.ts';
import { YAML_OPTIONS } from '../../generators/model/yaml-patch.ts';
import type { PlatformSpec } from '../../generators/model/types.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../generators/pipeline.ts';
import { editRepo } from '../../generators/commands/edit.ts';
import { baseSpec, prng, removeTempDir, tempDir } from '../helpers.ts';

const SCHEMA_LINE = '# yaml-language-server: $schema=./.gitops-scaffold/platform.schema.json';

/** Strings that YAML reads as something else, or that need quoting, escaping or a block. */
const NASTY = [
  'yes', 'No', 'on', 'off', 'y', 'n', '~', 'null', 'true', '0755', '0x1f', '1e3', '1_000', '.inf', '-.5', '2026-12-02', '12:30:00', '',
  ' leading', 'trailing ', 'a: b', 'a:b', 'x #y', '#hash', '- dash', '-', '?', '[x]', '{y: 1}', '*alias', '&anchor', '!tag', '@at', '`tick`', '%pct',
  'key:', '"dq"', "s'q", 'back\\slash', 'multi\nline', 'ends\n', 'two\n\nparas\n', 'keep\n\n', '  indented\nblock', 'tab\there', 'crlf\r\nx',
  'ünïcödé', '🚀 launch', 'zero\u200bwidth', 'ls\u2028sep', 'bell\u0007', '---', '...', 'a,b', 'https://x.example.com/a?b=c#d', '$secret:key', '{{ .name }}',
];
const WORDS = ['api', 'web', 'pay', 'ledger', 'search', 'edge', 'core', 'batch', 'ml', 'auth'];

/** Strings check/fast-yaml.ts leaves to the library (so a text holding one is never spliced). */
const LIBRARY_ONLY = new Set(['keep\n\n', '  indented\nblock', 'tab\there', 'crlf\r\nx', 'ls\u2028sep', 'bell\u0007']);

type Rng = ReturnType<typeof prng> & { heavy?: boolean };

function nasty(r: Rng): string {
  for (;;) {
    const s = r.pick(NASTY);
    if (r.heavy || !LIBRARY_ONLY.has(s)) return s;
  }
}

function scalar(r: Rng): unknown {
  switch (r.int(6)) {
    case 0: return nasty(r);
    case 1: return r.int(100000);
    case 2: return r.int(2) === 0;
    case 3: return r.int(10) === 0 ? null : `${r.pick(WORDS)}-${r.int(100)}`;
    case 4: return r.int(3) === 0 ? -r.int(50) / 4 : `${nasty(r)}${nasty(r)}`;
    default: return r.pick(WORDS);
  }
}

function value(r: Rng, depth: number): unknown {
  const k = depth > 2 ? 0 : r.int(10);
  if (k === 7) return Array.from({ length: r.int(4) }, () => scalar(r));
  if (k === 8) return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick([...WORDS, ...NASTY.slice(0, 20)]), value(r, depth + 1)]));
  if (k === 9) return Array.from({ length: 1 + r.int(2) }, () => ({ [r.pick(WORDS)]: value(r, depth + 1) }));
  return scalar(r);
}

function entity(r: Rng, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  for (let i = r.int(6); i > 0; i--) out[r.pick(['tenant', 'image', 'tag', 'port', 'host', 'env', 'labels', 'description', r.pick(WORDS)])] = value(r, 1);
  return out;
}

const names = (r: Rng, n: number, prefix: string) => [...new Set(Array.from({ length: n }, () => `${prefix}${r.pick(WORDS)}-${r.int(60)}`))];

function model(r: Rng): Record<string, unknown> {
  const m: Record<string, unknown> = { apiVersion: 'gitops-scaffold.dev/v1alpha1', kind: 'Platform', name: r.pick(['fleet', 'yes', 'a: b']) };
  m.repo = { url: 'https://github.com/acme/x.git', revision: r.pick(['main', '0755', 'v1']) };
  m.environments = names(r, 1 + r.int(4), '').map((n) => entity(r, n));
  m.clusters = names(r, 1 + r.int(4), 'c-').map((n) => entity(r, n));
  if (r.int(4)) m.tenants = names(r, 1 + r.int(5), 't-').map((n) => entity(r, n));
  if (r.int(5)) m.services = names(r, 1 + r.int(12), 's-').map((n) => entity(r, n));
  if (r.int(2)) m.delivery = { strategy: r.pick(['canary', 'rolling']), extra: value(r, 1) };
  if (r.int(3)) m.ci = { sources: value(r, 1) };
  return m;
}

/**
 * Comments, blank lines, quoting and flow style put on random nodes of a library document (heavy:
 * also folded scalars, flow collections of anything and comments on mappings, most of which
 * check/fast-yaml.ts leaves to the library).
 */
function decorate(r: Rng, doc: YAML.Document) {
  const heavy = r.heavy;
  const comment = () => r.pick([' owned by team x', ' see RUNBOOK.md: step #3', ' ünï', '', ' - a: b', ' "quoted"']);
  YAML.visit(doc, {
    Pair(_, pair) {
      if (YAML.isScalar(pair.key) && r.int(12) === 0) pair.key.commentBefore = comment();
      if (YAML.isScalar(pair.key) && r.int(15) === 0) pair.key.spaceBefore = true;
      if (heavy && YAML.isScalar(pair.key) && r.int(30) === 0) pair.key.type = r.pick<YAML.Scalar.Type>([YAML.Scalar.QUOTE_DOUBLE, YAML.Scalar.QUOTE_SINGLE, YAML.Scalar.BLOCK_LITERAL]);
      const v = pair.value;
      if (!YAML.isScalar(v)) return;
      if ((heavy || r.int(2) === 0) && r.int(10) === 0) v.comment = comment();
      const oneLine = typeof v.value === 'string' && !v.value.includes('\n');
      if (typeof v.value === 'string' && r.int(6) === 0)
        v.type = r.pick<YAML.Scalar.Type>([YAML.Scalar.QUOTE_DOUBLE, YAML.Scalar.BLOCK_LITERAL, ...(heavy || oneLine ? [YAML.Scalar.QUOTE_SINGLE, YAML.Scalar.PLAIN] : []), ...(heavy ? [YAML.Scalar.BLOCK_FOLDED] : [])] as YAML.Scalar.Type[]);
    },
    Map(_, map) {
      if (heavy && r.int(10) === 0) map.commentBefore = comment();
      if (heavy && r.int(14) === 0) map.comment = comment();
      if (heavy && r.int(20) === 0) map.flow = true;
      if (r.int(12) === 0) map.spaceBefore = true;
    },
    Seq(_, seq) {
      if (r.int(8) === 0) seq.comment = comment();
      if ((heavy || seq.items.every((x) => YAML.isScalar(x))) && r.int(12) === 0) seq.flow = true;
      if (heavy && r.int(12) === 0) seq.commentBefore = comment();
    },
    Scalar(_, s) {
      if (heavy && r.int(20) === 0) s.comment = comment();
    },
  });
  if (r.int(3) === 0) doc.comment = comment();
}

/** What this tool writes for a model: the library's text, after one round trip (every command's path). */
function written(r: Rng, m: Record<string, unknown>): string {
  const doc = new YAML.Document(m, { version: '1.1' });
  if (r.int(4)) decorate(r, doc);
  const raw = `${SCHEMA_LINE}\n${doc.toString(YAML_OPTIONS)}`;
  return patchModelText(raw, YAML.parse(raw, { version: '1.1' }));
}

const LISTS = ['environments', 'clusters', 'tenants', 'services'];

/** A random edit as add / remove / update make them (plus a few they never make). */
function edit(r: Rng, m: Record<string, any>): Record<string, any> {
  const next: Record<string, any> = { ...m };
  const key = r.pick(LISTS.filter((k) => Array.isArray(m[k])));
  const list: Record<string, unknown>[] = m[key];
  const op = r.int(10);
  if (op < 4) {
    const at = r.int(3) ? list.length : r.int(list.length + 1);
    next[key] = [...list.slice(0, at), entity(r, `new-${r.pick(WORDS)}-${r.int(1000)}`), ...list.slice(at)];
  } else if (op < 6) {
    const at = r.int(list.length);
    next[key] = list.filter((_, i) => i !== at);
    if (!next[key].length && (key === 'services' || key === 'tenants')) delete next[key];
  } else if (op < 9) {
    const at = r.int(list.length);
    const e = { ...list[at] };
    const field = r.pick(Object.keys(e).filter((k) => k !== 'name').concat(['tag', 'labels']));
    if (r.int(4) === 0 && field in e) delete e[field];
    else e[field] = value(r, 1);
    next[key] = list.map((x, i) => (i === at ? e : x));
  } else {
    next.delivery = { strategy: 'blueGreen' };
  }
  if (r.int(8) === 0) {
    const other = r.pick(LISTS.filter((k) => Array.isArray(next[k]) && k !== key));
    if (other) next[other] = [...next[other], entity(r, `more-${r.int(1000)}`)];
  }
  return next;
}

test('text splice: the library path\'s exact text, or "not sure", over random models and edits', () => {
  let spliced = 0;
  let cases = 0;
  const seeds = Number(process.env.SPLICE_SEEDS ?? 100);
  for (let seed = 1; seed <= seeds; seed++) {
    const r: Rng = { ...prng(seed), heavy: seed % 4 === 0 };
    const m = model(r);
    const text = written(r, m);
    const current = YAML.parse(text, { version: '1.1' });
    // The tool's text is the library's fixpoint: the library path with no change gives it back.
    if (patchModelText(text, current) !== text) continue;
    for (let e = 0; e < 4; e++) {
      const next = edit(r, current);
      const library = patchModelText(text, next as PlatformSpec);
      const splice = spliceModelText(text, next);
      cases++;
      if (splice === undefined) continue;
      spliced++;
      assert.is(splice, library, `seed ${seed}, edit ${e}`);
      // The value the splice remembers for its text (no re-read) is the text's value.
      const known = knownModel(splice);
      if (known) assert.equal(JSON.parse(known.json), YAML.parse(splice, { version: '1.1' }), `seed ${seed}, edit ${e}: value`);
      else assert.not.ok(jsonFaithful(YAML.parse(splice, { version: '1.1' })), `seed ${seed}, edit ${e}: remembered`);
      assert.is(patchModelText(text, next as PlatformSpec, { written: true }), library);
    }
  }
  // Not a test that cannot fail: most edits of these models are spliced.
  assert.ok(spliced > cases * 0.25, `spliced ${spliced} of ${cases}`);
});

test('text splice: every text the tool writes and the splice is sure about is a fixpoint of the library path (what "written" relies on)', () => {
  let read = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const r: Rng = { ...prng(1000 + seed), heavy: seed % 2 === 0 };
    const text = written(r, model(r));
    const current = YAML.parse(text, { version: '1.1' });
    // A text the splice is sure about (here: with no change at all) must be a fixpoint.
    if (spliceModelText(text, current) === undefined) continue;
    read++;
    assert.is(patchModelText(text, current), text, `seed ${seed}`);
  }
  assert.ok(read > 40, `${read} of 120 spliced`);
});

test('add and remove in a repository: spliced on the platform.yaml the tool wrote, the library way on a hand-edited one', () => {
  const dir = tempDir('gs-splice-');
  const root = path.join(dir, 'repo');
  const model = path.join(root, 'platform.yaml');
  run({ root, spec: baseSpec(), check: false });
  const service = (name: string) => ({ name, tenant: 'payments', image: 'ghcr.io/acme/x', tag: '1.0.0', port: 8080, description: 'say "hi": #1\nline two' });
  // Written by the tool: the splice's text, which is the library's (the first service adds the
  // `services` key: the library path; the second one is an entry of it).
  editRepo({ op: 'add', kind: 'service', root, entity: service('first'), check: false });
  const written = readFileSync(model, 'utf8');
  editRepo({ op: 'add', kind: 'service', root, entity: service('a'), check: false });
  const added = readFileSync(model, 'utf8');
  const next = YAML.parse(added, { version: '1.1' });
  assert.is(spliceModelText(written, next), added);
  assert.is(patchModelText(written, next), added);
  assert.equal(next.services[1].description, 'say "hi": #1\nline two');
  // Edited by hand (indentation the library would not write): the library path, never the splice.
  const hand = added.replace(/^repo:\n  url:/m, 'repo:\n    url:').replace('environments:\n', '# promotion order\nenvironments:\n');
  writeFileSync(model, hand);
  editRepo({ op: 'add', kind: 'service', root, entity: service('b'), check: false });
  const after = readFileSync(model, 'utf8');
  assert.is(after, patchModelText(hand, YAML.parse(after, { version: '1.1' })));
  assert.ok(after.includes('repo:\n  url:') && after.includes('# promotion order\n'), 'the library re-indents, keeps the comment');
  // And the tool's text again: remove is spliced too, and gives the library's bytes.
  editRepo({ op: 'remove', kind: 'service', root, entity: { name: 'b' }, check: false });
  const removed = readFileSync(model, 'utf8');
  assert.is(spliceModelText(after, YAML.parse(removed, { version: '1.1' })), removed);
  removeTempDir(dir);
});

test.run();
