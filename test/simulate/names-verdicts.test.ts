// The names-and-labels rule (controllers/names-labels.ts) keeps each name's and namespace's
// verdict per string (a DNS-1123 label, at most 63, for Namespaces, Services and namespaces; a
// subdomain, at most 253, for other names). Over random sequences of resources whose names repeat
// across kinds (a name valid as a subdomain and not as a label among them), the invalid-name
// findings are exactly those of the definitions, whatever the order the verdicts were kept in.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { namesAndLabelsRules } from '../../generators/simulate/controllers/names-labels.ts';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMES = ['web', 'a.b', 'web.acme.example', 'Web', '-x', 'x'.repeat(63), 'x'.repeat(64), `${'a.'.repeat(126)}a`, `${'a.'.repeat(127)}a`, 'team_01'];
const KINDS = ['Service', 'Namespace', 'ConfigMap', 'Deployment'];

const expected = (kind: string, name: string, namespace: string | undefined) => {
  const label = kind === 'Service' || kind === 'Namespace';
  const nameOk = label ? name.length <= 63 && LABEL.test(name) : name.length <= 253 && SUBDOMAIN.test(name);
  const nsOk = namespace === undefined || (namespace.length <= 63 && LABEL.test(namespace));
  return [...(nameOk ? [] : ['/metadata/name']), ...(nsOk ? [] : ['/metadata/namespace'])];
};

test('invalid-name findings with the verdicts kept per string = the definitions, in any order', () => {
  const item = fc.record({ kind: fc.constantFrom(...KINDS), name: fc.constantFrom(...NAMES), namespace: fc.option(fc.constantFrom(...NAMES), { nil: undefined }) });
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), (items) => {
      const resources: ParsedResource[] = items.map((it, i) => ({
        file: `f${i}.yaml`,
        docIndex: 0,
        line: 1,
        origin: 'file',
        obj: { apiVersion: 'v1', kind: it.kind, metadata: { name: it.name, ...(it.namespace !== undefined ? { namespace: it.namespace } : {}) } },
      }) as ParsedResource);
      const found = namesAndLabelsRules.flatMap((rule) => rule(resources)).filter((f) => f.rule === 'sim/k8s/invalid-name');
      const got = items.map((_, i) => found.filter((f) => f.file === `f${i}.yaml`).map((f) => f.message.startsWith('metadata.namespace') ? '/metadata/namespace' : '/metadata/name'));
      assert.equal(got, items.map((it) => expected(it.kind, it.name, it.namespace)));
    }),
    { numRuns: 200, seed: 11 },
  );
});

test.run();
