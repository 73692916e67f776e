// The services planner: for every router and strategy, the structure progressive delivery depends
// on (distinct Services, timed and gradual canary steps, analysis where the environment is careful,
// gated blue-green promotion, HPA on the right kind, overlays registered with the ApplicationSet,
// no plaintext Secret), hostile values round-tripping, and every overlay building with kustomize.

import { test } from 'uvu';
import { topLevelFallback } from '../../generators/simulate/controllers/rollouts.ts';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { TrafficRouter } from '../../generators/model/types.ts';
import { specProblems, validateSpec } from '../../generators/model/validate-spec.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { LONGEST_SERVICE_SUFFIX } from '../../generators/model/names.ts';
import { planServices, rolloutsAddonEntries } from '../../generators/plan/services.ts';
import { SERVICE_SUFFIXES } from '../../generators/plan/service/names.ts';
import { renderPlan } from '../../generators/plan/render.ts';
import { WAVES } from '../../generators/plan/types.ts';
import { createEngine } from '../../generators/render/engine.ts';
import { loadTemplates } from '../../generators/io/templates.ts';
import { tempDir, removeTempDir } from '../helpers.ts';

const ROUTERS: TrafficRouter[] = ['istio', 'nginx', 'alb', 'gateway-api', 'none'];
const ENVS = ['dev', 'staging', 'prod']; // defaults: fast, standard, careful + protected
const engine = createEngine(loadTemplates());

const spec = (router: TrafficRouter): any => ({
  name: 'acme',
  repo: { url: 'https://github.com/acme/gitops.git' },
  environments: ENVS.map((name) => ({ name })),
  clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ENVS }],
  tenants: [{ name: 'payments' }],
  delivery: { router, strategy: 'canary' },
  secrets: { provider: 'vault', vault: { server: 'https://vault.example.com' } },
  services: [
    {
      name: 'api',
      tenant: 'payments',
      image: 'ghcr.io/acme/api',
      tag: '1.0.0',
      migration: { command: ['/app/api', 'migrate'] },
      smokeTest: {},
      secrets: [{ name: 'api-db', key: 'payments/db', properties: ['username', 'password'] }],
      overrides: { dev: { tag: '1.1.0-rc.1', replicas: 1 }, prod: { replicas: 4, cpu: '1', memory: '1Gi' } },
    },
    { name: 'web', tenant: 'payments', image: 'ghcr.io/acme/web', tag: '2.0.0', strategy: 'blueGreen', smokeTest: { path: '/ready' } },
    { name: 'worker', tenant: 'payments', image: 'ghcr.io/acme/worker', tag: '0.3.0', strategy: 'rolling' },
  ],
});

interface Rendered {
  files: Map<string, string>;
  docs: Map<string, any[]>;
}

function render(data: unknown): Rendered {
  const platform = normalize(validateSpec(data));
  const files = new Map(renderPlan(planServices(platform), engine).map((f) => [f.path, f.content]));
  const docs = new Map<string, any[]>();
  for (const [p, content] of files) if (p.endsWith('.yaml')) docs.set(p, YAML.parseAllDocuments(content, { version: '1.1' }).map((d) => d.toJS()));
  return { files, docs };
}

const doc = (r: Rendered, p: string, kind?: string, name?: string) => {
  const found = (r.docs.get(p) ?? []).find((d) => (!kind || d.kind === kind) && (!name || d.metadata?.name === name));
  assert.ok(found, `${p} holds ${kind ?? 'a document'} ${name ?? ''}`);
  return found;
};

/** The JSON patch operations an overlay applies to one kind. */
function overlayOps(r: Rendered, service: string, env: string, kind: string): any[] {
  const k = doc(r, `apps/payments/${service}/overlays/${env}/kustomization.yaml`);
  const patch = k.patches.find((p: any) => p.target.kind === kind);
  assert.ok(patch, `${service}/${env} patches its ${kind}`);
  return YAML.parse(patch.patch);
}
const opValue = (ops: any[], path: string) => ops.find((o) => o.path === path)?.value;
const strategyIn = (r: Rendered, service: string, env: string) => opValue(overlayOps(r, service, env, 'Rollout'), '/spec/strategy');

for (const router of ROUTERS) {
  const r = render(spec(router));

  test(`${router}: canary has distinct stable and canary Services and gradual, timed steps`, () => {
    const services = r.docs.get('apps/payments/api/base/services.yaml')!.map((s) => s.metadata.name);
    assert.equal(services, ['api', 'api-canary']);
    for (const env of ENVS) {
      const { canary } = strategyIn(r, 'api', env);
      assert.is(canary.stableService, 'api');
      assert.is(canary.canaryService, 'api-canary');
      const weights = canary.steps.filter((s: any) => 'setWeight' in s).map((s: any) => s.setWeight);
      assert.ok(weights.length > 0 && weights.every((w: number) => w > 0 && w < 100), `${env}: weights below 100 (${weights})`);
      for (const step of canary.steps.filter((s: any) => 'pause' in s)) assert.ok(step.pause.duration, `${env}: every pause is timed`);
      assert.is(!!canary.trafficRouting, router !== 'none', 'traffic routing only with a router');
    }
  });

  test(`${router}: careful environments gate the canary with analysis`, () => {
    const { canary } = strategyIn(r, 'api', 'prod');
    const gates = canary.steps.filter((s: any) => s.analysis?.templates?.some((t: any) => t.templateName === 'api-success-rate'));
    assert.ok(gates.length >= 3, 'an analysis gate after each weight');
    const dev = strategyIn(r, 'api', 'dev').canary;
    assert.ok(dev.analysis || dev.steps.some((s: any) => s.analysis), 'fast environments still analyse');
    assert.is(dev.steps.find((s: any) => 'setWeight' in s).setWeight, 50);
    assert.is(canary.steps.find((s: any) => 'setWeight' in s).setWeight, 10);
  });

  test(`${router}: every referenced AnalysisTemplate exists and is consistent`, () => {
    for (const service of ['api', 'web']) {
      const templates = r.docs.get(`apps/payments/${service}/base/analysis-templates.yaml`)!;
      const names = new Set(templates.map((t) => t.metadata.name));
      for (const env of ENVS) {
        const strategy = JSON.stringify(strategyIn(r, service, env));
        for (const [, name] of strategy.matchAll(/"templateName":"([^"]+)"/g)) assert.ok(names.has(name), `${service}/${env} references ${name}`);
      }
      for (const t of templates)
        for (const m of t.spec.metrics) {
          if (m.count > 0) assert.ok(m.count >= (m.failureLimit ?? 0) + (m.consecutiveSuccessLimit ?? 0), `${m.name}: count >= failureLimit + consecutiveSuccessLimit`);
          if (m.count > 1) assert.ok(m.interval, `${m.name}: interval with count > 1`);
          if (m.provider.prometheus) {
            // No data is the environment's explicit verdict, never a constant the query falls back to.
            assert.is(topLevelFallback(m.provider.prometheus.query), undefined, `${m.name}: no constant fallback`);
            assert.match(m.successCondition, /^len\(result\) > 0 \? \(!isNaN\(result\[0\]\) && .*: "\{\{args\.no-data\}\}" == "pass"$/, `${m.name}: empty result -> pass only when the environment says so`);
            assert.match(m.failureCondition, /^len\(result\) > 0 \? \(isNaN\(result\[0\]\) \|\| .*: "\{\{args\.no-data\}\}" == "fail"$/, `${m.name}: NaN fails; empty result -> fail when the environment says so`);
          }
        }
    }
  });

  test(`${router}: blue-green is gated and auto-promotes only where nobody signs off`, () => {
    assert.equal(r.docs.get('apps/payments/web/base/services.yaml')!.map((s) => s.metadata.name), ['web', 'web-preview']);
    for (const env of ENVS) {
      const { blueGreen } = strategyIn(r, 'web', env);
      assert.is(blueGreen.activeService, 'web');
      assert.is(blueGreen.previewService, 'web-preview');
      assert.is(blueGreen.autoPromotionEnabled, env !== 'prod', `${env}: auto-promotion only outside the protected, careful prod`);
      // Before promotion the preview gets no user traffic: it is exercised by an HTTP check Job ...
      assert.equal(blueGreen.prePromotionAnalysis, { templates: [{ templateName: 'web-smoke-test' }], args: [{ name: 'service', value: 'web-preview' }] }, `${env}: pre-promotion smoke test of the preview`);
      const smoke = r.docs.get('apps/payments/web/base/analysis-templates.yaml')!.find((t) => t.metadata.name === 'web-smoke-test')!;
      assert.ok(smoke.spec.metrics[0].provider.job, 'a Job, not a traffic metric');
      // ... and measured once real traffic reaches it, on the active Service.
      const post = blueGreen.postPromotionAnalysis;
      assert.equal(post.templates.map((t: any) => t.templateName), ['web-success-rate', 'web-latency'], `${env}: post-promotion analysis`);
      const arg = (name: string) => post.args.find((a: any) => a.name === name)?.value;
      if (router === 'istio') assert.is(arg('service'), 'web', `${env}: the active Service`);
      assert.is(arg('no-data'), env === 'prod' ? 'fail' : 'pass', `${env}: no silent pass in the protected environment`);
      assert.ok(blueGreen.scaleDownDelaySeconds >= 30, `${env}: scale-down delay`);
    }
  });

  test(`${router}: the HPA scales the workload's own kind`, () => {
    const expected: Record<string, [string, string]> = { api: ['argoproj.io/v1alpha1', 'Rollout'], web: ['argoproj.io/v1alpha1', 'Rollout'], worker: ['apps/v1', 'Deployment'] };
    for (const [service, [apiVersion, kind]] of Object.entries(expected)) {
      const hpa = doc(r, `apps/payments/${service}/base/hpa.yaml`, 'HorizontalPodAutoscaler');
      assert.equal(hpa.spec.scaleTargetRef, { apiVersion, kind, name: service });
      doc(r, `apps/payments/${service}/base/${kind === 'Rollout' ? 'rollout' : 'deployment'}.yaml`, kind, service);
    }
  });

  test(`${router}: every overlay is registered with exactly the ApplicationSet's keys`, () => {
    for (const service of ['api', 'web', 'worker'])
      for (const env of ENVS) {
        const target = JSON.parse(r.files.get(`apps/payments/${service}/overlays/${env}/target.json`)!);
        assert.equal(target, { tenant: 'payments', service, env, namespace: `payments-${env}` });
        assert.is(doc(r, `apps/payments/${service}/overlays/${env}/kustomization.yaml`).namespace, `payments-${env}`);
      }
  });

  test(`${router}: secrets only as ExternalSecrets, pods restricted, waves in order`, () => {
    for (const [p, content] of r.files) assert.not.match(content, /^kind: Secret$/m, p);
    const wave = (p: string, kind: string) => Number(doc(r, p, kind).metadata.annotations['argocd.argoproj.io/sync-wave']);
    const base = 'apps/payments/api/base';
    const order = [wave(`${base}/external-secrets.yaml`, 'ExternalSecret'), wave(`${base}/services.yaml`, 'Service'), wave(`${base}/migration-job.yaml`, 'Job'), wave(`${base}/rollout.yaml`, 'Rollout'), wave(`${base}/smoke-test-job.yaml`, 'Job')];
    assert.equal(order, [WAVES.secrets, WAVES.config, WAVES.migration, WAVES.workload, WAVES.smokeTest]);
    const es = doc(r, `${base}/external-secrets.yaml`, 'ExternalSecret');
    assert.is(es.apiVersion, 'external-secrets.io/v1');
    assert.equal(es.spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'tenant-payments' });
    for (const [p, kind] of [[`${base}/rollout.yaml`, 'Rollout'], [`${base}/migration-job.yaml`, 'Job'], [`${base}/smoke-test-job.yaml`, 'Job'], ['apps/payments/worker/base/deployment.yaml', 'Deployment']]) {
      const pod = doc(r, p, kind).spec.template.spec;
      assert.is(pod.securityContext.runAsNonRoot, true, p);
      assert.is(pod.automountServiceAccountToken, false, p);
      for (const c of pod.containers) {
        assert.equal(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, p);
        assert.ok(c.resources.requests.cpu && c.resources.limits.memory, `${p}: requests and limits`);
        assert.not.match(c.image, /:latest\b/, p);
      }
    }
    for (const job of [doc(r, `${base}/migration-job.yaml`, 'Job'), doc(r, `${base}/smoke-test-job.yaml`, 'Job')]) {
      assert.is(job.spec.ttlSecondsAfterFinished, undefined, 'hooks rely on the delete policy, not a TTL');
      assert.is(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation,HookSucceeded');
    }
  });

  test(`${router}: route objects and controller configuration match the router`, () => {
    const base = 'apps/payments/api/base';
    const routing = strategyIn(r, 'api', 'prod').canary.trafficRouting;
    const routeFiles = [...r.files.keys()].filter((p) => /^apps\/payments\/api\/base\/(virtualservice|ingress|httproute)\.yaml$/.test(p));
    switch (router) {
      case 'istio': {
        const vs = doc(r, `${base}/virtualservice.yaml`, 'VirtualService', 'api');
        assert.equal(routing.istio.virtualService, { name: 'api', routes: ['primary'] });
        assert.equal(vs.spec.http[0].route.map((d: any) => [d.destination.host, d.weight]), [['api', 100], ['api-canary', 0]]);
        break;
      }
      case 'nginx':
        assert.is(doc(r, `${base}/ingress.yaml`, 'Ingress', 'api').spec.ingressClassName, 'nginx');
        assert.equal(routing.nginx, { stableIngress: 'api' });
        break;
      case 'alb': {
        const ingress = doc(r, `${base}/ingress.yaml`, 'Ingress', 'api');
        assert.equal(ingress.spec.rules[0].http.paths[0].backend.service, { name: 'api', port: { name: 'use-annotation' } });
        assert.equal(routing.alb, { ingress: 'api', servicePort: 80 });
        break;
      }
      case 'gateway-api': {
        const route = doc(r, `${base}/httproute.yaml`, 'HTTPRoute', 'api');
        assert.equal(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]), [['api', 100], ['api-canary', 0]]);
        assert.ok(routing.plugins['argoproj-labs/gatewayAPI'].httpRoute === 'api');
        const config = doc(r, 'platform/addons/argo-rollouts/argo-rollouts-config.yaml', 'ConfigMap', 'argo-rollouts-config');
        assert.is(YAML.parse(config.data.trafficRouterPlugins)[0].name, 'argoproj-labs/gatewayAPI');
        doc(r, 'platform/addons/argo-rollouts/gateway-api-plugin-rbac.yaml', 'ClusterRole');
        break;
      }
      case 'none':
        assert.equal(routeFiles, [], 'replica-weighted canary needs no route');
        break;
    }
    const entries = rolloutsAddonEntries(normalize(validateSpec(spec(router))));
    const pluginFiles = [...r.files.keys()].filter((p) => p.startsWith('platform/addons/'));
    assert.is(pluginFiles.length, router === 'gateway-api' ? 2 : 0, 'controller config only for the Gateway API plugin');
    assert.equal([...entries.resources, ...entries.patches].map((f) => `platform/addons/argo-rollouts/${f}`).sort(), pluginFiles.sort());
  });

  test(`${router}: every file a kustomization lists is planned`, () => {
    for (const [p] of r.files) {
      if (!p.endsWith('kustomization.yaml')) continue;
      for (const res of doc(r, p).resources) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(p), res));
        assert.ok(r.files.has(target) || r.files.has(`${target}/kustomization.yaml`), `${p} lists ${res}`);
      }
    }
  });

  test(`${router}: every overlay builds with kustomize`, () => {
    const kubectl = (() => {
      try {
        execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if (!kubectl) return; // the builds are the external check; the structure tests above stand alone
    const dir = tempDir('gs-services-');
    try {
      for (const [p, content] of r.files) {
        mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        writeFileSync(path.join(dir, p), content);
      }
      // One build over every overlay (objects of different environments differ by namespace).
      const overlays = [...r.files.keys()].filter((p) => /^apps\/.*\/overlays\/[^/]+\/kustomization\.yaml$/.test(p)).map((p) => path.posix.dirname(p));
      writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({ resources: overlays }));
      const built = YAML.parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).map((d) => d.toJS());
      assert.ok(built.every((o) => ENVS.some((e) => o.metadata.namespace === `payments-${e}`)), 'everything lands in an environment namespace');
      const count = (kind: string) => built.filter((o) => o.kind === kind).length;
      assert.equal([count('Rollout'), count('Deployment'), count('HorizontalPodAutoscaler')], [2 * ENVS.length, ENVS.length, 3 * ENVS.length]);
      const prodRollout = built.find((o) => o.kind === 'Rollout' && o.metadata.name === 'api' && o.metadata.namespace === 'payments-prod');
      assert.is(prodRollout.spec.replicas, 4, 'overlay patches applied');
      assert.is(prodRollout.spec.strategy.canary.steps[0].setWeight, 10);
    } finally {
      removeTempDir(dir);
    }
  });
}

test('per-environment image: an overridden tag drops the base digest', () => {
  const data = spec('none');
  data.services[0].digest = `sha256:${'a'.repeat(64)}`;
  const r = render(data);
  const images = (env: string) => doc(r, `apps/payments/api/overlays/${env}/kustomization.yaml`).images;
  assert.equal(images('dev'), [{ name: 'ghcr.io/acme/api', newTag: '1.1.0-rc.1' }]);
  assert.equal(images('prod'), [{ name: 'ghcr.io/acme/api', newTag: '1.0.0', digest: `sha256:${'a'.repeat(64)}` }]);
  assert.is(opValue(overlayOps(r, 'api', 'prod', 'Rollout'), '/spec/replicas'), 4);
  assert.equal(opValue(overlayOps(r, 'api', 'prod', 'Rollout'), '/spec/template/spec/containers/0/resources'), { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
});

test('hosts: the last environment serves the host, earlier ones a prefixed host, overrides win', () => {
  const data = spec('nginx');
  data.services[0].host = 'api.acme.com';
  data.services[0].overrides.staging = { host: 'api-staging.acme.net' };
  const r = render(data);
  const host = (env: string) => opValue(overlayOps(r, 'api', env, 'Ingress'), '/spec/rules/0/host');
  assert.equal([host('dev'), host('staging'), host('prod')], ['dev.api.acme.com', 'api-staging.acme.net', 'api.acme.com']);
});

const HOSTILE = [`Pays "fast" & <cheap>: #1`, 'line1\nadmin: true\n- injected', '{{ .app.metadata.name }} {{{x}}} {{args.x}}', "it's 'quoted' yes on 0755 ~ null", 'ünïcødé ✓ 漢字 \u2028 tab\there', '*alias &anchor !!binary %directive @at |pipe >gt'];

test('hostile description and secret key round-trip exactly', () => {
  for (const value of HOSTILE) {
    const data = spec('istio');
    data.services[0].description = value;
    data.services[0].secrets[0].key = value;
    const r = render(data);
    const rollout = doc(r, 'apps/payments/api/base/rollout.yaml', 'Rollout');
    assert.is(rollout.metadata.annotations['gitops-scaffold.dev/description'], value);
    assert.not.ok('admin' in rollout, 'no injected key');
    const es = doc(r, 'apps/payments/api/base/external-secrets.yaml', 'ExternalSecret');
    assert.ok(es.spec.data.every((d: any) => d.remoteRef.key === value));
    for (const [p, docs] of r.docs) assert.ok(docs.every((d) => d === null || typeof d === 'object'), p);
  }
});

test('service names leave room for every suffix the planner adds', () => {
  for (const suffix of Object.values(SERVICE_SUFFIXES)) assert.ok(suffix.length <= LONGEST_SERVICE_SUFFIX.length, suffix);
  const data = spec('none');
  data.services[2].name = 'w'.repeat(63 - LONGEST_SERVICE_SUFFIX.length + 1);
  assert.ok(specProblems(data).some((p) => p.path === 'services[2].name'));
});

test('model rules: pinned migration image, unique secret names and hosts', () => {
  const data = spec('none');
  data.services[0].migration.image = 'ghcr.io/acme/migrations';
  data.services[1].secrets = [{ name: 'api-db', key: 'x', properties: ['y'] }];
  data.services[0].host = 'same.acme.com';
  data.services[1].host = 'same.acme.com';
  const paths = specProblems(data).map((p) => p.path);
  assert.ok(paths.includes('services[0].migration.image'), 'untagged migration image');
  assert.ok(paths.includes('services[1].secrets[0].name'), 'two ExternalSecrets of one name in a namespace');
  assert.ok(paths.includes('services[1].host'), 'one host, two services');
  data.services[0].migration.image = 'ghcr.io/acme/migrations:latest';
  assert.ok(specProblems(data).some((p) => p.path === 'services[0].migration.image'));
  data.services[0].migration.image = 'ghcr.io/acme/migrations:1.2.3';
  assert.not.ok(specProblems(data).some((p) => p.path === 'services[0].migration.image'));
});

test('a service whose tenant deploys to none of its environments renders nothing', () => {
  const data = spec('none');
  data.tenants[0].environments = [];
  delete data.services[0].overrides;
  assert.equal(planServices(normalize(validateSpec(data))), []);
});

test.run();
