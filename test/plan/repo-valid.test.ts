// Whole repositories, written to disk by the pipeline, pass the product's own validator (schemas,
// kustomize builds, cross-references) and linter with no error: both examples, and compact
// variants covering every traffic router and the SOPS backend (KSOPS in the Argo CD install).
// The renders skip run()'s own pre-write check: the validator and linter below are the check.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { TrafficRouter } from '../../generators/model/types.ts';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { validateCommand } from '../../generators/validate/command.ts';
import { lintCommand } from '../../generators/lint/command.ts';
import { ROOT, tempDir, removeTempDir } from '../helpers.ts';

type Obj = Record<string, any>;

/** A cluster CA (public), base64 as in a kubeconfig's certificate-authority-data. */
const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');

const AGE_RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const example = (name: string): Obj => parseSpecText(readFileSync(path.join(ROOT, 'examples', name, 'platform.yaml'), 'utf8'), 'platform.yaml') as Obj;

const SERVICES = [
  { name: 'api', tenant: 'shop', image: 'ghcr.io/acme/api', tag: '1.2.3', strategy: 'canary', host: 'api.example.com', smokeTest: {} },
  { name: 'web', tenant: 'shop', image: 'ghcr.io/acme/web', tag: '2.0.0', strategy: 'blueGreen' },
  { name: 'worker', tenant: 'shop', image: 'ghcr.io/acme/worker', tag: '0.4.0', strategy: 'rolling' },
];

/**
 * Two environments on two clusters and one tenant: small (every kustomization is one build), but
 * with the router's objects. `all` adds a blue-green and a rolling service to the canary.
 */
const variant = (router: TrafficRouter, { secrets = {}, all = false }: { secrets?: Obj; all?: boolean } = {}): Obj => ({
  name: 'variant',
  repo: { url: 'https://github.com/acme/variant-gitops.git' },
  environments: [{ name: 'dev' }, { name: 'prod' }],
  clusters: [
    { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' },
    // SOPS cannot render a token registration: the spoke authenticates with EKS IAM.
    { name: 'prod-1', server: 'https://prod-1.k8s.example.com', environment: 'prod', ...(secrets.backend === 'sops' ? { auth: { type: 'aws' }, caData: CA_DATA } : {}) },
  ],
  tenants: [{ name: 'shop', groups: { developer: ['shop-devs'] } }],
  delivery: { router, prometheus: 'http://prometheus-operated.monitoring.svc:9090' },
  secrets,
  services: all ? SERVICES : SERVICES.slice(0, 1),
});

const CASES: [string, Obj][] = [
  ['example minimal', example('minimal')],
  ['example enterprise', example('enterprise')],
  ['gateway-api router, SOPS backend', variant('gateway-api', { secrets: { backend: 'sops', sops: { age: [AGE_RECIPIENT] } }, all: true })],
  ['nginx router', variant('nginx')],
  ['alb router', variant('alb')],
  ['no router', variant('none')],
];

const errorsOf = (stdout: string) => (JSON.parse(stdout).findings as Obj[]).filter((f) => f.severity === 'error');

interface Checked {
  dir: string;
  validate: { exitCode: number; stdout: string; stderr: string };
  lint: { exitCode: number; stdout: string; stderr: string };
}

/** Render into a temp folder, then validate (kustomize builds, no kubeconform) and lint it. */
async function check(spec: Obj): Promise<Checked> {
  const dir = tempDir('gs-repo-valid-');
  run({ root: dir, spec, check: false });
  const [validate, lint] = await Promise.all([
    validateCommand({ paths: [dir], output: 'json', kubeconform: 'never', kustomize: true }),
    lintCommand({ paths: [dir], output: 'json' }),
  ]);
  return { dir, validate, lint };
}

// Started by the first test (not at import, so other test files run undisturbed), a few at a time:
// each validation mostly waits on `kubectl kustomize` processes.
const WORKERS = 2;
let started: Map<string, Promise<Checked>> | undefined;
function results(): Map<string, Promise<Checked>> {
  if (started) return started;
  started = new Map();
  const queue = [...CASES];
  const waiting = new Map(CASES.map(([name]) => {
    let resolve!: (c: Promise<Checked>) => void;
    started!.set(name, new Promise<Checked>((r) => (resolve = r as never)));
    return [name, resolve] as const;
  }));
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const p = check(item[1]);
      waiting.get(item[0])!(p);
      await p.catch(() => undefined);
    }
  };
  for (let i = 0; i < WORKERS; i++) void worker();
  return started;
}

for (const [name] of CASES) {
  test(`${name}: the validator reports no error and exits 0; the linter reports no error`, async () => {
    const r = await results().get(name)!;
    try {
      assert.equal(errorsOf(r.validate.stdout).map((f) => `${f.file}: ${f.rule}: ${f.message}`), [], 'validate: no error findings');
      assert.is(r.validate.exitCode, 0, r.validate.stderr);
      assert.equal(errorsOf(r.lint.stdout).map((f) => `${f.file}: ${f.rule}: ${f.message}`), [], 'lint: no error findings');
      assert.is(r.lint.exitCode, 0, r.lint.stderr);
    } finally {
      removeTempDir(r.dir);
    }
  });
}

test('the variants exercise what they are for', async () => {
  const dir = tempDir('gs-repo-valid-');
  try {
    run({ root: dir, spec: variant('gateway-api', { secrets: { backend: 'sops', sops: { age: [AGE_RECIPIENT] } }, all: true }), check: false });
    const read = (file: string) => YAML.parse(readFileSync(path.join(dir, file), 'utf8'));
    assert.equal(read('argocd/install/kustomization.yaml').components, ['ksops']);
    const rollouts = read('platform/addons/argo-rollouts/kustomization.yaml');
    assert.ok(rollouts.resources.includes('gateway-api-plugin-rbac.yaml'));
    assert.equal(rollouts.patches, [{ path: 'argo-rollouts-config.yaml' }]);
    const appset = read('argocd/apps/tenant-shop.yaml');
    assert.ok(appset.spec.template.spec.syncPolicy.syncOptions.includes('RespectIgnoreDifferences=true'));
    assert.ok(appset.spec.template.spec.ignoreDifferences.some((d: Obj) => d.kind === 'HTTPRoute' && d.group === 'gateway.networking.k8s.io' && d.jqPathExpressions[0] === '.spec.rules[].backendRefs[].weight'));
    assert.not.ok(appset.spec.template.spec.ignoreDifferences.some((d: Obj) => d.kind === 'VirtualService'), 'only the router in use');
    // The root app's children need a human to prune; the platform project waits for prod's window.
    for (const child of ['argocd', 'projects']) assert.is(read(`argocd/apps/${child}.yaml`).metadata.annotations['argocd.argoproj.io/sync-options'], 'Prune=confirm');
    const windows = read('argocd/projects/platform.yaml').spec.syncWindows;
    assert.equal(windows, [{ kind: 'deny', schedule: '0 20 * * *', duration: '11h', clusters: ['https://prod-1.k8s.example.com'], manualSync: true, timeZone: 'UTC' }]);
    assert.equal(read('argocd/projects/shop.yaml').spec.syncWindows.map((w: Obj) => [w.schedule, w.duration, w.timeZone]), windows.map((w: Obj) => [w.schedule, w.duration, w.timeZone]), 'the same windows as the tenants\' production');
  } finally {
    removeTempDir(dir);
  }
});

test.run();
