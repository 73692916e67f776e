// --sealed-secrets-cert and --seal-values through the CLI: only ciphertext reaches the repo, the
// certificate is kept for later runs, and bad or dangerous input is refused with nothing written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, tempDir, readTree } from './helpers.ts';

const cli = (args: string[]) => execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { CI: 'true' } });

const spec = {
  name: 'acme',
  repo: { url: 'https://github.com/acme/gitops.git', revision: 'main' },
  environments: [{ name: 'dev' }, { name: 'prod', protected: true }],
  clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['dev', 'prod'] }],
  tenants: [{ name: 'payments' }],
  secrets: { backend: 'sealed-secrets' },
  ci: { registry: 'ghcr.io/acme' },
  services: [{ name: 'payments-api', tenant: 'payments', image: 'ghcr.io/acme/payments-api', tag: '1.0.0' }],
};

function fixture() {
  const dir = tempDir('gs-seal-cli-');
  writeFileSync(path.join(dir, 'platform.yaml'), YAML.stringify(spec));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync('openssl', ['req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-subj', '/CN=sealed-secret', '-days', '1', '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  writeFileSync(path.join(dir, 'values.yaml'), 'ci-git-read: {username: robot-7f3a, password: "hunter2-9c1e"}\nci-registry: {username: pusher-2b8d, password: "ghp-not-a-real-token-0d4e"}\n');
  return { dir, out: path.join(dir, 'repo') };
}

test('sealing: only ciphertext is written, the registry becomes a docker config, the certificate is kept', async () => {
  const { dir, out } = fixture();
  const r = await cli(['init', '--answers', path.join(dir, 'platform.yaml'), '--out', out, '--sealed-secrets-cert', path.join(dir, 'cert.pem'), '--seal-values', path.join(dir, 'values.yaml'), '--yes']);
  assert.is(r.exitCode, 0, r.stderr);
  for (const [file, content] of Object.entries(readTree(out))) assert.not.match(content, /robot-7f3a|hunter2-9c1e|pusher-2b8d|ghp-not-a-real-token/, `${file} holds a plaintext value`);
  const git = YAML.parse(readFileSync(path.join(out, 'platform/ci/sealed/ci-git-read.yaml'), 'utf8'));
  assert.is(git.kind, 'SealedSecret');
  assert.equal(Object.keys(git.spec.encryptedData).sort(), ['password', 'username']);
  const registry = YAML.parse(readFileSync(path.join(out, 'platform/ci/sealed/ci-registry.yaml'), 'utf8'));
  assert.equal(Object.keys(registry.spec.encryptedData), ['.dockerconfigjson']);
  assert.is(registry.spec.template.type, 'kubernetes.io/dockerconfigjson');
  assert.ok(existsSync(path.join(out, 'platform/ci/sealed/sealed-secrets-cert.pem')));
  // A later render without the flags keeps the certificate and the sealed files as they are.
  const tree = readTree(out);
  const again = await cli(['render', '--repo', out]);
  assert.is(again.exitCode, 0, again.stderr);
  assert.equal(readTree(out), tree);
});

test('sealing refuses unknown credentials, missing keys, values inside the repo, and no certificate', async () => {
  const { dir, out } = fixture();
  const base = ['init', '--answers', path.join(dir, 'platform.yaml'), '--out', out, '--yes'];
  writeFileSync(path.join(dir, 'typo.yaml'), 'ci-git-reed: {username: a, password: b}\nci-registry: {username: a}\n');
  const typo = await cli([...base, '--sealed-secrets-cert', path.join(dir, 'cert.pem'), '--seal-values', path.join(dir, 'typo.yaml')]);
  assert.is(typo.exitCode, 2);
  assert.match(typo.stderr, /ci-git-reed: no CI credential has this name \(fix: use one of: .*ci-git-read/);
  assert.match(typo.stderr, /ci-registry: missing password \(fix: give exactly: username, password\)/);
  assert.not.ok(existsSync(out), 'nothing written');
  const noCert = await cli([...base, '--seal-values', path.join(dir, 'values.yaml')]);
  assert.is(noCert.exitCode, 2);
  assert.match(noCert.stderr, /needs the controller certificate/);
  const inside = await cli(['init', '--answers', path.join(dir, 'platform.yaml'), '--out', dir, '--yes', '--force', '--sealed-secrets-cert', path.join(dir, 'cert.pem'), '--seal-values', path.join(dir, 'values.yaml')]);
  assert.is(inside.exitCode, 2);
  assert.match(inside.stderr, /points inside the repository/);
  const notCert = await cli([...base, '--sealed-secrets-cert', path.join(dir, 'values.yaml')]);
  assert.is(notCert.exitCode, 2);
  assert.match(notCert.stderr, /not a PEM certificate/);
});

test.run();
