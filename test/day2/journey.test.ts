// Issue 12's "Done when", end to end through the bin as a user runs it (a child process, no TTY,
// the stand-in gh on PATH). One repository made from examples/enterprise/platform.yaml, rendered
// with older pins (what an older release of this tool would have written), under Git with a
// local bare repository as its remote, lives through a platform team's day 2:
//   1. a new build of payments-api lands in dev, is promoted to staging (direct writes), and to
//      prod only through a pull request (prod is protected): the gh stand-in saw it;
//   2. `diff` of that pull request's branch against main shows exactly the Applications that
//      change;
//   3. a Helm chart service (`add service --chart`, from an HTTPS chart repository; OCI ones are
//      test/diff/helm-service.test.ts's) passes `validate` and appears in `apps`;
//   4. `upgrade` moves the older pins to this tool's, keeps a hand edit, and a re-run (and a
//      render) has nothing left to do.
// Each step starts from what the previous one left, as it would on a real repository.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { execa } from 'execa';
import { TOOL_PINS, type PinSet } from '../../generators/model/pins.ts';
import { findKustomizeTool } from '../../generators/validate/kustomize/tool.ts';
import { ROOT } from '../helpers.ts';
import { gitRepo, git, calls, commitAndPush, remoteFile, type GitRepo } from './git-fixture.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const PROMOTION_BRANCH = 'gitops-scaffold/promote-payments-api-2.16.0-to-prod';
const INSTALL = 'argocd/install/kustomization.yaml';
const overlay = (env: string) => `apps/payments/payments-api/overlays/${env}/kustomization.yaml`;
const imagesOf = (text: string) => (YAML.parse(text) as { images: unknown[] }).images;

/** The pins of an older release: Argo CD one minor back, Rollouts and the ESO chart too. */
function olderPins(): PinSet {
  const p = structuredClone(TOOL_PINS) as PinSet;
  p.argocd.version = 'v3.4.2';
  p.argoRollouts.version = 'v1.8.3';
  p.externalSecrets.version = '2.8.1';
  return p;
}

let repo: GitRepo;
const read = (file: string) => readFileSync(path.join(repo.root, file), 'utf8');

/** The installed bin, run in the repository as a person would run it in a terminal (no TTY, no colour). */
async function gs(...args: string[]) {
  const r = await execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...args], {
    cwd: repo.root,
    reject: false,
    stdin: 'ignore',
    env: { PATH: `${repo.bin}${path.delimiter}${process.env.PATH}`, STANDIN_LOG: repo.log, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', GITOPS_SCAFFOLD_CACHE_DIR: path.join(repo.dir, 'cache') },
  });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

test.before(async () => {
  // platform.yaml names the old Argo CD, as the older release wrote it.
  repo = await gitRepo({ pins: olderPins(), tools: ['gh'], text: (t) => t.replace('  version: v3.5.1\n', '  version: v3.4.2\n') });
  // The remote as a relative path, as `git remote add origin ../remote.git` leaves it: --pr works
  // in a temporary work tree elsewhere, and must still push to this remote.
  await git(repo.root, 'remote', 'set-url', 'origin', '../remote.git');
});

test('promote: a new tag dev -> staging -> prod, prod only through a pull request the gh stand-in saw', async () => {
  const build = await gs('promote', 'payments-api', '--tag', '2.16.0', '--digest', DIGEST);
  assert.is(build.code, 0, build.all);
  assert.match(build.stdout, /^Promoted payments-api in dev: 2\.15\.0-rc\.1 -> 2\.16\.0@sha256:cccccccccccc… \(new build\)\./);
  assert.equal(imagesOf(read(overlay('dev'))), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  await commitAndPush(repo, 'build payments-api 2.16.0');

  const staging = await gs('promote', 'payments-api');
  assert.is(staging.code, 0, staging.all);
  assert.match(staging.stdout, /^Promoted payments-api in staging: 2\.14\.1@sha256:4b1c3f0e8a9d… -> 2\.16\.0@sha256:cccccccccccc… \(from dev\)\./);
  assert.equal(imagesOf(read(overlay('staging'))), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  await commitAndPush(repo, 'promote payments-api to staging');

  // prod is next and protected: no flag needed, the promotion becomes a pull request.
  const main = await git(repo.root, 'rev-parse', 'HEAD');
  const prod = await gs('promote', 'payments-api');
  assert.is(prod.code, 0, prod.all);
  assert.match(prod.stdout, /^Proposed payments-api in prod: 2\.14\.1@sha256:4b1c3f0e8a9d… -> 2\.16\.0@sha256:cccccccccccc… \(from staging\) \(prod is protected: through a pull request\)\./);
  assert.match(prod.stdout, new RegExp(`Pushed ${PROMOTION_BRANCH} to origin \\(commit [0-9a-f]{7} "chore\\(payments\\): promote payments-api 2\\.16\\.0 to prod", from main at ${main.slice(0, 7)}\\)\\.`));
  assert.match(prod.stdout, /Opened a pull request into main: https:\/\/github\.com\/acme\/platform-gitops\/pull\/42\./);
  const seen = calls(repo);
  assert.is(seen.length, 1, 'gh was asked once');
  assert.equal(seen[0].slice(0, 11), ['gh', 'pr', 'create', '--repo', 'acme/platform-gitops', '--base', 'main', '--head', PROMOTION_BRANCH, '--title', 'chore(payments): promote payments-api 2.16.0 to prod']);
  assert.equal(imagesOf(await remoteFile(repo, PROMOTION_BRANCH, overlay('prod'))), [{ name: 'ghcr.io/acme/payments-api', newTag: '2.16.0', digest: DIGEST }]);
  // Never a push to the tracked branch, never a touch of the checkout.
  assert.is(await git(repo.remote, 'rev-parse', 'main'), main);
  assert.is(await git(repo.root, 'status', '--porcelain'), '');
  assert.match(read(overlay('prod')), /newTag: 2\.14\.1/);
});

test('diff of the pull request against main: exactly the prod Applications of payments-api change', async () => {
  await git(repo.root, 'fetch', '-q', 'origin');
  const r = await gs('diff', '--base', 'origin/main', '--head', `origin/${PROMOTION_BRANCH}`, '--output', 'json');
  assert.is(r.code, 0, r.all);
  const report = JSON.parse(r.stdout);
  const changed = report.applications.map((a: any) => `${a.status} ${a.name}`).sort();
  assert.is(report.totals.base, report.totals.head);
  if (await findKustomizeTool()) {
    // Both sides built: dev and staging read the changed base too, but build the same objects.
    assert.equal(changed, ['changed payments-api-prod-prod-eu-1', 'changed payments-api-prod-prod-us-1']);
    assert.equal(report.sameOutput.sort(), ['payments-api-dev-hub', 'payments-api-staging-staging-eu-1']);
    assert.equal(report.applications[0].objects.map((o: any) => `${o.status} ${o.id}`), ['changed argoproj.io/Rollout payments-prod/payments-api', 'changed batch/Job payments-prod/payments-api-migrate']);
  } else {
    // Without kustomize every Application whose inputs changed is listed, each marked not exact.
    assert.equal(changed, ['payments-api-dev-hub', 'payments-api-prod-prod-eu-1', 'payments-api-prod-prod-us-1', 'payments-api-staging-staging-eu-1'].map((n) => `changed ${n}`));
    assert.ok(report.applications.every((a: any) => a.exact === false));
  }

  // The reviewer merges the pull request: prod runs 2.16.0.
  await git(repo.root, 'merge', '-q', '--ff-only', `origin/${PROMOTION_BRANCH}`);
  await git(repo.root, 'push', '-q', 'origin', 'HEAD:main');
  assert.match(read(overlay('prod')), /newTag: 2\.16\.0/);
});

test('a Helm chart service: add service --chart, validate passes (simulation on), apps lists its Applications', async () => {
  const add = await gs('add', 'service', 'cache', '--tenant', 'payments', '--chart', 'https://charts.bitnami.com/bitnami/redis', '--chart-version', '20.1.3', '--set', 'values.architecture=standalone', '--set', 'overrides.prod.values.replica.replicaCount=3');
  assert.is(add.code, 0, add.all);
  assert.match(add.stdout, /^Added service cache\.\n[\s\S]*\+ argocd\/apps\/chart-cache\.yaml/);
  // The tenant's project may read the chart repository, and nothing wider.
  const sourceRepos: string[] = YAML.parse(read('argocd/projects/payments.yaml')).spec.sourceRepos;
  assert.ok(sourceRepos.includes('https://charts.bitnami.com/bitnami'), sourceRepos.join(' '));
  assert.not.ok(sourceRepos.some((r) => r.includes('*')));
  const validate = await gs('validate', '--output', 'json');
  assert.is(validate.code, 0, validate.all);
  const report = JSON.parse(validate.stdout);
  assert.is(report.summary.error, 0, JSON.stringify(report.findings.filter((f: any) => f.severity === 'error')));
  const ran = Object.fromEntries(report.validators.map((v: any) => [v.name, v]));
  assert.is(ran.simulate.ran, true, 'the offline Argo CD model ran by default');
  // With helm installed it renders the chart (a machine without network: the chart not fetched, said so).
  assert.match(ran.helm.note, /^(helm v\S+: \d+ chart renders? for \d+ Applications(; \d+ not fetched \(.+\))?|helm is not installed: 4 chart sources not rendered)$/);
  assert.equal(report.findings.filter((f: any) => f.file === 'argocd/apps/chart-cache.yaml' && f.severity !== 'info'), []);

  const apps = await gs('apps', '--json');
  assert.is(apps.code, 0, apps.all);
  const group = JSON.parse(apps.stdout).groups.find((g: any) => g.appSet === 'chart-cache');
  assert.equal(group.applications.map((a: any) => a.name).sort(), ['cache-dev-hub', 'cache-prod-prod-eu-1', 'cache-prod-prod-us-1', 'cache-staging-staging-eu-1']);
  assert.equal(group.applications[0].sources, ['https://charts.bitnami.com/bitnami chart redis@20.1.3', 'https://github.com/acme/platform-gitops.git@main']);
  await commitAndPush(repo, 'add the cache chart service');
});

test('upgrade: the older pins move to this tool\'s, a hand edit is kept, a second run has nothing to do', async () => {
  assert.is(JSON.parse(read('.gitops-scaffold/manifest.json')).pins.argocd.version, 'v3.4.2', 'day 2 work kept the recorded pins');
  // The platform team's own manifest in the Argo CD install, added by hand and committed.
  writeFileSync(path.join(repo.root, 'argocd/install/team-dashboards.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-dashboards\n  namespace: argocd\ndata:\n  url: https://grafana.acme.example.com/d/argocd\n');
  writeFileSync(path.join(repo.root, INSTALL), read(INSTALL).replace('  - networkpolicies.yaml\n', '  - networkpolicies.yaml\n  - team-dashboards.yaml # added by the platform team\n'));
  await commitAndPush(repo, 'team dashboards in the Argo CD install');

  const up = await gs('upgrade');
  assert.is(up.code, 0, up.all);
  assert.match(up.stdout, /^Upgraded from the pins of gitops-scaffold [\d.]+ to those of gitops-scaffold [\d.]+:/);
  assert.match(up.stdout, /Argo CD +v3\.4\.2 -> v3\.5\.1\n +https:\/\/argo-cd\.readthedocs\.io\/en\/stable\/operator-manual\/upgrading\/3\.4-3\.5\//);
  assert.match(up.stdout, /Argo Rollouts +v1\.8\.3 -> v1\.9\.1/);
  assert.match(up.stdout, /External Secrets \(chart\) +2\.8\.1 -> 2\.9\.0/);
  assert.match(up.stdout, /M argocd\/install\/kustomization\.yaml/, 'merged with the hand edit');
  const install = read(INSTALL);
  assert.match(install, /manifests\/ha\/cluster-install\?ref=v3\.5\.1"/);
  assert.match(install, /  - team-dashboards\.yaml # added by the platform team\n/, 'the hand edit is kept');
  assert.match(read('platform/addons/argo-rollouts/kustomization.yaml'), /ref=v1\.9\.1[\s\S]*newTag: v1\.9\.1/);
  assert.match(read('platform.yaml'), /\n  version: v3\.5\.1\n/);
  assert.equal(JSON.parse(read('.gitops-scaffold/manifest.json')).pins, JSON.parse(JSON.stringify(TOOL_PINS)));
  // Day 2's work is all still there.
  assert.match(read(overlay('prod')), /newTag: 2\.16\.0/);
  assert.match(read('argocd/apps/kustomization.yaml'), /chart-cache\.yaml/);

  const again = await gs('upgrade');
  assert.is(again.code, 0, again.all);
  assert.match(again.stdout, /^Nothing to upgrade/);
  assert.match((await gs('render')).stdout, /No changes/);
});

test.run();
