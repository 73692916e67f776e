// Every Application's checks and placement kept per ApplicationSet unit across runs
// (app-units.ts: the unit's summaries under its expansion, with the facts they read and the CRD
// scopes; references.ts: the reference checks as what all lists provide against what each
// needs). Over random sequences of edits of the enterprise example aimed at what the units read
// (AppProjects, cluster registrations, inventories, ServiceAccounts, stores, CRDs, prerequisites,
// Helm value files, argocd-cm's secrets, what the bootstrap applies again), the findings with the
// cache carried from edit to edit (through JSON, as it is persisted) are exactly the findings of
// a run without it.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { APP_UNIT_CACHE_PREFIX } from '../../generators/simulate/app-units.ts';
import { readTree, ROOT } from '../helpers.ts';
import { assertCarriedEqualsPlain, editFile as edit, type Files, simulateFiles } from './helpers.ts';

const example = path.join(ROOT, 'examples', 'enterprise');
const original = readTree(example);

const target = 'apps/payments/payments-api/overlays/dev/target.json';
const base = 'apps/payments/payments-api/base';
const sa = `${base}/serviceaccount.yaml`;
const project = 'argocd/projects/payments.yaml';
const prerequisites = '.gitops-scaffold/prerequisites.yaml';
const EDITS: Record<string, (f: Files) => void> = {
  'add an overlay target': (f) => f.set('apps/payments/ledger/overlays/dev/target.json', original.get(target)!.replace(/payments-api/g, 'ledger')),
  'remove a target': (f) => f.delete(target),
  'a target in another namespace': (f) => edit(f, target, '"namespace": "payments-dev"', '"namespace": "payments-elsewhere"'),
  'a project destination dropped': (f) => edit(f, project, /    - server: https:\/\/kubernetes.default.svc\n      namespace: payments-dev\n/, ''),
  'a project source dropped': (f) => edit(f, project, '    - https://github.com/acme/platform-gitops.git\n', ''),
  'a project removed': (f) => f.delete(project),
  'a project renamed': (f) => edit(f, project, 'name: "payments"', 'name: "payments-x"'),
  'a cluster registration removed': (f) => f.delete('argocd/clusters/prod-eu-1.yaml'),
  'a cluster registration renamed': (f) => edit(f, 'argocd/clusters/prod-eu-1.yaml', 'name: prod-eu-1\n', 'name: prod-eu-one\n'),
  'a ServiceAccount renamed': (f) => edit(f, sa, 'name: "payments-api"', 'name: "payments-api-x"'),
  'a ServiceAccount file removed': (f) => f.delete(sa),
  'a base resource dropped': (f) => edit(f, `${base}/kustomization.yaml`, '  - external-secrets.yaml\n', ''),
  'a base resource missing': (f) => f.delete(`${base}/pdb.yaml`),
  'a store ServiceAccount renamed': (f) => edit(f, 'platform/secret-stores/hub/stores.yaml', /name: eso-payments/g, 'name: eso-payments-x'),
  'a store removed': (f) => edit(f, 'platform/secret-stores/hub/stores.yaml', /name: tenant-payments/g, 'name: tenant-payments-x'),
  'the Rollouts add-on removed': (f) => f.delete('argocd/apps/addon-argo-rollouts.yaml'),
  'Rollout defined cluster-scoped': (f) => {
    f.set('platform/addons/argo-rollouts/rollout-crd.yaml', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: rollouts.argoproj.io\nspec:\n  group: argoproj.io\n  scope: Cluster\n  names:\n    kind: Rollout\n    plural: rollouts\n');
    edit(f, 'platform/addons/argo-rollouts/kustomization.yaml', /(resources:\n.*\n)/, '$1  - rollout-crd.yaml\n');
  },
  'a prerequisite CRD dropped': (f) => edit(f, prerequisites, '            - VirtualService\n', ''),
  'a prerequisite capability dropped': (f) => edit(f, prerequisites, '        - istio-cni\n', ''),
  'an Istio namespace not restricted': (f) => edit(f, 'clusters/hub/namespaces/payments-dev.yaml', 'pod-security.kubernetes.io/enforce: restricted', 'pod-security.kubernetes.io/enforce: baseline'),
  'an argocd-cm secret renamed': (f) => edit(f, 'argocd/install/argocd-cm.yaml', '$argocd-oidc:clientSecret', '$argocd-oidc-x:clientSecret'),
  'a tenant ApplicationSet removed': (f) => f.delete('argocd/apps/tenant-search.yaml'),
  'a tenant on in-cluster by name': (f) => edit(f, 'argocd/apps/tenant-payments.yaml', /server: '\{\{ \.server \}\}'\n/, 'name: in-cluster\n'),
  'a change of a cluster target': (f) => edit(f, 'clusters/hub/targets/dev.json', /"region": "[^"]*"/, '"region": "elsewhere"'),
  'an unparseable target': (f) => f.set(target, '{"tenant": '),
  'the bootstrap applies a tenant base': (f) => edit(f, 'README.md', /^(kubectl apply --server-side --force-conflicts -k bootstrap\/root)$/m, '$1\nkubectl apply --server-side -k apps/payments/payments-api/overlays/dev'),
  'a Helm value file named': (f) => edit(f, 'argocd/apps/tenant-payments.yaml', /(      source:\n)/, '$1        helm:\n          valueFiles:\n            - values-missing.yaml\n'),
  'the named Helm value file added': (f) => f.set('apps/payments/payments-api/overlays/dev/values-missing.yaml', 'replicas: 2\n'),
};

test('findings with the Application units carried across random edits = findings without them', () => {
  assertCarriedEqualsPlain(original, EDITS, APP_UNIT_CACHE_PREFIX, 'Application units', { numRuns: 40, seed: 12 });
});

test('every edit changes the findings or keeps them, the cache never decides', () => {
  // Each edit alone, after a warm run of the original: the cached run answers as the plain one.
  for (const [name, apply] of Object.entries(EDITS)) {
    const files = new Map(original);
    const cache = new Map<string, unknown>();
    simulateFiles(files, cache);
    apply(files);
    assert.ok([...files].some(([k, v]) => original.get(k) !== v) || files.size !== original.size, `${name}: the edit applies`);
    const carried = new Map(JSON.parse(JSON.stringify([...cache])) as [string, unknown][]);
    assert.is(simulateFiles(files, carried), simulateFiles(files), name);
  }
});

test('edits in sequence that only a unit\'s facts tell apart', () => {
  const sequences = [
    ['a Helm value file named', 'the named Helm value file added'],
    ['the named Helm value file added', 'a Helm value file named', 'remove a target'],
    // The bootstrap applies what a kept unit places on the local cluster: checked once, as the Application's.
    ['the bootstrap applies a tenant base', 'again'],
    ['a ServiceAccount renamed', 'the bootstrap applies a tenant base', 'again'],
  ];
  for (const steps of sequences) {
    const files = new Map(original);
    let persisted: [string, unknown][] = [];
    for (const step of steps) {
      if (step !== 'again') EDITS[step](files);
      const cache = new Map(JSON.parse(JSON.stringify(persisted)) as [string, unknown][]);
      assert.is(simulateFiles(files, cache), simulateFiles(files), `after ${step}`);
      persisted = [...cache];
    }
  }
});

test('the edits that reach a unit only through its placement change the findings', () => {
  for (const name of ['Rollout defined cluster-scoped', 'the bootstrap applies a tenant base', 'a tenant on in-cluster by name', 'a Helm value file named']) {
    const files = new Map(original);
    EDITS[name](files);
    assert.is.not(simulateFiles(files), simulateFiles(original), name);
  }
});

test('an unchanged repository takes every unit; a new service re-checks its tenant only', () => {
  const files = new Map(original);
  const cache = new Map<string, unknown>();
  const first = simulateFiles(files, cache);
  const before = new Map([...cache].filter(([k]) => k.startsWith(APP_UNIT_CACHE_PREFIX)));
  assert.ok(before.size >= 3);
  assert.is(simulateFiles(files, cache), first);
  for (const [k, v] of before) assert.is(cache.get(k), v, k);
  EDITS['add an overlay target'](files);
  simulateFiles(files, cache);
  const changed = [...cache].filter(([k, v]) => k.startsWith(APP_UNIT_CACHE_PREFIX) && v !== before.get(k));
  assert.is(changed.length, 1);
  assert.ok(JSON.stringify(changed[0][1]).includes('ledger'));
});

test('a damaged unit costs a check, never a wrong answer', () => {
  const files = new Map(original);
  EDITS['a ServiceAccount renamed'](files);
  const cache = new Map<string, unknown>();
  const plain = simulateFiles(files);
  simulateFiles(files, cache);
  for (const k of [...cache.keys()].filter((x) => x.startsWith(APP_UNIT_CACHE_PREFIX))) {
    const entry = cache.get(k) as { facts: [string, string, unknown][] };
    cache.set(k, { ...entry, apps: [] });
  }
  assert.is(simulateFiles(files, cache), plain);
  for (const k of [...cache.keys()].filter((x) => x.startsWith(APP_UNIT_CACHE_PREFIX))) cache.set(k, { facts: 'x' });
  assert.is(simulateFiles(files, cache), plain);
});

test.run();
