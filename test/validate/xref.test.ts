// Cross-reference checks as pure functions over parsed resources and an in-memory file set
// (checkPlannedFiles), and the Argo CD glob semantics they rely on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import type { SourceFile } from '../../generators/check/resources.ts';
import { checkPlannedFiles } from '../../generators/validate/plan-check.ts';
import { destinationPermitted, sourcePermitted } from '../../generators/validate/xref/app-projects.ts';
import { globMatch } from '../../generators/validate/xref/glob.ts';
import { dirname } from '../../generators/validate/kustomize-refs.ts';
import { posix } from 'node:path';
import { prng } from '../helpers.ts';

const file = (path: string, ...docs: object[]): SourceFile => ({ path, content: docs.map((d) => stringify(d)).join('---\n') });
const xref = (files: SourceFile[], repoUrl?: string) => checkPlannedFiles(files, { repoUrl }).findings.filter((f) => f.source === 'xref' || f.source === 'kustomize');

test('globs: * stays in a segment, ** crosses, braces and classes work', () => {
  assert.ok(globMatch('https://github.com/acme/*', 'https://github.com/acme/repo', '/'));
  assert.not.ok(globMatch('https://github.com/acme/*', 'https://github.com/acme/group/repo', '/'));
  assert.ok(globMatch('https://github.com/acme/**', 'https://github.com/acme/group/repo', '/'));
  assert.ok(globMatch('team-{a,b}', 'team-b'));
  assert.ok(globMatch('team-[!x]', 'team-y'));
  assert.not.ok(globMatch('team-?', 'team-ab'));
});

test('source repos: normalised URLs, globs and deny patterns like AppProject.IsSourcePermitted', () => {
  assert.ok(sourcePermitted(['https://github.com/acme/gitops'], 'https://GitHub.com/acme/gitops.git/'));
  assert.ok(sourcePermitted(['*'], 'git@github.com:acme/x.git'));
  assert.ok(sourcePermitted(['git@github.com:acme/*'], 'git@github.com:acme/x.git'));
  assert.not.ok(sourcePermitted(['*', '!https://github.com/acme/secret'], 'https://github.com/acme/secret.git'));
  assert.not.ok(sourcePermitted([], 'https://github.com/acme/x'));
});

test('destinations: server or name, namespace globs, deny entries, undecidable names', () => {
  const dests = [{ server: 'https://kubernetes.default.svc', namespace: 'team-*' }, { name: 'prod-*', namespace: 'apps' }, { server: '*', namespace: '!kube-system' }];
  assert.is(destinationPermitted(dests, { server: 'https://kubernetes.default.svc', namespace: 'team-a' }), true);
  assert.is(destinationPermitted(dests, { name: 'in-cluster', namespace: 'team-a' }), true);
  assert.is(destinationPermitted(dests, { name: 'prod-eu', namespace: 'apps' }), true);
  assert.is(destinationPermitted(dests, { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }), false);
  assert.is(destinationPermitted([{ server: 'https://10.0.0.1', namespace: '*' }], { name: 'staging', namespace: 'x' }), undefined);
});

const project = (name: string, sourceRepos: string[], destinations: object[]) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: 'argocd' }, spec: { sourceRepos, destinations } });
const application = (name: string, spec: object) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, spec });

test('an Application whose project is missing, or forbids its destination, names both ends', () => {
  const findings = xref([
    file('projects.yaml', project('team-a', ['*'], [{ server: 'https://kubernetes.default.svc', namespace: 'team-a' }])),
    file('apps.yaml',
      application('one', { project: 'team-b', source: { repoURL: 'https://x', path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' } }),
      application('two', { project: 'team-a', source: { repoURL: 'https://x', path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-b' } }),
    ),
  ]);
  assert.equal(findings.map((f) => f.rule), ['xref/app-project', 'xref/app-project-destination']);
  assert.match(findings[0].message, /Application argocd\/one uses AppProject "team-b", which is not defined/);
  assert.match(findings[1].message, /AppProject "team-a" \(projects\.yaml\) does not permit destination .* namespace team-b used by Application argocd\/two/);
});

test('ApplicationSet git generator paths and source paths must exist when they point at this repo', () => {
  const repo = 'https://github.com/acme/gitops.git';
  const appset = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 's', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*/prod' }, { path: 'clusters/*' }], files: [{ path: 'config/**/cluster.json' }] } }],
      template: { metadata: { name: '{{.path.basename}}' }, spec: { project: 'default', source: { repoURL: repo, targetRevision: 'main', path: '{{.path.path}}' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } },
    },
  };
  const findings = xref([file('argocd/appset.yaml', appset), { path: 'apps/web/prod/deploy.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' }], repo);
  assert.equal(findings.map((f) => f.path), ['/spec/generators/0/git/directories/1/path', '/spec/generators/0/git/files/0/path']);
  assert.match(findings[0].message, /no directory in this repository matches "clusters\/\*"/);
});

test('ExternalSecret stores: a typo among defined stores is an error, no stores at all a warning', () => {
  const es = (store: string, kind = 'SecretStore') => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `es-${store}`, namespace: 'a' }, spec: { secretStoreRef: { name: store, kind }, target: { name: 'x' } } });
  const store = { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: 'a' }, spec: { provider: { fake: { data: [] } } } };
  const withStore = xref([file('s.yaml', store, es('vault'), es('vaullt'))]);
  assert.equal(withStore.map((f) => [f.severity, f.resource?.name]), [['error', 'es-vaullt']]);
  const noCluster = xref([file('s.yaml', es('global', 'ClusterSecretStore'))]);
  assert.equal(noCluster.map((f) => f.severity), ['warning']);
});

test('HPA targets and Rollout references resolve through the kustomization build, not only the folder', () => {
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'w', image: 'nginx' }] } }, strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview' } } } };
  const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } });
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' }, minReplicas: 1, maxReplicas: 3 } };
  const files = [
    file('base/rollout.yaml', rollout, hpa),
    file('services/services.yaml', svc('web-active')),
    { path: 'base/kustomization.yaml', content: 'resources:\n  - rollout.yaml\n  - ../services\n' },
  ];
  const findings = xref(files);
  assert.equal(findings.map((f) => [f.rule, f.path]), [['xref/rollout-ref', '/spec/strategy/blueGreen/previewService']]);
});

test('sync waves: a Namespace must not sync after what lives in it', () => {
  const repo = 'https://github.com/acme/gitops.git';
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', annotations: { 'argocd.argoproj.io/sync-wave': '5' } } };
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-a', annotations: { 'argocd.argoproj.io/sync-wave': '1' } } };
  const app = application('a', { project: 'default', source: { repoURL: repo, path: 'apps/a', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' } });
  const findings = xref([file('argocd/app.yaml', app), file('apps/a/ns.yaml', ns), file('apps/a/cm.yaml', cm)], repo);
  assert.is(findings.length, 1);
  assert.match(findings[0].message, /ConfigMap team-a\/c \(wave 1\) syncs before its Namespace team-a \(wave 5, apps\/a\/ns\.yaml\)/);
});

test('checkPlannedFiles: kustomization paths checked in memory, patches treated as partial resources', () => {
  const files: SourceFile[] = [
    { path: 'app/kustomization.yaml', content: 'resources:\n  - deploy.yaml\n  - missing.yaml\npatches:\n  - path: patch.yaml\n' },
    file('app/deploy.yaml', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'd', image: 'nginx' }] } } } }),
    file('app/patch.yaml', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3 } }),
  ];
  const { findings, resources } = checkPlannedFiles(files);
  assert.equal(findings.map((f) => `${f.rule} ${f.file} ${f.path}`), ['kustomize/missing-path app/kustomization.yaml /resources/1']);
  assert.is(findings[0].line, 3);
  assert.is(resources.length, 3);
});

test('RepoIndex dirname: the same as path.posix.dirname on any path (random ones included)', () => {
  const rnd = prng(7);
  const chars = ['a', 'b', '/', '.', '-', ' '];
  const paths = ['a', 'a/b', 'a/b/c.yaml', '.a/b', '..', '../x', 'a/../b', './a', 'a/./b', '.', 'a/b/', '/a/b', 'a//b', '', '/', '//a'];
  for (let i = 0; i < 20000; i++) paths.push(Array.from({ length: rnd.int(9) }, () => rnd.pick(chars)).join(''));
  for (const p of paths) assert.is(dirname(p), posix.dirname(p), JSON.stringify(p));
});

test.run();
