// The published package: `npm pack`, install the tarball into an empty folder offline (an empty
// npm cache, so nothing but the tarball is available), run the installed bin. No TypeScript
// loader, no build step on install, the strict schemas prebuilt inside.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { GENERATOR_VERSION } from '../../generators/model/versions.ts';
import { ROOT, readTree, tempDir } from '../helpers.ts';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('package.json: publishable, honest engines, nothing to install at run time', () => {
  assert.not.ok(pkg.private, 'not private');
  assert.equal(pkg.dependencies ?? {}, {}, 'everything the CLI runs is bundled into dist/');
  assert.ok(pkg.files.includes('dist/') && pkg.files.includes('.cache/schemas/'));
  assert.is(pkg.bin['gitops-scaffold'], 'bin/gitops-scaffold.js');
  const [major] = process.versions.node.split('.').map(Number);
  assert.ok(major === 20 || major >= 22, `engines (${pkg.engines.node}) covers the Node running the tests`);
  // prepare too: npm runs it for git and folder installs, and npm 11 lists a package that has it as
  // "has install scripts not yet covered by allowScripts".
  assert.not.ok(pkg.scripts.postinstall || pkg.scripts.install || pkg.scripts.preinstall || pkg.scripts.prepare, 'no build step on install');
});

test('npm pack -> npm install ./gitops-scaffold-X.tgz offline into an empty folder -> init --example minimal', async () => {
  const work = tempDir('gs-pack-');
  const npm = (args: string[], cwd: string) => execa('npm', [...args, '--no-audit', '--no-fund', '--loglevel=warn'], { cwd, reject: false, env: { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' } });
  const pack = await npm(['pack', '--pack-destination', work], ROOT);
  assert.is(pack.exitCode, 0, pack.stderr);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  assert.is(tarball, `gitops-scaffold-${GENERATOR_VERSION}.tgz`);

  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{"name": "consumer", "private": true}\n');
  const install = await npm(['install', '--offline', `../${tarball}`], app);
  assert.is(install.exitCode, 0, install.stderr);
  assert.not.match(install.stderr + install.stdout, /EBADENGINE|deprecated|install.scripts|allowScripts/i);
  const installed = path.join(app, 'node_modules', 'gitops-scaffold');
  assert.equal(readdirSync(path.join(app, 'node_modules')).filter((d) => !d.startsWith('.')), ['gitops-scaffold'], 'one package, no dependencies');
  assert.not.ok(existsSync(path.join(installed, 'generators')), 'no TypeScript sources shipped');
  assert.ok(existsSync(path.join(installed, '.cache/schemas/manifest.json')), 'strict schemas prebuilt');

  const bin = path.join(app, 'node_modules', '.bin', 'gitops-scaffold');
  const env = { PATH: process.env.PATH!, CI: 'true' }; // no NODE_OPTIONS: no loader
  const version = await execa(bin, ['--version'], { cwd: app, reject: false, env });
  assert.is(version.stdout.trim(), GENERATOR_VERSION);
  const init = await execa(bin, ['init', '--example', 'minimal', '--out', 'platform'], { cwd: app, reject: false, env });
  assert.is(init.exitCode, 0, init.stderr);
  assert.is(init.stderr, '');
  assert.ok(existsSync(path.join(app, 'platform/argocd/projects/default.yaml')));
  const ci = YAML.parse(readFileSync(path.join(app, 'platform/.github/workflows/validate.yaml'), 'utf8'));
  assert.is(ci.jobs.validate.env.GITOPS_SCAFFOLD_VERSION, GENERATOR_VERSION);
  const validate = await execa(bin, ['validate', 'platform', '--no-kustomize', '--kubeconform', 'never'], { cwd: app, reject: false, env });
  assert.is(validate.exitCode, 0, validate.stdout + validate.stderr);
  assert.not.match(validate.stderr, /building/, 'the shipped schemas are used as they are');

  // The bundle (precompiled templates, bundled yaml and handlebars) writes the bytes the sources
  // write: the enterprise example, as committed, file for file (the golden test renders it from
  // the sources; platform.yaml and the manifest differ only by the example's comments).
  const enterprise = await execa(bin, ['init', '--example', 'enterprise', '--out', 'enterprise'], { cwd: app, reject: false, env });
  assert.is(enterprise.exitCode, 0, enterprise.stderr);
  const skip = new Set(['platform.yaml', '.gitops-scaffold/manifest.json']);
  const written = readTree(path.join(app, 'enterprise'));
  const golden = readTree(path.join(ROOT, 'examples', 'enterprise'));
  for (const f of skip) written.delete(f), golden.delete(f);
  assert.equal([...written.keys()].sort(), [...golden.keys()].sort());
  for (const [f, text] of golden) assert.is(written.get(f), text, f);
});

test.run();
