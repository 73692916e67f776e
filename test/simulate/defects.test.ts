// Each simulation-class defect of issue 9 ("Why"), re-created from the output of 89700f6 as a
// minimal repository under fixtures/defects/, is found by `validate --simulate` with the exact
// rule, file and JSON path.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateCommand } from '../../generators/validate/command.ts';
import type { Finding } from '../../generators/check/finding.ts';
import { ROOT } from '../helpers.ts';

const FIXTURES = path.join(ROOT, 'test/simulate/fixtures/defects');

async function simulate(name: string, extra: Partial<Parameters<typeof validateCommand>[0]> = {}): Promise<Finding[]> {
  const r = await validateCommand({ paths: [path.join(FIXTURES, name)], output: 'json', kubeconform: 'never', kustomize: false, simulate: true, ...extra });
  return JSON.parse(r.stdout).findings.filter((f: Finding) => f.rule.startsWith('sim/'));
}

function expectFinding(findings: Finding[], rule: string, file: string, pointer: string | undefined) {
  const hit = findings.find((f) => f.rule === rule && f.file === file && f.path === pointer);
  assert.ok(hit, `expected ${rule} at ${file} ${pointer ?? '(no path)'}; got:\n${findings.map((f) => `${f.rule} ${f.file} ${f.path}`).join('\n')}`);
  assert.is(hit!.severity, 'error');
  return hit!;
}

test('the platform project deadlock: root and the projects app use a project only the tree creates', async () => {
  const f = await simulate('project-deadlock');
  expectFinding(f, 'sim/bootstrap-project-missing', 'bootstrap/root-app.yaml', '/spec/project');
  const child = expectFinding(f, 'sim/bootstrap-project-missing', 'argocd/apps/projects.yaml', '/spec/project');
  assert.match(child.message, /does not reconcile an Application whose project does not exist/);
});

test('the ApplicationSet CRD is too big for kubectl apply -k without --server-side', async () => {
  const f = await simulate('crd-too-large');
  const hit = expectFinding(f, 'sim/bootstrap-apply-too-large', 'README.md', undefined);
  assert.is(hit.line, 6);
  assert.match(hit.message, /applicationsets\.argoproj\.io is 343248 bytes/);
  assert.not.ok((await simulate('project-deadlock')).some((x) => x.rule === 'sim/bootstrap-apply-too-large'), '--server-side passes');
});

test("Argo CD's own Application needs External Secrets before ESO is installed", async () => {
  const f = await simulate('argocd-needs-eso');
  const hit = expectFinding(f, 'sim/bootstrap-kind-not-installed', 'argocd/install/oidc-client-secret.yaml', '');
  assert.match(hit.message, /Application argocd: ExternalSecret argocd-oidc .*Application external-secrets installs it later/);
  expectFinding(f, 'sim/bootstrap-wave-blocked', 'bootstrap/root-app.yaml', '');
});

test('a ClusterSecretStore names a ServiceAccount nothing creates', async () => {
  const f = await simulate('store-serviceaccount');
  expectFinding(f, 'sim/serviceaccount-missing', 'platform/secret-stores/hub/platform.yaml', '/spec/provider/vault/auth/kubernetes/serviceAccountRef');
});

test('istio-injection in a Pod Security restricted namespace needs Istio CNI or ambient', async () => {
  const f = await simulate('istio-restricted');
  expectFinding(f, 'sim/istio-injection-restricted', 'clusters/hub/namespaces/payments-dev.yaml', '/metadata/labels/istio-injection');
});

test('$argocd-oidc:clientSecret that nothing creates', async () => {
  const f = await simulate('oidc-secret-missing');
  expectFinding(f, 'sim/argocd-secret-missing', 'argocd/install/argocd-cm.yaml', '/data/oidc.config');
});

test('a private repository read before its credentials exist', async () => {
  const f = await simulate('private-repo');
  expectFinding(f, 'sim/bootstrap-repo-credentials', 'bootstrap/root-app.yaml', '/spec/source/repoURL');
});

test('every tenant Application gets an invalid name: pathParamPrefix cluster over a file with a "cluster" key', async () => {
  const f = await simulate('tenant-invalid-names');
  const hit = expectFinding(f, 'sim/app-name', 'argocd/apps/tenant-payments.yaml', '/spec/template/metadata/name');
  assert.match(hit.message, /^Application payments-api-dev-map\[path:map\[/);
  assert.match(hit.message, /the API server rejects it/);
});

test('a tenant limited by clusters: gets no Application: its selector on cluster matches nothing', async () => {
  const f = await simulate('tenant-clusters-limited');
  expectFinding(f, 'sim/appset-selector-matches-nothing', 'argocd/apps/tenant-analytics.yaml', '/spec/generators/0/matrix/generators/1/selector');
});

test("git generators fetch the template's AppProject before generating", async () => {
  const f = await simulate('appset-project-fetch');
  expectFinding(f, 'sim/bootstrap-appset-project-missing', 'argocd/apps/addon-argo-rollouts.yaml', '/spec/template/spec/project');
  expectFinding(f, 'sim/bootstrap-wave-blocked', 'bootstrap/root-app.yaml', '');
});

test('spokes never registered (sealed-secrets / sops backends) while the ApplicationSets target them', async () => {
  const f = await simulate('spoke-unregistered');
  const hit = expectFinding(f, 'sim/app-destination-unknown', 'argocd/apps/addon-argo-rollouts.yaml', '/spec/template/spec/destination/server');
  assert.match(hit.message, /argo-rollouts-prod-eu-1 .*neither in-cluster nor a cluster this repository registers/);
  expectFinding(f, 'sim/bootstrap-cluster-not-registered', 'argocd/apps/addon-argo-rollouts.yaml', '/spec/template/spec/destination/server');
});

test('add-on ApplicationSets generate Applications for spokes registered only later', async () => {
  const f = await simulate('spoke-registered-later');
  const hit = expectFinding(f, 'sim/bootstrap-cluster-not-registered', 'argocd/apps/addon-argo-rollouts.yaml', '/spec/template/spec/destination/server');
  assert.match(hit.message, /registered only later/);
  assert.not.ok(f.some((x) => x.rule === 'sim/app-destination-unknown'), 'the cluster is registered in the end');
  const blocked = expectFinding(f, 'sim/bootstrap-wave-blocked', 'bootstrap/root-app.yaml', '');
  assert.match(blocked.message, /auto-sync does not retry a revision whose sync failed/);
});

test('ApplicationSet health is Healthy too early: the store is applied before ESO has installed its CRD', async () => {
  const f = await simulate('appset-health-too-early');
  const hit = expectFinding(f, 'sim/bootstrap-wave-not-awaited', 'platform/secret-stores/hub/platform.yaml', '');
  assert.match(hit.message, /ApplicationSet addon-external-secrets is Healthy as soon as its Applications exist/);
});

test('validate simulates by default; --no-simulate skips it', async () => {
  const { main } = await import('../../generators/cli.ts');
  const run = async (args: string[]) => {
    let stdout = '';
    const exitCode = await main(args, { stdout: (s) => void (stdout += s), stderr: () => {}, interactive: false });
    return { exitCode, findings: JSON.parse(stdout).findings as Finding[] };
  };
  const dir = path.join(FIXTURES, 'project-deadlock');
  const on = await run(['validate', dir, '--output', 'json', '--kubeconform', 'never', '--no-kustomize']);
  assert.is(on.exitCode, 1);
  assert.ok(on.findings.some((f) => f.rule === 'sim/bootstrap-project-missing'));
  const off = await run(['validate', dir, '--output', 'json', '--kubeconform', 'never', '--no-kustomize', '--no-simulate']);
  assert.not.ok(off.findings.some((f) => f.rule.startsWith('sim/')));
});

test('the generated examples simulate clean', async () => {
  for (const example of ['minimal', 'enterprise']) {
    const r = await validateCommand({ paths: [path.join(ROOT, 'examples', example)], output: 'json', kubeconform: 'never', kustomize: false, simulate: true });
    const errors = JSON.parse(r.stdout).findings.filter((f: Finding) => f.rule.startsWith('sim/') && f.severity === 'error');
    assert.equal(errors.map((f: Finding) => `${f.rule} ${f.file} ${f.path}`), [], example);
  }
});

test.run();
