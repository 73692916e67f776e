// io/model-cache.ts: platform.yaml's value from .gitops-scaffold/cache/model.json, used only for
// the exact text it was saved for (sha256), under the same code; anything else is a parse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { run } from '../../generators/pipeline.ts';
import { editRepo } from '../../generators/commands/edit.ts';
import { loadModelCache, saveModelCache } from '../../generators/io/model-cache.ts';
import { knownModel, parseSpecText, rememberModel } from '../../generators/model/serialize.ts';
import { sha256 } from '../../generators/io/manifest.ts';
import { baseSpec, removeTempDir, tempDir } from '../helpers.ts';

const FP = 'test-fingerprint';
const service = (name: string) => ({ name, tenant: 'payments', image: 'ghcr.io/acme/x', tag: '1.0.0', port: 8080 });

function repo() {
  const dir = tempDir('gs-model-cache-');
  const root = path.join(dir, 'repo');
  run({ root, spec: baseSpec(), check: false });
  return { dir, root, cache: path.join(root, '.gitops-scaffold/cache/model.json') };
}

/** A text this process does not know yet: the same model, a comment apart. */
const fresh = (text: string, tag: string) => `${text}# ${tag}\n`;

test('model cache: saved after a run, the value of exactly that platform.yaml', () => {
  const { dir, root, cache } = repo();
  // init wrote a new platform.yaml: its value is saved too (read once), so the next command reads none.
  const initial = readFileSync(path.join(root, 'platform.yaml'), 'utf8');
  assert.is(JSON.parse(readFileSync(cache, 'utf8').split('\n')[0]).text, sha256(initial), 'saved by init');
  editRepo({ op: 'add', kind: 'service', root, entity: service('a'), check: false });
  const text = readFileSync(path.join(root, 'platform.yaml'), 'utf8');
  assert.ok(existsSync(cache), 'written by the run');
  const [header, body] = [readFileSync(cache, 'utf8').split('\n')[0], readFileSync(cache, 'utf8').slice(readFileSync(cache, 'utf8').indexOf('\n') + 1)];
  assert.is(JSON.parse(header).text, sha256(text));
  assert.equal(JSON.parse(body), YAML.parse(text, { version: '1.1' }));
  removeTempDir(dir);
});

test('model cache: a damaged, foreign or mismatched cache is never used; a good one is', () => {
  const { dir, root, cache } = repo();
  const base = readFileSync(path.join(root, 'platform.yaml'), 'utf8');
  let n = 0;
  const attempt = (write: (text: string) => void, fingerprint = FP) => {
    const text = fresh(base, `case ${n++}`);
    write(text);
    return { text, used: loadModelCache(root, text, sha256(text), fingerprint) };
  };
  // A good one: saved for the text, read back, and parseSpecText gives its value.
  rememberModel(fresh(base, 'saved'), { value: { ...YAML.parse(base, { version: '1.1' }), name: 'from-cache' }, fast: true });
  saveModelCache(root, fresh(base, 'saved'), FP);
  assert.ok(loadModelCache(root, fresh(base, 'saved'), sha256(fresh(base, 'saved')), FP));
  assert.is((parseSpecText(fresh(base, 'saved'), 'platform.yaml') as any).name, 'from-cache', 'the cached value is what a known text reads as');
  const good = readFileSync(cache, 'utf8');
  const [head, ...rest] = good.split('\n');
  const body = rest.join('\n');
  const h = JSON.parse(head);
  const cases: [string, (text: string) => string, string?][] = [
    ['another text', () => good],
    ['another fingerprint', (t) => `${JSON.stringify({ ...h, text: sha256(t) })}\n${body}`, 'other'],
    ['body edited', (t) => `${JSON.stringify({ ...h, text: sha256(t) })}\n${body.replace('acme', 'evil')}`],
    ['truncated', (t) => `${JSON.stringify({ ...h, text: sha256(t) })}\n${body.slice(0, 40)}`],
    ['no header', () => body],
    ['not JSON', () => 'garbage\n{'],
    ['other format', (t) => `${JSON.stringify({ ...h, format: 'x', text: sha256(t) })}\n${body}`],
    ['empty', () => ''],
  ];
  for (const [what, content, fingerprint] of cases) {
    const { text, used } = attempt((t) => writeFileSync(cache, content(t)), fingerprint ?? FP);
    assert.not.ok(used, what);
    assert.is(knownModel(text), undefined, what);
    assert.equal(parseSpecText(text, 'platform.yaml'), YAML.parse(text, { version: '1.1' }), `${what}: parsed`);
  }
  // A folder or a FIFO-less special case: a folder where the file goes is no cache.
  rmSync(cache);
  mkdirSync(cache);
  assert.not.ok(attempt(() => {}).used, 'a folder');
  rmSync(cache, { recursive: true });
  // A link is never written through: the save replaces it.
  const outside = path.join(dir, 'outside.json');
  writeFileSync(outside, 'keep');
  symlinkSync(outside, cache);
  rememberModel(fresh(base, 'linked'), { value: YAML.parse(base, { version: '1.1' }), fast: true });
  saveModelCache(root, fresh(base, 'linked'), FP);
  assert.is(readFileSync(outside, 'utf8'), 'keep');
  removeTempDir(dir);
});

test('model cache: values JSON cannot give back are not kept (parsed instead)', () => {
  for (const value of [{ a: Number.NaN }, { a: -0 }, { a: Infinity }, JSON.parse('{"__proto__": {"x": 1}}'), { a: new Date(0) }]) {
    const text = `a: ${Math.random()}\n`;
    rememberModel(text, { value, fast: true });
    assert.is(knownModel(text), undefined, JSON.stringify(value));
  }
});

test.run();
