// The tenant ApplicationSet defect of issue 9, on the files of examples/enterprise as they were
// at commit 89700f6 (fixtures/issue9/repo): the second git generator of the matrix sets
// pathParamPrefix: cluster while clusters/*/targets/<env>.json also holds "cluster", so in
// goTemplate mode params["cluster"] becomes {path: ...} and every name renders a Go map.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandApplicationSet } from '../../../generators/simulate/appset/index.ts';
import { FIXTURES, baseContext, fixtureRepo, readYAML } from './helpers.ts';

const dir = path.join(FIXTURES, 'issue9', 'repo');
const repo = fixtureRepo(dir);
const tenant = readYAML(path.join(dir, 'argocd/apps/tenant-payments.yaml'));
const ctx = baseContext(repo, { repoUrl: 'https://github.com/acme/platform-gitops.git' });

const clusterMap = (cluster: string, file: string) =>
  `map[path:map[basename:targets basenameNormalized:targets filename:${file} filenameNormalized:${file} path:clusters/${cluster}/targets segments:[clusters ${cluster} targets]]]`;

test('every tenant Application name renders the Go map of the cluster path params', () => {
  const { applications, problems } = expandApplicationSet(tenant, ctx);
  assert.equal(problems, []);
  assert.equal(
    applications.map((a) => a.name),
    [
      `payments-api-dev-${clusterMap('hub', 'dev.json')}`,
      `payments-api-prod-${clusterMap('prod-eu-1', 'prod.json')}`,
      `payments-api-prod-${clusterMap('prod-us-1', 'prod.json')}`,
      `payments-api-staging-${clusterMap('staging-eu-1', 'staging.json')}`,
    ],
  );
});

test('the file key "cluster" is replaced by the prefix map; the other file keys survive the matrix', () => {
  const { applications } = expandApplicationSet(tenant, ctx);
  const dev = applications[0];
  const params = dev.params as Record<string, any>;
  assert.equal(Object.keys(params.cluster), ['path']);
  assert.is(params.server, 'https://kubernetes.default.svc');
  assert.is(params.region, 'eu-west-1');
  // The first generator's path wins the matrix merge: the overlay directory, not the cluster's.
  assert.is(params.path.path, 'apps/payments/payments-api/overlays/dev');
  const spec = dev.manifest.spec as Record<string, any>;
  assert.is(spec.source.path, 'apps/payments/payments-api/overlays/dev');
  assert.equal(spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' });
  assert.equal((dev.manifest.metadata as any).labels, { env: 'dev', tenant: 'payments', service: 'payments-api' });
  assert.equal((dev.manifest.metadata as any).finalizers, ['resources-finalizer.argocd.argoproj.io']);
  assert.is((dev.manifest.metadata as any).namespace, 'argocd');
});

test('a tenant limited by clusters: gets no Application at all (its selector on cluster matches nothing)', () => {
  // As templates/apps/tenant-appset.yaml.hbs renders `clusters:` at 89700f6: a selector on the
  // second git generator with key cluster In [...]. The flattened parameters have cluster.path.*,
  // never cluster.
  const limited = structuredClone(tenant) as any;
  limited.spec.generators[0].matrix.generators[1].selector = {
    matchExpressions: [{ key: 'cluster', operator: 'In', values: ['hub', 'prod-eu-1'] }],
  };
  const { applications, problems } = expandApplicationSet(limited, ctx);
  assert.equal(problems, []);
  assert.equal(applications, []);
});

test('the file key would survive without the prefix collision (sanity check of the model)', () => {
  const renamed = structuredClone(tenant) as any;
  renamed.spec.generators[0].matrix.generators[1].git.pathParamPrefix = 'target';
  const { applications } = expandApplicationSet(renamed, ctx);
  assert.equal(applications.map((a) => a.name).sort(), [
    'payments-api-dev-hub',
    'payments-api-prod-prod-eu-1',
    'payments-api-prod-prod-us-1',
    'payments-api-staging-staging-eu-1',
  ]);
});

test('RollingSync with progressive syncs on: automated sync is switched off on the written Applications', () => {
  const auto = structuredClone(tenant) as any;
  auto.spec.template.spec.syncPolicy.automated = { prune: true };
  const on = expandApplicationSet(auto, { ...ctx, progressiveSyncs: true });
  assert.equal((on.applications[0].manifest.spec as any).syncPolicy.automated, { prune: true, enabled: false });
  const off = expandApplicationSet(auto, ctx);
  assert.equal((off.applications[0].manifest.spec as any).syncPolicy.automated, { prune: true });
});

test('git generators read the template project first: a missing AppProject fails the ApplicationSet', () => {
  const { applications, problems } = expandApplicationSet(tenant, { ...ctx, projects: ['default'] });
  assert.equal(applications, []);
  assert.is(problems.length, 1);
  assert.is(problems[0].path, '/spec/generators/0/matrix/generators/0/git');
  assert.is(problems[0].reason, 'ApplicationGenerationFromParamsError');
  assert.ok(
    problems[0].message.includes(
      'error failed to get params for first generator in matrix generator: child generator returned an error on parameter generation: error getting project payments: appprojects.argoproj.io "payments" not found',
    ),
    problems[0].message,
  );
});

test.run();
