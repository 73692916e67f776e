// External Secrets stores. Every store is a ClusterSecretStore with spec.conditions, so no
// namespace can read through a store that is not meant for it, and each authenticates as its
// own ServiceAccount in the external-secrets namespace (created here, next to the store):
//   - `platform` on Argo CD's own cluster (argocd-secrets.ts): readable from the Argo CD namespace;
//   - `tenant-<tenant>` on every registered cluster hosting the tenant (platform/secret-stores/<cluster>);
//   - `ci` on the build cluster (supply-chain/ci-secrets.ts).
// The ServiceAccount carries what the provider needs to trust it: an IRSA role (aws), a Google
// service account (gcp, Workload Identity), a workload identity client ID (azure); Vault trusts
// it through a Kubernetes auth role `eso-<identity>` on the cluster's own auth mount.

import type { Cluster, Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { LABEL, PART_OF, tenantNamespacesOn, usesExternalSecrets } from './context.ts';

export const ESO_NAMESPACE = 'external-secrets';

export interface StoreIdentity {
  /** Store name (`platform`, `tenant-payments`). */
  name: string;
  /** Identity suffix (`platform`, `payments`, `ci`): ServiceAccount and backend role `eso-<role>`. */
  role: string;
}

export const storeServiceAccountName = (id: StoreIdentity) => `eso-${id.role}`;

/** The cloud identity a store's ServiceAccount authenticates as, from secrets.identities or the provider's pattern. */
export function providerIdentity(p: Platform, role: string): string | undefined {
  const s = p.secrets;
  const explicit = s.identities[role];
  if (explicit) return explicit;
  const fill = (pattern: string | undefined) => pattern?.replace(/\{identity\}/g, role);
  switch (s.provider) {
    case 'aws':
      return fill(s.aws?.roleArn);
    case 'gcp':
      return fill(s.gcp?.serviceAccount ?? `eso-{identity}@${s.gcp?.projectId}.iam.gserviceaccount.com`);
    case 'azure':
      return fill(s.azure?.clientId);
    case 'vault':
      return undefined;
  }
}

/** Annotations binding the ServiceAccount to its cloud identity (read by ESO and the cloud's webhook / STS). */
function identityAnnotations(p: Platform, role: string): Record<string, string> {
  const id = providerIdentity(p, role);
  if (!id) return {};
  switch (p.secrets.provider) {
    case 'aws':
      return { 'eks.amazonaws.com/role-arn': id };
    case 'gcp':
      return { 'iam.gke.io/gcp-service-account': id };
    case 'azure':
      return { 'azure.workload.identity/client-id': id, ...(p.secrets.azure?.tenantId ? { 'azure.workload.identity/tenant-id': p.secrets.azure.tenantId } : {}) };
    default:
      return {};
  }
}

/** The ServiceAccount a store authenticates as: ESO requests its tokens (TokenRequest) for the provider. */
export function storeServiceAccount(p: Platform, id: StoreIdentity, labels: Record<string, string> = {}): Record<string, unknown> {
  const annotations = { 'argocd.argoproj.io/sync-wave': '-2', ...identityAnnotations(p, id.role) };
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: storeServiceAccountName(id), namespace: ESO_NAMESPACE, labels: { 'app.kubernetes.io/part-of': PART_OF, ...labels }, annotations },
    // ESO asks the API server for this account's tokens; no pod runs as it.
    automountServiceAccountToken: false,
  };
}

/** The provider block of a ClusterSecretStore on one cluster (by name: its Vault auth mount) for one identity. */
export function providerBlock(p: Platform, clusterName: string, id: StoreIdentity): Record<string, unknown> {
  const s = p.secrets;
  const sa = { name: storeServiceAccountName(id), namespace: ESO_NAMESPACE };
  switch (s.provider) {
    case 'vault':
      return {
        vault: {
          server: s.vault!.server,
          path: s.vault!.path,
          version: 'v2',
          auth: { kubernetes: { mountPath: `${s.vault!.authMountPath}-${clusterName}`, role: storeServiceAccountName(id), serviceAccountRef: sa } },
        },
      };
    case 'aws':
      return {
        aws: {
          service: 'SecretsManager',
          region: s.aws!.region,
          // IRSA: ESO exchanges a token of this ServiceAccount for its annotated role, no static keys.
          auth: { jwt: { serviceAccountRef: sa } },
        },
      };
    case 'gcp':
      return {
        gcpsm: {
          projectID: s.gcp!.projectId,
          auth: {
            workloadIdentity: {
              ...(s.gcp!.clusterLocation ? { clusterLocation: s.gcp!.clusterLocation } : {}),
              ...(s.gcp!.clusterName ? { clusterName: s.gcp!.clusterName } : {}),
              serviceAccountRef: sa,
            },
          },
        },
      };
    case 'azure':
      return {
        azurekv: {
          vaultUrl: s.azure!.vaultUrl,
          authType: 'WorkloadIdentity',
          ...(s.azure!.tenantId ? { tenantId: s.azure!.tenantId } : {}),
          serviceAccountRef: sa,
        },
      };
  }
}

/** A ClusterSecretStore document. */
export function clusterSecretStore(p: Platform, clusterName: string, id: StoreIdentity, conditions: unknown[], labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: id.name, labels: { 'app.kubernetes.io/part-of': PART_OF, ...labels }, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
    spec: { conditions, provider: providerBlock(p, clusterName, id) },
  };
}

/** Tenants with namespaces on the cluster, and so a store there. */
const tenantsOn = (p: Platform, c: Cluster) => p.tenants.filter((t) => tenantNamespacesOn(t, c).length);

/** Registered clusters hosting at least one tenant: they get platform/secret-stores/<cluster>. */
export const clustersWithTenantStores = (p: Platform) => (usesExternalSecrets(p) ? p.clusters.filter((c) => c.registered && tenantsOn(p, c).length) : []);

export function planSecretStores(p: Platform): PlannedFile[] {
  return clustersWithTenantStores(p).flatMap((c) => {
    const dir = `platform/secret-stores/${c.name}`;
    const tenants = tenantsOn(p, c);
    const documents = tenants.flatMap((t) => {
      const id = { name: `tenant-${t.name}`, role: t.name };
      return [
        { comment: `The identity the store of tenant ${t.name} authenticates as.`, body: storeServiceAccount(p, id, { [LABEL.tenant]: t.name }) },
        { comment: `Secrets of tenant ${t.name}; readable from its namespaces only.`, body: clusterSecretStore(p, c.name, id, [{ namespaceSelector: { matchLabels: { [LABEL.tenant]: t.name } } }], { [LABEL.tenant]: t.name }) },
      ];
    });
    return [
      {
        path: `${dir}/stores.yaml`,
        owner: 'managed',
        template: 'ci/manifests.yaml.hbs',
        data: { header: [`External Secrets stores of the tenants on ${c.name}, each with the ServiceAccount it authenticates as (namespace ${ESO_NAMESPACE}).`], documents },
      },
      { path: `${dir}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['stores.yaml'] } },
    ];
  });
}
