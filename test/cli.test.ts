import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir, readTree } from './helpers.ts';

const cli = (args: string[], cwd = ROOT) => execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...args], { cwd, reject: false, stdin: 'ignore', env: { CI: 'true' } });

test('init with no answers and no TTY exits 2, names every missing field, writes nothing', async () => {
  const out = path.join(tempDir(), 'repo');
  const r = await cli(['init', '--out', out]);
  assert.is(r.exitCode, 2);
  for (const field of ['name', 'repo.url', 'environments', 'clusters']) assert.match(r.stderr, new RegExp(`- ${field.replace('.', '\\.')}: required`));
  assert.match(r.stderr, /--set repo\.url=/);
  assert.not.ok(existsSync(out), 'output folder not created');
});

test('init from an answers file writes the repo; the same run again changes nothing', async () => {
  const out = path.join(tempDir(), 'repo');
  const r1 = await cli(['init', '--answers', 'examples/enterprise/platform.yaml', '--out', out, '--yes', '--json']);
  assert.is(r1.exitCode, 0, r1.stderr);
  const j1 = JSON.parse(r1.stdout);
  assert.ok(j1.ok && !j1.noop && j1.files.length > 50);
  const tree = readTree(out);
  const r2 = await cli(['init', '--answers', 'examples/enterprise/platform.yaml', '--out', out, '--yes', '--json']);
  assert.is(r2.exitCode, 0, r2.stderr);
  assert.ok(JSON.parse(r2.stdout).noop, 'second run is a no-op');
  assert.equal(readTree(out), tree, 'no byte changed');
  rmSync(out, { recursive: true });
});

test('--set builds a spec from flags; --dry-run writes nothing', async () => {
  const out = path.join(tempDir(), 'repo');
  const args = ['init', '--out', out, '--set', 'name=demo', '--set', 'repo.url=https://github.com/acme/demo.git', '--set', 'environments=dev,prod', '--set', 'clusters[0].name=hub', '--set', 'clusters[0].server=https://kubernetes.default.svc', '--set', 'clusters[0].environments=dev,prod'];
  const dry = await cli([...args, '--dry-run']);
  assert.is(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /Would write \d+ file/);
  assert.not.ok(existsSync(out));
  const real = await cli(args);
  assert.is(real.exitCode, 0, real.stderr);
  assert.ok(existsSync(path.join(out, 'argocd/projects/default.yaml')));
  rmSync(out, { recursive: true });
});

test('bad input exits 2 with the field, the reason and the fix', async () => {
  const dir = tempDir();
  const answers = path.join(dir, 'a.yaml');
  writeFileSync(answers, 'name: Bad_Name\nrepo: {url: https://github.com/a/b.git}\nenvironments: [{name: dev}]\nclusters: [{name: hub, server: https://kubernetes.default.svc, environment: qa}]\n');
  const r = await cli(['init', '--answers', answers, '--out', path.join(dir, 'out')]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /name: "Bad_Name" is not a DNS-1123 name/);
  assert.not.ok(existsSync(path.join(dir, 'out')));
});

test('a folder with foreign files is refused (exit 2) unless --force', async () => {
  const out = tempDir();
  writeFileSync(path.join(out, 'notes.md'), 'mine');
  const r = await cli(['init', '--example', 'minimal', '--out', out]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /did not write/);
  assert.is((await cli(['init', '--example', 'minimal', '--out', out, '--force'])).exitCode, 0);
});

test('render in a generated repo is a no-op; unknown commands and flags exit 2', async () => {
  const out = path.join(tempDir(), 'repo');
  await cli(['init', '--example', 'minimal', '--out', out]);
  const r = await cli(['render'], out);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /No changes/);
  assert.is((await cli(['frobnicate'])).exitCode, 2);
  assert.is((await cli(['init', '--no-such-flag'])).exitCode, 2);
});

test.run();
