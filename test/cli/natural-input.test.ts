// How people write things: an image with its tag and digest, enum values in kebab-case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
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

test.run();
