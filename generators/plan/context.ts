// Facts derived from the normalized model that several planners need, computed in one place.

import type { Cluster, Environment, Platform, Tenant } from '../model/types.ts';
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

export interface TenantDestination {
  server: string;
  namespace: string;
  env: string;
  cluster: string;
}

// Derivations computed once per Platform (the planners call them per tenant and per service). A
// Platform is never mutated after normalize(), so a WeakMap keyed by it is a safe cache.
const destinationsCache = new WeakMap<Platform, WeakMap<Tenant, readonly TenantDestination[]>>();
const envCache = new WeakMap<Platform, Map<string, Environment>>();

/** Destinations of a tenant's AppProject: exact server + namespace pairs, no wildcards. (Shared: do not mutate.) */
export function tenantDestinations(p: Platform, t: Tenant): readonly TenantDestination[] {
  let byTenant = destinationsCache.get(p);
  if (!byTenant) destinationsCache.set(p, (byTenant = new WeakMap()));
  let out = byTenant.get(t);
  if (!out) {
    out = p.clusters.flatMap((c) => tenantNamespacesOn(t, c).map((ns) => ({ server: c.server, namespace: ns.name, env: ns.env, cluster: c.name })));
    byTenant.set(t, out);
  }
  return out;
}

export function envByName(p: Platform, name: string): Environment {
  let byName = envCache.get(p);
  if (!byName) {
    byName = new Map();
    // The first environment of a name wins, as with find().
    for (const e of p.environments) if (!byName.has(e.name)) byName.set(e.name, e);
    envCache.set(p, byName);
  }
  return byName.get(name)!;
}
export const hubCluster = (p: Platform) => p.clusters.find((c) => c.isHub);
export const spokes = (p: Platform) => p.clusters.filter((c) => !c.isHub);
export const usesExternalSecrets = (p: Platform) => p.secrets.backend === 'external-secrets';
