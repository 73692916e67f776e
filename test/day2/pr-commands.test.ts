// --pr on the other writing commands (add, remove, render, init) and the platform.yaml default.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gitRepo, git, cli, calls, remoteFile } from './git-fixture.ts';

const title = (call: string[]) => call[call.indexOf('--title') + 1];

test('add service --pr: feat(<tenant>): add service NAME on gitops-scaffold/add-service-NAME', async () => {
  const repo = await gitRepo({ example: 'minimal' });
  const r = await cli(repo, ['add', 'service', 'checkout', '--tenant', 'web', '--image', 'ghcr.io/example-org/checkout:1.2.0', '--pr', '--repo', repo.root]);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^Added service checkout\./);
  assert.match(r.stdout, /Wrote \d+ file\(s\) in a temporary work tree of main/);
  assert.match(r.stdout, /Pushed gitops-scaffold\/add-service-checkout to origin/);
  assert.is(title(calls(repo)[0]), 'feat(web): add service checkout');
  assert.ok(!existsSync(path.join(repo.root, 'apps/web/checkout')), 'the checkout is untouched');
  assert.match(await remoteFile(repo, 'gitops-scaffold/add-service-checkout', 'apps/web/checkout/base/kustomization.yaml'), /deployment\.yaml/);
  // --dry-run --pr: the branch it would push and the diff, nothing pushed.
  const dry = await cli(repo, ['remove', 'service', 'web', '--pr', '--dry-run', '--repo', repo.root]);
  assert.is(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /Would commit "feat\(web\): remove service web" on gitops-scaffold\/remove-service-web \(from origin\/main at [0-9a-f]{7}\)/);
  assert.match(dry.stdout, /--- a\/apps\/web\/web\/base\/deployment\.yaml/);
  assert.not.match(await git(repo.remote, 'branch', '--list'), /remove-service-web/);
});

test('repo.changes: pr makes pull requests the default; --no-pr writes the checkout', async () => {
  const repo = await gitRepo({ example: 'minimal', text: (t) => t.replace('  revision: main\n', '  revision: main\n  changes: pr\n') });
  const pr = await cli(repo, ['add', 'tenant', 'billing', '--repo', repo.root]);
  assert.is(pr.exitCode, 0, pr.stderr);
  assert.is(title(calls(repo)[0]), 'feat(billing): add tenant billing');
  assert.not.match(readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8'), /billing/);
  const local = await cli(repo, ['add', 'tenant', 'billing', '--no-pr', '--repo', repo.root]);
  assert.is(local.exitCode, 0, local.stderr);
  assert.match(readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8'), /name: billing/);
  assert.is(calls(repo).length, 1);
});

test('render --pr renders the base branch\'s platform.yaml; init --pr bootstraps a folder of a repository', async () => {
  const repo = await gitRepo({ example: 'minimal' });
  const file = path.join(repo.root, 'platform.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    tag: 1.0.0\n', '    tag: 1.0.1\n'));
  await git(repo.root, 'commit', '-qam', 'bump web by hand');
  await git(repo.root, 'push', '-q', 'origin', 'main');
  const r = await cli(repo, ['render', '--pr', '--repo', repo.root]);
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(title(calls(repo)[0]), 'chore: render the repository from platform.yaml');
  assert.match(await remoteFile(repo, 'gitops-scaffold/render', 'apps/web/web/overlays/dev/kustomization.yaml'), /newTag: 1\.0\.1/);

  const out = path.join(repo.root, 'platforms', 'second');
  const init = await cli(repo, ['init', '--example', 'minimal', '--out', out, '--pr']);
  assert.is(init.exitCode, 0, init.stderr);
  assert.is(title(calls(repo)[1]), 'feat(platform): bootstrap the minimal platform');
  assert.ok(!existsSync(out), 'nothing written into the checkout');
  assert.match(await remoteFile(repo, 'gitops-scaffold/init-minimal', 'platforms/second/platform.yaml'), /name: minimal/);
});

test.run();
