// lintCommand end to end on a temporary repo: exit codes, config discovery, output formats.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintCommand } from '../../generators/lint/command.ts';

const CLEAN_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ledger-staging
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: team-a
  source: {repoURL: https://github.com/acme/gitops.git, targetRevision: v1.4.2, path: apps/ledger}
  destination: {server: https://staging.example.com:6443, namespace: team-a-ledger}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
`;
const DEFAULT_PROJECT_APP = CLEAN_APP.replace('project: team-a', 'project: default');
const UNPRUNED_APP = CLEAN_APP.replace('{prune: true, selfHeal: true}', '{selfHeal: true}');

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lint-cmd-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), content);
  }
  return dir;
}

const dirs: string[] = [];
const make = (files: Record<string, string>) => {
  const d = repo(files);
  dirs.push(d);
  return d;
};
test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('a clean repo exits 0', async () => {
  const r = await lintCommand({ paths: [make({ 'apps/ledger.yaml': CLEAN_APP })], output: 'text' });
  assert.is(r.exitCode, 0, r.stdout);
  assert.match(r.stdout, /1 resource in 1 file/);
});

test('an error-level finding exits 1; warnings alone exit 0', async () => {
  const bad = await lintCommand({ paths: [make({ 'apps/ledger.yaml': DEFAULT_PROJECT_APP })], output: 'text' });
  assert.is(bad.exitCode, 1);
  assert.match(bad.stdout, /ACD006/);
  assert.match(bad.stdout, /apps\/ledger\.yaml/);
  const warn = await lintCommand({ paths: [make({ 'apps/ledger.yaml': UNPRUNED_APP })], output: 'text' });
  assert.is(warn.exitCode, 0);
  assert.match(warn.stdout, /ACD022/);
});

test('findings carry the line of the field', async () => {
  const r = await lintCommand({ paths: [make({ 'apps/ledger.yaml': DEFAULT_PROJECT_APP })], output: 'json' });
  const f = JSON.parse(r.stdout).findings.find((x: { rule: string }) => x.rule === 'ACD006');
  assert.is(f.line, 8);
  assert.is(f.path, '/spec/project');
  assert.is(f.file, 'apps/ledger.yaml');
});

test('YAML syntax errors are reported, not skipped', async () => {
  const r = await lintCommand({ paths: [make({ 'broken.yaml': 'kind: [unclosed\n' })], output: 'text' });
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /syntax/i);
});

test('the repo config is read from .gitops-scaffold/lint.yaml under the first path', async () => {
  const dir = make({
    'apps/ledger.yaml': DEFAULT_PROJECT_APP,
    '.gitops-scaffold/lint.yaml': 'rules:\n  ACD006: warning\n',
  });
  const r = await lintCommand({ paths: [dir], output: 'json' });
  assert.is(r.exitCode, 0, r.stdout);
  assert.is(JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'ACD006').severity, 'warning');
});

test('an explicit config path wins', async () => {
  const dir = make({ 'apps/ledger.yaml': DEFAULT_PROJECT_APP, 'strict.yaml': 'rules:\n  ACD006: off\n' });
  const r = await lintCommand({ paths: [path.join(dir, 'apps')], output: 'json', config: path.join(dir, 'strict.yaml') });
  assert.is(r.exitCode, 0, r.stdout);
});

test('usage errors exit 2: a missing path, a bad config, a missing config file, an unknown format', async () => {
  const missing = await lintCommand({ paths: ['/nonexistent/repo'], output: 'text' });
  assert.is(missing.exitCode, 2);
  assert.match(missing.stderr, /no such file or folder/);
  const badConfig = await lintCommand({ paths: [make({ 'a.yaml': CLEAN_APP, '.gitops-scaffold/lint.yaml': 'rules:\n  NOPE1: off\n' })], output: 'text' });
  assert.is(badConfig.exitCode, 2);
  assert.match(badConfig.stderr, /rules\.NOPE1: unknown rule/);
  const noConfig = await lintCommand({ paths: [make({ 'a.yaml': CLEAN_APP })], output: 'text', config: '/nonexistent/lint.yaml' });
  assert.is(noConfig.exitCode, 2);
  const format = await lintCommand({ paths: [make({ 'a.yaml': CLEAN_APP })], output: 'xml' as 'text' });
  assert.is(format.exitCode, 2);
});

test('node_modules, hidden folders and Helm chart templates are skipped; YAML that is no manifest is not a finding', async () => {
  const r = await lintCommand({
    paths: [
      make({
        'apps/ledger.yaml': CLEAN_APP,
        'node_modules/pkg/app.yaml': DEFAULT_PROJECT_APP,
        '.git/x.yaml': DEFAULT_PROJECT_APP,
        '.github/workflows/ci.yaml': 'on: [push]\njobs: {}\n',
        'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
        'charts/api/values.yaml': 'replicas: 2\nimage: {tag: latest}\n',
        'charts/api/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n',
      }),
    ],
    output: 'json',
  });
  assert.is(r.exitCode, 0, r.stdout);
  const report = JSON.parse(r.stdout);
  assert.is(report.summary.files, 1, 'ledger.yaml (a Helm chart folder is no manifest, as in validate)');
  assert.equal(report.findings, []);
});

test('a symbolic link back up the tree is followed once, not forever; a dangling one is skipped', async () => {
  const { symlinkSync } = await import('node:fs');
  const dir = make({ 'apps/ledger.yaml': CLEAN_APP });
  symlinkSync('..', path.join(dir, 'apps', 'up'));
  symlinkSync('missing.yaml', path.join(dir, 'apps', 'dangling.yaml'));
  const r = JSON.parse((await lintCommand({ paths: [dir], output: 'json' })).stdout);
  assert.is(r.summary.files, 1);
});

test('lint and validate read the same files and count the same resources', async () => {
  const { validateCommand } = await import('../../generators/validate/command.ts');
  const mixed = make({
    'apps/ledger.yaml': CLEAN_APP,
    'apps/list.yaml': `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n`,
    'apps/cm.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}',
    'apps/empty.yaml': '# nothing\n---\n',
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: g\n    files:\n      - data.yaml\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    'base/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "1"}\n',
    'base/data.yaml': 'not: [a manifest\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
    '.github/workflows/ci.yaml': 'on: [push]\n',
    'node_modules/x/app.yaml': CLEAN_APP,
  });
  for (const dir of [mixed, path.resolve('examples/enterprise'), path.resolve('examples/minimal')]) {
    const lint = JSON.parse((await lintCommand({ paths: [dir], output: 'json' })).stdout).summary;
    const validate = JSON.parse((await validateCommand({ paths: [dir], output: 'json', kubeconform: 'never', kustomize: false })).stdout).summary;
    assert.is(lint.files, validate.files, dir);
    assert.is(lint.resources, validate.resources, dir);
    if (dir === mixed) assert.equal([lint.files, lint.resources], [7, 7], 'ledger, list (2), json, empty (0), kustomization, cm, patch; data.yaml, chart, hidden, node_modules left out');
  }
});

test('sarif and junit outputs are well-formed', async () => {
  const dir = make({ 'apps/ledger.yaml': DEFAULT_PROJECT_APP });
  const sarif = JSON.parse((await lintCommand({ paths: [dir], output: 'sarif' })).stdout);
  assert.is(sarif.version, '2.1.0');
  const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'ACD006');
  assert.is(result.locations[0].physicalLocation.artifactLocation.uri, 'apps/ledger.yaml');
  assert.match(sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'ACD006').shortDescription.text, /app-default-project/);
  const junit = (await lintCommand({ paths: [dir], output: 'junit' })).stdout;
  assert.match(junit, /^<\?xml version="1.0"/);
  assert.match(junit, /<testsuites [^>]*failures="1"/);
});

test.run();
