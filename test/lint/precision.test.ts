// The judgement calls behind the rules, tested on their edges: what counts as a wildcard repo, a
// floating revision, an unpinned image or signature, a valid cron, a production name, and which
// namespace a manifest lands in. These are where false positives would come from.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildContext } from '../../generators/lint/context.ts';
import { lintResources } from '../../generators/lint/index.ts';
import { sourceRepoProblem } from '../../generators/lint/rules/argocd/acd008-project-source-wildcard.ts';
import { floatingReason } from '../../generators/lint/rules/argocd/acd019-app-floating-revision.ts';
import { valueFileProblem } from '../../generators/lint/rules/argocd/acd020-app-values-outside-repo.ts';
import { cronProblem } from '../../generators/lint/rules/argocd/acd024-sync-window-validity.ts';
import { imageProblem } from '../../generators/lint/rules/k8s/k8s002-image-tag.ts';
import { unpinnedCosignTargets } from '../../generators/lint/rules/workflows/wf006-cosign-sign-by-tag.ts';
import { fieldPath, ptr } from '../../generators/lint/util/pointer.ts';
import { resourcesOf } from './fixtures.ts';

test('sourceRepos: scoped patterns pass, repo-of-anyone patterns do not', () => {
  for (const ok of ['https://github.com/acme/gitops.git', 'https://github.com/acme/*', 'https://github.com/acme/**', 'git@github.com:acme/gitops.git', 'https://git.acme.internal/*', 'https://charts.bitnami.com/bitnami'])
    assert.is(sourceRepoProblem(ok), undefined, ok);
  for (const bad of ['*', '**', 'https://github.com/*', 'https://*.example.com/acme/app', 'git@github.com:*/app.git', 'https://gitlab.com/**', 'ghcr.io/*'])
    assert.ok(sourceRepoProblem(bad), bad);
});

test('targetRevision: tags and commits are pinned; HEAD, branches and ranges float', () => {
  for (const pinned of ['v1.4.2', '1.4.2', 'v2.0.0-rc.1', '3f2a1b9', 'a3f2a1b9c4d5e6f708192a3b4c5d6e7f8091a2b3', 'refs/tags/release-7'])
    assert.is(floatingReason(pinned, false), undefined, pinned);
  for (const floating of ['HEAD', '', undefined, 'main', 'release/2024-05', 'develop']) assert.ok(floatingReason(floating, false), String(floating));
  assert.is(floatingReason('20.6.3', true), undefined);
  for (const range of ['20.*', '^1.2.0', '~1.2', '>=1.0.0', '1.x', '']) assert.ok(floatingReason(range, true), range);
});

test('image references: a tag or a digest is pinned; none or latest is not', () => {
  assert.is(imageProblem('ghcr.io/acme/app:1.4.2'), undefined);
  assert.is(imageProblem('ghcr.io/acme/app@sha256:0f1e'), undefined);
  assert.is(imageProblem('localhost:5000/app:2'), undefined);
  assert.match(imageProblem('localhost:5000/app')!, /no tag/);
  assert.match(imageProblem('nginx')!, /no tag/);
  assert.match(imageProblem('nginx:latest')!, /latest/);
});

test('cosign: digests and opaque variables pass; tags and tag templates do not', () => {
  assert.equal(unpinnedCosignTargets('cosign sign --yes "$ref"'), []);
  assert.equal(unpinnedCosignTargets('cosign sign --key awskms:///alias/cosign ghcr.io/acme/app@sha256:abc'), []);
  assert.equal(unpinnedCosignTargets('cosign sign --yes ${IMAGE}@$(cat /tmp/digest)'), []);
  assert.equal(unpinnedCosignTargets('cosign sign-blob --yes artifact.tgz'), [], 'sign-blob signs a file, not an image');
  assert.equal(unpinnedCosignTargets('cosign verify ghcr.io/acme/app:1.0'), [], 'verification is out of scope');
  assert.equal(unpinnedCosignTargets('cosign sign --key k8s://argocd/cosign-key \\\n  myregistry/app:{{workflow.parameters.version}}'), [{ verb: 'sign', image: 'myregistry/app:{{workflow.parameters.version}}' }]);
  assert.equal(unpinnedCosignTargets('cosign attest --type spdxjson --predicate sbom.json ghcr.io/acme/app:1.0 && echo done'), [{ verb: 'attest', image: 'ghcr.io/acme/app:1.0' }]);
  assert.equal(unpinnedCosignTargets('cosign sign --tlog-upload false $IMAGE:$TAG'), [{ verb: 'sign', image: '$IMAGE:$TAG' }]);
});

test('helm value files: inside the repo passes; URLs, absolute paths and escapes do not', () => {
  assert.is(valueFileProblem('values-prod.yaml', 'charts/app'), undefined);
  assert.is(valueFileProblem('../../envs/prod/values.yaml', 'charts/app'), undefined);
  assert.is(valueFileProblem('$values/envs/prod.yaml', undefined), undefined);
  assert.match(valueFileProblem('../../../x.yaml', 'charts/app')!, /climbs/);
  assert.match(valueFileProblem('$values/../x.yaml', undefined)!, /climbs/);
  assert.match(valueFileProblem('/etc/passwd', 'charts/app')!, /absolute/);
  assert.match(valueFileProblem('https://example.com/v.yaml', 'charts/app')!, /URL/);
});

test('sync window cron: five fields with ranges, lists, steps and names', () => {
  for (const ok of ['0 22 * * *', '*/15 8-18 * * MON-FRI', '0 0 1,15 * *', '30 2 * * 0', '0 9 * * 1-5']) assert.is(cronProblem(ok), undefined, ok);
  for (const bad of ['@daily', '0 0 22 * * *', '* * *', '0 9 * * 1-5 extra', '0 9 ** * *']) assert.ok(cronProblem(bad), bad);
});

test('production names: prod and production as words, not product, preprod or non-prod', () => {
  const ctx = buildContext([]);
  for (const yes of ['prod', 'payments-prod', 'prod-eu', 'overlays/prod/app.yaml', 'https://prod.example.com', 'Production']) assert.ok(ctx.isProductionName(yes), yes);
  for (const no of ['product-catalog', 'preprod', 'non-prod', 'pre-prod', 'reproduce', 'staging', undefined]) assert.not.ok(ctx.isProductionName(no), String(no));
});

test('namespaces: the outermost kustomization wins, then metadata, then the deploying Application', () => {
  const res = resourcesOf({
    'base/kustomization.yaml': 'resources: [deploy.yaml]\nnamespace: base-ns\n',
    'base/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: own}\n',
    'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamespace: shop-prod\n',
    'overlays/dev/kustomization.yaml': 'resources: [../../base]\nnamespace: shop-dev\n',
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: own}\n',
    'dir-app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    'apps/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: c, namespace: argocd}\nspec:\n  source: {repoURL: https://github.com/acme/gitops.git, path: dir-app}\n  destination: {server: https://kubernetes.default.svc, namespace: from-app}\n',
  });
  const ctx = buildContext(res);
  const ns = (file: string) => ctx.namespacesOf(res.find((r) => r.file === file)!);
  assert.equal(ns('base/deploy.yaml'), ['shop-dev', 'shop-prod']);
  assert.equal(ns('plain/cm.yaml'), ['own']);
  assert.equal(ns('dir-app/cm.yaml'), ['from-app']);
});

test('pointers render as field paths, with odd keys bracketed', () => {
  assert.is(fieldPath(ptr('/spec/template/spec/containers', 0, 'image')), 'spec.template.spec.containers[0].image');
  assert.is(fieldPath(ptr('/metadata/annotations', 'argocd.argoproj.io/sync-wave')), 'metadata.annotations["argocd.argoproj.io/sync-wave"]');
  assert.is(fieldPath(ptr('/data', 'policy.csv')), 'data["policy.csv"]');
});

test('findings start with kind, namespace/name and field, and come sorted by file and line', () => {
  const res = resourcesOf({
    'b.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: x}\nstringData: {password: hunter2}\n',
    'a.yaml': 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: e, namespace: x}\nspec: {}\n',
  });
  const findings = lintResources(res);
  assert.equal(findings.map((f) => [f.file, f.rule]), [['a.yaml', 'ESO001'], ['b.yaml', 'SEC001']]);
  assert.is(findings[0].message.split(':')[0], 'ExternalSecret x/e apiVersion');
  assert.is(findings[1].line, 4);
});

test('SOPS-encrypted Secrets are not plaintext', () => {
  const res = resourcesOf(`apiVersion: v1
kind: Secret
metadata: {name: db, namespace: x}
stringData:
  password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]
sops:
  version: 3.9.0
`);
  assert.not.ok(lintResources(res).some((f) => f.rule === 'SEC001'));
});

test('templated Secret values (a Helm chart) are not plaintext', () => {
  const res = resourcesOf(`apiVersion: v1
kind: Secret
metadata: {name: db, namespace: x}
stringData:
  password: '{{ .Values.db.password }}'
`);
  assert.not.ok(lintResources(res).some((f) => f.rule === 'SEC001'));
});

test('a Workflow inherits spec-level settings from the WorkflowTemplate it references', () => {
  const base = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: ci, namespace: ci}
spec:
  entrypoint: main
  serviceAccountName: ci
  automountServiceAccountToken: false
  executor: {serviceAccountName: exec}
  activeDeadlineSeconds: 600
  podGC: {strategy: OnPodSuccess}
  templates: [{name: main, suspend: {}}]
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: run, namespace: ci}
spec:
  workflowTemplateRef: {name: ci}
`;
  const rules = lintResources(resourcesOf(base)).map((f) => f.rule);
  for (const id of ['WF002', 'WF004', 'WF009']) assert.not.ok(rules.includes(id), id);
  const orphan = lintResources(resourcesOf(base.replace('workflowTemplateRef: {name: ci}', 'workflowTemplateRef: {name: elsewhere}'))).map((f) => f.rule);
  for (const id of ['WF002', 'WF004', 'WF009']) assert.not.ok(orphan.includes(id), `${id}: an unknown template is not guessed at`);
});

test('RBAC findings point at the line of the policy inside policy.csv', () => {
  const res = resourcesOf(`apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd}
data:
  policy.csv: |
    # comment
    g, acme:admins, role:admin

    p, role:dev, exec, create, team-a/*, allow
`);
  const f = lintResources(res).find((x) => x.rule === 'ACD016')!;
  assert.is(f.line, 9);
  assert.match(f.message, /policy\.csv line 4 /);
});

test('app-of-apps: only children the parent actually deploys (its kustomization) are checked', () => {
  const child = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd, finalizers: [resources-finalizer.argocd.argoproj.io]}
spec:
  project: team-a
  source: {repoURL: https://github.com/acme/gitops.git, targetRevision: v1, path: services/${name}}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
`;
  const res = resourcesOf({
    'root.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd, finalizers: [resources-finalizer.argocd.argoproj.io]}
spec:
  project: platform
  source: {repoURL: https://github.com/acme/gitops.git, targetRevision: v1, path: apps}
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
  syncPolicy: {automated: {prune: true}}
`,
    'apps/kustomization.yaml': 'resources: [listed.yaml]\n',
    'apps/listed.yaml': child('listed'),
    'apps/unlisted.yaml': child('unlisted'),
    'elsewhere/other.yaml': child('other'),
  });
  assert.equal(lintResources(res).filter((f) => f.rule === 'ACD028').map((f) => f.resource?.name), ['listed']);
});

test.run();
