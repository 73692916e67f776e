// The pure parts of `diff` and of the Helm renderer: object pairing and Secret masking, which
// Application inputs count, the Markdown comment's limits, and the `helm template` command line
// Argo CD v3.5.1 runs (reposerver helmTemplate + util/helm/cmd.go), OCI spelled as 3.x wants it.
import { test } from 'uvu';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import * as assert from 'uvu/assert';
import { diffObjects, objectId } from '../../generators/diff/objects.ts';
import { sameContent } from '../../generators/diff/engine.ts';
import { formatDiffMarkdown, MARKDOWN_MARKER, type DiffReport } from '../../generators/diff/report.ts';
import { helmTemplateArgs, isHelmOciRepo } from '../../generators/manifests/helm-args.ts';

const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments-dev' }, data });

test('objects pair by group, kind, namespace and name; key order is not a change', () => {
  const a = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' }, spec: { replicas: 1, paused: false } };
  const b = { kind: 'Deployment', apiVersion: 'apps/v1', spec: { paused: false, replicas: 1 }, metadata: { namespace: 'n', name: 'x' } };
  assert.equal(diffObjects([a], [b]), []);
  assert.is(objectId(a).id, 'apps/Deployment n/x');
  const changes = diffObjects([a, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } }], [{ ...a, spec: { ...a.spec, replicas: 3 } }]);
  assert.equal(changes.map((c) => `${c.status} ${c.id}`), ['removed ConfigMap gone', 'changed apps/Deployment n/x']);
  assert.match(changes[1].diff, /^-  replicas: 1$/m);
  assert.match(changes[1].diff, /^\+  replicas: 3$/m);
});

test('Secret values never reach the diff: equal ones masked alike, a changed one masked differently', () => {
  const [c] = diffObjects([secret({ password: 'aHVudGVyMg==', user: 'YWRtaW4=' })], [secret({ password: 'czNjcjN0', user: 'YWRtaW4=' })]);
  assert.is(c.status, 'changed');
  assert.not.match(c.diff, /aHVudGVyMg|czNjcjN0|YWRtaW4/);
  assert.match(c.diff, /^-  password: \+{8}$/m);
  assert.match(c.diff, /^\+  password: \+{9}$/m);
  assert.equal(diffObjects([secret({ user: 'YQ==' })], [secret({ user: 'YQ==' })]), []);
  const [added] = diffObjects([], [secret({ token: 'c2VjcmV0' })]);
  assert.not.match(added.diff, /c2VjcmV0/);
});

test('an input file is the same when its documents are: comments and layout are not a change', () => {
  assert.is(sameContent('a.yaml', 'a: 1 # one\nb: [x]\n', 'b:\n  - x\na: 1\n'), true);
  assert.is(sameContent('a.yaml', 'a: 1\n', 'a: 2\n'), false);
  assert.is(sameContent('README.md', 'a', 'a '), false);
  assert.is(sameContent('a.yaml', 'a: 1\n', undefined), false);
});

const app = (i: number, lines: number) => ({
  name: `svc-${i}`, namespace: 'argocd', status: 'changed' as const, appSet: 'tenant-x', file: 'argocd/apps/tenant-x.yaml', project: 'x', destination: 'in-cluster/x-dev', sources: [],
  inputs: [], exact: true, rendering: {},
  objects: [{ id: `apps/Deployment x-dev/svc-${i}`, group: 'apps', kind: 'Deployment', namespace: 'x-dev', name: `svc-${i}`, status: 'changed' as const, diff: Array.from({ length: lines }, (_, j) => `+  line ${j} \`\`\` not a fence`).join('\n') }],
});
const report = (apps: ReturnType<typeof app>[]): DiffReport => ({
  base: { label: 'origin/main (1234567)' }, head: { label: 'working tree' }, totals: { base: apps.length, head: apps.length },
  applications: apps, sameOutput: [], otherFiles: [{ path: 'platform.yaml', status: 'changed' }], notes: [], tools: { kustomize: 'kubectl kustomize', helm: 'helm v3.17.0' },
});

test('markdown: marker first, a table of every Application, a fence no diff line can close, under the size limit', () => {
  const md = formatDiffMarkdown(report([app(1, 3)]));
  assert.is(md.split('\n')[0], MARKDOWN_MARKER);
  assert.match(md, /\| ~ \| svc-1 \| tenant-x \| in-cluster\/x-dev \| objects: 1 changed \|/);
  assert.match(md, /^````diff$/m);
  const big = formatDiffMarkdown(report(Array.from({ length: 40 }, (_, i) => app(i, 300))), { limit: 60_000 });
  assert.ok(big.length <= 60_000, `${big.length}`);
  assert.match(big, /Application sections left out/);
  assert.match(big, /\| ~ \| svc-39 \|/); // the table keeps every Application
  assert.match(big, /Other changed files .*`platform\.yaml`/);
  const long = formatDiffMarkdown(report([app(1, 900)]));
  assert.match(long, /\.\.\. \d+ more lines/);
});

const own = (u: unknown) => u === 'https://github.com/acme/platform-gitops.git';
const chartApp = (source: any, sources: any[] = [source]) => helmTemplateArgs({ appName: 'redis-dev-hub', destinationNamespace: 'payments-dev', source, sources, ownRepoRoot: '/repo', isOwnRepo: own });

test('helm template as Argo CD runs it: OCI without a scheme, $values from the ref source, inline values last', () => {
  assert.is(isHelmOciRepo('ghcr.io/acme/charts'), true);
  assert.is(isHelmOciRepo('registry.local:5000/charts'), true);
  assert.is(isHelmOciRepo('https://charts.bitnami.com/bitnami'), false);
  assert.is(isHelmOciRepo('oci://ghcr.io/acme/charts'), false); // an OCI artifact source in 3.x, not a chart
  const values = { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', ref: 'values' };
  const chart = { repoURL: 'ghcr.io/acme/charts', chart: 'redis', targetRevision: '20.1.3', helm: { releaseName: 'redis', valueFiles: ['$values/apps/payments/redis/values.yaml', '$values/apps/payments/redis/envs/dev/values.yaml'], parameters: [{ name: 'a', value: '1' }, { name: 'b', value: '02', forceString: true }] } };
  const r = chartApp(chart, [chart, values]);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.args, [
    'template', 'oci://ghcr.io/acme/charts/redis', '--name-template', 'redis', '--namespace', 'payments-dev',
    '--set', 'a=1', '--set-string', 'b=02',
    '--values', '/repo/apps/payments/redis/values.yaml', '--values', '/repo/apps/payments/redis/envs/dev/values.yaml',
    '--include-crds', '--version', '20.1.3',
  ]);
  const http = chartApp({ repoURL: 'https://charts.bitnami.com/bitnami', chart: 'redis', targetRevision: '20.1.3', helm: { skipCrds: true, skipTests: true } });
  assert.ok(http.ok && http.args.join(' ') === 'template redis --name-template redis-dev-hub --namespace payments-dev --skip-tests --version 20.1.3 --repo https://charts.bitnami.com/bitnami');
  const inline = helmTemplateArgs({ appName: 'a', source: { repoURL: 'https://c.example.com', chart: 'c', targetRevision: '1.0.0', helm: { valueFiles: [] } }, sources: [], isOwnRepo: own, inlineValuesFile: '/tmp/v.yaml' });
  assert.ok(inline.ok && inline.args.includes('/tmp/v.yaml'));
});

test('helm template refuses what it cannot resolve offline, naming why', () => {
  const missingRef = chartApp({ repoURL: 'ghcr.io/acme/charts', chart: 'redis', targetRevision: '1.0.0', helm: { valueFiles: ['$other/values.yaml'] } });
  assert.equal(missingRef, { ok: false, reason: 'value file $other/values.yaml names no source with ref other' });
  const foreign = { repoURL: 'https://github.com/acme/elsewhere.git', ref: 'v' };
  const src = { repoURL: 'ghcr.io/acme/charts', chart: 'redis', targetRevision: '1.0.0', helm: { valueFiles: ['$v/values.yaml'] } };
  assert.equal(chartApp(src, [src, foreign]), { ok: false, reason: 'value file $v/values.yaml is in another repository (not read offline)' });
  const escape = { repoURL: 'ghcr.io/acme/charts', chart: 'redis', targetRevision: '1.0.0', helm: { valueFiles: ['$values/../../etc/passwd'] } };
  const ref = { repoURL: 'https://github.com/acme/platform-gitops.git', ref: 'values' };
  assert.equal(chartApp(escape, [escape, ref]), { ok: false, reason: 'value file $values/../../etc/passwd leaves the repository' });
});

test('the diff engine and the helm command line are pure: only run.ts, helm.ts and renderer.ts reach disk or processes', () => {
  const FORBIDDEN = /from '(node:)?(fs|fs\/promises|child_process)'|from '(execa|inquirer|plop|node-plop)'/;
  const dir = (d: string) => readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`);
  const edges = ['generators/diff/run.ts', 'generators/manifests/helm.ts', 'generators/manifests/renderer.ts'];
  const pure = [...dir('generators/diff'), ...dir('generators/manifests')].filter((f) => !edges.includes(f));
  assert.ok(pure.includes('generators/diff/engine.ts') && pure.includes('generators/manifests/helm-args.ts'));
  assert.equal(pure.filter((f) => FORBIDDEN.test(readFileSync(path.join(ROOT, f), 'utf8'))), []);
});

test.run();
