// The promotion engine (model/promote.ts): which environment changes, from where, and what it
// refuses. Pure: specs in, specs out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planPromotion, imageIn, type PromoteRequest } from '../../generators/model/promote.ts';
import { serviceInEnv } from '../../generators/plan/service/environments.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { InputError } from '../../generators/model/errors.ts';
import type { PlatformSpec } from '../../generators/model/types.ts';
import { ROOT } from '../helpers.ts';

const enterprise = () => parseSpecText(readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8'), 'enterprise') as PlatformSpec;
const D1 = `sha256:${'1'.repeat(64)}`;
const api = (spec: PlatformSpec) => spec.services!.find((s) => s.name === 'payments-api')!;
const refused = (spec: PlatformSpec, req: PromoteRequest, pattern: RegExp) =>
  assert.throws(() => planPromotion(spec, req), (e: unknown) => e instanceof InputError && pattern.test((e as Error).message), `refused: ${pattern}`);

test('the model value is what the planner renders (one rule for both)', () => {
  const spec = enterprise();
  const p = normalize(spec);
  for (const s of p.services) for (const env of s.environments) {
    const e = serviceInEnv(p, s, env);
    assert.equal(imageIn(spec.services!.find((x) => x.name === s.name)!, env), e.digest ? { tag: e.tag, digest: e.digest } : { tag: e.tag }, `${s.name} in ${env}`);
  }
});

test('no --to: the next pending step; dev -> staging -> prod, each from the one before', () => {
  let spec = enterprise();
  // dev runs 2.15.0-rc.1 (override), staging and prod the base 2.14.1@digest.
  const r1 = planPromotion(spec, { service: 'payments-api' });
  assert.is(r1.status, 'promoted');
  assert.is(r1.promotion.to, 'staging');
  assert.equal(r1.promotion.source, { kind: 'environment', env: 'dev' });
  assert.equal(r1.promotion.before, { tag: '2.14.1', digest: api(spec).digest });
  assert.equal(r1.promotion.after, { tag: '2.15.0-rc.1' });
  assert.is(r1.promotion.protected, false);
  spec = r1.spec;
  // An override of the tag alone drops the base digest: staging now runs exactly dev's version.
  assert.equal(api(spec).overrides!.staging, { tag: '2.15.0-rc.1' });
  const r2 = planPromotion(spec, { service: 'payments-api' });
  assert.is(r2.promotion.to, 'prod');
  assert.is(r2.promotion.protected, true);
  // prod's other overrides (replicas, cpu, memory) are kept.
  assert.equal(api(r2.spec).overrides!.prod, { tag: '2.15.0-rc.1', replicas: 4, cpu: '1', memory: '1Gi' });
  const r3 = planPromotion(r2.spec, { service: 'payments-api' });
  assert.is(r3.status, 'unchanged');
  assert.match(r3.notes[0], /every environment of payments-api \(dev, staging, prod\) runs 2\.15\.0-rc\.1: nothing to promote/);
});

test('a build goes into the first environment with its digest; the digest travels on', () => {
  const r = planPromotion(enterprise(), { service: 'payments-api', build: { tag: '2.16.0', digest: D1 } });
  assert.is(r.promotion.to, 'dev');
  assert.equal(api(r.spec).overrides!.dev, { tag: '2.16.0', digest: D1, replicas: 1 });
  const next = planPromotion(r.spec, { service: 'payments-api', to: 'staging' });
  assert.equal(next.promotion.after, { tag: '2.16.0', digest: D1 });
  // The same build again changes nothing.
  assert.is(planPromotion(r.spec, { service: 'payments-api', build: { tag: '2.16.0', digest: D1 } }).status, 'unchanged');
});

test('skipping an environment is refused unless --allow-skip, naming the flag', () => {
  const spec = enterprise();
  refused(spec, { service: 'payments-api', to: 'prod', from: 'dev' }, /from dev to prod skips staging[\s\S]*--allow-skip/);
  const ok = planPromotion(spec, { service: 'payments-api', to: 'prod', from: 'dev', allowSkip: true });
  assert.equal(ok.promotion.skipped, ['staging']);
  assert.equal(ok.promotion.after, { tag: '2.15.0-rc.1' });
  refused(spec, { service: 'payments-api', to: 'staging', build: { tag: '3.0.0' } }, /a new build goes into dev first, not staging[\s\S]*--allow-skip/);
  assert.equal(planPromotion(spec, { service: 'payments-api', to: 'prod', build: { tag: '3.0.0' }, allowSkip: true }).promotion.skipped, ['dev', 'staging']);
});

test('--to an environment whose predecessor has not moved yet: unchanged, and says what to do', () => {
  const r = planPromotion(enterprise(), { service: 'payments-api', to: 'prod' });
  assert.is(r.status, 'unchanged');
  assert.equal(r.notes, ['prod already runs 2.14.1@sha256:4b1c3f0e8a9d…', 'dev runs 2.15.0-rc.1, which has not reached staging yet: promote --to staging first']);
});

test('rollback: --revision takes what the environment ran at that revision', () => {
  const old = enterprise();
  const moved = planPromotion(planPromotion(old, { service: 'payments-api' }).spec, { service: 'payments-api' }).spec;
  const back = planPromotion(moved, { service: 'payments-api', to: 'prod', revision: { ref: 'v1', spec: old } });
  assert.equal(back.promotion.source, { kind: 'revision', ref: 'v1' });
  assert.equal(back.promotion.after, { tag: '2.14.1', digest: api(old).digest });
  assert.equal(imageIn(api(back.spec), 'prod'), imageIn(api(old), 'prod'));
  refused(moved, { service: 'payments-api', revision: { ref: 'v1', spec: old } }, /which environment rolls back/);
  refused(moved, { service: 'payments-api', to: 'prod', revision: { ref: 'v0', spec: { ...old, services: [] } } }, /not in platform\.yaml at v0/);
});

test('bad requests name the field and the fix', () => {
  const spec = enterprise();
  refused(spec, { service: 'nope' }, /no service "nope"[\s\S]*use one of: payments-api, search-api/);
  refused(spec, { service: 'event-ingest', to: 'prod' }, /does not run in "prod"[\s\S]*dev -> staging/);
  refused(spec, { service: 'payments-api', to: 'dev' }, /dev is the first environment[\s\S]*--tag TAG/);
  refused(spec, { service: 'payments-api', to: 'staging', from: 'prod' }, /prod comes after staging[\s\S]*--revision REF/);
  refused(spec, { service: 'payments-api', build: { tag: 'latest' } }, /latest/);
  refused(spec, { service: 'payments-api', build: { tag: '1.0.0', digest: 'sha256:nothex' } }, /is not a digest/);
  refused(spec, { service: 'payments-api', build: { tag: '1' }, revision: { ref: 'x', spec } }, /--tag and --revision/);
});

test('the input spec is never mutated', () => {
  const spec = enterprise();
  const before = JSON.stringify(spec);
  planPromotion(spec, { service: 'payments-api', build: { tag: '9.9.9' } });
  planPromotion(spec, { service: 'payments-api' });
  assert.is(JSON.stringify(spec), before);
});

test.run();
