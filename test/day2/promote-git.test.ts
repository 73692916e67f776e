// Issue 12's promotion, end to end on a repository made from examples/enterprise under Git with a
// bare remote: a new build into dev, dev -> staging, staging -> prod, prod only through a pull
// request that the gh stand-in saw; the user's checkout untouched by the pull-request path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { gitRepo, git, cli, calls, commitAndPush, remoteFile, type GitRepo } from './git-fixture.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const overlay = (env: string) => `apps/payments/payments-api/overlays/${env}/kustomization.yaml`;
const imagesOf = (text: string) => (YAML.parse(text) as { images: unknown[] }).images;
const prodOverride = (text: string) => (YAML.parse(text) as any).services.find((s: any) => s.name === 'payments-api').overrides.prod;

let repo: GitRepo;

test.before(async () => {
  repo = await gitRepo();
});

test('a new build lands in dev; promote moves it to staging, each a direct write', async () => {
  const build = await cli(repo, ['promote', 'payments-api', '--tag', '2.16.0', '--digest', DIGEST, '--repo', repo.root]);
  assert.is(build.exitCode, 0, build.stderr);
  assert.match(build.stdout, /Promoted payments-api in dev: 2\.15\.0-rc\.1 -> 2\.16\.0@sha256:cccccccccccc… \(new build\)/);
  assert.equal(imagesOf(readFileSync(path.join(repo.root, overlay('dev')), 'utf8')), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  // platform.yaml keeps its comments: only the override changed.
  const diff = await git(repo.root, 'diff', '--unified=0', 'platform.yaml');
  assert.equal(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l)), ['-        tag: 2.15.0-rc.1', '+        tag: 2.16.0', `+        digest: ${DIGEST}`]);
  await commitAndPush(repo, 'build 2.16.0');

  const staging = await cli(repo, ['promote', 'payments-api', '--repo', repo.root]);
  assert.is(staging.exitCode, 0, staging.stderr);
  assert.match(staging.stdout, /Promoted payments-api in staging: 2\.14\.1@sha256:4b1c3f0e8a9d… -> 2\.16\.0@sha256:cccccccccccc… \(from dev\)/);
  assert.equal(imagesOf(readFileSync(path.join(repo.root, overlay('staging')), 'utf8')), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  await commitAndPush(repo, 'promote to staging');
  // Running it again: staging already runs dev's version, and prod is next.
  const again = await cli(repo, ['promote', 'payments-api', '--to', 'staging', '--repo', repo.root]);
  assert.is(again.exitCode, 0);
  assert.match(again.stdout, /Unchanged: staging already runs 2\.16\.0/);
});

test('prod is protected: a direct write is refused, the promotion goes through a pull request', async () => {
  const refused = await cli(repo, ['promote', 'payments-api', '--no-pr', '--repo', repo.root]);
  assert.is(refused.exitCode, 2);
  assert.match(refused.stderr, /prod is a protected environment: it changes only through a pull request; nothing was written/);
  assert.match(refused.stderr, /environments\[prod\]\.protected is true \(fix: drop --no-pr/);

  const head = await git(repo.root, 'rev-parse', 'HEAD');
  const r = await cli(repo, ['promote', 'payments-api', '--repo', repo.root]);
  assert.is(r.exitCode, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Proposed payments-api in prod: 2\.14\.1@sha256:4b1c3f0e8a9d… -> 2\.16\.0@sha256:cccccccccccc… \(from staging\) \(prod is protected: through a pull request\)\./);
  assert.match(r.stdout, /Pushed gitops-scaffold\/promote-payments-api-2\.16\.0-to-prod to origin \(commit [0-9a-f]{7} "chore\(payments\): promote payments-api 2\.16\.0 to prod", from main at [0-9a-f]{7}\)\./);
  assert.match(r.stdout, /Opened a pull request into main: https:\/\/github\.com\/acme\/platform-gitops\/pull\/42\./);
  // The gh stand-in saw exactly one pull request, for the repo.url's GitHub repository.
  const seen = calls(repo);
  assert.is(seen.length, 1);
  const [tool, ...args] = seen[0];
  assert.is(tool, 'gh');
  assert.equal(args.slice(0, 10), ['pr', 'create', '--repo', 'acme/platform-gitops', '--base', 'main', '--head', 'gitops-scaffold/promote-payments-api-2.16.0-to-prod', '--title', 'chore(payments): promote payments-api 2.16.0 to prod']);
  assert.match(args[11], /^payments-api in prod: 2\.14\.1@sha256:4b1c3f0e8a9d… -> 2\.16\.0@sha256:cccccccccccc… \(from staging\)\nImage digest: sha256:c{64}\n\nProposed by gitops-scaffold /);
  // The branch holds the promotion; main and the user's checkout do not.
  const branch = 'gitops-scaffold/promote-payments-api-2.16.0-to-prod';
  assert.equal(prodOverride(await remoteFile(repo, branch, 'platform.yaml')), { tag: '2.16.0', digest: DIGEST, replicas: 4, cpu: '1', memory: '1Gi' });
  assert.equal(imagesOf(await remoteFile(repo, branch, overlay('prod'))), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  assert.is(await git(repo.remote, 'log', '-1', '--format=%s', branch), 'chore(payments): promote payments-api 2.16.0 to prod');
  assert.is(await git(repo.remote, 'rev-parse', 'main'), head, 'main is not pushed to');
  assert.is(await git(repo.root, 'rev-parse', 'HEAD'), head);
  assert.is(await git(repo.root, 'status', '--porcelain'), '', 'the checkout is untouched');
  assert.is(await git(repo.root, 'branch', '--list'), '* main', 'no local branch created');
  assert.is((await git(repo.root, 'worktree', 'list')).split('\n').length, 1, 'the temporary work tree is gone');

  // Again before it is merged: the same change is already proposed; nothing is pushed or opened twice.
  const twice = await cli(repo, ['promote', 'payments-api', '--repo', repo.root, '--json']);
  assert.is(twice.exitCode, 0, twice.stderr);
  const j = JSON.parse(twice.stdout);
  assert.equal([j.pr.branch, j.pr.existing, j.pr.pushed, j.promotion.to], [branch, true, false, 'prod']);
  assert.is(calls(repo).length, 1, 'gh not called again');
  // A different change under the same name (someone else's branch): the next free name.
  await git(repo.root, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}-2`);
  await git(repo.root, 'push', '-q', 'origin', `+HEAD:refs/heads/${branch}`);
  const other = JSON.parse((await cli(repo, ['promote', 'payments-api', '--repo', repo.root, '--json'])).stdout);
  assert.equal([other.pr.branch, other.pr.pushed], [`${branch}-3`, true]);

  // Merged (as the reviewer would), prod runs the build; a rollback is another pull request.
  await git(repo.root, 'pull', '-q', '--ff-only', 'origin', `${branch}-3`);
  await git(repo.root, 'push', '-q', 'origin', 'HEAD:main');
  const back = await cli(repo, ['promote', 'payments-api', '--to', 'prod', '--revision', 'HEAD~3', '--repo', repo.root]);
  assert.is(back.exitCode, 0, back.stderr);
  assert.match(back.stdout, /payments-api in prod: 2\.16\.0@sha256:cccccccccccc… -> 2\.14\.1@sha256:4b1c3f0e8a9d… \(as at HEAD~3\)/);
  assert.equal(calls(repo)[2].slice(0, 11).slice(-2), ['--title', 'revert(payments): roll payments-api in prod back to 2.14.1']);
  assert.is(calls(repo)[2][8], 'gitops-scaffold/rollback-payments-api-prod-2.14.1');
});

test.run();
