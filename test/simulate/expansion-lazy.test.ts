// A kept ApplicationSet expansion goes through sim.jsonl as a SplitValue (model.ts
// cachedExpansion): each Application's manifest and params are a part of the line, parsed only
// when the simulation first reads them (lazyRecord). Through the file, as the pre-write check
// carries it, the findings after edits that make the simulation read kept expansions' manifests
// again (a project's destinations, Argo CD's parameters: every unit checked or walked anew) are
// the findings of a run without the cache; an unchanged repository parses few of the parts; a
// part that does not parse is expanded anew.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_DIR, loadSimCache, saveSimCache } from '../../generators/check/cache-store.ts';
import { SplitValue } from '../../generators/check/split-value.ts';
import type { SourceFile } from '../../generators/check/resources.ts';
import { defaultExpander } from '../../generators/simulate/expander.ts';
import { buildRepoModel, EXPANSION_CACHE_PREFIX } from '../../generators/simulate/model.ts';
import { classifyManifests } from '../../generators/validate/pipeline.ts';
import { readTree, ROOT, tempDir } from '../helpers.ts';
import { editFile, simulateFiles, type Files } from './helpers.ts';

const original = readTree(path.join(ROOT, 'examples', 'enterprise'));

const EDITS: Record<string, (f: Files) => void> = {
  none: () => {},
  // The payments Applications' units are checked again (their project changed), against manifests read from the parts.
  'a project loses a destination': (f) => editFile(f, 'argocd/projects/payments.yaml', /    - server: https:\/\/prod-eu-1\.k8s\.acme\.example\.com\n      namespace: payments-prod\n/, ''),
  'a project loses its source repos': (f) => editFile(f, 'argocd/projects/search.yaml', /sourceRepos:\n(    - .*\n)+/, 'sourceRepos:\n    - https://example.com/other.git\n'),
  // Every walk unit walked anew (the walk's global facts), the expansions kept.
  "Argo CD's parameters": (f) => editFile(f, 'argocd/install/argocd-cmd-params-cm.yaml', 'controller.status.processors: "20"', 'controller.status.processors: "21"'),
  'a cluster target changed': (f) => editFile(f, 'clusters/hub/targets/dev.json', /"region": "[^"]*"/, '"region": "elsewhere"'),
  'a tenant ApplicationSet removed': (f) => f.delete('argocd/apps/tenant-search.yaml'),
};

/** Runs the simulation with the cache sim.jsonl in `root` holds, and saves it back; its findings. */
function throughFile(root: string, files: Files): string {
  const c = loadSimCache(root, 'fp');
  const found = simulateFiles(files, c.map);
  saveSimCache(root, c);
  return found;
}

const expansions = (root: string) => {
  const c = loadSimCache(root, 'fp');
  return [...c.map.keys()].filter((k) => k.startsWith(EXPANSION_CACHE_PREFIX)).map((k) => c.map.get(k));
};

test('through sim.jsonl, the findings after each edit (and two in a row) are those without the cache', () => {
  const names = Object.keys(EDITS);
  for (const first of names)
    for (const second of [undefined, ...names.filter((n) => n !== first && n !== 'none')]) {
      const root = tempDir('gs-explazy-');
      const files = new Map(original);
      throughFile(root, files);
      for (const step of second ? [first, second] : [first]) {
        EDITS[step](files);
        assert.is(throughFile(root, files), simulateFiles(files), `${first}${second ? ` then ${second}` : ''}: after ${step}`);
      }
      assert.ok(expansions(root).every((v) => v instanceof SplitValue), 'expansions kept as split values');
    }
});

test('an unchanged repository parses few of the kept parts; a part that does not parse is expanded anew', () => {
  const root = tempDir('gs-explazy-');
  const files = new Map(original);
  const plain = simulateFiles(files);
  throughFile(root, files);
  const c = loadSimCache(root, 'fp');
  assert.is(simulateFiles(files, c.map), plain);
  const kept = [...c.map.keys()].filter((k) => k.startsWith(EXPANSION_CACHE_PREFIX)).map((k) => c.map.get(k) as SplitValue);
  const parts = kept.reduce((n, v) => n + v.size, 0);
  const parsed = kept.reduce((n, v) => n + v.partsParsed, 0);
  assert.ok(parts > 20 && parsed < parts / 2, `${parsed} of ${parts} parts parsed`);
  // A run that reads kept manifests parses their parts (none of them expanded anew).
  const projectEdit = new Map(files);
  EDITS['a project loses a destination'](projectEdit);
  const warm = loadSimCache(root, 'fp');
  assert.is(simulateFiles(projectEdit, warm.map), simulateFiles(projectEdit));
  const read = [...warm.map.keys()].filter((k) => k.startsWith(EXPANSION_CACHE_PREFIX)).reduce((n, k) => n + (warm.map.get(k) as SplitValue).partsParsed, 0);
  assert.ok(read > 0, 'parts parsed');
  // Damage every part of the file (same length, no longer JSON): a run that reads them expands anew.
  const file = path.join(root, CACHE_DIR, 'sim.jsonl');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\t\{"manifest":/g, '\t["manifest":'));
  EDITS['a project loses a destination'](files);
  EDITS["Argo CD's parameters"](files);
  assert.is(throughFile(root, files), simulateFiles(files));
});

test("the model's Applications from kept expansions are those of fresh ones: names, namespaces, manifests, params, places, in order", () => {
  const files = new Map(original);
  const sources: SourceFile[] = [...files].map(([p, content]) => ({ path: p, content }));
  // Resources parsed anew for each model: expansions are memoised per resource.
  const apps = (cache?: Map<string, unknown>) => {
    const c = classifyManifests(sources.filter((s) => /\.(ya?ml|json)$/.test(s.path)), [...files.keys()]);
    return JSON.stringify(buildRepoModel({ resources: c.resources, repo: c.repo, read: (p) => files.get(p), expand: defaultExpander(), cache }).applications.map((a) => [a.name, a.namespace, a.manifest, a.params, a.file, a.line, a.at, a.appSet?.name]));
  };
  const plain = apps();
  const root = tempDir('gs-explazy-');
  const cold = loadSimCache(root, 'fp');
  assert.is(apps(cold.map), plain, 'cold');
  saveSimCache(root, cold);
  assert.ok(expansions(root).length > 0);
  assert.is(apps(loadSimCache(root, 'fp').map), plain, 'kept, through sim.jsonl');
  assert.is(apps(new Map(JSON.parse(JSON.stringify([...loadSimCache(root, 'fp').map])))), plain, 'kept, through JSON');
});

test.run();
