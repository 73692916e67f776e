import { test } from 'uvu';
import * as assert from 'uvu/assert';
import nodePlop from 'node-plop';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, tempDir } from './helpers.ts';

test('the plop generator "platform" loads and runs with injected answers', async () => {
  const dest = tempDir();
  const plop = await nodePlop(path.join(ROOT, 'plopfile.ts'), { destBasePath: dest, force: false });
  assert.equal(plop.getGeneratorList().map((g: any) => g.name), ['platform']);
  const gen = plop.getGenerator('platform');
  const answers = { name: 'plopped', repoUrl: 'https://github.com/acme/p.git', revision: 'main', environments: ['dev', 'prod'], hubEnvironments: ['dev', 'prod'], tenants: ['web'], strategy: 'rolling', router: 'none', out: 'repo' };
  const { changes, failures } = await gen.runActions(answers);
  assert.equal(failures, []);
  assert.is(changes.length, 1);
  const model = YAML.parse(readFileSync(path.join(dest, 'repo/platform.yaml'), 'utf8'));
  assert.is(model.name, 'plopped');
  assert.ok(existsSync(path.join(dest, 'repo/argocd/projects/web.yaml')));
});

test('prompt validators accept raw strings (bypass) and reject bad names', async () => {
  const plop = await nodePlop(path.join(ROOT, 'plopfile.ts'), { destBasePath: tempDir(), force: false });
  const prompts = plop.getGenerator('platform').prompts as any[];
  const name = prompts.find((p) => p.name === 'name');
  assert.is(name.validate('good-name'), true);
  assert.type(name.validate('Bad_Name'), 'string');
  const envs = prompts.find((p) => p.name === 'environments');
  assert.is(envs.validate('dev, prod'), true);
  assert.is(envs.validate(['dev', 'prod']), true);
});

test.run();
