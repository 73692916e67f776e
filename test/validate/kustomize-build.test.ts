// Kustomize builds in `validate`: what is built (a base its overlays include is not built again,
// unless no overlay built), the cache key (every input file counts, nothing else does), the
// batched runner (each member's output is exactly its own build's; a failing or conflicting
// member falls back to its own build and error), and the on-disk cache.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSources } from '../../generators/check/parse.ts';
import type { SourceFile } from '../../generators/check/resources.ts';
import { RepoIndex } from '../../generators/validate/kustomize-refs.ts';
import { buildInputs, buildKey, nextUncovered, planBuilds } from '../../generators/validate/kustomize/plan.ts';
import { kustomizeRunner, parseOutput } from '../../generators/validate/kustomize/run.ts';
import { findKustomizeTool } from '../../generators/validate/kustomize/tool.ts';
import { fixture, hasKubectl, validateJson } from './helpers.ts';

const kubectl = hasKubectl();
const K = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

function repoOf(files: SourceFile[]) {
  return new RepoIndex(files.map((f) => f.path), parseSources(files).resources);
}

const LAYOUT: SourceFile[] = [
  { path: 'app/base/kustomization.yaml', content: K('resources:\n  - cm.yaml\n') },
  { path: 'app/base/cm.yaml', content: CM('app') },
  { path: 'app/overlays/dev/kustomization.yaml', content: K('namespace: dev\nresources:\n  - ../../base\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: extra\n    files:\n      - conf=settings.properties\nreplacements:\n  - path: sub/replacements.yaml\n') },
  { path: 'app/overlays/dev/patch.yaml', content: CM('app') },
  { path: 'app/overlays/dev/settings.properties', content: 'a=1\n' },
  { path: 'app/overlays/dev/sub/replacements.yaml', content: '[]\n' },
  { path: 'app/overlays/prod/kustomization.yaml', content: K('namespace: prod\nresources:\n  - ../../base\n') },
  { path: 'upstream/kustomization.yaml', content: K('resources:\n  - https://github.com/argoproj/argo-cd//manifests/cluster-install?ref=v3.5.1\n') },
  { path: 'bootstrap/kustomization.yaml', content: K('resources:\n  - ../upstream\n') },
  { path: 'component/kustomization.yaml', content: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' },
  { path: 'unrelated/cm.yaml', content: CM('other') },
];

test('plan: overlays are built, the base they include is not, remote ones (also through a base) are skipped', () => {
  const plan = planBuilds(repoOf(LAYOUT));
  assert.equal(plan.roots.map((k) => k.dir), ['app/overlays/dev', 'app/overlays/prod']);
  assert.equal(plan.covered.map((k) => k.dir), ['app/base']);
  assert.equal(plan.remote.map((k) => k.dir).sort(), ['bootstrap', 'upstream']);
});

test('plan: a base is built on its own once every overlay that includes it failed, not before', () => {
  const plan = planBuilds(repoOf(LAYOUT));
  const [dev, prod] = plan.roots;
  const attempted = new Set(plan.roots);
  assert.equal(nextUncovered(plan, attempted, new Set([dev, prod])), []);
  assert.equal(nextUncovered(plan, attempted, new Set([prod])), []);
  assert.equal(nextUncovered(plan, attempted, new Set()).map((k) => k.dir), ['app/base']);
  assert.equal(nextUncovered(plan, new Set([dev]), new Set()), [], 'prod has not run yet');
});

test('cache key: every file a build reads changes it, an unrelated file does not', () => {
  const keyOf = (files: SourceFile[]) => {
    const repo = repoOf(files);
    const text = new Map(files.map((f) => [f.path, f.content]));
    const dev = repo.kustomizations.get('app/overlays/dev')!;
    return buildKey('tool', dev, buildInputs(repo, dev), (f) => text.get(f) ?? 'missing');
  };
  const base = keyOf(LAYOUT);
  assert.is(keyOf(LAYOUT), base, 'deterministic');
  const edit = (p: string, content: string) => LAYOUT.map((f) => (f.path === p ? { ...f, content } : f));
  for (const p of ['app/base/kustomization.yaml', 'app/base/cm.yaml', 'app/overlays/dev/kustomization.yaml', 'app/overlays/dev/patch.yaml', 'app/overlays/dev/settings.properties', 'app/overlays/dev/sub/replacements.yaml'])
    assert.is.not(keyOf(edit(p, `${LAYOUT.find((f) => f.path === p)!.content}# edited\n`)), base, `${p} is an input`);
  assert.is(keyOf(edit('unrelated/cm.yaml', CM('changed'))), base);
  assert.is(keyOf(edit('app/overlays/prod/kustomization.yaml', K('resources: []\n'))), base, 'a sibling overlay is not an input');
  assert.is.not(keyOf(LAYOUT.filter((f) => f.path !== 'app/overlays/dev/patch.yaml')), base, 'a file that goes missing counts');
});

test('kubectl output is read document by document, wrapped long strings included', () => {
  const out = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  q: ((sum(rate(x[2m]))\n    or on() vector(0)) > 0\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: &x {a: b}\n';
  assert.equal(parseOutput(out), [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { q: '((sum(rate(x[2m])) or on() vector(0)) > 0' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', annotations: { a: 'b' } } },
  ]);
});

/** A scratch repository on disk. */
function scratch(files: SourceFile[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-kb-'));
  for (const f of files) {
    const p = path.join(dir, f.path);
    execFileSync('mkdir', ['-p', path.dirname(p)]);
    writeFileSync(p, f.content);
  }
  return dir;
}

const direct = (dir: string) => {
  try {
    return { ok: true, docs: parseOutput(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) };
  } catch (e: any) {
    return { ok: false, error: String(e.stderr).trim() };
  }
};

test('batched builds give each kustomization exactly its own output, and its own error (skipped without kubectl)', async () => {
  if (!kubectl) return console.log('  skipped: kubectl is not installed');
  const tool = (await findKustomizeTool({ ...process.env, PATH: process.env.PATH }))!;
  const dir = scratch([
    ...LAYOUT.filter((f) => f.path.startsWith('app/') && !f.path.includes('/dev/')),
    // Deployments get the member annotation on their pod template too: it must be gone after.
    { path: 'deploy/kustomization.yaml', content: K('resources:\n  - deploy.yaml\ncommonAnnotations:\n  team: a\n') },
    { path: 'deploy/deploy.yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27.0\n' },
    { path: 'plain/kustomization.yaml', content: K('resources:\n  - cm.yaml\n') },
    { path: 'plain/cm.yaml', content: CM('plain') },
    // Emits the same ConfigMap as `plain`: a batch holding both fails, each still builds.
    { path: 'twin/kustomization.yaml', content: K('resources:\n  - cm.yaml\n') },
    { path: 'twin/cm.yaml', content: CM('plain') },
    { path: 'broken/kustomization.yaml', content: K('resources:\n  - missing.yaml\n') },
  ]);
  try {
    const dirs = ['app/overlays/prod', 'app/base', 'deploy', 'plain', 'twin', 'broken'].map((d) => path.join(dir, d));
    for (const parallelism of [1, 2]) {
      const outcomes = await kustomizeRunner(tool, process.env, parallelism).build(dirs);
      dirs.forEach((d, i) => {
        const want = direct(d);
        const got = outcomes[i];
        assert.is(got.ok, want.ok, d);
        if (want.ok && got.ok) assert.ok(isDeepStrictEqual(got.docs, want.docs), `${d}\n${JSON.stringify(got.docs)}\n${JSON.stringify(want.docs)}`);
        if (!want.ok && !got.ok) assert.match(got.error, /missing\.yaml/, got.error);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate with builds: the cache serves unchanged builds, an edited input is built again (skipped without kubectl)', async () => {
  if (!kubectl) return console.log('  skipped: kubectl is not installed');
  const repo = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-kb-repo-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-kb-cache-'));
  cpSync(fixture('validate/valid-repo'), repo, { recursive: true });
  const env = { ...process.env, GITOPS_SCAFFOLD_CACHE_DIR: cache };
  const note = (r: Awaited<ReturnType<typeof validateJson>>) => r.report.validators.find((v: any) => v.name === 'kustomize').note;
  try {
    const first = await validateJson(repo, { kustomize: true, env });
    assert.equal(first.findings, []);
    assert.match(note(first), /^kubectl kustomize: 2 built \(1 base built through its overlays\)/);
    const second = await validateJson(repo, { kustomize: true, env });
    assert.match(note(second), /2 built \(2 from the build cache, 1 base built through its overlays\)/);
    assert.equal(second.findings, first.findings);
    // An invalid field in the base reaches the overlay's output: the overlay is built again.
    const rollout = path.join(repo, 'apps/guestbook/base/rollout.yaml');
    execFileSync('sed', ['-i', 's/^spec:/spec:\\n  replicaz: 2/', rollout]);
    const third = await validateJson(repo, { kustomize: true, env });
    assert.match(note(third), /2 built \(1 from the build cache/);
    assert.ok(third.findings.some((f) => f.source === 'kustomize' && /replicaz/.test(f.message)) || third.findings.some((f) => /replicaz/.test(f.message)), JSON.stringify(third.findings));
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
