// External Secrets stores, one folder per cluster (platform/secret-stores/<cluster>): a store for
// the platform (readable from the Argo CD namespace only) and one per tenant (readable from that
// tenant's namespaces only, with its own backend role). Every store is a ClusterSecretStore with
// spec.conditions, so no namespace can read through a store that is not meant for it.

import type { Cluster, Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { LABEL, tenantNamespacesOn, usesExternalSecrets } from './context.ts';

export interface StoreIdentity {
  /** Store name (`platform`, `tenant-payments`). */
  name: string;
  /** Backend role / identity suffix (`eso-platform`, `eso-payments`). */
  role: string;
}

/** The provider block of a ClusterSecretStore for one cluster and identity. */
export function providerBlock(p: Platform, c: Cluster, id: StoreIdentity): Record<string, unknown> {
  const s = p.secrets;
  const sa = { name: `eso-${id.role}`, namespace: 'external-secrets' };
  switch (s.provider) {
    case 'vault':
      return {
        vault: {
          server: s.vault!.server,
          path: s.vault!.path,
          version: 'v2',
          auth: { kubernetes: { mountPath: `${s.vault!.authMountPath}-${c.name}`, role: `eso-${id.role}`, serviceAccountRef: sa } },
        },
      };
    case 'aws':
      return {
        aws: {
          service: 'SecretsManager',
          region: s.aws!.region,
          // IRSA / EKS Pod Identity: the role is bound to this ServiceAccount, no static keys.
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

export function planSecretStores(p: Platform): PlannedFile[] {
  if (!usesExternalSecrets(p)) return [];
  return p.clusters.flatMap((c) => {
    const dir = `platform/secret-stores/${c.name}`;
    const stores: PlannedFile[] = [];
    if (c.isHub)
      stores.push({
        path: `${dir}/platform.yaml`,
        owner: 'managed',
        template: 'platform/cluster-secret-store.yaml.hbs',
        data: { comment: 'Platform credentials (cluster registrations, SSO, CI); readable from the Argo CD namespace only.', name: 'platform', conditions: [{ namespaces: [p.argocd.namespace] }], provider: providerBlock(p, c, { name: 'platform', role: 'platform' }) },
      });
    for (const t of p.tenants) {
      if (!tenantNamespacesOn(t, c).length) continue;
      stores.push({
        path: `${dir}/tenant-${t.name}.yaml`,
        owner: 'managed',
        template: 'platform/cluster-secret-store.yaml.hbs',
        data: {
          comment: `Secrets of tenant ${t.name}; readable from its namespaces only.`,
          name: `tenant-${t.name}`,
          conditions: [{ namespaceSelector: { matchLabels: { [LABEL.tenant]: t.name } } }],
          provider: providerBlock(p, c, { name: `tenant-${t.name}`, role: t.name }),
        },
      });
    }
    if (!stores.length) return [];
    return [...stores, { path: `${dir}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: stores.map((s) => s.path.split('/').pop()!) } }];
  });
}
