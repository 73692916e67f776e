// The controller rules read kinds through an index built once per resource list
// (controllers/util.ts ofKind / ofKindNamed / configMaps): the same resources, in the same order,
// as a filter of the list, also for a list that grew after it was indexed.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { configMaps, ofKind, ofKindNamed } from '../../generators/simulate/controllers/util.ts';

const kinds = ['ConfigMap', 'Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', ''];
const resource = fc.record({
  kind: fc.option(fc.constantFrom(...kinds, 7), { nil: undefined }),
  name: fc.option(fc.constantFrom('a', 'b', 'argocd-cm', 3), { nil: undefined }),
  metadataShape: fc.constantFrom('object', 'missing', 'string'),
});
const toResource = (r: { kind: unknown; name: unknown; metadataShape: string }, i: number): ParsedResource =>
  ({ file: `f${i}.yaml`, docIndex: 0, line: 1, origin: 'file', obj: { kind: r.kind, metadata: r.metadataShape === 'object' ? { name: r.name } : r.metadataShape === 'string' ? 'x' : undefined } }) as unknown as ParsedResource;
const plainKind = (list: readonly ParsedResource[], ...ks: string[]) => list.filter((r) => ks.includes(typeof r.obj?.kind === 'string' ? r.obj.kind : typeof r.obj?.kind === 'number' ? String(r.obj.kind) : ''));
const plainName = (r: ParsedResource) => { const m = r.obj?.metadata; const n = m && typeof m === 'object' && !Array.isArray(m) ? m.name : undefined; return typeof n === 'string' ? n : typeof n === 'number' ? String(n) : undefined; };

test('ofKind, ofKindNamed and configMaps = filters of the list, before and after it grows', () => {
  fc.assert(
    fc.property(fc.array(resource, { maxLength: 30 }), fc.array(resource, { maxLength: 5 }), fc.subarray(kinds, { minLength: 1 }), fc.constantFrom('a', 'b', 'argocd-cm', undefined), (first, more, ks, name) => {
      const list = first.map(toResource);
      for (let round = 0; round < 2; round++) {
        assert.equal(ofKind(list, ...ks), plainKind(list, ...ks));
        assert.equal(ofKindNamed(list, ks[0], name), plainKind(list, ks[0]).filter((r) => plainName(r) === name));
        assert.equal(configMaps(list, 'argocd-cm'), plainKind(list, 'ConfigMap').filter((r) => plainName(r) === 'argocd-cm'));
        list.push(...more.map((r, i) => toResource(r, 100 + i)));
      }
    }),
    { numRuns: 300, seed: 3 },
  );
});

test.run();
