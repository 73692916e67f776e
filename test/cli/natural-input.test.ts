// How people write things: an image with its tag and digest, enum values in kebab-case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { main } from '../../generators/cli.ts';
import { splitImageRef } from '../../generators/prompts/image-ref.ts';
import { ROOT, tempDir } from '../helpers.ts';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { exitCode, stdout, stderr };
}

function minimalRepo(): string {
  const root = path.join(tempDir('gs-natural-'), 'repo');
  run({ root, spec: parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal'), refuseForeign: true, check: false });
  return root;
}
const serviceIn = (root: string, name: string) => YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8')).services.find((s: any) => s.name === name);
const DIGEST = `sha256:${'ab'.repeat(32)}`;

test('splitImageRef: tag after the last slash, digest after @, a registry port is not a tag', () => {
  assert.equal(splitImageRef('ghcr.io/acme/web:1.4.2'), { repository: 'ghcr.io/acme/web', tag: '1.4.2' });
  assert.equal(splitImageRef(`ghcr.io/acme/web:1.4.2@${DIGEST}`), { repository: 'ghcr.io/acme/web', tag: '1.4.2', digest: DIGEST });
  assert.equal(splitImageRef(`registry:5000/web@${DIGEST}`), { repository: 'registry:5000/web', digest: DIGEST });
  assert.equal(splitImageRef('registry:5000/team/web'), { repository: 'registry:5000/team/web' });
});

test('add service --image repo:tag@digest (no --tag) and --strategy blue-green', async () => {
  const root = minimalRepo();
  const r = await cli(['add', 'service', 'cart', '--repo', root, '--tenant', 'web', '--image', `ghcr.io/acme/cart:2.0.1@${DIGEST}`, '--strategy', 'blue-green', '--no-check']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(serviceIn(root, 'cart'), { name: 'cart', tenant: 'web', image: 'ghcr.io/acme/cart', tag: '2.0.1', digest: DIGEST, strategy: 'blueGreen' });
  const clash = await cli(['add', 'service', 'cart', '--repo', root, '--tenant', 'web', '--image', 'ghcr.io/acme/cart:2.0.1', '--tag', '2.0.2']);
  assert.is(clash.exitCode, 2);
  assert.match(clash.stderr, /--tag: "2\.0\.2" differs from the tag in --image \(2\.0\.1\)/);
  const noTag = await cli(['add', 'service', 'ledger', '--repo', root, '--tenant', 'web', '--image', 'ghcr.io/acme/ledger']);
  assert.is(noTag.exitCode, 2);
  assert.match(noTag.stderr, /services\[ledger\]\.tag: required and not answered \(fix: --tag TAG or --image REPOSITORY:TAG/);
});

test('kebab spellings of enum values: --set maps them; in platform.yaml the error says how to write it', async () => {
  const root = minimalRepo();
  const r = await cli(['add', 'service', 'cart', '--repo', root, '--tenant', 'web', '--image', 'ghcr.io/acme/cart:1.0.0', '--set', 'strategy=blue-green', '--no-check']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(serviceIn(root, 'cart').strategy, 'blueGreen');
  const file = path.join(root, 'platform.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('strategy: blueGreen', 'strategy: blue-green'));
  const bad = await cli(['render', '--repo', root]);
  assert.is(bad.exitCode, 2);
  assert.match(bad.stderr, /services\[cart\]\.strategy: "blue-green" is not one of canary, blueGreen, rolling \(fix: write "blueGreen"\)/);
});

test('platform.yaml problems name list items and give the line; a value from a flag gets no line', async () => {
  const root = minimalRepo();
  const file = path.join(root, 'platform.yaml');
  const text = readFileSync(file, 'utf8');
  const bad = text.replace(/(\n    port: )\d+/, '$1eighty').replace(/(\n  - name: web\n)(    tenant: web)/, '$1    tenant: nope');
  assert.ok(bad !== text && bad.includes('eighty') && bad.includes('tenant: nope'), 'fixture edit applied');
  writeFileSync(file, bad);
  const lineOfText = (needle: string) => bad.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const r = await cli(['render', '--repo', root, '--json']);
  assert.is(r.exitCode, 2);
  const problems = JSON.parse(r.stdout).problems;
  const port = problems.find((p: any) => p.path === 'services[web].port');
  assert.ok(port, `named path in ${JSON.stringify(problems.map((p: any) => p.path))}`);
  assert.is(port.line, lineOfText('port: eighty'));
  assert.match(r.stderr, new RegExp(`platform\\.yaml:${port.line}: services\\[web\\]\\.port: "eighty" must be of type integer`));
  // The schema passes, a cross-field rule fails: still named and located.
  writeFileSync(file, text.replace(/(\n  - name: web\n)(    tenant: web)/, '$1    tenant: nope'));
  const rule = await cli(['render', '--repo', root]);
  assert.is(rule.exitCode, 2);
  assert.match(rule.stderr, /platform\.yaml:\d+: services\[web\]\.tenant: "nope" is not a declared tenant/);
  writeFileSync(file, text);
  const flag = await cli(['add', 'service', 'web', '--repo', root, '--update', '--port', 'abc']);
  assert.is(flag.exitCode, 2);
  assert.match(flag.stderr, /  - services\[web\]\.port: "abc" must be of type integer \(fix: give a valid value with --port VALUE/, 'no platform.yaml line for a flag');
});

test('init --answers FILE: problems at the lines of the answers file', async () => {
  const dir = tempDir();
  const answers = path.join(dir, 'a.yaml');
  writeFileSync(answers, 'name: acme\nrepo: {url: https://github.com/a/b.git}\nenvironments: [{name: dev}]\nclusters:\n  - name: hub\n    server: https://kubernetes.default.svc\n    environment: qa\n');
  const r = await cli(['init', '--answers', answers, '--out', path.join(dir, 'out')]);
  assert.is(r.exitCode, 2);
  assert.ok(r.stderr.includes(`${answers}:7: clusters[hub].environment: "qa" is not a declared environment`), r.stderr);
});

test.run();
