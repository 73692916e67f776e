// The bootstrap walk keeps each ApplicationSet's subtree as a unit (bootstrap.ts
// BootstrapWalk.applicationSet, walk-state.ts): the facts it read of the repository and the
// steps it took on the walk's state, replayed by a later run when every fact and every read is
// the same. Over random sequences of edits of the enterprise example aimed at what the units read
// (projects, cluster registrations, ServiceAccounts, prerequisites, namespaces, inventories,
// expansions), the findings with the cache carried from edit to edit (through JSON, as it is
// persisted) are exactly the findings of a run without it.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WALK_CACHE_PREFIX } from '../../generators/simulate/bootstrap.ts';
import { readTree, ROOT } from '../helpers.ts';
import { assertCarriedEqualsPlain, editFile as edit, type Files, simulateFiles, walkReached } from './helpers.ts';

const example = path.join(ROOT, 'examples', 'enterprise');
const original = readTree(example);

const target = 'apps/payments/payments-api/overlays/dev/target.json';
const sa = 'apps/payments/payments-api/base/serviceaccount.yaml';
const prerequisites = '.gitops-scaffold/prerequisites.yaml';
const EDITS: Record<string, (f: Files) => void> = {
  'add an overlay target': (f) => f.set('apps/payments/ledger/overlays/dev/target.json', original.get(target)!.replace(/payments-api/g, 'ledger')),
  'remove a target': (f) => f.delete(target),
  'a project left out of the bootstrap': (f) => edit(f, 'argocd/projects/kustomization.yaml', '  - payments.yaml\n', ''),
  'a cluster registration removed': (f) => f.delete('argocd/clusters/prod-eu-1.yaml'),
  'a cluster registration renamed': (f) => edit(f, 'argocd/clusters/prod-eu-1.yaml', 'name: prod-eu-1\n', 'name: prod-eu-one\n'),
  'a ServiceAccount renamed': (f) => edit(f, sa, 'name: "payments-api"', 'name: "payments-api-x"'),
  'a ServiceAccount file removed': (f) => f.delete(sa),
  'a prerequisite CRD dropped': (f) => edit(f, prerequisites, '            - VirtualService\n', ''),
  'a prerequisite namespace dropped': (f) => edit(f, prerequisites, '        - istio-system\n', ''),
  'no CreateNamespace for an add-on': (f) => edit(f, 'argocd/apps/addon-argo-rollouts.yaml', '          - CreateNamespace=true\n', ''),
  'a tenant in a later wave': (f) => edit(f, 'argocd/apps/tenant-payments.yaml', 'argocd.argoproj.io/sync-wave: "0"', 'argocd.argoproj.io/sync-wave: "-5"'),
  'a tenant ApplicationSet removed': (f) => f.delete('argocd/apps/tenant-search.yaml'),
  'a change of a cluster target': (f) => edit(f, 'clusters/hub/targets/dev.json', /"region": "[^"]*"/, '"region": "elsewhere"'),
  'an unparseable target': (f) => f.set(target, '{"tenant": '),
  'the repository credentials step dropped': (f) => edit(f, 'README.md', /^kubectl -n argocd create secret generic repo-bootstrap.*\n/m, ''),
};


test('findings with the walk units carried across random edits = findings without them', () => {
  assertCarriedEqualsPlain(original, EDITS, WALK_CACHE_PREFIX, 'walk units', { numRuns: 12, seed: 11 });
});

test('an unchanged repository replays every unit; a new service re-walks its tenant only', () => {
  const files = new Map(original);
  const cache = new Map<string, unknown>();
  const first = simulateFiles(files, cache);
  const before = new Map([...cache].filter(([k]) => k.startsWith(WALK_CACHE_PREFIX)));
  assert.ok(before.size >= 3);
  assert.is(simulateFiles(files, cache), first);
  for (const [k, v] of before) assert.is(cache.get(k), v, k);
  EDITS['add an overlay target'](files);
  simulateFiles(files, cache);
  const walked = [...cache].filter(([k, v]) => k.startsWith(WALK_CACHE_PREFIX) && v !== before.get(k));
  assert.is(walked.length, 1);
  assert.ok(JSON.stringify(walked[0][1]).includes('ledger'));
});

test('a replayed unit reaches the same Applications (each found again by name and ApplicationSet)', () => {
  const files = new Map(original);
  const cache = new Map<string, unknown>();
  const plain = walkReached(files);
  assert.ok(JSON.parse(plain).some((r: unknown[]) => r[1] !== null), 'Applications of ApplicationSets reached');
  assert.is(walkReached(files, cache), plain);
  assert.is(walkReached(files, new Map(JSON.parse(JSON.stringify([...cache])) as [string, unknown][])), plain);
  EDITS['add an overlay target'](files);
  assert.is(walkReached(files, cache), walkReached(files));
});

test('a damaged unit costs a walk, never a wrong answer', () => {
  const files = new Map(original);
  const cache = new Map<string, unknown>();
  const plain = simulateFiles(files);
  simulateFiles(files, cache);
  for (const k of [...cache.keys()].filter((x) => x.startsWith(WALK_CACHE_PREFIX))) {
    const entry = cache.get(k) as { steps: unknown[][] };
    // A read that now answers otherwise, and a shape the replay does not know.
    cache.set(k, { ...entry, steps: entry.steps.map((s) => (s[0] === 'p' ? ['p', s[1], !s[2]] : s)) });
  }
  assert.is(simulateFiles(files, cache), plain);
  for (const k of [...cache.keys()].filter((x) => x.startsWith(WALK_CACHE_PREFIX))) cache.set(k, { facts: 'x', steps: [['?']] });
  assert.is(simulateFiles(files, cache), plain);
});

test.run();
