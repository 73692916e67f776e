// The pre-write check hands the simulation the cache of the previous run (sim.jsonl): an
// ApplicationSet's expansion is reused when the listings and files its generators read are
// unchanged (model.ts cachedExpansion). Over random sequences of edits of the enterprise
// example, the findings with the cache carried from edit to edit (through JSON, as it is
// persisted) are the findings of a run without it, and the cache holds only live entries.
import path from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPANSION_CACHE_PREFIX } from '../../generators/simulate/model.ts';
import { RESOURCE_CACHE_PREFIX } from '../../generators/simulate/resource-memo.ts';
import { readTree, ROOT } from '../helpers.ts';
import { simulateFiles } from './helpers.ts';

const example = path.join(ROOT, 'examples', 'enterprise');
const original = readTree(example);

type Files = Map<string, string>;
const target = 'apps/payments/payments-api/overlays/dev/target.json';
const analysis = 'apps/payments/payments-api/base/analysis-templates.yaml';
const rollout = 'apps/search/search-api/base/rollout.yaml';
const EDITS: Record<string, (f: Files) => void> = {
  'add an overlay target': (f) => f.set('apps/payments/ledger/overlays/dev/target.json', original.get(target)!.replace(/payments-api/g, 'ledger')),
  'change a target': (f) => f.set(target, original.get(target)!.replace('"dev"', '"staging"')),
  'remove a target': (f) => f.delete(target),
  'add a cluster target': (f) => f.set('clusters/edge-1/targets/dev.json', f.get('clusters/hub/targets/dev.json')!.replace(/hub/g, 'edge-1').replace('https://kubernetes.default.svc', 'https://edge-1.example.com')),
  'change a cluster target': (f) => f.set('clusters/hub/targets/dev.json', f.get('clusters/hub/targets/dev.json')!.replace(/"region": "[^"]*"/, '"region": "elsewhere"')),
  'the issue-9 prefix': (f) => f.set('argocd/apps/tenant-payments.yaml', f.get('argocd/apps/tenant-payments.yaml')!.replace('pathParamPrefix: clusterFile', 'pathParamPrefix: cluster')),
  'remove a tenant ApplicationSet': (f) => f.delete('argocd/apps/tenant-search.yaml'),
  'unparseable target': (f) => f.set(target, '{"tenant": '),
  // Per-resource controller rules are reused per file (controllers/index.ts RuleMemo).
  'a constant fallback in an analysis': (f) => f.set(analysis, f.get(analysis)!.replace(/\) >= 0\n/, ') or on() vector(0)\n')),
  'analyses reordered': (f) => f.set(analysis, f.get(analysis)!.split(/^---\n/m).reverse().join('---\n')),
  'an analysis file removed': (f) => f.delete('apps/search/search-api/base/analysis-templates.yaml'),
  'the same analysis in a new file': (f) => f.set('apps/payments/payments-api/base/extra-analysis.yaml', f.get(analysis)!),
  // ServiceAccount references and pre-promotion templates are kept per resource too.
  'a pod ServiceAccount renamed': (f) => f.set(rollout, f.get(rollout)!.replace('serviceAccountName: search-api', 'serviceAccountName: ghost')),
  'a traffic metric before promotion': (f) => f.set(rollout, f.get(rollout)!.replace('- templateName: search-api-smoke-test', '- templateName: search-api-success-rate')),
  // A Rollout's pre-promotion references and a template's traffic metrics are kept apart: the
  // template's file can change under an unchanged Rollout.
  'the success-rate template without traffic metrics': (f) => f.set('apps/search/search-api/base/analysis-templates.yaml', f.get('apps/search/search-api/base/analysis-templates.yaml')!.replace(/        prometheus:\n          address: [^\n]*\n/, '        web:\n          url: http://example.com\n')),
  'the success-rate template renamed': (f) => f.set('apps/search/search-api/base/analysis-templates.yaml', f.get('apps/search/search-api/base/analysis-templates.yaml')!.replace('name: "search-api-success-rate"', 'name: "search-api-success-rate-x"')),
  'a cluster template before promotion': (f) => f.set(rollout, f.get(rollout)!.replace('- templateName: search-api-smoke-test', '- clusterTemplateName: search-api-success-rate')),
  // Names and labels of what an ExternalSecret produces, and upstream images, are kept per resource.
  // (on the file's second document: a memo that confused the documents would answer the first's)
  'an invalid label on a produced Secret': (f) => {
    const es = 'apps/payments/payments-api/base/external-secrets.yaml';
    const docs = f.get(es)!.split(/^---\n/m);
    docs[1] = docs[1].replace('    creationPolicy: Owner\n', '    creationPolicy: Owner\n    template:\n      metadata:\n        labels:\n          bad: "-x-"\n');
    f.set(es, docs.join('---\n'));
  },
  'an upstream image left floating': (f) => f.set('platform/addons/argo-rollouts/kustomization.yaml', f.get('platform/addons/argo-rollouts/kustomization.yaml')!.replace(/images:\n(  .*\n|    .*\n)+/, '')),
  'no pre-promotion analysis': (f) => f.set(rollout, f.get(rollout)!.replace(/      prePromotionAnalysis:\n(        .*\n|          .*\n)+/, '')),
};


test('findings with the cache carried across random edits = findings without it', () => {
  fc.assert(
    fc.property(fc.shuffledSubarray(Object.keys(EDITS), { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 1 }), (edits, withSha) => {
      const files = new Map(original);
      let persisted: [string, unknown][] = [];
      for (const step of ['none', ...edits]) {
        if (step !== 'none') EDITS[step](files);
        const cache = new Map(JSON.parse(JSON.stringify(persisted)) as [string, unknown][]);
        cache.set('other/key', 1);
        assert.is(simulateFiles(files, cache, { withSha: withSha[0] }), simulateFiles(files), `after ${step}`);
        const keys = [...cache.keys()].filter((k) => k.startsWith(EXPANSION_CACHE_PREFIX));
        assert.ok(keys.length > 0 && cache.get('other/key') === 1);
        assert.ok([...cache.keys()].some((k) => k.startsWith(RESOURCE_CACHE_PREFIX)));
        persisted = [...cache].filter(([k]) => k.startsWith('sim/'));
      }
    }),
    { numRuns: 16, seed: 12 },
  );
});

test('the per-resource edits change the findings, and the memo answers as the plain run', () => {
  for (const name of ['an invalid label on a produced Secret', 'an upstream image left floating', 'the success-rate template without traffic metrics', 'a traffic metric before promotion']) {
    const files = new Map(original);
    if (name === 'the success-rate template without traffic metrics') EDITS['a traffic metric before promotion'](files);
    const cache = new Map<string, unknown>();
    const before = simulateFiles(files, cache);
    EDITS[name](files);
    const plain = simulateFiles(files);
    assert.is.not(plain, before, name);
    assert.is(simulateFiles(files, new Map(JSON.parse(JSON.stringify([...cache])) as [string, unknown][])), plain, `${name}, warm`);
    const keyed = new Map<string, unknown>();
    const before2 = new Map(original);
    if (name === 'the success-rate template without traffic metrics') EDITS['a traffic metric before promotion'](before2);
    simulateFiles(before2, keyed, { withSha: true });
    assert.is(simulateFiles(files, keyed, { withSha: true }), plain, `${name}, warm, files keyed by their sha`);
    assert.is(simulateFiles(files, new Map()), plain, `${name}, cold`);
  }
});

test('edits in sequence: a template under an unchanged Rollout, one text under two paths', () => {
  const sequences = [
    ['a traffic metric before promotion', 'the success-rate template without traffic metrics'],
    ['a traffic metric before promotion', 'the success-rate template renamed'],
    ['the success-rate template without traffic metrics', 'a traffic metric before promotion'],
    // The same text under two paths: one memo entry per path.
    ['a constant fallback in an analysis', 'the same analysis in a new file'],
  ];
  for (const withSha of [false, true])
    for (const steps of sequences) {
      const files = new Map(original);
      let persisted: [string, unknown][] = [];
      for (const step of steps) {
        EDITS[step](files);
        const cache = new Map(JSON.parse(JSON.stringify(persisted)) as [string, unknown][]);
        assert.is(simulateFiles(files, cache, { withSha }), simulateFiles(files), `after ${step}${withSha ? ' (files keyed by their sha)' : ''}`);
        persisted = [...cache];
      }
    }
});

test('an unchanged repository is served from the cache (no entry recomputed), a new service re-expands its tenant only', () => {
  const files = new Map(original);
  const cache = new Map<string, unknown>();
  simulateFiles(files, cache);
  const first = new Map(cache);
  simulateFiles(files, cache);
  for (const [k, v] of cache) if (k.startsWith(EXPANSION_CACHE_PREFIX)) assert.is(v, first.get(k), k);
  EDITS['add an overlay target'](files);
  simulateFiles(files, cache);
  const changed = [...cache].filter(([k, v]) => k.startsWith(EXPANSION_CACHE_PREFIX) && v !== first.get(k));
  assert.is(changed.length, 1);
  assert.ok(JSON.stringify(changed[0][1]).includes('ledger'));
});

test.run();
