// Path safety: nothing is written, deleted, backed up, diffed or printed through a symbolic link
// that leads out of the repository (exit 2, naming the link); the --seal-values "outside the
// repository" check compares real paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editRepo } from '../../generators/commands/edit.ts';
import { assertRelative } from '../../generators/io/paths.ts';
import { cli, minimalRepo, snapshot, tempDir, treeDiff } from './helpers.ts';

const SECRET = 'TOPSECRET-7c1f-do-not-copy';
const addService = (root: string, ...flags: string[]) => cli(['add', 'service', 'checkout', '--repo', root, '--tenant', 'payments', '--image', 'ghcr.io/acme/checkout', '--tag', '1.2.0', '--no-check', ...flags]);

test('assertRelative refuses exactly the paths with an empty, . or .. segment (or absolute, or NUL), over random paths', () => {
  const plain = (rel: string) => !(!rel || rel.includes('\0') || path.isAbsolute(rel) || rel.split(/[\\/]/).some((s) => s === '..' || s === '.' || s === ''));
  const refuses = (rel: string) => {
    try {
      assertRelative(rel);
      return false;
    } catch {
      return true;
    }
  };
  for (const rel of ['a', 'a/b', '.a', 'a/.b', '...', 'a/...b', 'b..', '..a/b']) assert.ok(!refuses(rel), rel);
  for (const rel of ['', 'a//b', '/a', 'a/', './a', 'a/./b', 'a/../b', '..', '.', 'a\\..\\b', 'a/.', 'a/..', 'x\0y']) assert.ok(refuses(rel), JSON.stringify(rel));
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const chars = ['a', '.', '/', '\\', 'b', '\0'];
  for (let i = 0; i < 20_000; i++) {
    let rel = '';
    for (let n = next() % 8; n > 0; n--) rel += chars[next() % chars.length];
    assert.is(refuses(rel), !plain(rel), JSON.stringify(rel));
  }
});

test('add service with apps/ linked out of the repository: exit 2 naming the link, nothing written anywhere', async () => {
  const root = minimalRepo();
  const outside = tempDir('gs-outside-');
  if (existsSync(path.join(root, 'apps'))) renameSync(path.join(root, 'apps'), path.join(outside, 'apps'));
  else mkdirSync(path.join(outside, 'apps'));
  symlinkSync(path.join(outside, 'apps'), path.join(root, 'apps'));
  const before = snapshot(root);
  const outsideBefore = snapshot(outside);
  const r = await addService(root);
  assert.is(r.exitCode, 2, r.stdout);
  assert.match(r.stderr, /symbolic link leading out of the repository; nothing was read through it or written\n {2}- apps: is a symbolic link to .*gs-outside-.*\/apps, outside the repository/);
  assert.equal(treeDiff(snapshot(root), before), [], 'repository unchanged (platform.yaml included)');
  assert.equal(treeDiff(snapshot(outside), outsideBefore), [], 'nothing created outside');
});

test('remove service whose folder links out of the repository: exit 2, the outside files survive', async () => {
  const root = minimalRepo();
  editRepo({ op: 'add', kind: 'service', root, entity: { name: 'checkout', tenant: 'payments', image: 'ghcr.io/acme/checkout', tag: '1.2.0' } as any, check: false });
  const outside = tempDir('gs-outside-');
  cpSync(path.join(root, 'apps/payments/checkout'), path.join(outside, 'checkout'), { recursive: true });
  rmSync(path.join(root, 'apps/payments/checkout'), { recursive: true });
  symlinkSync(path.join(outside, 'checkout'), path.join(root, 'apps/payments/checkout'));
  const outsideBefore = snapshot(outside);
  const r = await cli(['remove', 'service', 'checkout', '--repo', root, '--no-check']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /- apps\/payments\/checkout: is a symbolic link to .*, outside the repository/);
  assert.equal(treeDiff(snapshot(outside), outsideBefore), [], 'no file outside deleted');
});

test('a managed file linked to an outside secret: --force never backs it up into the repo, --dry-run never prints it', async () => {
  const root = minimalRepo();
  const outside = tempDir('gs-outside-');
  writeFileSync(path.join(outside, 'id_rsa'), `${SECRET}\n`);
  const project = path.join(root, 'argocd/projects/payments.yaml');
  rmSync(project);
  symlinkSync(path.join(outside, 'id_rsa'), project);
  const model = readFileSync(path.join(root, 'platform.yaml'), 'utf8');
  writeFileSync(path.join(root, 'platform.yaml'), model.replace('- name: payments', '- name: payments\n    description: Payments team'));
  for (const args of [['render', '--repo', root, '--force'], ['render', '--repo', root, '--dry-run'], ['add', 'tenant', 'search', '--repo', root, '--dry-run'], ['render', '--repo', root, '--json', '--dry-run']]) {
    const r = await cli([...args, '--no-check']);
    assert.is(r.exitCode, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr + r.stdout, /argocd\/projects\/payments\.yaml: is a symbolic link to .*id_rsa, outside the repository/);
    assert.not.match(r.stdout + r.stderr, new RegExp(SECRET), `${args.join(' ')} prints nothing read through the link`);
  }
  const inRepo = [...snapshot(root).entries()].filter(([, v]) => v.includes(SECRET)).map(([k]) => k);
  assert.equal(inRepo, [], 'no copy of the secret in the repository');
  assert.not.ok(readdirSync(path.join(root, 'argocd/projects')).some((n) => n.endsWith('.orig')), 'no backup made');
});

test('the state folder linked out of the repository is refused before the lock is taken there', async () => {
  const root = minimalRepo();
  const outside = tempDir('gs-outside-');
  renameSync(path.join(root, '.gitops-scaffold'), path.join(outside, 'state'));
  symlinkSync(path.join(outside, 'state'), path.join(root, '.gitops-scaffold'));
  const r = await cli(['render', '--repo', root, '--no-check']);
  assert.is(r.exitCode, 2, r.stdout);
  assert.match(r.stderr, /- \.gitops-scaffold: is a symbolic link to /);
  assert.not.ok(existsSync(path.join(outside, 'state/lock')) || existsSync(path.join(outside, 'state/tmp')), 'no lock or temp file written outside');
});

test('--seal-values inside the repository is refused by real path: a file named ..x.yaml, and --repo through a symlink', async () => {
  const root = minimalRepo();
  writeFileSync(path.join(root, '..x.yaml'), 'ci-git-read: {username: a, password: b}\n');
  const dotted = await cli(['render', '--repo', root, '--seal-values', path.join(root, '..x.yaml')]);
  assert.is(dotted.exitCode, 2);
  assert.match(dotted.stderr, /--seal-values points inside the repository/);
  const linkDir = tempDir('gs-link-');
  symlinkSync(root, path.join(linkDir, 'repo'));
  mkdirSync(path.join(root, 'secrets'));
  writeFileSync(path.join(root, 'secrets/values.yaml'), 'ci-git-read: {username: a, password: b}\n');
  const viaLink = await cli(['render', '--repo', path.join(linkDir, 'repo'), '--seal-values', path.join(root, 'secrets/values.yaml')]);
  assert.is(viaLink.exitCode, 2);
  assert.match(viaLink.stderr, /--seal-values points inside the repository/);
  const viaLinkedFile = await cli(['render', '--repo', root, '--seal-values', path.join(linkDir, 'repo/secrets/values.yaml')]);
  assert.is(viaLinkedFile.exitCode, 2, 'the values file reached through a link into the repo');
  assert.match(viaLinkedFile.stderr, /--seal-values points inside the repository/);
});

test('a repository reached through a symlink (--repo link) is written in place, at its real path', async () => {
  const root = minimalRepo();
  const linkDir = tempDir('gs-link-');
  symlinkSync(root, path.join(linkDir, 'repo'));
  const r = await addService(path.join(linkDir, 'repo'));
  assert.is(r.exitCode, 0, r.stderr);
  assert.ok(existsSync(path.join(root, 'apps/payments/checkout/base/kustomization.yaml')));
});

test.run();
