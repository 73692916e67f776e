// The pin record and the upgrade plan (model/pins.ts): pure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TOOL_PINS, pinEntries, compareVersions, resolvePins, planUpgrade, assertNotNewer, type PinSet } from '../../generators/model/pins.ts';
import { pins, ciImages, repoCiPins } from '../../generators/model/versions.ts';
import { InputError } from '../../generators/model/errors.ts';
import { renderSpec } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const older = (): PinSet => {
  const p = structuredClone(TOOL_PINS) as PinSet;
  p.argocd.version = 'v3.4.2';
  p.argoRollouts.version = 'v1.8.3';
  p.externalSecrets.version = '2.8.1';
  p.ciImages.syft = { ...p.ciImages.syft, tag: 'v1.50.0', digest: `sha256:${'e'.repeat(64)}` };
  p.repoCi.checkout = { ...p.repoCi.checkout, tag: 'v4.2.1', sha: 'f'.repeat(40) };
  return p;
};
const throwsInput = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof InputError && re.test((e as Error).message));

test('every pin of versions.ts is in the pin set (a new pin cannot be left out of upgrade)', () => {
  const ids = new Set(pinEntries(TOOL_PINS).map((e) => e.id));
  for (const k of Object.keys(pins)) assert.ok(ids.has(k), k);
  for (const k of Object.keys(ciImages)) assert.ok(ids.has(`ciImages.${k}`), `ciImages.${k}`);
  for (const k of Object.keys(repoCiPins)) assert.ok(ids.has(`repoCi.${k}`), `repoCi.${k}`);
  for (const k of ['gatewayApiPlugin', 'curl', 'ksops']) assert.ok(ids.has(k), k);
});

test('versions compare as releases: numeric, pre-releases first, variants equal', () => {
  const table: [string, string, number][] = [
    ['v3.5.1', 'v3.5.1', 0], ['v3.4.9', 'v3.5.0', -1], ['v3.10.0', 'v3.9.9', 1], ['2.17.9', '2.17.10', -1],
    ['1.0.0-rc.1', '1.0.0', -1], ['1.0.0-rc.2', '1.0.0-rc.10', -1], ['24.11.1-bookworm', '24.11.1-bookworm', 0], ['24.11.1-bookworm', '24.12.0-bookworm', -1],
    ['v2.14.11', 'v3.0.0', -1], ['24', '22', 1], ['0.1.0', '0.1.1', -1],
  ];
  for (const [a, b, want] of table) assert.is(compareVersions(a, b), want, `${a} vs ${b}`);
});

test('a record is taken as recorded; what an older tool did not pin comes from this tool and is listed', () => {
  assert.equal(resolvePins(undefined), { pins: TOOL_PINS, added: [] });
  const record = older() as any;
  delete record.ciImages.node;
  delete record.repoCi.helm;
  delete record.ciImages.grype.digest; // pinned by tag alone: stays so
  const { pins: p, added } = resolvePins(JSON.parse(JSON.stringify(record)));
  assert.equal(added.sort(), ['ciImages.node', 'repoCi.helm']);
  assert.is(p.argocd.version, 'v3.4.2');
  assert.equal(p.ciImages.syft.digest, `sha256:${'e'.repeat(64)}`);
  assert.is(p.ciImages.grype.digest, undefined, 'no digest invented for a tag pinned alone');
  assert.equal(p.ciImages.node, TOOL_PINS.ciImages.node);
});

test('a record that is not a pin set is refused, naming the field and the fix', () => {
  throwsInput(() => resolvePins('v3.5.1'), /manifest\.json: pins is not what gitops-scaffold records[\s\S]*expected an object[\s\S]*git checkout -- \.gitops-scaffold\/manifest\.json/);
  throwsInput(() => resolvePins({ ...older(), argocd: 'v3.5.1' }), /pins\.argocd is not what[\s\S]*expected an object, found "v3\.5\.1"/);
  const noSha = older() as any;
  delete noSha.repoCi.kustomize.linuxAmd64Sha256;
  throwsInput(() => resolvePins(noSha), /pins\.repoCi\.kustomize\.linuxAmd64Sha256[\s\S]*missing: the pin is incomplete/);
});

test('upgrade moves every older pin, with the upstream notes for each step', () => {
  const plan = planUpgrade({ version: '0.0.9', pins: older() });
  const by = new Map(plan.moves.map((m) => [m.id, m]));
  assert.equal([...by.keys()].sort(), ['argoRollouts', 'argocd', 'ciImages.syft', 'externalSecrets', 'repoCi.checkout']);
  assert.equal(by.get('argocd'), { id: 'argocd', label: 'Argo CD', from: 'v3.4.2', to: TOOL_PINS.argocd.version, kind: 'up', notes: ['https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/3.4-3.5/', `https://github.com/argoproj/argo-cd/releases/tag/${TOOL_PINS.argocd.version}`] });
  assert.equal(by.get('externalSecrets')!.notes, [`https://github.com/external-secrets/external-secrets/releases/tag/helm-chart-${TOOL_PINS.externalSecrets.version}`]);
  assert.equal(by.get('repoCi.checkout')!.notes, [`https://github.com/actions/checkout/releases/tag/${TOOL_PINS.repoCi.checkout.tag}`]);
  assert.equal(plan.to.pins, TOOL_PINS);
  assert.is(plan.from.pins.argocd.version, 'v3.4.2');
  // The same release pinned differently (a digest added) is a re-pin, not silence.
  const repinned = structuredClone(TOOL_PINS) as PinSet;
  delete repinned.ciImages.cosign.digest;
  assert.equal(planUpgrade({ pins: repinned }).moves.map((m) => [m.id, m.kind]), [['ciImages.cosign', 'repin']]);
  assert.equal(planUpgrade({ version: '0.1.0', pins: TOOL_PINS }).moves, [], 'nothing to move');
});

test('a major Argo CD step says what changes; a pin newer than the tool is kept; a newer tool version is refused', () => {
  const p = older();
  p.argocd.version = 'v2.14.11';
  const argocd = planUpgrade({ pins: p }).moves.find((m) => m.id === 'argocd')!;
  assert.ok(argocd.notes[0].endsWith('/upgrading/2.14-3.0/') && argocd.notes.some((n) => n.endsWith('/upgrading/3.4-3.5/')), argocd.notes.join(' '));
  assert.ok(argocd.major!.some((l) => /`update` \/ `delete` on an Application no longer cover its resources/.test(l)));
  const newer = structuredClone(TOOL_PINS) as PinSet;
  newer.argoEvents.version = 'v1.99.0';
  const plan = planUpgrade({ pins: newer });
  assert.equal(plan.kept, [{ id: 'argoEvents', label: 'Argo Events', recorded: 'v1.99.0', tool: TOOL_PINS.argoEvents.version }]);
  assert.is(plan.to.pins.argoEvents.version, 'v1.99.0', 'never moved back');
  throwsInput(() => planUpgrade({ version: '99.0.0', pins: TOOL_PINS }), /rendered by gitops-scaffold 99\.0\.0, newer than this [\d.]+[\s\S]*npx gitops-scaffold@99\.0\.0/);
  assertNotNewer(undefined);
  assertNotNewer('0.0.1');
});

test('a render uses the pins it is given: every pinned reference follows them', () => {
  const text = readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8').replace(/\n  version: v3\.5\.1\n/, '\n');
  const spec = parseSpecText(text, 'enterprise');
  const old = older();
  const files = new Map(renderSpec(spec, text, undefined, old).map((f) => [f.path, f.content]));
  const tool = new Map(renderSpec(spec, text).map((f) => [f.path, f.content]));
  assert.match(files.get('argocd/install/kustomization.yaml')!, /manifests\/ha\/cluster-install\?ref=v3\.4\.2"/);
  assert.match(tool.get('argocd/install/kustomization.yaml')!, new RegExp(`cluster-install\\?ref=${TOOL_PINS.argocd.version}"`));
  assert.match(files.get('platform/addons/argo-rollouts/kustomization.yaml')!, /argo-rollouts\/\/manifests\/cluster-install\?ref=v1\.8\.3[\s\S]*newTag: v1\.8\.3/);
  assert.match(files.get('platform/ci/workflow-template.yaml')!, new RegExp(`docker.io/anchore/syft:v1\\.50\\.0@sha256:${'e'.repeat(64)}`));
  assert.match(files.get('.github/workflows/validate.yaml')!, new RegExp(`actions/checkout@${'f'.repeat(40)} # v4\\.2\\.1`));
  assert.match(files.get('argocd/apps/external-secrets.yaml') ?? [...files.entries()].find(([, c]) => c.includes('charts.external-secrets.io'))![1], /targetRevision: "?2\.8\.1"?/);
  // Only pinned references differ: the same paths, and files without a pin are the same bytes.
  assert.equal([...files.keys()], [...tool.keys()]);
  assert.is(files.get('apps/payments/payments-api/base/kustomization.yaml'), tool.get('apps/payments/payments-api/base/kustomization.yaml'));
});

/**
 * Every pin with a value no other text has (v9.<n>.7, digests and SHAs of their own), keyed by
 * its pinEntries id: where one shows in a render, that pin (and nothing else) put it there.
 */
function sentinelPins(): { pins: PinSet; marks: Map<string, string> } {
  const p = structuredClone(TOOL_PINS) as PinSet;
  const marks = new Map<string, string>();
  let n = 0;
  const mark = (id: string, v: string) => (marks.set(id, v), v);
  for (const k of ['argocd', 'argoRollouts', 'argoWorkflows', 'argoEvents'] as const) p[k].version = mark(k, `v9.${++n}.7`);
  for (const k of ['externalSecrets', 'sealedSecrets', 'policyController'] as const) p[k].version = mark(k, `9.${++n}.7`);
  p.eventBusJetStream = mark('eventBusJetStream', `9.${++n}.7`);
  for (const [k, img] of Object.entries(p.ciImages)) {
    img.tag = mark(`ciImages.${k}`, `9.${++n}.7`);
    if (img.digest) img.digest = `sha256:${String(n).padStart(64, 'a')}`;
  }
  for (const k of ['checkout', 'setupNode'] as const) {
    p.repoCi[k].tag = mark(`repoCi.${k}`, `v9.${++n}.7`);
    p.repoCi[k].sha = String(n).padStart(40, 'b');
  }
  for (const k of ['kustomize', 'kubeconform', 'helm'] as const) p.repoCi[k].version = mark(`repoCi.${k}`, `v9.${++n}.7`);
  p.repoCi.node = mark('repoCi.node', `9${++n}.1.7`);
  p.gatewayApiPlugin.version = mark('gatewayApiPlugin', `v9.${++n}.7`);
  p.curl.tag = mark('curl', `9.${++n}.7`);
  p.ksops.tag = mark('ksops', `v9.${++n}.7`);
  return { pins: p, marks };
}

test('every pin reaches the repository (so upgrade moves each): Argo CD, Rollouts, Workflows, Events, ESO, Sealed Secrets, policy-controller, CI images, repo CI', () => {
  const { pins: sentinels, marks } = sentinelPins();
  assert.equal([...marks.keys()].sort(), pinEntries(TOOL_PINS).map((e) => e.id).sort(), 'a sentinel for every pin');
  // What needs which model: enterprise (Istio, External Secrets, Workflows/Events CI, policy-controller);
  // the Gateway API router with SOPS (the Rollouts plugin, KSOPS); Sealed Secrets as the backend.
  const small = (router: string, secrets: Record<string, unknown>) => ({
    name: 'variant',
    repo: { url: 'https://github.com/acme/variant-gitops.git' },
    environments: [{ name: 'dev' }, { name: 'prod' }],
    clusters: [
      { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' },
      { name: 'prod-1', server: 'https://prod-1.k8s.example.com', environment: 'prod', ...(secrets.backend === 'sops' ? { auth: { type: 'aws' }, caData: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64') } : {}) },
    ],
    tenants: [{ name: 'shop', groups: { developer: ['shop-devs'] } }],
    delivery: { router, prometheus: 'http://prometheus-operated.monitoring.svc:9090' },
    secrets,
    services: [{ name: 'api', tenant: 'shop', image: 'ghcr.io/acme/api', tag: '1.2.3', strategy: 'canary', host: 'api.example.com', smokeTest: {} }],
  });
  const text = readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8').replace(/\n  version: v3\.5\.1\n/, '\n');
  const rendered = [
    renderSpec(parseSpecText(text, 'enterprise'), text, undefined, sentinels),
    renderSpec(small('gateway-api', { backend: 'sops', sops: { age: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'] } }), undefined, undefined, sentinels),
    renderSpec(small('nginx', { backend: 'sealed-secrets' }), undefined, undefined, sentinels),
  ].flat().map((f) => f.content).join('\n');
  assert.equal([...marks].filter(([, v]) => !rendered.includes(v)).map(([id]) => id), [], 'pins that reach no rendered file');
});

test.run();
