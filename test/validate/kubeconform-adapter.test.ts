// The kubeconform adapter, with a fake `kubeconform` on PATH (the real one is not on npm or apt):
// the fake records its arguments and prints a kubeconform-shaped JSON report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateCommand } from '../../generators/validate/command.ts';
import { fixture } from './helpers.ts';

function fakeKubeconform(report: object | string, exitCode = 1) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kubeconform-'));
  const argsFile = path.join(bin, 'args.json');
  const body = typeof report === 'string' ? report : JSON.stringify(report);
  fs.writeFileSync(
    path.join(bin, 'kubeconform'),
    `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === '-v') { console.log('v0.7.0'); process.exit(0); }
const loc = args[args.indexOf('-schema-location') + 1];
const exported = fs.existsSync(loc.split('/{{')[0]);
fs.writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify({ args, exported }));
process.stdout.write(${JSON.stringify(body)});
process.exit(${exitCode});
`,
    { mode: 0o755 },
  );
  return { env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` }, argsFile, cleanup: () => fs.rmSync(bin, { recursive: true, force: true }) };
}

const report = {
  resources: [
    {
      filename: 'deployment.yaml',
      kind: 'Deployment',
      name: 'web',
      version: 'apps/v1',
      status: 'statusInvalid',
      msg: "problem validating schema. Check JSON formatting: jsonschema validation failed with '…' - at '/spec/replicas': got string, want integer",
      validationErrors: [{ path: '/spec/replicas', msg: 'got string, want integer' }],
    },
    { filename: 'deployment.yaml', kind: 'Deployment', name: 'ok', version: 'apps/v1', status: 'statusValid', msg: '' },
  ],
  summary: { valid: 1, invalid: 1, errors: 0, skipped: 0 },
};

test('auto: runs kubeconform strictly against exported schemas and folds its findings in', async () => {
  const fake = fakeKubeconform(report);
  try {
    const r = await validateCommand({ paths: [fixture('validate/invalid/wrong-type')], output: 'json', kubeconform: 'auto', kustomize: false, env: fake.env });
    const out = JSON.parse(r.stdout);
    const kc = out.findings.filter((f: any) => f.source === 'kubeconform');
    assert.is(kc.length, 1);
    assert.is(kc[0].rule, 'kubeconform/invalid');
    assert.is(kc[0].file, 'deployment.yaml');
    assert.is(kc[0].line, 6, 'line looked up from the parsed resource');
    assert.is(kc[0].message, 'spec.replicas: got string, want integer');
    const v = out.validators.find((x: any) => x.name === 'kubeconform');
    assert.ok(v.ran);
    assert.match(v.note, /v0\.7\.0: valid 1, invalid 1/);
    const { args, exported } = JSON.parse(fs.readFileSync(fake.argsFile, 'utf8'));
    for (const a of ['-strict', '-summary', '-output', 'json']) assert.ok(args.includes(a), a);
    assert.ok(args[args.indexOf('-output') + 1] === 'json');
    assert.ok(args.some((a: string) => a.includes('kustomize.config.k8s.io/v1beta1/Kustomization')));
    assert.ok(exported, 'the schema folder existed while kubeconform ran');
    assert.is(r.exitCode, 1);
  } finally {
    fake.cleanup();
  }
});

test('kubeconform output that is not JSON is a tool error finding', async () => {
  const fake = fakeKubeconform('panic: something broke', 2);
  try {
    const r = await validateCommand({ paths: [fixture('kubeconform/valid.yaml')], output: 'json', kubeconform: 'auto', kustomize: false, env: fake.env });
    const kc = JSON.parse(r.stdout).findings.filter((f: any) => f.source === 'kubeconform');
    assert.is(kc[0].rule, 'kubeconform/tool-error');
    assert.match(kc[0].message, /panic: something broke/);
    assert.is(r.exitCode, 1);
  } finally {
    fake.cleanup();
  }
});

test('never: not run even when installed; always without the binary: usage error', async () => {
  const fake = fakeKubeconform(report);
  try {
    const r = await validateCommand({ paths: [fixture('kubeconform/valid.yaml')], output: 'json', kubeconform: 'never', kustomize: false, env: fake.env });
    assert.not.ok(fs.existsSync(fake.argsFile));
    assert.is(JSON.parse(r.stdout).validators.find((v: any) => v.name === 'kubeconform').note, 'disabled (--kubeconform never)');
  } finally {
    fake.cleanup();
  }
  const noBin = await validateCommand({ paths: [fixture('kubeconform/valid.yaml')], output: 'text', kubeconform: 'always', kustomize: false, env: { ...process.env, PATH: '/nonexistent' } });
  assert.is(noBin.exitCode, 2);
  assert.match(noBin.stderr, /kubeconform is not on PATH/);
});

test.run();
