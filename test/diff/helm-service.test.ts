// Helm charts as services on a repository made from examples/enterprise: `add service --chart`
// writes a multi-source Application per environment and cluster (the chart pinned, the values
// from this repository through `ref: values`), the tenant's project allows the chart repository,
// `validate` renders them with helm template (a stand-in helm on PATH records what it is asked)
// and says so when helm is missing, `apps` lists them, the simulation checks the value files,
// and `diff` reports exactly the Applications a chart version bump changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { main } from '../../generators/cli.ts';
import { runDiff } from '../../generators/diff/run.ts';
import { validateCommand } from '../../generators/validate/command.ts';
import { commitAll, exampleRepo, type DiffRepo } from './fixture.ts';

let repo: DiffRepo;
let bin: string;
let log: string;
const CHART = ['add', 'service', 'cache', '--tenant', 'payments', '--chart', 'oci://registry.example.com/charts/redis', '--chart-version', '20.1.3', '--set', 'values.architecture=standalone', '--set', 'values.auth.enabled=false', '--set', 'overrides.prod.values.replica.replicaCount=3'];

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { code, stdout, stderr };
}

/** A helm that records its arguments and prints one ConfigMap named after the release (or an invalid Deployment). */
function standInHelm(dir: string) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'helm');
  writeFileSync(
    file,
    `#!/bin/sh
if [ "$1" = version ]; then echo "v4.2.1+gstandin"; exit 0; fi
{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\036'; } >> "$HELM_LOG"
name=""; prev=""; for a in "$@"; do [ "$prev" = "--name-template" ] && name="$a"; prev="$a"; done
if [ -n "$HELM_BAD" ]; then printf 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: %s\\nspec:\\n  replicass: 1\\n' "$name"; exit 0; fi
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s\\ndata:\\n  version: "%s"\\n' "$name" "$*"
`,
  );
  chmodSync(file, 0o755);
}
const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\x1e').filter(Boolean).map((c) => c.split('\x1f').slice(0, -1)) : []);
const withHelm = (extra: Record<string, string> = {}) => ({ ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, HELM_LOG: log, ...extra });

test.before(async () => {
  repo = await exampleRepo();
  bin = path.join(repo.dir, 'bin');
  log = path.join(repo.dir, 'helm.log');
  standInHelm(bin);
  const r = await cli([...CHART, '--repo', repo.root]);
  assert.is(r.code, 0, r.stderr);
});

test('add service --chart: one multi-source ApplicationSet, the chart pinned, values from this repository', () => {
  const appSet = YAML.parse(readFileSync(path.join(repo.root, 'argocd/apps/chart-cache.yaml'), 'utf8'));
  const spec = appSet.spec.template.spec;
  assert.is(spec.project, 'payments');
  assert.equal(spec.sources, [
    // OCI without the scheme: with oci:// Argo CD 3.x would take an OCI artifact, not a chart.
    { repoURL: 'registry.example.com/charts', chart: 'redis', targetRevision: '{{ .chartVersion }}', helm: { releaseName: 'cache', valueFiles: ['$values/apps/payments/cache/values.yaml', '$values/apps/payments/cache/envs/{{ .env }}/values.yaml'] } },
    // This repository at the branch tenant workloads track (repo.tenantRevision), as the tenant ApplicationSets do.
    { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', ref: 'values' },
  ]);
  assert.equal(appSet.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values[0]), ['dev', 'staging', 'prod']);
  assert.equal(JSON.parse(readFileSync(path.join(repo.root, 'apps/payments/cache/envs/prod/target.json'), 'utf8')), { tenant: 'payments', service: 'cache', env: 'prod', namespace: 'payments-prod', chartVersion: '20.1.3' });
  // --set values.* reads values as helm --set does: booleans and numbers keep their type.
  assert.equal(YAML.parse(readFileSync(path.join(repo.root, 'apps/payments/cache/values.yaml'), 'utf8')), { architecture: 'standalone', auth: { enabled: false } });
  assert.equal(YAML.parse(readFileSync(path.join(repo.root, 'apps/payments/cache/envs/prod/values.yaml'), 'utf8')), { replica: { replicaCount: 3 } });
  assert.equal(YAML.parse(readFileSync(path.join(repo.root, 'apps/payments/cache/envs/dev/values.yaml'), 'utf8')), {});
  const project = YAML.parse(readFileSync(path.join(repo.root, 'argocd/projects/payments.yaml'), 'utf8'));
  assert.ok(project.spec.sourceRepos.includes('registry.example.com/charts'));
  assert.not.ok(project.spec.sourceRepos.some((r: string) => r.includes('*')));
  // No CI pipeline, Sensor or admission policy for a chart: nothing is built.
  assert.not.match(readFileSync(path.join(repo.root, 'platform/ci/events.yaml'), 'utf8'), /\bcache\b/);
});

test('apps lists the chart Applications; the simulation finds nothing wrong with them, and a missing value file', async () => {
  const apps = await cli(['apps', repo.root, '--json']);
  const group = JSON.parse(apps.stdout).groups.find((g: any) => g.appSet === 'chart-cache');
  assert.equal(group.applications.map((a: any) => a.name).sort(), ['cache-dev-hub', 'cache-prod-prod-eu-1', 'cache-prod-prod-us-1', 'cache-staging-staging-eu-1']);
  assert.equal(group.applications[0].sources, ['registry.example.com/charts chart redis@20.1.3', 'https://github.com/acme/platform-gitops.git@main']);
  const own = JSON.parse(apps.stdout).findings.filter((f: any) => f.file === 'argocd/apps/chart-cache.yaml' && f.severity !== 'info');
  assert.equal(own, []);
  const file = path.join(repo.root, 'apps/payments/cache/envs/dev/values.yaml');
  const text = readFileSync(file, 'utf8');
  rmSync(file);
  try {
    const r = await validateCommand({ paths: [repo.root], output: 'json', kubeconform: 'never', kustomize: false, simulate: true, env: { PATH: '' } });
    const missing = JSON.parse(r.stdout).findings.filter((f: any) => f.rule === 'sim/app-helm-value-file');
    assert.equal(missing.map((f: any) => f.message.split(':')[0]), ['Application cache-dev-hub (generated by ApplicationSet chart-cache)']);
  } finally {
    writeFileSync(file, text);
  }
});

test('validate renders chart sources with helm template as Argo CD does, and says so without helm', async () => {
  rmSync(log, { force: true });
  const r = await validateCommand({ paths: [repo.root], output: 'json', kubeconform: 'never', kustomize: false, env: withHelm() });
  const report = JSON.parse(r.stdout);
  const helm = report.validators.find((v: any) => v.name === 'helm');
  assert.is(helm.ran, true);
  assert.match(helm.note, /^helm v4\.2\.1: \d+ chart renders for \d+ Applications$/);
  const cache = calls().filter((c) => c[1] === 'oci://registry.example.com/charts/redis');
  // One render per environment: the clusters of one environment share it.
  assert.is(cache.length, 3);
  const prod = cache.find((c) => c.includes('payments-prod'))!;
  assert.equal(prod, ['template', 'oci://registry.example.com/charts/redis', '--name-template', 'cache', '--namespace', 'payments-prod', '--values', path.join(repo.root, 'apps/payments/cache/values.yaml'), '--values', path.join(repo.root, 'apps/payments/cache/envs/prod/values.yaml'), '--include-crds', '--version', '20.1.3']);
  assert.equal(report.findings.filter((f: any) => f.source === 'helm'), []);
  const bad = JSON.parse((await validateCommand({ paths: [repo.root], output: 'json', kubeconform: 'never', kustomize: false, env: withHelm({ HELM_BAD: '1' }) })).stdout);
  assert.ok(bad.findings.some((f: any) => f.source === 'helm' && /replicass/.test(f.message) && /in the output of helm template/.test(f.message)));
  const none = JSON.parse((await validateCommand({ paths: [repo.root], output: 'json', kubeconform: 'never', kustomize: false, env: { PATH: '' } })).stdout);
  assert.match(none.validators.find((v: any) => v.name === 'helm').note, /^helm is not installed: \d+ chart sources not rendered$/);
});

test('diff: a chart version bump in prod changes exactly the prod Applications, rendered with helm', async () => {
  await commitAll(repo.root, 'chart service');
  const up = await cli(['add', 'service', 'cache', '--update', '--set', 'overrides.prod.chartVersion=20.2.0', '--repo', repo.root, '--no-check']);
  assert.is(up.code, 0, up.stderr);
  const saved = process.env.PATH;
  process.env.PATH = withHelm().PATH;
  process.env.HELM_LOG = log;
  try {
    const r = await runDiff({ dir: repo.root, output: 'json', kustomize: false });
    assert.equal(r.report.applications.map((a) => `${a.status} ${a.name}`).sort(), ['changed cache-prod-prod-eu-1', 'changed cache-prod-prod-us-1']);
    const app = r.report.applications[0];
    assert.match(app.manifestDiff!, /^-\s+targetRevision: 20\.1\.3$/m);
    assert.match(app.manifestDiff!, /^\+\s+targetRevision: 20\.2\.0$/m);
    assert.equal(app.rendering.head?.map((s) => `${s.method} ${s.tool}`), ['helm helm v4.2.1']);
    assert.equal(app.objects.map((o) => `${o.status} ${o.id}`), ['changed ConfigMap cache']);
  } finally {
    process.env.PATH = saved;
  }
  const offline = await runDiff({ dir: repo.root, output: 'text', kustomize: false, helm: false });
  assert.equal(offline.report.applications.map((a) => a.name).sort(), ['cache-prod-prod-eu-1', 'cache-prod-prod-us-1']);
  assert.match(offline.stdout, /chart redis@20\.2\.0 from registry\.example\.com\/charts: not-rendered \(helm turned off \(--no-helm\)\)/);
});

test('chart services: exact versions, an https or oci repository, no image fields (exit 2, nothing written)', async () => {
  const cases: [string[], RegExp][] = [
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'oci://registry.example.com/charts/redis', '--chart-version', '^20.1.0'], /chart\.version: "\^20\.1\.0" is not one exact chart version \(a range/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'http://charts.example.com/redis', '--chart-version', '1.0.0'], /plain http:\/\/ exposes the chart/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'oci://registry.example.com/redis', '--chart-version', '1.0.0'], /names a registry but no repository path/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'redis', '--chart-version', '1.0.0'], /--chart "redis" is not REPO\/CHART/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'oci://registry.example.com/charts/redis'], /chart\.version: required/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--chart', 'oci://registry.example.com/charts/redis', '--chart-version', '1.0.0', '--port', '80'], /a chart service is configured through its values, not port/],
    [['add', 'service', 'c2', '--tenant', 'payments', '--image', 'ghcr.io/acme/x', '--tag', '1.0.0', '--set', 'values.a=1'], /values are Helm values: only a chart service takes them/],
    [['promote', 'cache', '--to', 'staging'], /cache is a Helm chart, not an image/],
  ];
  const before = readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8');
  for (const [args, expected] of cases) {
    const r = await cli([...args, '--repo', repo.root]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, expected, args.join(' '));
    assert.not.match(r.stderr, /\n\s+at /);
  }
  assert.is(readFileSync(path.join(repo.root, 'platform.yaml'), 'utf8'), before);
});

test.run();
