// Nothing gitops-scaffold writes may hold a secret value: every file of both examples (and of a
// Sealed Secrets render with sealed values) is scanned for Secrets carrying data and for
// credential-shaped strings. The scanner is shown to catch planted secrets, so a pass means
// something.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { renderSpec } from '../generators/pipeline.ts';
import { parseSpecText } from '../generators/model/serialize.ts';
import { validateSpec } from '../generators/model/validate-spec.ts';
import { normalize } from '../generators/model/normalize.ts';
import { planRepo } from '../generators/plan/index.ts';
import { renderPlan } from '../generators/plan/render.ts';
import { createEngine } from '../generators/render/engine.ts';
import { loadTemplates } from '../generators/io/templates.ts';
import { ROOT, tempDir } from './helpers.ts';

interface Hit {
  file: string;
  what: string;
}

/** Credential shapes (GitHub, AWS, Slack, PEM private keys, JWTs). */
const TOKENS: [string, RegExp][] = [
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}/],
  ['GitHub fine-grained token', /\bgithub_pat_[A-Za-z0-9_]{22,}/],
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['Slack token', /\bxox[bpoars]-[A-Za-z0-9-]{10,}/],
  ['private key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ['JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];

/** Secrets whose values would sit in Git: a core Secret with anything in data or stringData. */
function plaintextSecrets(file: string, content: string): Hit[] {
  if (!/\.ya?ml$/.test(file)) return [];
  const hits: Hit[] = [];
  for (const doc of YAML.parseAllDocuments(content, { version: '1.1' })) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== 'object' || obj.kind !== 'Secret') continue;
    for (const field of ['data', 'stringData']) {
      const values = obj[field];
      if (values && typeof values === 'object' && Object.values(values).some((v) => v !== null && v !== '')) hits.push({ file, what: `Secret ${obj.metadata?.name ?? '?'} with ${field}` });
    }
  }
  return hits;
}

function scanForSecrets(files: { path: string; content: string }[]): Hit[] {
  return files.flatMap((f) => [...plaintextSecrets(f.path, f.content), ...TOKENS.filter(([, re]) => re.test(f.content)).map(([what]) => ({ file: f.path, what }))]);
}

const example = (name: string) => parseSpecText(readFileSync(path.join(ROOT, 'examples', name, 'platform.yaml'), 'utf8'), 'platform.yaml');

test('the scanner catches a planted Secret and planted tokens', () => {
  const planted = [
    { path: 'apps/x/secret.yaml', content: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\n' },
    { path: 'apps/x/string.yaml', content: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  token: hunter2\n' },
    { path: 'apps/x/config.yaml', content: `env:\n  - value: ghp_${'a1B2'.repeat(9)}\n` },
    { path: 'apps/x/aws.yaml', content: 'key: AKIAABCDEFGHIJKLMNOP\n' },
    { path: 'apps/x/slack.yaml', content: 'hook: xoxb-1234567890-abcdef\n' },
    { path: 'apps/x/key.yaml', content: 'key: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n' },
    { path: 'apps/x/jwt.md', content: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n' },
  ];
  const hits = scanForSecrets(planted);
  assert.equal([...new Set(hits.map((h) => h.file))].sort(), planted.map((p) => p.path).sort(), 'every planted file is flagged');
  // A Secret with no values (a service-account token filled in by the cluster) is fine.
  assert.equal(scanForSecrets([{ path: 'a.yaml', content: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\ntype: kubernetes.io/service-account-token\n' }]), []);
});

for (const name of ['enterprise', 'minimal'])
  test(`the ${name} example contains no plaintext secret`, () => {
    const files = renderSpec(example(name));
    assert.ok(files.length > 20, 'the example rendered');
    assert.ok(files.some((f) => f.path === 'platform/ci/workflow-template.yaml'), 'the supply chain is part of the scan');
    assert.equal(scanForSecrets(files), []);
  });

test('sealed values are ciphertext, not secrets', () => {
  const spec = validateSpec(example('minimal'));
  let certPem: string;
  try {
    const dir = tempDir('gs-scan-');
    writeFileSync(path.join(dir, 'key.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    execFileSync('openssl', ['req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-subj', '/CN=sealed-secrets', '-days', '1', '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  } catch {
    // No openssl to mint a certificate: seal for a bare public key, which sealValue also accepts.
    certPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
  const token = `ghp_${'Zx9'.repeat(12)}`;
  const files = renderPlan(
    planRepo({ spec, platform: normalize(spec), supplyChain: { sealedSecrets: { certPem, values: { 'ci-gitops-write': { username: 'robot', password: token } } } } }),
    createEngine(loadTemplates()),
  );
  assert.ok(files.some((f) => f.path === 'platform/ci/sealed/ci-gitops-write.yaml'), 'a SealedSecret was written');
  assert.equal(scanForSecrets(files), []);
  assert.not.ok(files.some((f) => f.content.includes(token)), 'the token itself appears nowhere');
});

test.run();
