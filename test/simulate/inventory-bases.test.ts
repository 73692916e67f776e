// InventoryReader builds a kustomization reached from another (a service's base, in each of its
// overlays) once, and reuses the build and the facts it noted wherever it is reached again
// (inventory.ts `children`), unless a cycle cut the build short. Random trees of
// kustomizations (resources naming files, other directories, missing paths, themselves and
// each other in cycles; namespace and name transformers), every directory built with the memo
// and without it (`children` undefined, the plain path): the same objects, unmodelled and missing
// entries, type and facts.
// Fails if a build cut short by a cycle is kept (it then lacks what it reaches from elsewhere),
// or if a kept build does not give its facts to the build that reuses it.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyManifests } from '../../generators/validate/pipeline.ts';
import { InventoryReader, factsOf, type Inventory } from '../../generators/simulate/inventory.ts';

const DIRS = ['a', 'b', 'c', 'a/d', 'e'];
const dirSpec = fc.record({
  kz: fc.boolean(),
  resources: fc.array(fc.constantFrom('../b', '../c', 'd', '../a', '../a/d', '../../e', '../e', 'cm.yaml', 'missing', '.', '../nope'), { maxLength: 4 }),
  namespace: fc.constantFrom(undefined, 'ns-x'),
  prefix: fc.constantFrom(undefined, 'p-'),
});

const view = (inv: Inventory) => JSON.stringify([inv.type, inv.objects.map((o) => [o.group, o.kind, o.name, o.namespace ?? null, o.file ?? null, o.pointer ?? null]), inv.unmodelled, inv.missing, factsOf(inv)]);

test('kustomization builds reused from wherever reached = built anew each time', () => {
  fc.assert(
    fc.property(fc.array(dirSpec, { minLength: DIRS.length, maxLength: DIRS.length }), fc.shuffledSubarray(DIRS, { minLength: 1 }), (specs, order) => {
      const files = new Map<string, string>();
      DIRS.forEach((d, i) => {
        const s = specs[i];
        files.set(`${d}/cm.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${d.replace('/', '-')}\n`);
        if (!s.kz) return;
        const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization'];
        if (s.namespace) lines.push(`namespace: ${s.namespace}`);
        if (s.prefix) lines.push(`namePrefix: ${s.prefix}`);
        lines.push('resources:', ...(s.resources.length ? s.resources.map((r) => `  - ${r}`) : ['  - cm.yaml']));
        files.set(`${d}/kustomization.yaml`, lines.join('\n') + '\n');
      });
      const sources = [...files].map(([path, content]) => ({ path, content }));
      const c = classifyManifests(sources, [...files.keys()]);
      const resources = c.resources.filter((r) => r.origin === 'file');
      const memo = new InventoryReader(c.repo, resources);
      const plain = new InventoryReader(c.repo, resources);
      plain.children = undefined;
      for (const d of order) assert.is(view(memo.ofPath(d)), view(plain.ofPath(d)), `${d} of ${JSON.stringify([...files])}`);
    }),
    { numRuns: 1500, seed: 9 },
  );
});

test.run();
