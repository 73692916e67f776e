// The questions of `add` (CLI and plop): each answer is checked when given, by the question and
// against the whole model (the rules `add` would apply after the last question), answers given as
// flags before the first question, and a service without a tenant to belong to is refused at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../generators/model/errors.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import type { PlatformSpec } from '../../generators/model/types.ts';
import { QUESTIONS, askEntity, contextOf } from '../../generators/prompts/edit-questions.ts';
import { editGenerators } from '../../generators/edit-generators.ts';
import { PLOP_EXIT_CODE } from '../../generators/platform.ts';
import { platformSchema } from '../../generators/model/schema.ts';
import { run } from '../../generators/pipeline.ts';
import { answersCommandLine } from '../../generators/commands/edit.ts';
import { ROOT, tempDir } from '../helpers.ts';

// Before any question is built: the suite shares one process, and platform.schema.json is written from this.
const SCHEMA_AT_LOAD = JSON.stringify(platformSchema);
const minimal = () => parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal') as PlatformSpec;
const withServices = (spec: PlatformSpec): PlatformSpec => ({ ...spec, services: [...(spec.services ?? []), { name: 'cart', tenant: 'web', image: 'ghcr.io/acme/cart', tag: '1.0.0', port: 8080, host: 'shop.example.com' } as any] });
const question = (kind: keyof typeof QUESTIONS, name: string, spec: PlatformSpec, extra = {}) => QUESTIONS[kind]({ ...contextOf(spec), ...extra }).find((q) => q.name === name)!;
const never = async () => {
  throw new Error('asked a question');
};

test('an answer the model refuses is refused when given, naming what it collides with', () => {
  const spec = withServices(minimal());
  const host = question('service', 'host', spec);
  const answers = { name: 'shop', tenant: 'web', image: 'ghcr.io/acme/shop:1.0.0', port: '8080', strategy: 'rolling' };
  assert.match(String(host.validate('shop.example.com', answers)), /host "shop\.example\.com" is already used at services\[cart\]\.host/);
  assert.is(host.validate('other.example.com', answers), true);
  assert.is(host.validate('', answers), true, 'empty: not routed');
  // Valid as a label, too long for the names derived from it: the model's rule, at the name.
  const name = question('service', 'name', spec);
  assert.match(String(name.validate('a'.repeat(60), {})), /leaves no room for the names derived from it/);
  assert.is(name.validate('shop', {}), true);
  // A second cluster on the hub's in-cluster URL: only the hub may use it.
  const server = question('cluster', 'server', spec);
  assert.match(String(server.validate('https://kubernetes.default.svc', { name: 'eu' })), /only the hub running Argo CD can/);
  assert.is(server.validate('https://eu.k8s.example.com', { name: 'eu' }), true);
});

test('a later answer is not blamed on an earlier one; plop may name an existing service (it asks "update?")', () => {
  const spec = withServices(minimal());
  // The port is judged before the host is asked: the stand-ins for later answers are valid.
  assert.is(question('service', 'port', spec).validate('9090', { name: 'shop', tenant: 'web', image: 'ghcr.io/acme/shop:1.0.0' }), true);
  assert.match(String(question('service', 'name', spec).validate('cart', {})), /service "cart" exists already/);
  assert.is(question('service', 'name', spec, { allowExisting: true }).validate('cart', {}), true);
  assert.is(question('service', 'host', spec, { allowExisting: true }).validate('shop.example.com', { name: 'cart', tenant: 'web', image: 'ghcr.io/acme/cart:1.0.0', port: '8080' }), true, 'its own host');
});

test('answers given as flags are checked before the first question (CLI)', async () => {
  const ctx = contextOf(withServices(minimal()));
  const err = await askEntity('service', { name: 'shop', tenant: 'nope', port: '99999' }, ctx, never).catch((e) => e);
  assert.instance(err, InputError);
  assert.is(err.exitCode, 2);
  assert.equal(err.problems.map((p: any) => p.path), ['--tenant', '--port']);
  assert.match(err.problems[0].message, /"nope" is not one of: web/);
  const host = await askEntity('service', { name: 'shop', host: 'shop.example.com' }, ctx, never).catch((e) => e);
  assert.match(host.problems[0].message, /already used at services\[cart\]\.host/);
});

test('no tenant declared: add service refuses before asking, in the CLI and in plop (exit 2)', async () => {
  const spec = { ...minimal(), tenants: undefined, services: undefined } as unknown as PlatformSpec;
  const err = await askEntity('service', {}, contextOf(spec), never).catch((e) => e);
  assert.instance(err, InputError);
  assert.match(err.message, /no tenant yet/);

  const root = path.join(tempDir('gs-edit-q-'), 'repo');
  run({ root, spec: spec as any, refuseForeign: true, check: false });
  delete (globalThis as Record<symbol, unknown>)[PLOP_EXIT_CODE];
  const asked: string[] = [];
  const inquirer = { prompt: async (qs: any[]) => Object.fromEntries(qs.map((q) => (asked.push(q.name), [q.name, q.name === 'repo' ? root : undefined]))) };
  const plop = await (editGenerators.service as any).prompts(inquirer).catch((e: unknown) => e);
  assert.instance(plop, InputError);
  assert.match(plop.message, /no tenant yet/);
  assert.equal(asked, ['repo'], 'nothing asked after the repository');
  assert.is((globalThis as Record<symbol, unknown>)[PLOP_EXIT_CODE], 2);
  delete (globalThis as Record<symbol, unknown>)[PLOP_EXIT_CODE];
});

test('plop and the CLI ask the same questions with the same defaults, the platform strategy included', () => {
  const spec = { ...minimal(), delivery: { strategy: 'canary', router: 'none' } } as PlatformSpec;
  const sample = { name: 'eu', authType: 'aws', tenant: 'web' };
  const shape = (q: any) => [q.name, q.type, typeof q.message === 'function' ? q.message(sample) : q.message, typeof q.default === 'function' ? q.default(sample) : q.default];
  for (const kind of ['service', 'tenant', 'cluster', 'environment'] as const) {
    const cli = QUESTIONS[kind](contextOf(spec));
    const plop = QUESTIONS[kind]({ ...contextOf(spec), allowExisting: true });
    assert.equal(plop.map(shape), cli.map(shape), kind);
  }
  assert.is(question('service', 'strategy', spec).default, 'canary');
});

test("asking never changes the model's schema (the choices offered are a copy; platform.schema.json is written from it)", () => {
  for (const kind of ['service', 'tenant', 'cluster', 'environment'] as const) QUESTIONS[kind](contextOf(minimal()));
  assert.is(JSON.stringify(platformSchema), SCHEMA_AT_LOAD, 'the tests above asked every question too');
});

test('the answers as a command line: flags where there is one, --set for the rest, quoted for the shell', () => {
  assert.is(
    answersCommandLine('cluster', { name: 'eu', server: 'https://eu.k8s.example.com', environment: 'prod', auth: { type: 'aws', roleArn: 'arn:aws:iam::1:role/argocd' }, caData: 'QUJD' }, {}, 'my repo'),
    "gitops-scaffold add cluster eu --server https://eu.k8s.example.com --environment prod --set auth.type=aws --set auth.roleArn=arn:aws:iam::1:role/argocd --set caData=QUJD --repo 'my repo'",
  );
  assert.is(answersCommandLine('environment', { name: 'qa', protected: true }, { after: 'dev', cluster: { name: 'qa-1', server: 'https://qa.example.com' } }), 'gitops-scaffold add environment qa --protected --after dev --cluster qa-1 --server https://qa.example.com');
  assert.is(answersCommandLine('tenant', { name: 'pay', description: "it's ours" }, {}), "gitops-scaffold add tenant pay --set 'description=it'\\''s ours'");
});

test.run();
