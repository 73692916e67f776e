// validate's report cache (generators/validate/report-cache.ts): a warm validate prints byte for
// byte what a from-scratch one prints, over repositories mutated between runs and caches damaged
// between runs; it writes nothing inside the repository; --no-cache neither reads nor writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateCommand, type ValidateOptions } from '../../generators/validate/command.ts';
import { fixture } from './helpers.ts';

const EXAMPLE = path.resolve(fixture(), '../../examples/minimal');

function setUp() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-report-cache-'));
  const repo = path.join(base, 'repo');
  fs.cpSync(EXAMPLE, repo, { recursive: true });
  const cache = path.join(base, 'cache');
  const env = { ...process.env, GITOPS_SCAFFOLD_CACHE_DIR: cache, PATH: '' };
  const run = (output: ValidateOptions['output'], cached: boolean) =>
    validateCommand({ paths: [repo], output, kubeconform: 'never', kustomize: false, simulate: true, env, cache: cached });
  const entries = () => (fs.existsSync(path.join(cache, 'validate')) ? fs.readdirSync(path.join(cache, 'validate')).map((f) => path.join(cache, 'validate', f)) : []);
  return { base, repo, cache, run, entries, done: () => fs.rmSync(base, { recursive: true, force: true }) };
}

const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();

/** Warm (after a run that stored) and from-scratch agree, for both outputs. */
async function same(s: ReturnType<typeof setUp>, label: string) {
  for (const output of ['json', 'text'] as const) {
    const cold = await s.run(output, false);
    const warm = await s.run(output, true);
    assert.is(warm.stdout, cold.stdout, `${label} (${output})`);
    assert.is(warm.exitCode, cold.exitCode, `${label} (${output}) exit`);
  }
}

test('warm validate equals from-scratch over edits, deletions, additions and damaged caches', async () => {
  const s = setUp();
  try {
    const before = listing(s.repo);
    await s.run('json', true);
    await s.run('text', true);
    assert.is(s.entries().length, 2, 'one entry per output format');
    await same(s, 'unchanged');
    const apps = listing(s.repo).filter((f) => f.endsWith('.yaml') && f.startsWith('apps'));
    assert.ok(apps.length > 0);
    // an edit that makes an error
    const edited = path.join(s.repo, apps[0]);
    fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace(/kind: (\w+)/, 'kind: $1\nbogusField: 1'));
    await same(s, 'edited');
    // an edit of one byte of the same length
    fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace('bogusField: 1', 'bogusField: 2'));
    await same(s, 'same-length edit');
    // a non-manifest file the simulation reads (the README's bootstrap), same length: its bytes are in the key, not only its size
    const readme = path.join(s.repo, 'README.md');
    const cold = (await s.run('json', false)).stdout;
    fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace('-k bootstrap/root', '-k bootstrap/nope'));
    assert.is.not((await s.run('json', false)).stdout, cold, 'the README edit changes the report');
    await same(s, 'README edited');
    // a file renamed, same contents
    fs.renameSync(edited, edited.replace(/\.yaml$/, '-renamed.yaml'));
    await same(s, 'renamed');
    // a file deleted, a file added
    fs.rmSync(path.join(s.repo, apps[apps.length - 1]));
    await same(s, 'deleted');
    fs.writeFileSync(path.join(s.repo, 'apps', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: nowhere\ndata:\n  a: "1"\n');
    await same(s, 'added');
    // damaged entries: truncated, shifted, another format, garbage, absent
    for (const damage of [
      (t: string) => t.slice(0, t.length >> 1),
      (t: string) => ` ${t}`.slice(0, t.length),
      (t: string) => t.replace('gitops-scaffold-validate-report-1', 'gitops-scaffold-validate-report-0'),
      (t: string) => t.replace(/"key":"[0-9a-f]{8}/, '"key":"00000000'),
      () => '\0\0\0',
    ]) {
      await s.run('json', true);
      for (const f of s.entries()) fs.writeFileSync(f, damage(fs.readFileSync(f, 'utf8')));
      await same(s, `damaged ${damage}`);
    }
    fs.rmSync(s.cache, { recursive: true, force: true });
    await same(s, 'cache absent');
    // nothing written inside the repository
    const after = listing(s.repo);
    assert.equal(after.filter((f) => f.includes('.gitops-scaffold') && !before.includes(f)), []);
  } finally {
    s.done();
  }
});

test('an entry whose key matches another run is not served to a different repository state', async () => {
  const s = setUp();
  try {
    await s.run('json', true);
    const [entry] = s.entries();
    const stored = JSON.parse(fs.readFileSync(entry, 'utf8'));
    // a forged entry with the right key but another report would be served: the key is all that guards it
    fs.writeFileSync(entry, JSON.stringify({ ...stored, key: 'x'.repeat(64), stdout: 'WRONG' }));
    const r = await s.run('json', true);
    assert.not.equal(r.stdout, 'WRONG');
  } finally {
    s.done();
  }
});

test('--no-cache neither reads nor writes the cache', async () => {
  const s = setUp();
  try {
    await s.run('json', false);
    assert.is(s.entries().length, 0);
    await s.run('json', true);
    const [entry] = s.entries();
    const stored = JSON.parse(fs.readFileSync(entry, 'utf8'));
    fs.writeFileSync(entry, JSON.stringify({ ...stored, stdout: 'FROM CACHE' }));
    assert.is((await s.run('json', true)).stdout, 'FROM CACHE', 'a matching key is served');
    assert.is.not((await s.run('json', false)).stdout, 'FROM CACHE', '--no-cache ignores it');
  } finally {
    s.done();
  }
});

test.run();
