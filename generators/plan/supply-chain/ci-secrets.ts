// The pipeline's credentials and Argo CD's repository credentials, without a value in Git.
//
// External Secrets backend: a ClusterSecretStore `ci` readable from the two CI namespaces only
// (its own backend role `eso-ci`, so the pipeline can read `ci/*` and nothing of the platform's
// or the tenants'), ExternalSecrets for each credential, and a `repo-creds` template Argo CD
// picks up by its label. Other backends: the same Secret names, created as SealedSecrets or SOPS
// files (platform/ci/README.md lists them).

import type { Platform } from '../../model/types.ts';
import { providerBlock, storeServiceAccount } from '../secret-stores.ts';
import { ciLabels } from './ci-workflow.ts';
import { buildCluster, ciNames, registryHosts } from './settings.ts';

type Obj = Record<string, unknown>;

export const CI_STORE = 'ci';
/** ESO ServiceAccount the `ci` store authenticates as (its backend role is `eso-ci`). */
export const CI_STORE_IDENTITY = 'eso-ci';

/** One credential of the pipeline: where it lands, what it holds, where the store keeps it. */
export interface CiCredential {
  secret: string;
  namespace: string;
  /** Keys of the Kubernetes Secret, each read from the same property of `remoteKey`. */
  keys: string[];
  /** Key (path) in the secret store. */
  remoteKey: string;
  type?: string;
  /** ESO template data when the Secret is shaped from the fetched values (docker config). */
  templateData?: Record<string, string>;
  purpose: string;
}

export function ciCredentials(p: Platform): CiCredential[] {
  const n = ciNames(p);
  // One registry credential, valid for every host the services' images live on.
  const hosts = registryHosts(p);
  const auths = hosts.map((host) => `"${host}":{"auth":"{{ printf "%s:%s" .username .password | b64enc }}"}`).join(',');
  const list: CiCredential[] = [
    { secret: n.secrets.gitRead, namespace: n.namespace, keys: ['username', 'password'], remoteKey: 'ci/git-read', purpose: 'read access to the services\' source repositories (clone)' },
    { secret: n.secrets.gitWrite, namespace: n.namespace, keys: ['username', 'password'], remoteKey: 'ci/gitops-write', purpose: `write access to ${p.repo.url} (promotion${p.ci.promotion === 'pull-request' ? ', pull requests' : ''})` },
    {
      secret: n.secrets.registry,
      namespace: n.namespace,
      keys: ['username', 'password'],
      remoteKey: 'ci/registry',
      type: 'kubernetes.io/dockerconfigjson',
      // ESO's template engine (Go templates + sprig) shapes the docker config in the cluster.
      templateData: { '.dockerconfigjson': `{"auths":{${auths}}}` },
      purpose: `push and pull images on ${hosts.join(', ')} (build, SBOM, signatures)`,
    },
    { secret: n.secrets.artifacts, namespace: n.namespace, keys: ['accessKey', 'secretKey'], remoteKey: 'ci/artifacts', purpose: `the artifact bucket ${p.ci.artifacts.bucket}` },
    { secret: n.secrets.webhook, namespace: n.eventsNamespace, keys: ['secret'], remoteKey: 'ci/webhook', purpose: p.ci.gitProvider === 'github' ? 'the GitHub webhook secret (HMAC of every delivery)' : 'the bearer token the Git host sends with each webhook' },
  ];
  // Key signing without KMS: the encrypted cosign key and its password come from the store.
  if (p.ci.signing === 'key' && !p.ci.key.kms)
    list.push({ secret: n.secrets.cosignKey, namespace: n.namespace, keys: ['cosign.key', 'cosign.password'], remoteKey: 'ci/cosign', purpose: 'the encrypted cosign signing key and its password' });
  return list;
}

const remoteRef = (key: string, property: string) => ({ key, property, conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' });

function externalSecret(c: CiCredential, store: string, labels: Record<string, string>): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: c.secret, namespace: c.namespace, labels, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: store },
      target: {
        name: c.secret,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        ...(c.type || c.templateData ? { template: { engineVersion: 'v2', ...(c.type ? { type: c.type } : {}), ...(c.templateData ? { data: c.templateData } : {}) } } : {}),
      },
      data: c.keys.map((key) => ({ secretKey: key, remoteRef: remoteRef(c.remoteKey, key) })),
    },
  };
}

/** The `ci` ClusterSecretStore, its identity, and one ExternalSecret per credential. */
export function ciSecretResources(p: Platform): Obj[] {
  const n = ciNames(p);
  const cluster = buildCluster(p);
  return [
    storeServiceAccount(p, { name: CI_STORE, role: 'ci' }, ciLabels('ci')),
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: CI_STORE, labels: ciLabels('ci'), annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: {
        // Only the pipeline's namespaces may read through this store.
        conditions: [{ namespaces: [n.namespace, n.eventsNamespace] }],
        provider: providerBlock(p, cluster.name, { name: CI_STORE, role: 'ci' }),
      },
    },
    ...ciCredentials(p).map((c) => externalSecret(c, CI_STORE, ciLabels(c.namespace === n.namespace ? 'ci' : 'ci-events'))),
  ];
}

/** Prefix Argo CD matches repository URLs against: scheme, host and owner of the platform repo. */
export function repoCredsPrefix(url: string): string {
  const https = /^(https?:\/\/[^/]+\/[^/]+)\//.exec(url);
  if (https) return https[1];
  const scp = /^([\w.-]+@[\w.-]+:[^/]+)\//.exec(url);
  if (scp) return scp[1];
  return url;
}

/**
 * Argo CD repository credentials for every repository under the platform repo's owner (tenant
 * config repos included), rendered in the Argo CD namespace by External Secrets through the
 * `platform` store. The label is what makes Argo CD use it; the values never leave the store.
 */
export function repoCredsExternalSecret(p: Platform): Obj {
  const ssh = !/^https?:\/\//.test(p.repo.url);
  const keys = ssh ? ['sshPrivateKey'] : ['username', 'password'];
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'repo-creds-platform', namespace: p.argocd.namespace, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
      target: {
        name: 'repo-creds-platform',
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: {
          engineVersion: 'v2',
          metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' } },
          data: {
            type: 'git',
            url: repoCredsPrefix(p.repo.url),
            ...Object.fromEntries(keys.map((k) => [k, `{{ .${k} }}`])),
          },
        },
      },
      data: keys.map((key) => ({ secretKey: key, remoteRef: remoteRef('argocd/repo-creds', key) })),
    },
  };
}
