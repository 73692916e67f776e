import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ARGOCD_CREDENTIAL_TYPES, argocdSecretType, isCoreSecret, isSopsEncrypted, secretValues } from '../../util/secrets.ts';

// base64 is an encoding, not encryption. Argo CD's own credential Secrets are left to ACD017,
// which tells credentials (flagged) from connection settings (fine in Git) apart.
export const plaintextSecret: Rule = {
  id: 'SEC001',
  name: 'plaintext-secret',
  severity: 'error',
  scope: 'resource',
  description: '`kind: Secret` committed with values in data or stringData (base64 is not encryption); SOPS-encrypted Secrets and Argo CD cluster/repository Secrets (ACD017) are exempt.',
  fix: 'Replace the Secret with an ExternalSecret or a SealedSecret, or encrypt it with SOPS; rotate the values already committed.',
  source: 'seed "Mistake 8: Storing secrets in Git"; security.md §1.5; CVE-2025-23216',
  check(ctx) {
    return ctx.ofKind('Secret').flatMap((r) => {
      const type = argocdSecretType(r);
      if (!isCoreSecret(r) || (type && ARGOCD_CREDENTIAL_TYPES.has(type)) || isSopsEncrypted(r)) return [];
      const values = secretValues(r);
      if (!values.length) return [];
      const field = r.obj.data && Object.keys(r.obj.data).length ? 'data' : 'stringData';
      return [at(r, `/${field}`, `Secret committed in plain text with ${values.length} value(s) (${values.map((v) => v.key).join(', ')})`)];
    });
  },
};
