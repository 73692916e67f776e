// The component table (generators/model/components.ts) says what each pinned upstream base and
// chart installs. It must equal the facts scripts/derive-components.ts derived from the upstream
// sources at the pinned tags (test/simulate/fixtures/upstream-components.json, which also keeps the
// sha256 of every upstream file read), and be read at the tags the pins name.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANNOTATIONS_SIZE_LIMIT, chartFullname, lastAppliedBytes, pins, upstreamComponents } from '../../generators/model/versions.ts';
import { ROOT } from '../helpers.ts';

const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/simulate/fixtures/upstream-components.json'), 'utf8'));

test('the table equals the facts derived from upstream, component by component', () => {
  assert.equal(upstreamComponents.map((c) => c.id), fixture.components.map((c: any) => c.id));
  for (const derived of fixture.components) {
    const { files, ...facts } = derived;
    const table = upstreamComponents.find((c) => c.id === derived.id)!;
    assert.equal(JSON.parse(JSON.stringify(table)), facts, derived.id);
    assert.ok(Object.keys(files).length > 0 && Object.values(files).every((h) => /^[0-9a-f]{64}$/.test(String(h))), `${derived.id}: sha256 of the upstream files read`);
  }
});

test('every component is read at its pinned tag', () => {
  const tagOf = (pin: keyof typeof pins) => {
    const p: any = pins[pin];
    if (pin === 'externalSecrets') return `helm-chart-${p.version}`;
    if (pin === 'sealedSecrets') return `helm-v${p.version}`;
    if (pin === 'policyController') return `policy-controller-${p.version}`;
    return p.version;
  };
  for (const c of upstreamComponents) {
    assert.is(c.tag, tagOf(c.pin), c.id);
    assert.is(c.source.repo, (pins[c.pin] as any).repo, c.id);
  }
});

test('the ApplicationSet CRD is too big for client-side apply, as upstream documents', () => {
  const appset = upstreamComponents.find((c) => c.id === 'argocd-ha')!.crds.find((d) => d.kind === 'ApplicationSet')!;
  assert.ok(appset.lastAppliedBytes > ANNOTATIONS_SIZE_LIMIT);
  const project = upstreamComponents.find((c) => c.id === 'argocd-ha')!.crds.find((d) => d.kind === 'AppProject')!;
  assert.ok(project.lastAppliedBytes < ANNOTATIONS_SIZE_LIMIT);
});

test('lastAppliedBytes counts JSON as Go writes it (HTML characters escaped)', () => {
  assert.is(lastAppliedBytes({ a: 'x' }), '{"a":"x"}'.length);
  assert.is(lastAppliedBytes({ a: '<&>' }), '{"a":"\\u003c\\u0026\\u003e"}'.length);
  assert.is(lastAppliedBytes({ a: 'é' }), '{"a":"é"}'.length + 1);
});

test('chart fullname follows the charts\' helper', () => {
  assert.is(chartFullname('external-secrets', 'external-secrets'), 'external-secrets');
  assert.is(chartFullname('sealed-secrets', 'sealed-secrets-controller'), 'sealed-secrets-controller');
  assert.is(chartFullname('policy-controller', 'pc'), 'pc-policy-controller');
  assert.is(chartFullname('sealed-secrets', 'x', { fullnameOverride: 'sealed-secrets-controller' }), 'sealed-secrets-controller');
  assert.is(chartFullname('c', 'r', { nameOverride: 'n' }), 'r-n');
  assert.is(chartFullname('c', 'a'.repeat(70)), 'a'.repeat(63));
});

test.run();
