// Checks on every Application (issue 9 item 2) over small in-memory repositories: names and
// labels, projects, source and destination permissions, registered clusters, source paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSources } from '../../generators/check/parse.ts';
import { RepoIndex } from '../../generators/validate/kustomize-refs.ts';
import { simulateRepository } from '../../generators/simulate/index.ts';
import { matchesStep, rollingSyncStep } from '../../generators/simulate/app-checks.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const REPO = 'https://github.com/acme/platform-gitops.git';

function simulate(files: Record<string, string>) {
  const sources = Object.entries(files).map(([path, content]) => ({ path, content }));
  const { resources } = parseSources(sources);
  return simulateRepository({ resources, repo: new RepoIndex(Object.keys(files), resources), read: (p) => files[p], repoUrl: REPO }).findings;
}

const app = (name: string, spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${JSON.stringify(name)}
  namespace: argocd
  labels:
    team: payments
spec:
${spec}`;

const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: payments
  namespace: argocd
spec:
  sourceRepos: ["https://github.com/acme/*"]
  destinations:
    - name: in-cluster
      namespace: "payments-*"
`;

const spec = (over: { project?: string; repo?: string; path?: string; server?: string; ns?: string } = {}) => `  project: ${over.project ?? 'payments'}
  source:
    repoURL: ${over.repo ?? REPO}
    path: ${over.path ?? 'apps/api'}
  destination:
    server: ${over.server ?? 'https://kubernetes.default.svc'}
    namespace: ${over.ns ?? 'payments-dev'}
`;

const base = { 'argocd/projects/payments.yaml': project, 'apps/api/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n' };
const rules = (findings: ReturnType<typeof simulate>, file = 'argocd/apps/app.yaml') => findings.filter((f) => f.file === file && f.severity === 'error').map((f) => `${f.rule} ${f.path}`);

test('a valid Application passes every check', () => {
  assert.equal(rules(simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec()) })), []);
});

test('a name that is not a DNS-1123 subdomain (a Go map rendered into it) is rejected', () => {
  const f = simulate({ ...base, 'argocd/apps/app.yaml': app('payments-api-dev-map[path:map[basename:hub]]', spec()) });
  assert.equal(rules(f), ['sim/app-name /metadata/name']);
  assert.match(f.find((x) => x.rule === 'sim/app-name')!.message, /Application payments-api-dev-map\[path:map\[basename:hub\]\]: .*not a valid name.*the API server rejects it/);
});

test('label values are checked', () => {
  const f = simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec()).replace('team: payments', 'team: "a b"') });
  assert.equal(rules(f), ['sim/app-label /metadata/labels/team']);
});

test('the project must exist and permit the source and the destination (by name, glob namespace)', () => {
  assert.equal(rules(simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec({ project: 'search' })) })), ['sim/app-project-missing /spec/project']);
  assert.equal(rules(simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec({ repo: 'https://gitlab.com/acme/x.git', path: 'x' })) })), ['sim/app-source-not-permitted /spec/source/repoURL']);
  assert.equal(rules(simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec({ ns: 'kube-system' })) })), ['sim/app-destination-not-permitted /spec/destination']);
});

test('the destination must be in-cluster or a cluster the repository registers', () => {
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: prod
  namespace: argocd
  labels:
    argocd.argoproj.io/secret-type: cluster
stringData:
  name: prod-eu-1
  server: https://prod.example.com
`;
  const open = project.replace('- name: in-cluster', "- server: '*'");
  assert.equal(rules(simulate({ ...base, 'argocd/projects/payments.yaml': open, 'argocd/apps/app.yaml': app('api-prod', spec({ server: 'https://prod.example.com' })) })), ['sim/app-destination-unknown /spec/destination/server']);
  assert.equal(rules(simulate({ ...base, 'argocd/projects/payments.yaml': open, 'argocd/clusters/prod.yaml': secret, 'argocd/apps/app.yaml': app('api-prod', spec({ server: 'https://prod.example.com' })) })), []);
});

test('a source path in this repository must exist and build', () => {
  assert.equal(rules(simulate({ ...base, 'argocd/apps/app.yaml': app('api-dev', spec({ path: 'apps/gone' })) })), ['sim/app-source-path /spec/source/path']);
  const k = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n  - missing.yaml\n';
  assert.equal(rules(simulate({ ...base, 'apps/api/kustomization.yaml': k, 'argocd/apps/app.yaml': app('api-dev', spec()) })), ['sim/app-source-build /spec/source/path']);
});

test('RollingSync step selection as upstream (In, NotIn, missing labels, no expressions)', () => {
  assert.ok(matchesStep({ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, { env: 'dev' }));
  assert.not.ok(matchesStep({ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, {}));
  assert.ok(matchesStep({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, {}));
  assert.not.ok(matchesStep({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, { env: 'dev' }));
  assert.ok(matchesStep({}, { env: 'x' }));
  assert.not.ok(matchesStep({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { env: 'x' }));
  const appSet = { spec: { strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }] } } } };
  assert.is(rollingSyncStep(appSet, { env: 'prod' }), 2);
  assert.is(rollingSyncStep(appSet, { env: 'qa' }), -1);
});

test('Helm value files from a ref source of this repository must exist; the ref source deploys nothing', () => {
  const chartApp = (valueFile: string, extra = '') => app('api-dev', `  project: default
  sources:
    - repoURL: https://charts.example.com
      chart: api
      targetRevision: 1.2.3
      helm:${extra}
        valueFiles:
          - ${valueFile}
    - repoURL: ${REPO}
      targetRevision: main
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: payments-dev
`);
  const files = { ...base, 'apps/api/values.yaml': 'replicas: 2\n' };
  const found = (f: ReturnType<typeof simulate>) => f.filter((x) => x.file === 'argocd/apps/app.yaml' && x.severity !== 'info').map((x) => `${x.rule} ${x.path}`);
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('$values/apps/api/values.yaml') })), []);
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('$values/apps/api/prod.yaml') })), ['sim/app-helm-value-file /spec/sources/0/helm/valueFiles/0']);
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('$other/x.yaml') })), ['sim/app-helm-value-file /spec/sources/0/helm/valueFiles/0']);
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('"$values/apps/**/*.yaml"') })), [], 'a glob that matches');
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('"$values/apps/*/prod-*.yaml"') })), ['sim/app-helm-value-file /spec/sources/0/helm/valueFiles/0'], 'a glob that matches nothing');
  assert.equal(found(simulate({ ...files, 'argocd/apps/app.yaml': chartApp('$values/apps/api/prod.yaml', '\n        ignoreMissingValueFiles: true') })), []);
  const info = simulate({ ...files, 'argocd/apps/app.yaml': chartApp('$values/apps/api/values.yaml') }).filter((x) => x.rule === 'sim/source-not-modelled');
  assert.equal(info.map((x) => x.path), ['/spec/sources/0'], 'the unknown chart is not modelled; the ref source is not "another repository"');
});

test('RollingSync step selection: upstream TestBuildAppDependencyList (progressive_sync_test.go)', () => {
  const { cases } = JSON.parse(readFileSync(path.join(ROOT, 'test/simulate/fixtures/upstream-rollingsync-cases.json'), 'utf8'));
  assert.is(cases.length, 14);
  for (const c of cases) {
    const appSet = c.strategy ? { spec: { strategy: { type: c.strategy.type, rollingSync: { steps: c.strategy.steps.map((m: any) => ({ matchExpressions: m })) } } } } : { spec: {} };
    const steps = appSet.spec.strategy?.type === 'RollingSync' ? appSet.spec.strategy.rollingSync.steps : [];
    const list = steps.map((step: any) => c.apps.filter((a: any) => matchesStep(step, a.labels)).map((a: any) => a.name));
    const stepMap = Object.fromEntries(c.apps.map((a: any) => [a.name, rollingSyncStep(appSet, a.labels) - 1]).filter(([, i]: any) => i >= 0));
    assert.equal(list, c.expectedList, c.name);
    assert.equal(stepMap, c.expectedStepMap, c.name);
  }
});

test('a declared prerequisite provides a kind nothing in the repository installs', () => {
  const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: api\n';
  const files = { ...base, 'apps/api/vs.yaml': vs, 'argocd/apps/app.yaml': app('api-dev', spec()) };
  assert.ok(simulate(files).some((f) => f.rule === 'sim/kind-not-installed' && f.file === 'apps/api/vs.yaml'));
  const declared = 'apiVersion: gitops-scaffold.dev/v1alpha1\nkind: ClusterPrerequisites\nprerequisites:\n  - id: istio\n    provides:\n      crds:\n        - group: networking.istio.io\n          kinds: [VirtualService]\n';
  assert.not.ok(simulate({ ...files, '.gitops-scaffold/prerequisites.yaml': declared }).some((f) => f.rule === 'sim/kind-not-installed'));
  const elsewhere = { ...files, 'argocd/apps/istio.yaml': app('istio', spec({ repo: 'https://istio-release.storage.googleapis.com/charts', path: '.', project: 'default' })).replace('    path: .', '    chart: base\n    targetRevision: 1.24.0') };
  const guarded = simulate(elsewhere).find((f) => f.rule === 'sim/kind-not-installed');
  assert.is(guarded?.severity, 'warning', 'a chart the simulation cannot read may install it');
  assert.match(guarded!.message, /unless base@1\.24\.0, which the simulation cannot read, does/);
  const broken = simulate({ ...files, '.gitops-scaffold/prerequisites.yaml': 'kind: Other\n' });
  assert.ok(broken.some((f) => f.rule === 'sim/prerequisites-format' && f.severity === 'error'));
});

test.run();
