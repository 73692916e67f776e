import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ARGOCD_CREDENTIAL_TYPES, argocdSecretType, clusterConfig, isCoreSecret, isSopsEncrypted, secretValues } from '../../util/secrets.ts';
import { isObj } from '../../util/values.ts';

/** Keys of Argo CD cluster and repository secrets that hold credentials. */
const CREDENTIAL_KEYS = new Set(['password', 'bearerToken', 'sshPrivateKey', 'githubAppPrivateKey', 'gcpServiceAccountKey', 'tlsClientCertKey', 'token', 'clientSecret', 'keyData']);

export const argocdSecretInlineCreds: Rule = {
  id: 'ACD017',
  name: 'argocd-secret-inline-creds',
  severity: 'error',
  scope: 'resource',
  description: 'Argo CD cluster or repository Secret committed with credentials: a password, bearer token, private key or service account key in data, stringData or the cluster `config` JSON.',
  fix: 'Render the Secret with an ExternalSecret (target.template with the secret-type label), or use awsAuthConfig / execProviderConfig (argocd-k8s-auth) so no long-lived credential exists.',
  source: 'security.md §1.5, rule 17; Argo CD secret-management.md; CVE-2023-40029, CVE-2025-23216, CVE-2026-42880',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('Secret')) {
      const type = argocdSecretType(r);
      if (!isCoreSecret(r) || !type || !ARGOCD_CREDENTIAL_TYPES.has(type) || isSopsEncrypted(r)) continue;
      const values = secretValues(r);
      for (const v of values)
        if (CREDENTIAL_KEYS.has(v.key)) out.push(at(r, v.pointer, `Argo CD ${type} secret holds "${v.key}" in Git: anyone who can read the repo (or, via last-applied-configuration, the API) has the credential`));
      const cfg = clusterConfig(values);
      if (cfg && isObj(cfg.config)) {
        const c = cfg.config;
        const inline = [c.bearerToken && 'bearerToken', c.password && 'password', isObj(c.tlsClientConfig) && c.tlsClientConfig.keyData && 'tlsClientConfig.keyData'].filter(Boolean);
        if (inline.length) out.push(at(r, cfg.pointer, `cluster config JSON holds ${inline.join(', ')} in Git: a long-lived credential for the target cluster`));
      }
    }
    return out;
  },
};
