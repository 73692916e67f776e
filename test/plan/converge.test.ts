// Plan-level checks of the issue 9 fixes, written as the upstream controllers read the output.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvField, rbacPolicy } from '../../generators/plan/argocd.ts';
import { denyWindows } from '../../generators/plan/projects.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { readPolicyLine } from '../../generators/simulate/controllers/argocd-settings.ts';
import { coveredMinutes } from '../../generators/simulate/controllers/sync-windows.ts';
import type { Environment } from '../../generators/model/types.ts';
import { baseSpec } from '../helpers.ts';
import YAML from 'yaml';
import { generateKeyPairSync } from 'node:crypto';
import { renderSpec } from '../../generators/pipeline.ts';
import { planRepo } from '../../generators/plan/index.ts';
import { renderPlan } from '../../generators/plan/render.ts';
import { createEngine } from '../../generators/render/engine.ts';
import { loadTemplates } from '../../generators/io/templates.ts';
import { specProblems } from '../../generators/model/validate-spec.ts';
import { formatProblem } from '../../generators/model/errors.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';

test('policy.csv: group names with commas and quotes read back as one field (Go encoding/csv, TrimLeadingSpace)', () => {
  const groups = ['cn=payments,ou=groups,dc=acme', 'say "hi"', ' padded ', 'plain-group'];
  for (const g of groups) assert.equal(readPolicyLine(`g, ${csvField(g)}, role:admin`), { fields: ['g', g, 'role:admin'] });
  const spec: any = baseSpec();
  spec.argocd = { sso: { issuer: 'https://sso.example.com', clientId: 'argocd', adminGroups: [groups[0]] } };
  spec.tenants[0].groups = { developer: [groups[1]] };
  const lines = rbacPolicy(normalize(validateSpec(spec))).filter((l) => !l.startsWith('#'));
  for (const line of lines) {
    const read = readPolicyLine(line);
    assert.ok('fields' in read && read.fields.length === (read.fields[0] === 'g' ? 3 : 6), line);
  }
  assert.ok(lines.includes('g, "cn=payments,ou=groups,dc=acme", role:admin'));
});

test('policy.csv names only groups platform.yaml declares', () => {
  const lines = rbacPolicy(normalize(validateSpec(baseSpec())));
  assert.equal(lines.filter((l) => l.startsWith('g, ')), ['g, ci, role:ci']);
});

const env = (syncWindow: Environment['syncWindow']): Environment => ({ name: 'staging', index: 1, syncWindow, caution: 'standard', timeZone: 'Europe/Berlin', protected: false, analysisNoData: 'pass' });
const openMinutes = (windows: { schedule: string; duration: string }[]) => {
  const covered = new Set(windows.flatMap((w) => [...coveredMinutes(w.schedule, w.duration)!]));
  return Array.from({ length: 7 * 1440 }, (_, m) => m).filter((m) => !covered.has(m));
};

test('business-hours windows leave exactly Monday-Friday 09:00-17:00 open', () => {
  const open = openMinutes(denyWindows(env('business-hours'), { namespaces: ['x'] }));
  const expected = [1, 2, 3, 4, 5].flatMap((day) => Array.from({ length: 8 * 60 }, (_, m) => day * 1440 + 9 * 60 + m));
  assert.equal(open, expected);
});

test('no-nights windows leave 07:00-20:00 open every day', () => {
  const open = openMinutes(denyWindows(env('no-nights'), { namespaces: ['x'] }));
  assert.equal(open, [0, 1, 2, 3, 4, 5, 6].flatMap((day) => Array.from({ length: 13 * 60 }, (_, m) => day * 1440 + 7 * 60 + m)));
});



// ---- bootstrap, waves, registrations, stores (issue 9, simulation-class defects) --------------


type Obj = Record<string, any>;
type File = { path: string; content: string };
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');

const twoClusters = (secrets: Obj, spoke: Obj = {}): Obj => ({
  name: 'acme',
  repo: { url: 'https://github.com/acme/gitops.git' },
  environments: [{ name: 'dev' }, { name: 'prod' }],
  clusters: [
    { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' },
    { name: 'prod-1', server: 'https://prod-1.example.com', environment: 'prod', ...spoke },
  ],
  tenants: [{ name: 'shop', groups: { developer: ['shop-devs'] } }],
  secrets,
  services: [{ name: 'api', tenant: 'shop', image: 'ghcr.io/acme/api', tag: '1.0.0', strategy: 'canary' }],
});
const VAULT = { backend: 'external-secrets', vault: { server: 'https://vault.example.com' } };
const docsOf = (files: File[], path: string): Obj[] => {
  const f = files.find((x) => x.path === path);
  assert.ok(f, `${path} rendered`);
  return YAML.parseAllDocuments(f!.content, { version: '1.1' }).map((d) => d.toJS()).filter(Boolean);
};
const allDocs = (files: File[]) => files.filter((f) => /\.ya?ml$/.test(f.path) && !f.path.startsWith('.')).flatMap((f) => docsOf(files, f.path).map((d) => ({ file: f.path, d })));
const wave = (o: Obj) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

test('bootstrap: server-side apply, then the AppProjects and the root app once the CRDs are served', () => {
  const files = renderSpec(twoClusters(VAULT));
  const readme = files.find((f) => f.path === 'README.md')!.content;
  const commands = readme.split('```sh\n')[1].split('```')[0].trim().split('\n');
  assert.ok(commands[0] === 'kubectl apply --server-side --force-conflicts -k bootstrap', commands[0]);
  assert.match(commands[1], /^kubectl wait --for condition=Established .*crd\/appprojects\.argoproj\.io/);
  assert.match(commands[2], /create secret generic repo-bootstrap .*argocd\.argoproj\.io\/secret-type=repository$/);
  assert.is(commands[3], 'kubectl apply --server-side --force-conflicts -k bootstrap/root');
  assert.equal(docsOf(files, 'bootstrap/root/kustomization.yaml')[0].resources, ['../../argocd/projects', 'root-app.yaml']);
  const projects = docsOf(files, 'argocd/projects/kustomization.yaml')[0].resources;
  assert.ok(projects.includes('default.yaml') && projects.includes('platform.yaml'));
  assert.is(docsOf(files, 'bootstrap/root/root-app.yaml')[0].spec.project, 'platform');
});

test('the private repository\'s bootstrap credential: replaced by repo-creds only with External Secrets', () => {
  const why = (secrets: Obj, spoke: Obj = {}) => {
    const readme = renderSpec(twoClusters(secrets, spoke)).find((f) => f.path === 'README.md')!.content;
    return readme.split('\n').find((l) => /^\d+\. private repository/.test(l));
  };
  assert.match(why(VAULT)!, /arrive from the secret store \(then delete it\)/);
  for (const secrets of [{ backend: 'sops' }, { backend: 'sealed-secrets' }]) {
    const line = why(secrets, { auth: { type: 'aws' }, caData: CA })!;
    assert.match(line, /keeps using/, `${secrets.backend}: ${line}`);
    assert.not.match(line, /arrive/);
  }
});

test('Argo CD\'s own Application needs no External Secrets: the OIDC secret syncs after the controller and its store', () => {
  const spec = twoClusters(VAULT);
  spec.argocd = { sso: { issuer: 'https://sso.example.com', clientId: 'argocd', adminGroups: ['ops'] } };
  const files = renderSpec(spec);
  const install = files.filter((f) => f.path.startsWith('argocd/install/'));
  assert.not.ok(install.some((f) => /external-secrets\.io/.test(f.content)), 'nothing in argocd/install needs ESO');
  const apps = allDocs(files).filter((x) => x.file.startsWith('argocd/apps/') && x.d.kind !== 'Kustomization').map((x) => x.d);
  const byName = (n: string) => apps.find((a) => a.metadata.name === n)!;
  const order = ['argocd', 'external-secrets-hub', 'argocd-secrets', 'cluster-registrations', 'addon-external-secrets', 'secret-stores', 'projects', 'tenant-namespaces', 'tenant-shop'];
  for (let i = 1; i < order.length; i++) assert.ok(wave(byName(order[i - 1])) < wave(byName(order[i])), `${order[i - 1]} before ${order[i]}`);
  const secrets = docsOf(files, 'argocd/secrets/secrets.yaml');
  assert.ok(secrets.some((d) => d.kind === 'ExternalSecret' && d.metadata.name === 'argocd-oidc'));
  assert.is(byName('argocd-secrets').spec.source.path, 'argocd/secrets');
  // The spokes' controller ApplicationSet never generates one for the hub (its own Application does).
  assert.equal(byName('addon-external-secrets').spec.generators[0].selector.matchExpressions, [{ key: 'cluster', operator: 'In', values: ['prod-1'] }]);
});

test('SSO with the SOPS backend: the OIDC secret is made by hand at bootstrap, labelled for Argo CD, and SSO is active', async () => {
  const spec = twoClusters({ backend: 'sops' }, { auth: { type: 'aws' }, caData: CA });
  spec.argocd = { sso: { issuer: 'https://sso.example.com', clientId: 'argocd', adminGroups: ['ops'] } };
  const files = renderSpec(spec);
  const readme = files.find((f) => f.path === 'README.md')!.content;
  const commands = readme.split('```sh\n')[1].split('```')[0].trim().split('\n');
  const oidc = commands.findIndex((c) => c.includes('create secret generic argocd-oidc'));
  assert.ok(oidc > 0 && oidc < commands.length - 1, 'after Argo CD (its namespace) is installed, before the root app');
  assert.match(commands[oidc], /--from-literal=clientSecret=<OIDC client secret> && kubectl -n argocd label secret argocd-oidc app\.kubernetes\.io\/part-of=argocd$/);
  assert.match(readme, /log in through SSO/);
  assert.not.match(readme, /kubeseal/, 'no Sealed Secrets instructions in a SOPS repository');
  const cm = docsOf(files, 'argocd/install/argocd-cm.yaml')[0];
  assert.match(cm.data['oidc.config'], /\$argocd-oidc:clientSecret/);
  assert.not.ok(files.some((f) => f.path.startsWith('argocd/secrets/')), 'nothing committed for it');
  // The simulation finds the hand-made Secret; without the label it says Argo CD ignores it.
  const { checkRenderedFull } = await import('../../generators/check/generated.ts');
  const errors = (fs: File[]) => checkRenderedFull(fs as never, undefined, { simulate: true }).findings.filter((f: Obj) => f.severity === 'error' && /argocd-secret/.test(f.rule));
  assert.equal(errors(files), []);
  const unlabelled = files.map((f) => (f.path === 'README.md' ? { ...f, content: f.content.replace(/ && kubectl -n argocd label secret argocd-oidc app\.kubernetes\.io\/part-of=argocd/, '') } : f));
  assert.equal(errors(unlabelled).map((f: Obj) => [f.rule, f.file]), [['sim/argocd-secret-label', 'README.md']]);
});

test('every ClusterSecretStore authenticates as a ServiceAccount synced with it, before it', () => {
  for (const secrets of <Obj[]>[VAULT, { backend: 'external-secrets', provider: 'aws', aws: { region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/eso-{identity}' } }, { backend: 'external-secrets', provider: 'gcp', gcp: { projectId: 'acme-prod' } }, { backend: 'external-secrets', provider: 'azure', azure: { vaultUrl: 'https://acme.vault.azure.net', clientId: '00000000-0000-0000-0000-000000000001' } }]) {
    const files = renderSpec(twoClusters(secrets));
    const all = allDocs(files);
    const stores = all.filter((x) => x.d.kind === 'ClusterSecretStore');
    assert.ok(stores.length >= 4, 'platform, ci and one tenant store per cluster');
    for (const { file, d } of stores) {
      const provider = Object.values(d.spec.provider)[0] as Obj;
      const ref = provider.auth?.kubernetes?.serviceAccountRef ?? provider.auth?.jwt?.serviceAccountRef ?? provider.auth?.workloadIdentity?.serviceAccountRef ?? provider.serviceAccountRef;
      const sa = all.find((x) => x.file === file && x.d.kind === 'ServiceAccount' && x.d.metadata.name === ref.name && x.d.metadata.namespace === ref.namespace);
      assert.ok(sa, `${file}: ${d.metadata.name} uses ${ref.namespace}/${ref.name}, created in the same file`);
      assert.ok(wave(sa!.d) < wave(d), 'the ServiceAccount first');
      const annotations = sa!.d.metadata.annotations;
      if (secrets.provider === 'aws') assert.match(annotations['eks.amazonaws.com/role-arn'], /^arn:aws:iam::111122223333:role\/eso-(platform|ci|shop)$/);
      if (secrets.provider === 'gcp') assert.match(annotations['iam.gke.io/gcp-service-account'], /^eso-(platform|ci|shop)@acme-prod\.iam\.gserviceaccount\.com$/);
      if (secrets.provider === 'azure') assert.is(annotations['azure.workload.identity/client-id'], '00000000-0000-0000-0000-000000000001');
    }
  }
});

test('spokes register with every backend: cloud IAM needs no token, SOPS with a token is refused with the fix', () => {
  for (const backend of ['sealed-secrets', 'sops'])
    for (const type of ['aws', 'gke', 'aks']) {
      const auth: Obj = { type, ...(type === 'aks' ? { clientId: '00000000-0000-0000-0000-000000000002' } : {}) };
      const files = renderSpec(twoClusters({ backend }, { auth, caData: CA }));
      const [secret] = docsOf(files, 'argocd/clusters/prod-1.yaml');
      assert.is(secret.kind, 'Secret');
      assert.is(secret.metadata.labels['argocd.argoproj.io/secret-type'], 'cluster');
      const config = JSON.parse(secret.stringData.config);
      assert.is(config.tlsClientConfig.caData, CA);
      assert.not.ok('bearerToken' in config, 'no credential');
      if (type === 'aws') assert.equal(config.awsAuthConfig, { clusterName: 'prod-1' });
      else assert.equal([config.execProviderConfig.command, ...config.execProviderConfig.args], ['argocd-k8s-auth', type === 'gke' ? 'gcp' : 'azure']);
      assert.ok(files.some((f) => f.path === 'clusters/prod-1/cluster.json'), 'targeted once registered');
    }
  assert.equal(specProblems(twoClusters({ backend: 'sops' })).map(formatProblem), [
    'clusters[1].auth: spoke "prod-1" authenticates with a token, but with the sops backend nothing can render its Argo CD cluster Secret without committing the token (sops encrypts only by hand) (fix: use auth.type aws, gke or aks (cloud IAM, no token), or secrets.backend external-secrets / sealed-secrets)',
  ]);
  assert.equal(specProblems(twoClusters({ backend: 'sealed-secrets' }, { auth: { type: 'aws' } })).map(formatProblem), [
    "clusters[1].caData: aws authentication verifies the API server against the cluster's CA, which is missing (Argo CD would fall back to the system roots and fail the TLS handshake) (fix: set caData to the base64 CA (kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'))",
  ]);
});

test('a token spoke with Sealed Secrets is targeted by nothing until its token is sealed into platform.yaml', () => {
  const raw = twoClusters({ backend: 'sealed-secrets' }, { caData: CA });
  raw.environments[1].protected = true;
  const spec = validateSpec(raw);
  const pending = renderSpec(spec);
  assert.not.ok(pending.some((f) => f.path.startsWith('clusters/prod-1/') || f.path.startsWith('argocd/clusters/')), 'no cluster.json, no registration');
  assert.match(pending.find((f) => f.path === 'README.md')!.content, /Declared but not registered yet .*`prod-1`/);
  // Nothing selects it either: no ApplicationSet selector names it, no RollingSync step waits for prod.
  for (const { file, d } of allDocs(pending).filter((x) => x.d.kind === 'ApplicationSet')) {
    assert.not.ok(JSON.stringify(d.spec.generators).includes('"prod-1"'), `${file} selects no pending cluster`);
    for (const step of d.spec.strategy?.rollingSync?.steps ?? []) assert.not.ok(JSON.stringify(step).includes('"prod"'), `${file}: no step for an environment nobody serves yet`);
  }
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const files = renderPlan(planRepo({ spec, platform: normalize(spec), supplyChain: { sealedSecrets: { certPem, values: { 'cluster-prod-1': { token: 'eyJhbGciOi.token' } } } } }), createEngine(loadTemplates()));
  const model = parseSpecText(files.find((f) => f.path === 'platform.yaml')!.content, 'platform.yaml') as Obj;
  const sealedToken = model.clusters[1].auth.sealedToken;
  assert.match(sealedToken, /^[A-Za-z0-9+/=]{300,}$/, 'ciphertext in the model');
  assert.not.ok(files.some((f) => f.content.includes('eyJhbGciOi.token')), 'the token itself is written nowhere');
  const [sealed] = docsOf(files, 'argocd/clusters/prod-1.yaml');
  assert.is(sealed.kind, 'SealedSecret');
  assert.is(sealed.spec.encryptedData.token, sealedToken);
  assert.is(sealed.spec.template.metadata.labels['argocd.argoproj.io/secret-type'], 'cluster');
  assert.ok(files.some((f) => f.path === 'clusters/prod-1/cluster.json'));
  // Re-rendering the sealed model (no values) gives the same registration.
  const again = renderSpec(model);
  assert.is(again.find((f) => f.path === 'argocd/clusters/prod-1.yaml')!.content, files.find((f) => f.path === 'argocd/clusters/prod-1.yaml')!.content);
});

test('Istio: restricted tenant namespaces join the mesh through Istio CNI or ambient mode, declared as prerequisites', () => {
  const base = twoClusters(VAULT);
  base.delivery = { router: 'istio' };
  const cni = renderSpec(base);
  const ns = (files: File[]) => docsOf(files, 'clusters/hub/namespaces/shop-dev.yaml');
  assert.is(ns(cni)[0].metadata.labels['istio-injection'], 'enabled');
  assert.is(ns(cni)[0].metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
  const prereqs = (files: File[]) => docsOf(files, '.gitops-scaffold/prerequisites.yaml')[0].prerequisites as Obj[];
  assert.equal(prereqs(cni).find((x) => x.id === 'istio')!.provides.capabilities, ['istio-cni']);
  base.delivery.istio = { dataPlane: 'ambient' };
  const ambient = renderSpec(base);
  assert.is(ns(ambient)[0].metadata.labels['istio.io/dataplane-mode'], 'ambient');
  assert.not.ok('istio-injection' in ns(ambient)[0].metadata.labels);
  assert.ok(ns(ambient).some((d) => d.kind === 'Gateway' && d.spec.gatewayClassName === 'istio-waypoint'));
  assert.equal(prereqs(ambient).find((x) => x.id === 'istio')!.provides.capabilities, ['istio-ambient']);
  assert.ok(prereqs(ambient).some((x) => x.id === 'gateway-api'));
  assert.match(cni.find((f) => f.path === 'README.md')!.content, /\*\*istio\*\*: Istio \(istiod\) with the Istio CNI node agent/);
});


// ---- analysis without data, blue-green, promotion branch -----------------------------------

/**
 * Argo Rollouts' evaluate.EvaluateResult (v1.9.1) over the generated conditions: args substituted
 * as ResolveQuotedArgs does, then the expr conditions (their syntax here is also JavaScript's, with
 * len() and isNaN()), then success/failure/inconclusive exactly as upstream decides.
 */
function evaluate(metric: Obj, args: Record<string, string>, result: number[]): 'Successful' | 'Failed' | 'Inconclusive' {
  const resolve = (cond: string) => cond.replace(/\{\{args\.([\w-]+)\}\}/g, (_, n) => args[n]);
  const run = (cond: string | undefined) => (cond ? Boolean(new Function('result', 'len', 'isNaN', `return (${resolve(cond)});`)(result, (x: unknown[]) => x.length, Number.isNaN)) : undefined);
  let success = run(metric.successCondition);
  let failure = run(metric.failureCondition);
  if (success === undefined && failure === undefined) return 'Successful';
  if (failure === undefined) failure = !success;
  if (success === undefined) success = !failure;
  return failure ? 'Failed' : success ? 'Successful' : 'Inconclusive';
}

test('analysis without data follows the environment (pass, fail, inconclusive); with data the thresholds decide', () => {
  const spec = twoClusters(VAULT);
  spec.environments = [{ name: 'dev' }, { name: 'prod', protected: true }];
  const files = renderSpec(spec);
  const templates = docsOf(files, 'apps/shop/api/base/analysis-templates.yaml');
  const rate = templates.find((t) => t.metadata.name === 'api-success-rate')!.spec.metrics[0];
  const latency = templates.find((t) => t.metadata.name === 'api-latency')!.spec.metrics[0];
  const base = { 'min-success-rate': '0.99', 'max-latency-ms': '500' };
  assert.is(evaluate(rate, { ...base, 'no-data': 'pass' }, []), 'Successful');
  assert.is(evaluate(rate, { ...base, 'no-data': 'fail' }, []), 'Failed');
  assert.is(evaluate(rate, { ...base, 'no-data': 'inconclusive' }, []), 'Inconclusive');
  for (const verdict of ['pass', 'fail', 'inconclusive']) {
    assert.is(evaluate(rate, { ...base, 'no-data': verdict }, [0.995]), 'Successful');
    assert.is(evaluate(rate, { ...base, 'no-data': verdict }, [0.9]), 'Failed');
    assert.is(evaluate(rate, { ...base, 'no-data': verdict }, [NaN]), 'Failed');
    assert.is(evaluate(latency, { ...base, 'no-data': verdict }, [120]), 'Successful');
    assert.is(evaluate(latency, { ...base, 'no-data': verdict }, [900]), 'Failed');
  }
  // Per environment: prod is protected, so no silent pass there.
  const noData = (env: string) => {
    const overlay = files.find((f) => f.path === `apps/shop/api/overlays/${env}/kustomization.yaml`)!.content;
    return [...overlay.matchAll(/- name: no-data\n\s+value: (\w+)/g)].map((m) => m[1]);
  };
  assert.ok(noData('dev').length && noData('dev').every((v) => v === 'pass'));
  assert.ok(noData('prod').length && noData('prod').every((v) => v === 'fail'));
  spec.environments[1].analysis = { noData: 'inconclusive' };
  assert.ok(renderSpec(spec).find((f) => f.path === 'apps/shop/api/overlays/prod/kustomization.yaml')!.content.includes('value: inconclusive'));
});

test('promotions merge into the branch tenant workloads track, also when the platform tracks a release tag', () => {
  const spec = twoClusters(VAULT);
  spec.repo.revision = 'v2026.11.0';
  const files = renderSpec(spec);
  const tenant = docsOf(files, 'argocd/apps/tenant-shop.yaml')[0];
  assert.is(tenant.spec.template.spec.source.targetRevision, 'main');
  assert.equal(tenant.spec.generators[0].matrix.generators.map((g: Obj) => g.git.revision), ['main', 'main']);
  assert.is(docsOf(files, 'argocd/apps/argocd.yaml')[0].spec.source.targetRevision, 'v2026.11.0', 'the platform stays on the tag');
  const wt = docsOf(files, 'platform/ci/workflow-template.yaml').find((d) => d.kind === 'WorkflowTemplate')!;
  const promote = wt.spec.templates.find((t: Obj) => t.name === 'promote');
  assert.is(promote.container.env.find((e: Obj) => e.name === 'BASE_BRANCH').value, 'main');
  assert.match(files.find((f) => f.path === 'README.md')!.content, /Tenant workloads track `main`/);
  spec.repo.tenantRevision = 'v2026.11.0';
  assert.equal(specProblems(spec).map(formatProblem), ['repo.tenantRevision: "v2026.11.0" looks like a release tag: promotions merge into a branch, and a tag never moves to a merged promotion (fix: name the branch promotions merge into (e.g. main))']);
});

test.run();
