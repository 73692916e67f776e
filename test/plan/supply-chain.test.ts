// The supply chain as rendered: the pipeline's DAG and gates, the Sensor that submits it, the
// admission policy that verifies what it signs, and the Sealed Secrets / SOPS alternatives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { renderSpec } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { planRepo } from '../../generators/plan/index.ts';
import { renderPlan } from '../../generators/plan/render.ts';
import { createEngine } from '../../generators/render/engine.ts';
import { loadTemplates } from '../../generators/io/templates.ts';
import { encryptionLabel, sealValue } from '../../generators/plan/supply-chain/sealed-secrets.ts';
import { GRYPE_GATE_EXIT_CODE, SCAN_ATTESTATION_TYPE } from '../../generators/plan/supply-chain/ci-workflow.ts';
import { MAX_RETRY_LIMIT } from '../../generators/lint/rules/workflows/wf001-workflow-retry-bounds.ts';
import { ROOT, tempDir } from '../helpers.ts';

type Obj = Record<string, any>;
interface File {
  path: string;
  owner: string;
  content: string;
}

const exampleSpec = (name: string): Obj => parseSpecText(readFileSync(path.join(ROOT, 'examples', name, 'platform.yaml'), 'utf8'), 'platform.yaml') as Obj;

/** A spec with services and a protected production cluster, whatever the examples hold today. */
function pipelineSpec(ci: Obj = {}, secrets?: Obj): Obj {
  return {
    name: 'acme',
    repo: { url: 'https://github.com/acme/gitops.git', revision: 'main' },
    environments: [{ name: 'dev' }, { name: 'prod', protected: true }],
    clusters: [
      { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' },
      // With SOPS nothing can render a token registration: the spoke then authenticates with EKS IAM.
      { name: 'prod-1', server: 'https://prod-1.example.com', environment: 'prod', ...(secrets?.backend === 'sops' ? { auth: { type: 'aws' }, caData: 'Y2E=' } : {}) },
    ],
    tenants: [{ name: 'payments' }],
    secrets: secrets ?? { backend: 'external-secrets', provider: 'vault', vault: { server: 'https://vault.example.com' } },
    ci: { registry: 'ghcr.io/acme', ...ci },
    services: [
      { name: 'payments-api', tenant: 'payments', image: 'ghcr.io/acme/payments-api', tag: '1.0.0' },
      { name: 'ledger', tenant: 'payments', image: 'quay.io/acme/ledger', tag: '2.0.0' },
    ],
  };
}

function render(spec: Obj, supplyChain?: Parameters<typeof planRepo>[0]['supplyChain']): File[] {
  if (!supplyChain) return renderSpec(spec);
  const valid = validateSpec(spec);
  return renderPlan(planRepo({ spec: valid, platform: normalize(valid), supplyChain }), createEngine(loadTemplates()));
}

const docs = (files: File[], file: string): Obj[] => {
  const f = files.find((x) => x.path === file);
  if (!f) throw new Error(`${file} was not rendered`);
  return YAML.parseAllDocuments(f.content, { version: '1.1' }).map((d) => d.toJS()).filter(Boolean);
};
const one = (files: File[], file: string, kind: string, name?: string): Obj => {
  const found = docs(files, file).filter((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
  assert.is(found.length, 1, `${file}: exactly one ${kind}${name ? ` ${name}` : ''}`);
  return found[0];
};
const workflowTemplate = (files: File[]) => one(files, 'platform/ci/workflow-template.yaml', 'WorkflowTemplate');
const templateNamed = (wt: Obj, name: string): Obj => {
  const t = wt.spec.templates.find((x: Obj) => x.name === name);
  if (!t) throw new Error(`no template ${name}`);
  return t;
};
const tasks = (wt: Obj): Obj[] => templateNamed(wt, wt.spec.entrypoint).dag.tasks;

/** Task names a `depends` expression refers to (`a && (b.Succeeded || c)` -> a, b, c). */
const dependsOn = (expr: string | undefined): string[] => (expr ?? '').match(/[A-Za-z0-9-]+(?=\.[A-Z][a-zA-Z]+|\b)/g)?.filter((n) => !/^(Succeeded|Failed|Errored|Skipped|Daemoned|Omitted)$/.test(n)) ?? [];

/** Every task a task waits for, directly or through others. */
function ancestors(all: Obj[], name: string, seen = new Set<string>()): Set<string> {
  const task = all.find((t) => t.name === name)!;
  for (const dep of [...dependsOn(task.depends), ...(task.dependencies ?? [])]) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    ancestors(all, dep, seen);
  }
  return seen;
}

/** policy-controller's glob (pkg/apis/glob Compile): `*` within a path segment, `**` across them. */
function globMatches(glob: string, image: string): boolean {
  const re = new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*\*/g, '#').replace(/\*/g, '[^/]*').replace(/#/g, '.*')}$`);
  return re.test(image);
}

/** Main and init containers of every non-DAG template. */
const containersOf = (t: Obj): Obj[] => [t.container, t.script, ...(t.initContainers ?? [])].filter(Boolean);
const argsOf = (t: Obj): string[] => containersOf(t).flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])]);
/** The tool's subcommand: the main container's first argument (the command is the image's entrypoint). */
const verbOf = (t: Obj): string | undefined => (t.container ?? t.script)?.args?.[0];
const stepTemplates = (wt: Obj): Obj[] => wt.spec.templates.filter((t: Obj) => !t.dag && !t.steps);

test('the DAG runs build, syft, cosign sign, cosign attest, grype and promote in that dependency order', () => {
  const wt = workflowTemplate(renderSpec(exampleSpec('enterprise')));
  const all = tasks(wt);
  for (const t of all) for (const dep of dependsOn(t.depends)) assert.ok(all.some((x) => x.name === dep), `${t.name} depends on unknown task ${dep}`);
  // Which task runs which tool, found by what its template runs (not by its name).
  const taskRunning = (re: RegExp) => {
    const found = all.filter((t) => re.test(argsOf(templateNamed(wt, t.template)).join(' ')));
    assert.ok(found.length > 0, `a task runs ${re}`);
    return found.map((t) => t.name);
  };
  const build = taskRunning(/--destination=/)[0];
  const syft = taskRunning(/^scan registry:|spdx-json=/)[0];
  const sign = all.find((t) => verbOf(templateNamed(wt, t.template)) === 'sign')!.name;
  const attest = all.filter((t) => verbOf(templateNamed(wt, t.template)) === 'attest').map((t) => t.name);
  const grype = taskRunning(/--fail-on=/)[0];
  const promote = taskRunning(/"gitops-scaffold@\$GITOPS_SCAFFOLD_VERSION"[\s\S]*bin\/gitops-scaffold" promote "\$SERVICE" --tag "\$TAG" --digest "\$DIGEST"/)[0];
  const order = [build, syft, sign, attest.find((a) => argsOf(templateNamed(wt, a)).includes('--type=spdxjson'))!, grype, promote];
  for (let i = 1; i < order.length; i++) assert.ok(ancestors(all, order[i]).has(order[i - 1]), `${order[i]} waits for ${order[i - 1]}`);
  // And the clone and tests come before the build.
  assert.ok(ancestors(all, build).has('clone') && ancestors(all, build).has('test'));
  // Nothing is promoted before every attestation is written.
  for (const a of attest) assert.ok(ancestors(all, promote).has(a), `promote waits for ${a}`);
});

test('the scan gate fails at ci.failOn and its retry never repeats the gate verdict', () => {
  for (const failOn of ['medium', 'critical']) {
    const wt = workflowTemplate(render(pipelineSpec({ failOn })));
    const scan = stepTemplates(wt).find((t) => argsOf(t).some((a) => a.startsWith('--fail-on=')))!;
    assert.ok(argsOf(scan).includes(`--fail-on=${failOn}`));
    const rs = scan.retryStrategy;
    const m = /^asInt\(lastRetry\.exitCode\) != (\d+)$/.exec(rs.expression);
    assert.ok(m, `scan retry expression "${rs.expression}" tests the exit code`);
    assert.is(Number(m![1]), GRYPE_GATE_EXIT_CODE, 'the gate exit code is the one excluded');
    assert.is(GRYPE_GATE_EXIT_CODE, 2, 'grype exits 2 at --fail-on');
  }
  // Tests and the policy gate are verdicts too: retried only when the pod errored.
  const wt = workflowTemplate(render(pipelineSpec()));
  for (const name of ['test', 'policy']) assert.is(templateNamed(wt, name).retryStrategy.retryPolicy, 'OnError', `${name} retries only on pod errors`);
});

test('sign, attest, push and promote are never memoized; the tests are, by commit', () => {
  for (const ci of [{}, { signing: 'key', key: { kms: 'awskms:///alias/ci' } }, { sbom: false }]) {
    const wt = workflowTemplate(render(pipelineSpec(ci)));
    for (const t of stepTemplates(wt)) {
      const text = argsOf(t).join(' ');
      const sideEffect = /^(sign|attest)\b|--destination=|git push/.test(verbOf(t) ?? '') || /--destination=|git push|gitops-scaffold promote/.test(text);
      if (sideEffect) assert.is(t.memoize, undefined, `${t.name} has a side effect and must not be memoized`);
      // A memoized step with output artifacts would hand out artifacts GC'd with an older workflow.
      if (t.memoize) assert.not.ok(t.outputs?.artifacts?.length, `${t.name} is memoized but has output artifacts`);
    }
    const memo = templateNamed(wt, 'test').memoize;
    assert.ok(memo && memo.key.includes('{{inputs.parameters.revision}}') && memo.maxAge && memo.cache.configMap.name, 'tests memoized per commit');
  }
});

test('every step has resources, a deadline and a bounded retry with backoff', () => {
  const wt = workflowTemplate(render(pipelineSpec({ promotion: 'commit' })));
  assert.ok(wt.spec.activeDeadlineSeconds > 0 && wt.spec.podGC.strategy && wt.spec.ttlStrategy && wt.spec.artifactGC.strategy && wt.spec.parallelism > 0);
  for (const t of stepTemplates(wt)) {
    for (const c of containersOf(t)) {
      assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory, `${t.name}: requests and a memory limit`);
      assert.not.ok(c.securityContext?.privileged, `${t.name}: never privileged`);
      assert.is(c.securityContext?.allowPrivilegeEscalation, false, `${t.name}: no privilege escalation`);
    }
    assert.ok(t.activeDeadlineSeconds > 0, `${t.name}: deadline`);
    const limit = Number(t.retryStrategy?.limit);
    assert.ok(limit >= 1 && limit <= MAX_RETRY_LIMIT, `${t.name}: bounded retry`);
    assert.ok(t.retryStrategy.backoff?.duration && t.retryStrategy.backoff?.maxDuration, `${t.name}: backoff`);
    for (const a of t.outputs?.artifacts ?? []) assert.ok(a.archive?.tar?.compressionLevel > 0, `${t.name}: artifact ${a.name} compressed`);
  }
  // Only the builder runs as root, with baseline capabilities.
  const roots = stepTemplates(wt).filter((t) => t.securityContext?.runAsUser === 0).map((t) => t.name);
  assert.equal(roots.sort(), ['build', 'test']);
  assert.equal(wt.spec.securityContext.runAsNonRoot, true);
  const baseline = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
  for (const cap of templateNamed(wt, 'build').container.securityContext.capabilities.add) assert.ok(baseline.has(cap), `${cap} is a baseline capability`);
  assert.equal(wt.spec.automountServiceAccountToken, false);
  assert.ok(wt.spec.executor.serviceAccountName);
  // No image floats.
  for (const t of stepTemplates(wt)) for (const c of containersOf(t)) assert.match(c.image, /^[^@]+:(?!latest$)[\w.-]+(@sha256:[0-9a-f]{64})?$/, `${t.name} image pinned`);
});

test('the Sensor submits the WorkflowTemplate once per service, with that service\'s parameters', () => {
  const files = render(pipelineSpec());
  const wt = workflowTemplate(files);
  const events = docs(files, 'platform/ci/events.yaml');
  assert.not.ok(events.some((d) => d.kind === 'Sensor'), 'no platform-wide Sensor');
  const sensor = one(files, 'platform/ci/sensors/payments.yaml', 'Sensor', 'build-on-push-payments');
  const source = events.find((d) => d.kind === 'EventSource')!;
  const declared = wt.spec.arguments.parameters.map((x: Obj) => x.name);
  assert.equal(sensor.spec.triggers.map((t: Obj) => t.template.name).sort(), ['build-ledger', 'build-payments-api']);
  for (const trigger of sensor.spec.triggers) {
    const dep = sensor.spec.dependencies.find((d: Obj) => d.name === trigger.template.conditions);
    assert.ok(dep, `${trigger.template.name}: its condition names a dependency`);
    assert.is(dep.eventSourceName, source.metadata.name);
    assert.ok(dep.eventName in (source.spec.github ?? source.spec.webhook), 'the dependency listens to an event the EventSource emits');
    const wf = trigger.template.k8s.source.resource;
    assert.is(wf.kind, 'Workflow');
    assert.is(wf.spec.workflowTemplateRef.name, wt.metadata.name, 'submits the generated template');
    assert.is(wf.metadata.namespace, wt.metadata.namespace);
    const names = wf.spec.arguments.parameters.map((x: Obj) => x.name);
    for (const n of names) assert.ok(declared.includes(n), `parameter ${n} is declared by the template`);
    for (const n of declared.filter((d: string) => !wt.spec.arguments.parameters.find((x: Obj) => x.name === d).value)) assert.ok(names.includes(n), `required parameter ${n} is passed`);
    // The commit comes from the push: the trigger parameter lands on `revision`.
    const [param] = trigger.template.k8s.parameters;
    assert.is(param.src.dataKey, 'body.after');
    const index = Number(/^spec\.arguments\.parameters\.(\d+)\.value$/.exec(param.dest)![1]);
    assert.is(wf.spec.arguments.parameters[index].name, 'revision');
    const service = wf.spec.arguments.parameters.find((x: Obj) => x.name === 'service').value;
    assert.is(trigger.template.name, `build-${service}`);
  }
  // The Sensor may create Workflows in the build namespace, and nothing else.
  const role = events.find((d) => d.kind === 'Role')!;
  assert.is(role.metadata.namespace, wt.metadata.namespace);
  assert.equal(role.rules, [{ apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create'] }]);
  const binding = events.find((d) => d.kind === 'RoleBinding')!;
  assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: sensor.spec.template.serviceAccountName, namespace: sensor.metadata.namespace }]);
  // The push filters are anchored regular expressions of the service's repository and branch.
  const ledger = sensor.spec.dependencies.find((d: Obj) => d.name === 'ledger');
  const repoFilter = ledger.filters.data.find((f: Obj) => f.path === 'body.repository.full_name');
  assert.ok(new RegExp(repoFilter.value[0]).test('acme/ledger') && !new RegExp(repoFilter.value[0]).test('acme/ledger-old'));
});

test('one Sensor per tenant: each holds only its tenant\'s services, named within a label value, and all reach the API server', () => {
  const spec = pipelineSpec();
  const longTenant = 't'.repeat(28) + '-' + 'u'.repeat(29); // 58 characters: the longest a tenant with a prod namespace may have
  spec.tenants = [...spec.tenants, { name: 'search' }, { name: longTenant }, { name: 'idle' }];
  spec.services = [...spec.services,
    { name: 'indexer', tenant: 'search', image: 'ghcr.io/acme/indexer', tag: '3.0.0' },
    { name: 'crawler', tenant: longTenant, image: 'ghcr.io/acme/crawler', tag: '1.0.0' }];
  spec.ci = { ...spec.ci, sources: { ...spec.ci?.sources, indexer: { repo: 'https://github.com/acme/indexer.git' }, crawler: { repo: 'https://github.com/acme/crawler.git' } } };
  const files = render(spec);
  const sensorFiles = files.filter((f) => f.path.startsWith('platform/ci/sensors/')).map((f) => f.path).sort();
  assert.equal(sensorFiles, ['platform/ci/sensors/payments.yaml', 'platform/ci/sensors/search.yaml', `platform/ci/sensors/${longTenant}.yaml`], 'a tenant without built services has no Sensor');
  assert.equal(docs(files, 'platform/ci/kustomization.yaml')[0].resources.filter((r: string) => r.startsWith('sensors/')).sort(), sensorFiles.map((f) => f.slice('platform/ci/'.length)));
  const triggers = (file: string) => one(files, file, 'Sensor').spec.triggers.map((t: Obj) => t.template.name).sort();
  assert.equal(triggers('platform/ci/sensors/payments.yaml'), ['build-ledger', 'build-payments-api']);
  assert.equal(triggers('platform/ci/sensors/search.yaml'), ['build-indexer']);
  const long = one(files, `platform/ci/sensors/${longTenant}.yaml`, 'Sensor');
  // Argo Events labels the Sensor's pods sensor-name=<name>: a label value, 63 characters at most.
  assert.ok(long.metadata.name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(long.metadata.name), long.metadata.name);
  assert.ok(long.metadata.name.startsWith('build-on-push-tttt') && long.metadata.name !== one(files, 'platform/ci/sensors/search.yaml', 'Sensor').metadata.name);
  // The API egress policy selects the pods of every Sensor by the label each Sensor's pod template carries.
  const egress = one(files, 'platform/ci/namespaces.yaml', 'NetworkPolicy', 'allow-sensor-api');
  for (const f of sensorFiles) {
    const labels = one(files, f, 'Sensor').spec.template.metadata.labels;
    for (const [k, v] of Object.entries(egress.spec.podSelector.matchLabels)) assert.is(labels[k], v, `${f}: ${k}`);
  }
});

test('the CI README\'s file table reads as written: no code span of its descriptions stripped to blanks', () => {
  const readme = render(pipelineSpec()).find((f) => f.path === 'platform/ci/README.md')!.content;
  const rows = readme.split('\n').filter((l) => /^\| `[^`]+` \| /.test(l));
  assert.ok(rows.some((r) => r.startsWith('| `external-secrets.yaml` |')), 'the table lists the files');
  // The md helper blanks backticks (a table cell is no place for user text to open a code span).
  for (const r of rows) assert.not.match(r.split(' | ').slice(1).join(' | '), /\S {2,}\S/, r);
});

test('the admission policy verifies what the pipeline signs, keyless', () => {
  const spec = pipelineSpec({ keyless: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC' } });
  const files = render(spec);
  const wt = workflowTemplate(files);
  const cip = one(files, 'platform/policy/ci-signed-images.yaml', 'ClusterImagePolicy');
  const [authority] = cip.spec.authorities;
  const sign = stepTemplates(wt).find((t) => verbOf(t) === 'sign')!;
  const signArgs = argsOf(sign);
  const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  // The signer's identity: its namespace and service account, through a sigstore-audience token.
  const subject = `https://kubernetes.io/namespaces/${wt.metadata.namespace}/serviceaccounts/${sign.serviceAccountName}`;
  assert.equal(authority.keyless.identities, [{ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC', subject }]);
  assert.is(authority.keyless.url, flag(signArgs, '--fulcio-url'));
  assert.is(authority.ctlog.url, flag(signArgs, '--rekor-url'));
  const token = sign.volumes.find((v: Obj) => v.projected).projected.sources[0].serviceAccountToken;
  assert.is(token.audience, 'sigstore');
  assert.is(flag(signArgs, '--identity-token'), `${sign.container.volumeMounts.find((m: Obj) => m.name === 'sigstore-token').mountPath}/${token.path}`);
  // Every image the pipeline builds is covered, signed by digest.
  assert.ok(signArgs[signArgs.length - 1].endsWith('@{{inputs.parameters.digest}}'), 'signs by digest');
  // policy-controller matches globs against the qualified reference, tag or digest included.
  const digest = `@sha256:${'a'.repeat(64)}`;
  for (const s of spec.services) assert.ok(cip.spec.images.some((i: Obj) => globMatches(i.glob, `${s.image}${digest}`)), `${s.image} is under a policy glob`);
  for (const i of cip.spec.images) assert.match(i.glob, /^[a-zA-Z0-9-_:/*.]+$/, 'a glob policy-controller accepts');
  assert.not.ok(cip.spec.images.some((i: Obj) => globMatches(i.glob, `docker.io/library/nginx${digest}`)), 'unrelated images are not covered');
  // The attestations admission requires are the ones the pipeline writes.
  const attestTypes = stepTemplates(wt).filter((t) => verbOf(t) === 'attest').map((t) => flag(argsOf(t), '--type'));
  assert.equal(authority.attestations.map((a: Obj) => a.predicateType).sort(), attestTypes.sort());
  assert.ok(attestTypes.includes(SCAN_ATTESTATION_TYPE));
  // Admission runs only where protected environments run.
  const appset = one(files, 'argocd/apps/addon-image-policy.yaml', 'ApplicationSet');
  assert.equal(appset.spec.generators[0].selector.matchExpressions[0].values, ['prod-1']);
  const ci = one(files, 'argocd/apps/addon-ci-pipeline.yaml', 'ApplicationSet');
  assert.equal(ci.spec.generators[0].selector.matchExpressions[0].values, ['hub']);
});

test('the admission policy verifies what the pipeline signs, with a key', () => {
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let files = render(pipelineSpec({ signing: 'key', key: { publicKey } }));
  let authority = one(files, 'platform/policy/ci-signed-images.yaml', 'ClusterImagePolicy').spec.authorities[0];
  assert.is(authority.key.data, publicKey);
  assert.is(authority.keyless, undefined);
  let sign = stepTemplates(workflowTemplate(files)).find((t) => verbOf(t) === 'sign')!;
  assert.ok(argsOf(sign).includes('--key=/cosign/cosign.key'));
  assert.ok(docs(files, 'platform/ci/external-secrets.yaml').some((d) => d.kind === 'ExternalSecret' && d.metadata.name === 'ci-cosign-key'), 'the key comes from the store');
  files = render(pipelineSpec({ signing: 'key', key: { kms: 'awskms:///alias/ci-signing' } }));
  authority = one(files, 'platform/policy/ci-signed-images.yaml', 'ClusterImagePolicy').spec.authorities[0];
  sign = stepTemplates(workflowTemplate(files)).find((t) => verbOf(t) === 'sign')!;
  assert.is(authority.key.kms, 'awskms:///alias/ci-signing');
  assert.ok(argsOf(sign).includes('--key=awskms:///alias/ci-signing'), 'signs with the key admission verifies');
  assert.not.ok(docs(files, 'platform/ci/external-secrets.yaml').some((d) => d.metadata.name === 'ci-cosign-key'), 'no key material with KMS');
});

test('credentials come from a store only the CI namespaces can read; Argo CD gets repo-creds', () => {
  const files = render(pipelineSpec());
  const es = docs(files, 'platform/ci/external-secrets.yaml');
  const store = es.find((d) => d.kind === 'ClusterSecretStore')!;
  assert.equal(store.spec.conditions, [{ namespaces: ['ci', 'ci-events'] }]);
  for (const d of es.filter((x) => x.kind === 'ExternalSecret')) {
    assert.is(d.spec.secretStoreRef.name, store.metadata.name);
    assert.ok(['ci', 'ci-events'].includes(d.metadata.namespace));
  }
  const registry = es.find((d) => d.metadata.name === 'ci-registry')!;
  assert.equal(Object.keys(JSON.parse(registry.spec.target.template.data['.dockerconfigjson'].replace(/\{\{[^}]*\}\}/g, 'x')).auths).sort(), ['ghcr.io', 'quay.io']);
  // Argo CD's own credentials live with its other secrets (argocd/secrets), not in the CI folder.
  const repoCreds = one(files, 'argocd/secrets/secrets.yaml', 'ExternalSecret', 'repo-creds-platform');
  assert.is(repoCreds.metadata.namespace, 'argocd');
  assert.is(repoCreds.spec.target.template.metadata.labels['argocd.argoproj.io/secret-type'], 'repo-creds');
  assert.is(repoCreds.spec.target.template.data.url, 'https://github.com/acme');
});

/** kubeseal's HybridDecrypt, to prove sealValue() output opens with the controller's key. */
function unseal(privateKey: KeyObject, sealed: string, label: Buffer): string {
  const data = Buffer.from(sealed, 'base64');
  const rsaLength = data.readUInt16BE(0);
  const sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, data.subarray(2, 2 + rsaLength));
  const aes = data.subarray(2 + rsaLength);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(aes.subarray(aes.length - 16));
  return Buffer.concat([decipher.update(aes.subarray(0, aes.length - 16)), decipher.final()]).toString('utf8');
}

test('sealValue encrypts like kubeseal: opens with the private key and the right scope only', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealed = sealValue({ certPem: pem, namespace: 'ci', name: 'ci-git-read', value: 's3cr3t ✓' });
  assert.is(unseal(privateKey, sealed, encryptionLabel('ci', 'ci-git-read')), 's3cr3t ✓');
  assert.not.match(sealed, /s3cr3t/);
  // Strict scope: another name or namespace cannot unseal it.
  assert.throws(() => unseal(privateKey, sealed, encryptionLabel('ci', 'other')));
  assert.throws(() => unseal(privateKey, sealed, encryptionLabel('other', 'ci-git-read')));
  assert.is(unseal(privateKey, sealValue({ certPem: pem, namespace: 'ci', name: 'x', value: 'v', scope: 'cluster-wide' }), encryptionLabel('a', 'b', 'cluster-wide')), 'v');
  assert.not.equal(sealValue({ certPem: pem, namespace: 'ci', name: 'x', value: 'v' }), sealValue({ certPem: pem, namespace: 'ci', name: 'x', value: 'v' }), 'randomized');
});

test('Sealed Secrets backend: nothing secret without a certificate; sealed, openable values with one', () => {
  const spec = pipelineSpec({}, { backend: 'sealed-secrets' });
  const plain = render(spec);
  assert.not.ok(plain.some((f) => f.path.startsWith('platform/ci/') && /kind: (Sealed)?Secret\b/.test(f.content) && !f.path.endsWith('rbac.yaml')));
  assert.not.ok(plain.some((f) => f.path === 'platform/ci/external-secrets.yaml'), 'no ExternalSecrets without External Secrets');
  const readme = plain.find((f) => f.path === 'platform/ci/sealed/README.md')!.content;
  for (const secret of ['ci-git-read', 'ci-gitops-write', 'ci-registry', 'ci-artifacts', 'ci-webhook']) assert.match(readme, new RegExp(`${secret} .*\\| kubeseal`), `README seals ${secret}`);
  assert.equal(YAML.parse(plain.find((f) => f.path === 'platform/ci/sealed/kustomization.yaml')!.content).resources, []);

  let openssl = true;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    openssl = false;
  }
  if (!openssl) return; // the certificate path needs openssl to mint a certificate; the key path is covered above
  const dir = tempDir('gs-seal-');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync('openssl', ['req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-subj', '/CN=sealed-secret', '-days', '1', '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const files = render(spec, { sealedSecrets: { certPem, values: { 'ci-git-read': { username: 'robot', password: 'hunter2' } } } });
  const sealed = files.find((f) => f.path === 'platform/ci/sealed/ci-git-read.yaml')!;
  assert.is(sealed.owner, 'seed', 'randomized output is written once');
  assert.not.match(sealed.content, /hunter2|robot/);
  const doc = YAML.parse(sealed.content);
  assert.is(doc.kind, 'SealedSecret');
  assert.is(unseal(privateKey, doc.spec.encryptedData.password, encryptionLabel('ci', 'ci-git-read')), 'hunter2');
  assert.equal(YAML.parse(files.find((f) => f.path === 'platform/ci/sealed/kustomization.yaml')!.content).resources, ['ci-git-read.yaml']);
  assert.ok(files.some((f) => f.path === 'platform/ci/sealed/sealed-secrets-cert.pem'), 'the public certificate is kept for offline sealing');
  assert.not.ok(files.some((f) => f.path === 'platform/ci/sealed/ci-registry.yaml'), 'only values the tool was given are sealed');
});

test('SOPS backend: creation rules for the repository\'s encrypted files and the KSOPS repo-server patch', () => {
  const age = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
  const files = render(pipelineSpec({}, { backend: 'sops', sops: { age: [age], kms: ['arn:aws:kms:eu-west-1:111122223333:key/abc'] } }));
  const rules = YAML.parse(files.find((f) => f.path === '.sops.yaml')!.content).creation_rules;
  assert.is(rules.length, 1);
  assert.is(rules[0].age, age);
  assert.is(rules[0].kms, 'arn:aws:kms:eu-west-1:111122223333:key/abc');
  assert.is(rules[0].encrypted_regex, '^(data|stringData)$');
  const re = new RegExp(rules[0].path_regex);
  assert.ok(re.test('platform/ci/secrets/ci-git-read.sops.yaml') && !re.test('platform/ci/secrets/README.md'));
  const component = YAML.parse(files.find((f) => f.path === 'argocd/install/ksops/kustomization.yaml')!.content);
  assert.is(component.kind, 'Component');
  const repoServer = component.patches.find((x: Obj) => x.target.name === 'argocd-repo-server');
  const patch = YAML.parse(repoServer.patch);
  assert.ok(patch.some((op: Obj) => op.path.endsWith('/initContainers/-') && /ksops/.test(op.value.image)));
  assert.ok(patch.some((op: Obj) => op.value?.name === 'SOPS_AGE_KEY_FILE'));
  const repoServerPatch = patch as Obj[];
  assert.equal(repoServerPatch.find((op) => op.value?.name === 'sops-age')!.value.secret, { secretName: 'sops-age', optional: true }, 'the repo-server starts before the age key exists');
  // A strategic merge: the upstream argocd-cm has no data for a JSON `add` to extend.
  const cm = YAML.parse(component.patches.find((x: Obj) => x.target.name === 'argocd-cm').patch);
  assert.equal(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data: { 'kustomize.buildOptions': '--enable-alpha-plugins --enable-exec' } });
  const install = YAML.parse(files.find((f) => f.path === 'argocd/install/kustomization.yaml')!.content);
  assert.equal(install.components, ['ksops'], 'the Argo CD install enables the Component');
  assert.not.ok(YAML.parse(renderSpec(exampleSpec('minimal')).find((f) => f.path === 'argocd/install/kustomization.yaml')!.content).components, 'only with the SOPS backend');
  // The README names the pattern verbatim: a reader can copy it (the `|` of the alternation kept).
  const readme = files.find((f) => f.path === 'platform/ci/secrets/README.md')!.content;
  assert.ok(readme.includes('Files matching `^(apps|platform|clusters)/.*\\.sops\\.ya?ml$` are'), readme.split('\n')[2]);
  // Without recipients there is nothing to encrypt for: no .sops.yaml.
  assert.not.ok(render(pipelineSpec({}, { backend: 'sops' })).some((f) => f.path === '.sops.yaml'));
});

test('the repository validates itself on every pull request with pinned tools', () => {
  const files = renderSpec(exampleSpec('minimal'));
  const wf = YAML.parse(files.find((f) => f.path === '.github/workflows/validate.yaml')!.content);
  const steps: Obj[] = wf.jobs.validate.steps;
  for (const s of steps.filter((x) => x.uses)) assert.match(s.uses, /@[0-9a-f]{40}$/, `${s.uses} pinned by commit SHA`);
  const run = steps.map((s) => s.run ?? '').join('\n');
  assert.match(run, /sha256sum -c/);
  assert.match(run, /kustomize build/);
  assert.match(run, /kubeconform "\$\{args\[@\]\}"/);
  assert.match(run, /-strict/);
  assert.match(run, /npm install --global --ignore-scripts .*"gitops-scaffold@\$\{GITOPS_SCAFFOLD_VERSION\}"/);
  assert.match(run, /^gitops-scaffold lint \.$/m);
  assert.match(run, /schemas export/);
  assert.match(wf.jobs.validate.env.KUBECONFORM_SHA256, /^[0-9a-f]{64}$/);
  assert.equal(wf.permissions, { contents: 'read' });
});

test.run();
