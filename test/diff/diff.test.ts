// `diff` on a repository made from examples/enterprise under Git (a bare remote as origin):
// one service's tag changed in one environment shows exactly the Applications that deploy it,
// with the object that changes; the offline inventory says it is one; revisions, refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../generators/cli.ts';
import { runDiff } from '../../generators/diff/run.ts';
import { InputError } from '../../generators/model/errors.ts';
import { findKustomizeTool } from '../../generators/validate/kustomize/tool.ts';
import { tempDir } from '../helpers.ts';
import { commitAll, exampleRepo, git, type DiffRepo } from './fixture.ts';

const quiet = { stdout: () => {}, stderr: () => {}, interactive: false };
let repo: DiffRepo;
const PROD = ['payments-api-prod-prod-eu-1', 'payments-api-prod-prod-us-1'];

test.before(async () => {
  repo = await exampleRepo();
  // The change a person makes: payments-api gets a new tag in prod only.
  const code = await main(['add', 'service', 'payments-api', '--update', '--set', 'overrides.prod.tag=2.14.2', '--repo', repo.root, '--no-check'], quiet);
  assert.is(code, 0);
});

async function inputError(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

const changed = (r: Awaited<ReturnType<typeof runDiff>>) => r.report.applications.map((a) => `${a.status} ${a.name}`).sort();

test('one tag in one environment: exactly the Applications that deploy it change, with the Rollout and the migration Job', async () => {
  const tool = await findKustomizeTool();
  const r = await runDiff({ dir: repo.root, output: 'json' });
  assert.is(r.exitCode, 0);
  assert.is(r.report.base.label.startsWith('HEAD'), true);
  assert.is(r.report.head.label, 'working tree');
  assert.is(r.report.totals.base, r.report.totals.head);
  assert.ok(r.report.totals.head > 30, `ApplicationSets expanded (${r.report.totals.head} Applications)`);
  if (tool) {
    assert.equal(changed(r), PROD.map((n) => `changed ${n}`));
    // The base changed textually too (the image of the last environment), but dev and staging
    // build the same objects: the build decides, not the file list.
    assert.equal(r.report.sameOutput.sort(), ['payments-api-dev-hub', 'payments-api-staging-staging-eu-1']);
    const app = r.report.applications[0];
    assert.equal(app.objects.map((o) => `${o.status} ${o.id}`), ['changed argoproj.io/Rollout payments-prod/payments-api', 'changed batch/Job payments-prod/payments-api-migrate']);
    assert.match(app.objects[0].diff, /^-\s+- image: ghcr\.io\/acme\/payments-api:2\.14\.1@sha256:/m);
    assert.match(app.objects[0].diff, /^\+\s+- image: ghcr\.io\/acme\/payments-api:2\.14\.2$/m);
    assert.equal(app.rendering.head?.map((s) => s.method), ['kustomize']);
  } else {
    // No kustomize on this machine: the offline inventory cannot apply the overlay, so every
    // Application whose inputs changed is listed, each marked as not exact.
    assert.equal(changed(r).filter((n) => n.includes('payments-api-prod')), PROD.map((n) => `changed ${n}`));
    assert.ok(r.report.applications.every((a) => !a.exact && a.name.startsWith('payments-api-')));
  }
  assert.equal(r.report.otherFiles.map((f) => f.path), ['.gitops-scaffold/manifest.json', 'platform.yaml']);
});

test('without kustomize: the offline inventory, said so, and the input files as the change', async () => {
  const r = await runDiff({ dir: repo.root, output: 'text', kustomize: false });
  assert.is(r.exitCode, 0);
  // dev and staging read the changed base too; without a build nothing tells their objects are the same.
  assert.equal(changed(r), ['payments-api-dev-hub', 'payments-api-staging-staging-eu-1', ...PROD].sort().map((n) => `changed ${n}`));
  for (const a of r.report.applications) {
    assert.is(a.exact, false);
    assert.equal(a.rendering.head?.map((s) => `${s.method}: ${s.note}`), ['inventory: kustomize builds turned off (--no-kustomize)']);
  }
  assert.match(r.stdout, /Built with: kustomize builds turned off \(--no-kustomize\) \(kustomizations from the offline inventory\)/);
  assert.match(r.stdout, /^\s+-    newTag: 2\.14\.1$/m);
  assert.match(r.stdout, /^\s+\+    newTag: 2\.14\.2$/m);
});

test('--base and --head name commits; markdown carries the marker CI finds its comment by', async () => {
  const clone = path.join(tempDir('gs-diff-clone-'), 'repo');
  await git(repo.dir, 'clone', '-q', repo.remote, clone);
  await git(clone, 'config', 'user.name', 'Platform Dev');
  await git(clone, 'config', 'user.email', 'dev@acme.example.com');
  const file = path.join(clone, 'apps/search/search-api/overlays/dev/kustomization.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('newTag: 5.2.0', 'newTag: 5.3.0'));
  await commitAll(clone, 'search-api 5.3.0 in dev');
  const r = await runDiff({ dir: clone, base: 'origin/main', head: 'HEAD', output: 'markdown' });
  assert.equal(changed(r), ['changed search-api-dev-hub']);
  assert.match(r.report.base.label, /^origin\/main \([0-9a-f]{7}\)$/);
  assert.is(r.stdout.split('\n')[0], '<!-- gitops-scaffold diff -->');
  assert.match(r.stdout, /\| ~ \| search-api-dev-hub \| tenant-search \| in-cluster\/search-dev \|/);
  // Nothing changed between a revision and itself.
  const none = await runDiff({ dir: clone, base: 'HEAD', head: 'HEAD', output: 'text' });
  assert.equal(none.report.applications, []);
  assert.match(none.stdout, /No Application changes/);
  // The temporary checkouts are gone.
  assert.is((await git(clone, 'worktree', 'list')).split('\n').length, 1);
});

test('refusals: not a Git work tree, a revision that names nothing (exit 2 through the CLI)', async () => {
  const plain = tempDir('gs-diff-plain-');
  assert.match(await inputError(() => runDiff({ dir: plain, output: 'text' })), /not inside a Git repository/);
  assert.match(await inputError(() => runDiff({ dir: repo.root, base: 'no-such-branch', output: 'text' })), /--base no-such-branch names no commit/);
  let err = '';
  const code = await main(['diff', repo.root, '--base', 'no-such-branch'], { ...quiet, stderr: (s) => void (err += s) });
  assert.is(code, 2);
  assert.match(err, /fetch the base branch first/);
  assert.not.match(err, /\n\s+at /);
});

test.run();
