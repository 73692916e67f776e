// `schemas export DIR`: kubeconform's local layouts, self-contained draft-07 schemas, strict at
// the root, and a README with the command line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exportSchemas, kindSuffix, KUBERNETES_VERSION } from '../../generators/validate/export-schemas.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemas-export-'));
const result = await exportSchemas(dir);
const read = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(dir, ...p), 'utf8'));

test('kubeconform KindSuffix naming', () => {
  assert.is(kindSuffix('v1'), '-v1');
  assert.is(kindSuffix('apps/v1'), '-apps-v1');
  assert.is(kindSuffix('networking.k8s.io/v1'), '-networking-v1');
  assert.is(kindSuffix('autoscaling/v2'), '-autoscaling-v2');
});

test('built-in kinds in the yannh layout, strict and plain folders', () => {
  for (const folder of [`v${KUBERNETES_VERSION}-standalone-strict`, `v${KUBERNETES_VERSION}-standalone`])
    for (const f of ['deployment-apps-v1.json', 'service-v1.json', 'networkpolicy-networking-v1.json', 'rolebinding-rbac-v1.json', 'horizontalpodautoscaler-autoscaling-v2.json'])
      assert.ok(fs.existsSync(path.join(dir, 'k8s', folder, f)), `${folder}/${f}`);
});

test('custom resources in the datree layout, hand schemas included', () => {
  for (const f of [
    'argoproj.io/application_v1alpha1.json',
    'argoproj.io/rollout_v1alpha1.json',
    'argoproj.io/sensor_v1alpha1.json',
    'external-secrets.io/externalsecret_v1.json',
    'bitnami.com/sealedsecret_v1alpha1.json',
    'networking.istio.io/virtualservice_v1.json',
    'gateway.networking.k8s.io/httproute_v1.json',
    'policy.sigstore.dev/clusterimagepolicy_v1beta1.json',
  ])
    assert.ok(fs.existsSync(path.join(dir, 'crds', f)), f);
});

test('every exported schema is self-contained draft-07, closed at the root, and compiles', () => {
  const files: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') && files.push(path.join(d, e.name))));
  walk(path.join(dir, 'k8s'));
  walk(path.join(dir, 'crds'));
  assert.ok(files.length > 60);
  for (const f of files.filter((x) => !x.endsWith('VERSIONS.json'))) {
    const text = fs.readFileSync(f, 'utf8');
    const s = JSON.parse(text);
    assert.is(s.$schema, 'http://json-schema.org/draft-07/schema#', f);
    assert.is(s.additionalProperties, false, f);
    for (const m of text.matchAll(/"\$ref":"([^"]*)"/g)) assert.ok(m[1].startsWith('#/definitions/'), `${f}: ${m[1]}`);
  }
  const ajv = new Ajv({ strict: false, validateFormats: false });
  const app = ajv.compile(read('crds/argoproj.io/application_v1alpha1.json'));
  assert.not.ok(app({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: {}, specc: {} }), 'root typo rejected');
});

test('README has the kubeconform command, VERSIONS.json the package versions', () => {
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  assert.ok(readme.includes(result.command));
  assert.match(result.command, /^kubeconform -strict -kubernetes-version 1\.36\.0 -schema-location /);
  assert.match(result.command, /-skip kustomize\.config\.k8s\.io\/v1beta1\/Kustomization/);
  const versions = read('VERSIONS.json');
  assert.is(versions.packages['kubernetes-models'], '5.1.0');
  assert.is(versions.packages['@kubernetes-models/argo-cd'], '4.0.0');
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
