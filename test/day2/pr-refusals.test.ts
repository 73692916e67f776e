// --pr's refusals and fallbacks, each with its exit code and the fix it names; and glab for GitLab.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { gitRepo, git, cli, calls, remoteFile } from './git-fixture.ts';

const minimal = { example: 'minimal' };
const BUILD = ['promote', 'web', '--tag', '1.1.0', '--pr'];

test('no Git repository: exit 2, nothing written, the fix names git init and the remote', async () => {
  const repo = await gitRepo(minimal);
  rmSync(path.join(repo.root, '.git'), { recursive: true });
  const before = readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8');
  const r = await cli(repo, [...BUILD, '--repo', repo.root]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /--pr needs a Git repository: .* is not inside one; nothing was written/);
  assert.match(r.stderr, /fix: git init, commit the repository and add its remote \(git remote add origin https:\/\/github\.com\/example-org\/minimal-gitops\.git\)/);
  assert.is(readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8'), before);
});

test('no remote, or a remote without the base branch: exit 2 with the fix', async () => {
  const repo = await gitRepo(minimal);
  await git(repo.root, 'remote', 'remove', 'origin');
  let r = await cli(repo, [...BUILD, '--repo', repo.root]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /--pr needs a remote to push to; .* has none; nothing was written/);
  assert.match(r.stderr, /fix: git remote add origin https:\/\/github\.com\/example-org\/minimal-gitops\.git/);
  const empty = path.join(repo.dir, 'empty.git');
  await git(repo.dir, 'init', '-q', '--bare', empty);
  await git(repo.root, 'remote', 'add', 'origin', empty);
  r = await cli(repo, [...BUILD, '--repo', repo.root]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /remote origin has no branch main, the branch the pull request would go into/);
  assert.match(r.stderr, /fix: push it first \(git push origin HEAD:main\), or set repo\.revision/);
  assert.is(calls(repo).length, 0);
});

test('a change that changes nothing is refused (exit 2) and nothing is pushed', async () => {
  const repo = await gitRepo(minimal);
  const r = await cli(repo, ['promote', 'web', '--tag', '1.0.0', '--pr', '--repo', repo.root]);
  assert.is(r.exitCode, 2, r.stdout);
  assert.match(r.stderr, /nothing to propose: the change is already on origin\/main; nothing was pushed/);
  assert.is(await git(repo.remote, 'branch', '--list'), '* main');
});

test('without gh on PATH the branch is pushed and the compare URL printed; a failing gh exits 1 with it', async () => {
  const repo = await gitRepo(minimal);
  unlinkSync(path.join(repo.bin, 'gh'));
  let r = await cli(repo, [...BUILD, '--repo', repo.root], { PATH: `${repo.bin}:/usr/bin:/bin` });
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /note: gh is not on PATH: open the pull request at https:\/\/github\.com\/example-org\/minimal-gitops\/compare\/main\.\.\.gitops-scaffold\/promote-web-1\.1\.0-to-dev\?expand=1/);
  assert.match(await remoteFile(repo, 'gitops-scaffold/promote-web-1.1.0-to-dev', 'platform.yaml'), /tag: 1\.1\.0/);
  const withGh = await gitRepo(minimal);
  r = await cli(withGh, [...BUILD, '--repo', withGh.root], { STANDIN_FAIL: 'HTTP 401: Bad credentials' });
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /error: gh pr create failed: HTTP 401: Bad credentials\nOpen it by hand: https:\/\/github\.com\/example-org\/minimal-gitops\/compare\//);
});

test('GitLab: glab opens a merge request; the change comes from the remote branch, not local edits', async () => {
  const repo = await gitRepo({ ...minimal, text: (t) => t.replace('https://github.com/example-org/minimal-gitops.git', 'https://gitlab.com/example-org/minimal-gitops.git') });
  // An uncommitted local edit is not part of the proposal (and is left alone).
  writeFileSync(path.join(repo.root, 'NOTES.md'), 'local\n');
  const r = await cli(repo, [...BUILD, '--repo', repo.root]);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /Opened a merge request into main: https:\/\/gitlab\.com\/acme\/platform-gitops\/-\/merge_requests\/7\./);
  const [tool, ...args] = calls(repo)[0];
  assert.is(tool, 'glab');
  assert.equal(args.slice(0, 10), ['mr', 'create', '--repo', 'example-org/minimal-gitops', '--source-branch', 'gitops-scaffold/promote-web-1.1.0-to-dev', '--target-branch', 'main', '--title', 'chore(web): promote web 1.1.0 to dev']);
  assert.is(readFileSync(path.join(repo.root, 'NOTES.md'), 'utf8'), 'local\n');
  assert.not.match(await git(repo.remote, 'ls-tree', '-r', '--name-only', 'gitops-scaffold/promote-web-1.1.0-to-dev'), /NOTES\.md/);
});

test('a committed hand edit where the change writes: exit 1, nothing committed or pushed', async () => {
  const repo = await gitRepo(minimal);
  const file = path.join(repo.root, 'apps/web/web/overlays/dev/kustomization.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('newTag: 1.0.0', 'newTag: 1.0.0-hotfix'));
  await git(repo.root, 'commit', '-qam', 'hand edit');
  await git(repo.root, 'push', '-q', 'origin', 'main');
  const r = await cli(repo, [...BUILD, '--repo', repo.root]);
  assert.is(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, /nothing was committed: 1 file\(s\) on origin\/main were edited by hand where this change writes/);
  assert.is(await git(repo.remote, 'branch', '--list'), '* main');
  assert.is(calls(repo).length, 0);
});

test.run();
