// The repo config: loadLintConfig parses and rejects with every problem listed; lintResources
// honours off, severity overrides, path ignores, production matchers and admin exemptions.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LintConfigError, lintResources, loadLintConfig } from '../../generators/lint/index.ts';
import { resourcesOf } from './fixtures.ts';

const problemsOf = (text: string): string[] => {
  try {
    loadLintConfig(text);
  } catch (e) {
    assert.instance(e, LintConfigError);
    return (e as LintConfigError).problems;
  }
  throw new Error('expected a LintConfigError');
};

const deployment = (name: string, ns: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

test('an empty file is an empty config', () => {
  assert.equal(loadLintConfig(''), {});
  assert.equal(loadLintConfig('# nothing yet\n'), {});
});

test('a full config parses, with rule names resolved to ids', () => {
  const config = loadLintConfig(`
rules:
  ACD019: off
  image-tag: error
  k8s009: info
ignore:
  - rule: K8S005
    path: "vendor/**"
    reason: upstream manifests
production:
  match: ["(^|-)live($|-)"]
  labelKeys: [tier]
argocdNamespace: gitops
adminProjects: [platform]
adminRoles: ["role:admin", "role:platform"]
`);
  assert.equal(config.rules, { ACD019: 'off', K8S002: 'error', K8S009: 'info' });
  assert.equal(config.ignore, [{ rule: 'K8S005', path: 'vendor/**', reason: 'upstream manifests' }]);
  assert.equal(config.production, { match: ['(^|-)live($|-)'], labelKeys: ['tier'] });
  assert.is(config.argocdNamespace, 'gitops');
  assert.equal(config.adminProjects, ['platform']);
  assert.equal(config.adminRoles, ['role:admin', 'role:platform']);
});

test('every problem is reported at once, each with its path', () => {
  const problems = problemsOf(`
rules:
  ACD999: off
  ACD008: fatal
ignore:
  - rule: K8S005
    path: "vendor/**"
  - rule: K8S005
    reason: no path
    extra: 1
production:
  match: ["(unclosed"]
adminProjects: platform
colour: blue
`);
  const expected = [
    'colour: unknown key',
    'rules.ACD999: unknown rule',
    'rules.ACD008: "fatal" is not one of off, error, warning, info',
    'ignore[0].reason: required',
    'ignore[1].extra: unknown key',
    'ignore[1].path: required',
    'production.match[0]: invalid regular expression',
    'adminProjects: expected a list of strings',
  ];
  for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `missing "${e}" in:\n${problems.join('\n')}`);
  assert.is(problems.length, expected.length, problems.join('\n'));
});

test('YAML syntax errors and non-mappings are config errors', () => {
  assert.match(problemsOf('rules: [unclosed')[0], /^line \d+: /);
  assert.match(problemsOf('- a\n- b\n')[0], /must be a mapping/);
  assert.match(problemsOf('rules:\n  ACD008: off\n  ACD008: error\n')[0], /line 3/);
});

test('a rule turned off reports nothing; a severity override changes the level', () => {
  const res = resourcesOf(deployment('api', 'shop', 'ghcr.io/acme/api:latest'));
  assert.ok(lintResources(res).some((f) => f.rule === 'K8S002' && f.severity === 'warning'));
  assert.not.ok(lintResources(res, { rules: { K8S002: 'off' } }).some((f) => f.rule === 'K8S002'));
  assert.ok(lintResources(res, { rules: { K8S002: 'error' } }).some((f) => f.rule === 'K8S002' && f.severity === 'error'));
});

test('ignore drops a rule (or every rule with "*") in matching files only', () => {
  const res = resourcesOf({
    'vendor/upstream/deploy.yaml': deployment('vendored', 'shop', 'ghcr.io/acme/v:latest'),
    'apps/api.yaml': deployment('api', 'shop', 'ghcr.io/acme/api:latest'),
  });
  const ignored = lintResources(res, { ignore: [{ rule: 'image-tag', path: 'vendor/**', reason: 'upstream' }] });
  assert.equal(ignored.filter((f) => f.rule === 'K8S002').map((f) => f.file), ['apps/api.yaml']);
  const all = lintResources(res, { ignore: [{ rule: '*', path: 'vendor/**', reason: 'upstream' }] });
  assert.not.ok(all.some((f) => f.file?.startsWith('vendor/')));
  assert.ok(all.some((f) => f.file === 'apps/api.yaml'));
});

test('production matchers decide which Applications count as production', () => {
  const app = (name: string, ns: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: team-a
  source: {repoURL: https://github.com/acme/gitops.git, targetRevision: main, path: apps/${name}}
  destination: {server: https://kubernetes.default.svc, namespace: ${ns}}
`;
  const res = resourcesOf([app('payments', 'payments-prod'), app('catalog', 'product-catalog'), app('ledger', 'ledger-live'), app('search', 'search-preprod')].join('---\n'));
  const floating = (config = {}) => lintResources(res, config).filter((f) => f.rule === 'ACD019').map((f) => f.resource?.name);
  assert.equal(floating(), ['payments'], 'prod as a word; not product, preprod');
  assert.equal(floating({ production: { match: ['-live$'] } }), ['ledger']);
});

test('adminProjects exempts platform projects from the tenant destination rules', () => {
  const res = resourcesOf(`apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: platform, namespace: argocd}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: '*'}]
`);
  assert.ok(lintResources(res).some((f) => f.rule === 'ACD009'));
  assert.not.ok(lintResources(res, { adminProjects: ['platform'] }).some((f) => f.rule === 'ACD009'));
});

test('adminRoles exempts listed RBAC subjects from the permissive-grant rules', () => {
  const res = resourcesOf(`apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd}
data:
  policy.csv: |
    p, role:platform, applications, *, */*, allow
`);
  assert.ok(lintResources(res).some((f) => f.rule === 'ACD015'));
  assert.not.ok(lintResources(res, { adminRoles: ['role:admin', 'role:platform'] }).some((f) => f.rule === 'ACD015'));
});

test('argocdNamespace moves the namespace tenant projects must not reach', () => {
  const res = resourcesOf(`apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team-a, namespace: gitops}
spec:
  sourceRepos: [https://github.com/acme/gitops.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: gitops}]
`);
  assert.not.ok(lintResources(res).some((f) => f.rule === 'ACD011'));
  assert.ok(lintResources(res, { argocdNamespace: 'gitops' }).some((f) => f.rule === 'ACD011'));
});

test.run();
