import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { str } from '../../util/values.ts';

/** Kinds whose v1beta1/v1alpha1 are no longer served (PushSecret is still v1alpha1 and is fine). */
const KINDS = new Set(['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret']);

export const esoUnservedApi: Rule = {
  id: 'ESO001',
  name: 'eso-unserved-api',
  severity: 'error',
  scope: 'resource',
  description: 'ExternalSecret, SecretStore, ClusterSecretStore or ClusterExternalSecret on `external-secrets.io/v1beta1` or `v1alpha1`, which current ESO no longer serves: the API server rejects it.',
  fix: 'Change apiVersion to `external-secrets.io/v1` (the fields are the same for these kinds).',
  source: 'security.md §4, rule 36; external-secrets PR #4758 (+kubebuilder:unservedversion, v0.17.0)',
  check(ctx) {
    return ctx.resources.flatMap((r) => {
      const api = str(r.obj.apiVersion) ?? '';
      return KINDS.has(r.obj.kind) && /^external-secrets\.io\/v1(alpha|beta)1$/.test(api)
        ? [at(r, '/apiVersion', `${api} is no longer served by External Secrets Operator (since v0.17.0): the resource is rejected`)]
        : [];
    });
  },
};
