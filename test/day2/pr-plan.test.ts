// The pure decisions behind --pr: branch names, commit messages, remotes, hosts, tools, URLs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseRemote, commitMessage, commitTitle, compareUrl, parseGitUrl, pullRequestInvocation, pullRequestPlace, slugify, uniqueBranch, urlIn } from '../../generators/pr/plan.ts';
import { describeEdit, describePromotionChange } from '../../generators/pr/describe.ts';
import { wantsPullRequest } from '../../generators/pr/delivery.ts';
import { InputError } from '../../generators/model/errors.ts';

test('branch names are safe ref names, named after the change, unique against the remote', () => {
  assert.is(slugify('add service checkout'), 'add-service-checkout');
  assert.is(slugify('promote payments-api 2.15.0-rc.1 to staging'), 'promote-payments-api-2.15.0-rc.1-to-staging');
  assert.is(slugify('  ..Weird // name..lock '), 'weird-name');
  assert.is(slugify('a..b'), 'a.b');
  assert.is(slugify('x.lock'), 'x');
  assert.is(slugify('---'), 'change');
  assert.ok(slugify('x'.repeat(200)).length <= 60);
  assert.is(uniqueBranch('add service checkout', []), 'gitops-scaffold/add-service-checkout');
  assert.is(uniqueBranch('add service checkout', ['gitops-scaffold/add-service-checkout', 'gitops-scaffold/add-service-checkout-2']), 'gitops-scaffold/add-service-checkout-3');
});

test('commit messages are Conventional Commits, scoped by tenant or kind', () => {
  const c = describeEdit('add', 'service', 'checkout', { tenant: 'payments' });
  assert.is(commitTitle(c), 'feat(payments): add service checkout');
  assert.is(commitTitle(describeEdit('add', 'cluster', 'prod-ap-1')), 'feat(clusters): add cluster prod-ap-1');
  assert.is(commitTitle(describeEdit('remove', 'tenant', 'billing')), 'feat(billing): remove tenant billing');
  assert.is(commitTitle(describeEdit('add', 'environment', 'qa', { updated: true })), 'feat(environments): update environment qa');
  assert.is(commitMessage({ type: 'chore', subject: 's', body: ['one', 'two'] }), 'chore: s\n\none\ntwo');
  assert.is(commitMessage({ type: 'chore', subject: 's' }), 'chore: s');
  const base = { service: 'api', tenant: 'pay', order: ['dev', 'prod'], to: 'prod', protected: true, before: { tag: '1.0.0' }, after: { tag: '1.1.0', digest: 'sha256:' + 'a'.repeat(64) }, skipped: [] };
  const promo = describePromotionChange({ ...base, source: { kind: 'environment', env: 'dev' } });
  assert.is(commitTitle(promo), 'chore(pay): promote api 1.1.0 to prod');
  assert.is(promo.slug, 'promote-api-1.1.0-to-prod');
  assert.ok(promo.body!.includes(`Image digest: sha256:${'a'.repeat(64)}`));
  const back = describePromotionChange({ ...base, source: { kind: 'revision', ref: 'v1' } });
  assert.is(commitTitle(back), 'revert(pay): roll api in prod back to 1.1.0');
});

test('Git URLs: https, ssh, scp-like; local paths have no host', () => {
  assert.equal(parseGitUrl('https://github.com/acme/platform-gitops.git'), { host: 'github.com', path: 'acme/platform-gitops', provider: 'github' });
  assert.equal(parseGitUrl('git@gitlab.com:acme/infra/platform.git'), { host: 'gitlab.com', path: 'acme/infra/platform', provider: 'gitlab' });
  assert.equal(parseGitUrl('ssh://git@github.acme.corp:2222/platform/gitops'), { host: 'github.acme.corp', path: 'platform/gitops', provider: 'github' });
  assert.equal(parseGitUrl('https://git.acme.example.com/platform/gitops.git/'), { host: 'git.acme.example.com', path: 'platform/gitops', provider: undefined });
  assert.is(parseGitUrl('/tmp/remote.git'), undefined);
  assert.is(parseGitUrl('file:///tmp/remote.git'), undefined);
  assert.is(parseGitUrl('../remote.git'), undefined);
});

test('the remote: repo.url first, then the tracked one, origin, the only one', () => {
  const repoUrl = 'https://github.com/acme/gitops.git';
  const rs = [{ name: 'mirror', url: '/srv/mirror.git' }, { name: 'upstream', url: 'git@github.com:acme/gitops.git' }, { name: 'origin', url: '/x' }];
  assert.is(chooseRemote(rs, { repoUrl })?.name, 'upstream');
  assert.is(chooseRemote(rs.filter((r) => r.name !== 'upstream'), { repoUrl, tracked: 'mirror' })?.name, 'mirror');
  assert.is(chooseRemote(rs.filter((r) => r.name !== 'upstream'), { repoUrl })?.name, 'origin');
  assert.is(chooseRemote([{ name: 'only', url: '/y' }], { repoUrl })?.name, 'only');
  assert.is(chooseRemote([{ name: 'a', url: '/a' }, { name: 'b', url: '/b' }], { repoUrl }), undefined);
  assert.is(chooseRemote([], { repoUrl }), undefined);
});

test('gh for GitHub (Enterprise too), glab for GitLab, a compare URL otherwise', () => {
  const pr = { base: 'main', branch: 'gitops-scaffold/x', title: 't', body: 'b' };
  // A local bare remote: the host comes from repo.url.
  const gh = pullRequestInvocation(pullRequestPlace('/tmp/r.git', 'https://github.com/acme/gitops.git'), pr)!;
  assert.equal(gh, { tool: 'gh', args: ['pr', 'create', '--repo', 'acme/gitops', '--base', 'main', '--head', 'gitops-scaffold/x', '--title', 't', '--body', 'b'] });
  assert.equal(pullRequestInvocation(pullRequestPlace('/r', 'https://github.acme.corp/p/g.git'), pr)!.args.slice(2, 4), ['--repo', 'github.acme.corp/p/g']);
  const glab = pullRequestInvocation(pullRequestPlace('git@gitlab.com:acme/g.git', 'https://example.com/x/y.git'), pr)!;
  assert.is(glab.tool, 'glab');
  assert.equal(glab.args.slice(0, 8), ['mr', 'create', '--repo', 'acme/g', '--source-branch', 'gitops-scaffold/x', '--target-branch', 'main']);
  assert.equal(pullRequestInvocation(pullRequestPlace('/r', 'https://gitlab.acme.corp/a/b.git'), pr)!.args.slice(2, 4), ['--repo', 'https://gitlab.acme.corp/a/b']);
  assert.is(pullRequestInvocation(pullRequestPlace('/r', 'https://git.example.com/a/b.git'), pr), undefined);
  assert.is(compareUrl(parseGitUrl('https://github.com/acme/gitops.git'), 'main', 'gitops-scaffold/x'), 'https://github.com/acme/gitops/compare/main...gitops-scaffold/x?expand=1');
  assert.is(compareUrl(parseGitUrl('https://gitlab.com/acme/gitops.git'), 'main', 'gitops-scaffold/x'), 'https://gitlab.com/acme/gitops/-/merge_requests/new?merge_request%5Bsource_branch%5D=gitops-scaffold%2Fx&merge_request%5Btarget_branch%5D=main');
  assert.is(compareUrl(parseGitUrl('https://bitbucket.org/acme/gitops.git'), 'main', 'b'), 'https://bitbucket.org/acme/gitops/pull-requests/new?source=b&dest=main');
  assert.is(compareUrl(parseGitUrl('https://git.example.com/a/b.git'), 'main', 'b'), undefined);
  assert.is(urlIn('Creating pull request...\nhttps://github.com/acme/gitops/pull/7\n'), 'https://github.com/acme/gitops/pull/7');
});

test('--pr / --no-pr win over repo.changes; both at once is refused', () => {
  assert.is(wantsPullRequest({}, { repo: { changes: 'pr' } }), true);
  assert.is(wantsPullRequest({ 'no-pr': true }, { repo: { changes: 'pr' } }), false);
  assert.is(wantsPullRequest({ pr: true }, { repo: {} }), true);
  assert.is(wantsPullRequest({}, { repo: {} }), false);
  assert.throws(() => wantsPullRequest({ pr: true, 'no-pr': true }), (e: unknown) => e instanceof InputError && /both --pr and --no-pr/.test((e as Error).message));
});

test.run();
