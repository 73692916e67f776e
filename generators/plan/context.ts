// Facts derived from the normalized model that several planners need, computed in one place.

import type { Cluster, Platform, Tenant } from '../model/types.ts';
import { tenantNamespace } from '../model/names.ts';

export const LABEL = {
  tenant: 'gitops-scaffold.dev/tenant',
  environment: 'gitops-scaffold.dev/environment',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const PART_OF = 'gitops-scaffold';
export const waveAnnotation = (wave: number) => ({ 'argocd.argoproj.io/sync-wave': String(wave) });

/** (cluster, environment) pairs: where things deploy. */
export interface Placement {
  cluster: Cluster;
  env: string;
}

export const placements = (p: Platform): Placement[] =>
  p.clusters.flatMap((cluster) => cluster.environments.map((env) => ({ cluster, env })));

/** The namespaces a tenant has on a cluster: one per (namespace base, environment the cluster serves). */
export const tenantNamespacesOn = (t: Tenant, cluster: Cluster) =>
  t.clusters.includes(cluster.name)
    ? cluster.environments.filter((e) => t.environments.includes(e)).flatMap((env) => t.namespaces.map((base) => ({ name: tenantNamespace(base, env), env, base })))
    : [];

/** Destinations of a tenant's AppProject: exact server + namespace pairs, no wildcards. */
export const tenantDestinations = (p: Platform, t: Tenant) =>
  p.clusters.flatMap((c) => tenantNamespacesOn(t, c).map((ns) => ({ server: c.server, namespace: ns.name, env: ns.env, cluster: c.name })));

export const envByName = (p: Platform, name: string) => p.environments.find((e) => e.name === name)!;
export const hubCluster = (p: Platform) => p.clusters.find((c) => c.isHub);
export const spokes = (p: Platform) => p.clusters.filter((c) => !c.isHub);
export const usesExternalSecrets = (p: Platform) => p.secrets.backend === 'external-secrets';
