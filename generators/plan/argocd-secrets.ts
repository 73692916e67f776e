// argocd/secrets: what Argo CD itself needs from the secrets backend, on its own cluster, synced
// right after the backend's controller (waves in types.ts) and before anything reads it:
//   External Secrets: the `platform` store and the ServiceAccount it authenticates as, the OIDC
//     client secret, and the repository credentials of a private platform repository;
//   Sealed Secrets: the OIDC client secret once it is sealed (argocd.sso.sealedClientSecret).
// None of it lives in argocd/install: Argo CD's own Application must never wait for a controller
// that Argo CD installs later.

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { hubCluster, PART_OF, usesExternalSecrets } from './context.ts';
import { clusterSecretStore, storeServiceAccount } from './secret-stores.ts';
import { repoCredsExternalSecret } from './supply-chain/ci-secrets.ts';

export const ARGOCD_SECRETS_DIR = 'argocd/secrets';
export const OIDC_SECRET = 'argocd-oidc';
/** The Argo CD cluster's name for Vault auth mounts: the hub's, or Argo CD's own `in-cluster`. */
export const argocdClusterName = (p: Platform) => hubCluster(p)?.name ?? 'in-cluster';

const remoteRef = (key: string, property: string) => ({ key, property, conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' });
/** Argo CD reads `$<secret>:<key>` only from Secrets labelled part-of argocd (util/settings). */
const argocdSecretLabels = { 'app.kubernetes.io/part-of': 'argocd' };

/** Whether argocd-cm can reference the OIDC client secret: something in the repository creates it. */
export function oidcSecretAvailable(p: Platform): boolean {
  const sso = p.argocd.sso;
  if (!sso) return false;
  if (usesExternalSecrets(p)) return true;
  // SOPS: the secret is made by hand at bootstrap (handMadeOidcSecret), as the age key is: there is
  // nothing in the cluster that could decrypt a committed copy before Argo CD runs.
  if (p.secrets.backend === 'sops') return true;
  return p.secrets.backend === 'sealed-secrets' && !!sso.sealedClientSecret;
}

/**
 * With the SOPS backend the OIDC client secret is created once by hand, right after Argo CD is
 * installed (its namespace exists then), with the label Argo CD requires of a Secret that argocd-cm
 * reads (`$argocd-oidc:clientSecret`). The value is a placeholder: never written to the repository.
 */
export const handMadeOidcSecret = (p: Platform): boolean => !!p.argocd.sso && p.secrets.backend === 'sops';

/** Repository credentials come from the store when the repository is private (External Secrets). */
export const plansRepoCreds = (p: Platform) => usesExternalSecrets(p) && p.repo.private;

function documents(p: Platform): { comment: string | null; body: Record<string, unknown> }[] {
  const ns = p.argocd.namespace;
  const docs: { comment: string | null; body: Record<string, unknown> }[] = [];
  if (usesExternalSecrets(p)) {
    const id = { name: 'platform', role: 'platform' };
    docs.push(
      { comment: 'The identity of the platform store.', body: storeServiceAccount(p, id) },
      { comment: 'Platform credentials (cluster registrations, SSO, repositories); readable from the Argo CD namespace only.', body: clusterSecretStore(p, argocdClusterName(p), id, [{ namespaces: [ns] }]) },
    );
  }
  if (p.argocd.sso && oidcSecretAvailable(p) && !handMadeOidcSecret(p)) {
    const metadata = { name: OIDC_SECRET, namespace: ns };
    const comment = `The OIDC client secret, read by Argo CD as $${OIDC_SECRET}:clientSecret (argocd-cm oidc.config).`;
    if (usesExternalSecrets(p))
      docs.push({
        comment,
        body: {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata,
          spec: {
            refreshInterval: '1h',
            secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
            target: { name: OIDC_SECRET, creationPolicy: 'Owner', template: { metadata: { labels: argocdSecretLabels } } },
            data: [{ secretKey: 'clientSecret', remoteRef: remoteRef('argocd/oidc', 'clientSecret') }],
          },
        },
      });
    else
      docs.push({
        comment: `${comment} Sealed for ${ns}/${OIDC_SECRET} only.`,
        body: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata, spec: { encryptedData: { clientSecret: p.argocd.sso.sealedClientSecret }, template: { metadata: { ...metadata, labels: argocdSecretLabels } } } },
      });
  }
  if (plansRepoCreds(p)) docs.push({ comment: "Argo CD credentials for every repository under the platform repository's owner, from `argocd/repo-creds` in the store.", body: repoCredsExternalSecret(p) });
  return docs;
}

export function planArgoCdSecrets(p: Platform): PlannedFile[] {
  const docs = documents(p);
  if (!docs.length) return [];
  return [
    {
      path: `${ARGOCD_SECRETS_DIR}/secrets.yaml`,
      owner: 'managed',
      template: 'ci/manifests.yaml.hbs',
      data: { header: [`Argo CD's own secrets on its cluster (${PART_OF}): synced after the secrets controller, before registrations and add-ons.`], documents: docs },
    },
    { path: `${ARGOCD_SECRETS_DIR}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['secrets.yaml'] } },
  ];
}
