import { test } from 'uvu';
import * as assert from 'uvu/assert';
import nodePlop from 'node-plop';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { run } from '../generators/pipeline.ts';
import { parseSpecText } from '../generators/model/serialize.ts';
import { ROOT, tempDir, readTree } from './helpers.ts';
import { platformQuestions } from '../generators/prompts/questions.ts';
import { serviceQuestions } from '../generators/prompts/edit-questions.ts';

test('the plop generator "platform" loads and runs with injected answers', async () => {
  const dest = tempDir();
  const plop = await nodePlop(path.join(ROOT, 'plopfile.ts'), { destBasePath: dest, force: false });
  assert.equal(plop.getGeneratorList().map((g: any) => g.name), ['platform', 'service', 'tenant', 'cluster', 'environment', 'remove-service', 'remove-tenant', 'remove-cluster', 'remove-environment']);
  const gen = plop.getGenerator('platform');
  const answers = { name: 'plopped', repoUrl: 'https://github.com/acme/p.git', revision: 'main', environments: ['dev', 'prod'], hubEnvironments: ['dev', 'prod'], tenants: ['web'], strategy: 'rolling', router: 'none', out: 'repo' };
  const { changes, failures } = await gen.runActions(answers);
  assert.equal(failures, []);
  assert.is(changes.length, 1);
  const model = YAML.parse(readFileSync(path.join(dest, 'repo/platform.yaml'), 'utf8'));
  assert.is(model.name, 'plopped');
  assert.ok(existsSync(path.join(dest, 'repo/argocd/projects/web.yaml')));
});

test('the questions plop and the CLI share check raw strings (bypass) and filtered values alike', async () => {
  const plop = await nodePlop(path.join(ROOT, 'plopfile.ts'), { destBasePath: tempDir(), force: false });
  // The generators ask through functions (one question at a time, with the repository's context).
  for (const g of plop.getGeneratorList()) assert.type(plop.getGenerator(g.name).prompts, 'function', g.name);
  const name = platformQuestions.find((p) => p.name === 'name') as any;
  assert.is(name.validate('good-name'), true);
  assert.type(name.validate('Bad_Name'), 'string');
  const envs = platformQuestions.find((p) => p.name === 'environments') as any;
  assert.is(envs.validate('dev, prod'), true);
  assert.is(envs.validate(['dev', 'prod']), true);
  assert.match(String(envs.validate('dev, dev')), /given twice/);
  const service = serviceQuestions({ tenants: ['web'], services: ['api'], environments: ['dev', 'prod'], strategy: 'canary' });
  const q = (n: string): any => service.find((p) => p.name === n);
  assert.is(q('port').validate('8080'), true);
  assert.type(q('port').validate('abc'), 'string');
  assert.type(q('tag').validate('latest'), 'string');
  assert.is(q('image').validate('ghcr.io/acme/api:1.0'), true, 'an image with its tag');
  assert.type(q('image').validate('ghcr.io/acme/api:latest'), 'string');
  assert.match(String(q('name').validate('api')), /exists already/);
  assert.equal([q('tenant').type, q('tenant').choices], ['list', ['web']], 'declared tenants only');
  assert.is(q('strategy').default, 'canary', "the platform's strategy is the default");
  assert.equal(q('strategy').choices, ['canary', 'blueGreen', 'rolling'], 'choices from the schema');
});

test('plop "service", "tenant" and "environment" add what the CLI adds; the remove-* generators restore every byte', async () => {
  const dest = tempDir();
  const root = path.join(dest, 'repo');
  run({ root, spec: parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal'), refuseForeign: true });
  const pristine = readTree(root);
  const plop = await nodePlop(path.join(ROOT, 'plopfile.ts'), { destBasePath: dest, force: false });
  const tenant = plop.getGenerator('tenant');
  assert.equal((await tenant.runActions({ repo: 'repo', name: 'shop', description: 'Shop team', environments: '' })).failures, []);
  const service = plop.getGenerator('service');
  const answers = { repo: 'repo', name: 'cart', tenant: 'shop', image: 'ghcr.io/acme/cart', tag: '1.0.0', port: '8081', strategy: 'rolling', host: '', environments: '' };
  const { failures } = await service.runActions(answers);
  assert.equal(failures, []);
  const model = YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8'));
  assert.equal(model.services.at(-1), { name: 'cart', tenant: 'shop', image: 'ghcr.io/acme/cart', tag: '1.0.0', port: 8081, strategy: 'rolling' });
  assert.equal(model.tenants.at(-1), { name: 'shop', description: 'Shop team' });
  assert.ok(existsSync(path.join(root, 'apps/shop/cart/base/deployment.yaml')));
  const withService = readTree(root);
  assert.equal((await service.runActions(answers)).failures, [], 'the same answers again: no-op');
  assert.equal(readTree(root), withService);
  const changed = await service.runActions({ ...answers, port: '9000' });
  assert.is(changed.failures.length, 1, 'different settings without "update" fail');
  assert.match(String(changed.failures[0].error), /--update/);
  assert.is((globalThis as any)[Symbol.for('gitops-scaffold.plop.exitCode')], 2, 'an input error: scripts/plop.mjs exits 2, as the CLI');
  const environment = plop.getGenerator('environment');
  const hub = model.clusters[0].name;
  assert.equal((await environment.runActions({ repo: 'repo', name: 'qa', after: '', protected: false, cluster: hub })).failures, []);
  assert.ok(existsSync(path.join(root, 'apps/shop/cart/overlays/qa/kustomization.yaml')));
  for (const [gen, name] of [['remove-environment', 'qa'], ['remove-service', 'cart'], ['remove-tenant', 'shop']]) {
    assert.equal((await plop.getGenerator(gen).runActions({ repo: 'repo', name })).failures, [], gen);
  }
  assert.equal(readTree(root), pristine);
});

test.run();
