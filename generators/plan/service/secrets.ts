// A service's secrets: one ExternalSecret per entry, read through the tenant's ClusterSecretStore
// (whose conditions admit only that tenant's namespaces), and the volumes that mount the resulting
// Secrets read-only as files. Files rather than environment variables: they are not inherited by
// child processes or printed in crash dumps, and they follow a rotation without a restart.

import type { Service, ServiceSecretSpec } from '../../model/types.ts';

export const SECRETS_MOUNT_ROOT = '/etc/secrets';
export const REFRESH_INTERVAL = '1h';

/** The store planSecretStores() writes for each tenant on every cluster it runs on. */
export const tenantStoreName = (tenant: string) => `tenant-${tenant}`;

export interface ExternalSecretData {
  name: string;
  store: string;
  refreshInterval: string;
  data: { secretKey: string; remoteRef: Record<string, string> }[];
}

export function externalSecrets(s: Service): ExternalSecretData[] {
  return s.secrets.map((secret) => ({
    name: secret.name,
    store: tenantStoreName(s.tenant),
    refreshInterval: REFRESH_INTERVAL,
    data: secret.properties.map((property) => ({
      secretKey: property,
      // Explicit strategies: the controller defaults them otherwise, and Argo CD shows the
      // defaulted fields as drift.
      remoteRef: { key: secret.key, property, conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' },
    })),
  }));
}

const volumeName = (index: number) => `secret-${index}`;

export const secretVolumes = (secrets: ServiceSecretSpec[]) =>
  secrets.map((secret, i) => ({ name: volumeName(i), secret: { secretName: secret.name } }));

export const secretMounts = (secrets: ServiceSecretSpec[]) =>
  secrets.map((secret, i) => ({ name: volumeName(i), mountPath: `${SECRETS_MOUNT_ROOT}/${secret.name}`, readOnly: true }));
