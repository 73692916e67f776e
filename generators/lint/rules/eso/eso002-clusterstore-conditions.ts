import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { asArray } from '../../util/values.ts';

export const clusterStoreConditions: Rule = {
  id: 'ESO002',
  name: 'clusterstore-conditions',
  severity: 'error',
  scope: 'resource',
  description: 'ClusterSecretStore without `spec.conditions`: every namespace can read whatever its identity can reach.',
  fix: 'Add `spec.conditions` with `namespaces`, `namespaceSelector` or `namespaceRegexes` naming the namespaces that may use the store.',
  source: 'security.md §4, rule 37; ESO security-best-practices.md',
  check(ctx) {
    return ctx.ofKind('ClusterSecretStore').flatMap((r) =>
      asArray(r.obj.spec?.conditions).length
        ? []
        : [at(r, r.obj.spec?.conditions === undefined ? '/spec' : '/spec/conditions', 'no conditions: an ExternalSecret in any namespace can read every secret this store\'s identity can reach')],
    );
  },
};
