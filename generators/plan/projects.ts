// AppProjects: the locked default project, the platform project, and one per tenant.

import { chartRepos } from './charts.ts';
import type { Environment, Platform, Tenant } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { envByName, tenantDestinations } from './context.ts';
import { HUB_SERVER } from '../model/normalize.ts';
import { supplyChainAddons } from './supply-chain/addons.ts';
import { ciNames } from './supply-chain/settings.ts';

const dir = 'argocd/projects';

/**
 * The deny windows of one environment's syncWindow policy; `scope` says what they apply to
 * (namespaces, clusters). Manual syncs stay possible for incidents.
 */
export function denyWindows(env: Environment, scope: Record<string, string[]>) {
  const base = { ...scope, manualSync: true, timeZone: env.timeZone };
  if (env.syncWindow === 'no-nights') return [{ kind: 'deny', schedule: '0 20 * * *', duration: '11h', ...base }];
  // Business hours are 09:00-17:00 Monday to Friday: every other minute of the week is denied.
  // Monday to Thursday evenings run to 09:00 the next morning; Friday's runs through the weekend
  // to Monday 09:00 (a window starting Saturday 00:00 would leave Monday 00:00-09:00 open).
  if (env.syncWindow === 'business-hours')
    return [
      { kind: 'deny', schedule: '0 17 * * 1-4', duration: '16h', ...base },
      { kind: 'deny', schedule: '0 17 * * 5', duration: '64h', ...base },
    ];
  return [];
}

/** Deny windows for automatic syncs of a tenant: its namespaces of each environment. */
export function syncWindowsFor(p: Platform, t: Tenant) {
  const byEnv = tenantDestinations(p, t);
  return t.environments.flatMap((envName) => {
    const namespaces = [...new Set(byEnv.filter((d) => d.env === envName).map((d) => d.namespace))].sort();
    return namespaces.length ? denyWindows(envByName(p, envName), { namespaces }) : [];
  });
}

/**
 * The platform project's windows: the same windows as the tenants', over the clusters serving
 * each environment (add-ons, tenant namespaces and Argo CD itself change those clusters). Matched
 * by the destination server, which every platform Application names.
 */
export function platformSyncWindows(p: Platform) {
  return p.environments.flatMap((env) => {
    const clusters = [...new Set(p.clusters.filter((c) => c.environments.includes(env.name)).map((c) => c.server))].sort();
    return clusters.length ? denyWindows(env, { clusters }) : [];
  });
}

function tenantRoles(t: Tenant) {
  const n = t.name;
  const scope = `${n}/*`;
  return [
    { name: 'admin', description: `Administrators of ${n}`, policies: [`p, proj:${n}:admin, applications, get, ${scope}, allow`, `p, proj:${n}:admin, applications, sync, ${scope}, allow`, `p, proj:${n}:admin, applications, action/*, ${scope}, allow`, `p, proj:${n}:admin, logs, get, ${scope}, allow`], groups: t.groups.admin },
    { name: 'developer', description: `Developers of ${n}`, policies: [`p, proj:${n}:developer, applications, get, ${scope}, allow`, `p, proj:${n}:developer, applications, sync, ${scope}, allow`, `p, proj:${n}:developer, logs, get, ${scope}, allow`], groups: t.groups.developer },
    { name: 'ci', description: `CI pipelines of ${n}: read and sync only`, policies: [`p, proj:${n}:ci, applications, get, ${scope}, allow`, `p, proj:${n}:ci, applications, sync, ${scope}, allow`] },
  ];
}

export function planProjects(p: Platform): PlannedFile[] {
  const ns = p.argocd.namespace;
  const tenantFiles: PlannedFile[] = p.tenants.map((t) => ({
    path: `${dir}/${t.name}.yaml`,
    owner: 'managed',
    template: 'projects/tenant.yaml.hbs',
    data: {
      name: t.name,
      namespace: ns,
      description: t.description || `Applications of tenant ${t.name}`,
      // The tenant's charts' repositories too, as their Applications spell them (charts.ts).
      sourceRepos: [...new Set([p.repo.url, ...t.repos, ...chartRepos(p, t.name)])],
      destinations: tenantDestinations(p, t).map(({ server, namespace }) => ({ server, namespace })),
      roles: tenantRoles(t),
      syncWindows: syncWindowsFor(p, t),
    },
  }));
  const tenantNamespaces = new Set(p.tenants.flatMap((t) => tenantDestinations(p, t).map((d) => d.namespace)));
  // (cluster, namespace) pairs some tenant deploys to.
  const tenantPairs = new Set(p.tenants.flatMap((t) => tenantDestinations(p, t).map((d) => `${d.cluster}\0${d.namespace}`)));
  const platformNs = platformNamespaces(p);
  return [
    { path: `${dir}/default.yaml`, owner: 'managed', template: 'projects/default.yaml.hbs', data: { namespace: ns } },
    {
      path: `${dir}/platform.yaml`,
      owner: 'managed',
      template: 'projects/platform.yaml.hbs',
      data: {
        namespace: ns,
        sourceRepos: platformSourceRepos(p),
        syncWindows: platformSyncWindows(p),
        // The platform project deploys add-ons and tenant namespaces; it never deploys into them
        // beyond the namespace guard rails, but tenants' namespaces must be listed to create them.
        destinations: [
          // Argo CD's own cluster, also when no declared cluster is the hub: the root app and the
          // hub-first children deploy there.
          ...(p.clusters.some((c) => c.isHub) ? [] : platformNs.map((namespace) => ({ server: HUB_SERVER, namespace }))),
          ...p.clusters.flatMap((c) => [
            ...platformNs.map((namespace) => ({ server: c.server, namespace })),
            ...[...tenantNamespaces].filter((n) => tenantPairs.has(`${c.name}\0${n}`)).map((namespace) => ({ server: c.server, namespace })),
          ]),
        ],
        clusterResources: [
          { group: '', kind: 'Namespace' },
          { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
          { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
          { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
          { group: 'argoproj.io', kind: 'ClusterWorkflowTemplate' },
          { group: 'argoproj.io', kind: 'ClusterAnalysisTemplate' },
          { group: 'policy.sigstore.dev', kind: 'ClusterImagePolicy' },
          // Argo Workflows' controller PriorityClass (upstream install).
          { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
        ],
      },
    },
    ...tenantFiles,
    { path: `${dir}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['default.yaml', 'platform.yaml', ...p.tenants.map((t) => `${t.name}.yaml`)] } },
  ];
}

/** Namespaces platform components live in (the Argo CD namespace plus add-on namespaces). */
export function platformNamespaces(p: Platform): string[] {
  const out = [p.argocd.namespace, 'argo-rollouts', p.secrets.backend === 'external-secrets' ? 'external-secrets' : p.secrets.backend === 'sealed-secrets' ? 'sealed-secrets' : null, ...supplyChainNamespaces(p)];
  return [...new Set(out.filter((x): x is string => !!x))].sort();
}

/** The supply chain's add-ons and pipeline namespaces (supply-chain/addons.ts). */
const supplyChainNamespaces = (p: Platform) => [...supplyChainAddons(p).map((a) => a.namespace), ciNames(p).eventsNamespace];

/** The platform repo and the upstream sources of add-ons (pinned by tag or chart version). */
export function platformSourceRepos(p: Platform): string[] {
  return [...new Set([p.repo.url, 'https://github.com/argoproj/argo-cd', 'https://github.com/argoproj/argo-rollouts', ...addonChartRepos(p)])].sort();
}

function addonChartRepos(p: Platform): string[] {
  // Argo Workflows and Argo Events come from upstream kustomize bases inside the platform repo's
  // folders; the policy-controller is a chart.
  const supplyChain = supplyChainAddons(p).some((a) => a.name === 'policy-controller') ? [p.pins.policyController.repo] : [];
  if (p.secrets.backend === 'external-secrets') return ['https://charts.external-secrets.io', ...supplyChain];
  if (p.secrets.backend === 'sealed-secrets') return ['https://bitnami-labs.github.io/sealed-secrets', ...supplyChain];
  return supplyChain;
}
