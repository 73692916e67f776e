// The root app's children (argocd/apps), in sync-wave order: Argo CD itself, cluster add-ons,
// secret stores, cluster registrations, projects, tenant namespaces, then one ApplicationSet per
// tenant that fans its services out over the clusters of each environment.

import type { Platform, Tenant } from '../model/types.ts';
import { pins, upstreamImagePins } from '../model/versions.ts';
import { WAVES, type PlannedFile } from './types.ts';
import { usesExternalSecrets } from './context.ts';
import { planSecretStores } from './secret-stores.ts';
import { planRegistrations } from './clusters.ts';
import { supplyChainAddonBases, supplyChainAddons } from './supply-chain/addons.ts';
import { rolloutsAddonEntries } from './service/rollouts-plugin.ts';
import { rolloutManagedRouteFields } from './service/traffic.ts';

const dir = 'argocd/apps';
const HUB = 'https://kubernetes.default.svc';

interface Addon {
  name: string;
  namespace: string;
  source: Record<string, unknown>;
  wave: number;
  comment: string;
  /** The clusters it is installed on; every cluster when absent. */
  clusters?: string[];
}

export function addons(p: Platform): Addon[] {
  const list: Addon[] = [
    {
      name: 'argo-rollouts',
      namespace: 'argo-rollouts',
      wave: WAVES.addons,
      comment: `Argo Rollouts ${pins.argoRollouts.version} on every cluster (progressive delivery).`,
      source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: 'platform/addons/argo-rollouts' },
    },
  ];
  if (p.secrets.backend === 'external-secrets')
    list.push({
      name: 'external-secrets',
      namespace: 'external-secrets',
      wave: WAVES.addons,
      comment: `External Secrets Operator ${pins.externalSecrets.version} on every cluster.`,
      source: {
        repoURL: pins.externalSecrets.repo,
        chart: pins.externalSecrets.chart,
        targetRevision: pins.externalSecrets.version,
        helm: { releaseName: 'external-secrets', valuesObject: { installCRDs: true, serviceAccount: { create: true }, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } } },
      },
    });
  if (p.secrets.backend === 'sealed-secrets')
    list.push({
      name: 'sealed-secrets',
      namespace: 'sealed-secrets',
      wave: WAVES.addons,
      comment: `Sealed Secrets controller (chart ${pins.sealedSecrets.version}) on every cluster.`,
      source: { repoURL: pins.sealedSecrets.repo, chart: pins.sealedSecrets.chart, targetRevision: pins.sealedSecrets.version, helm: { releaseName: 'sealed-secrets-controller', valuesObject: { fullnameOverride: 'sealed-secrets-controller' } } },
    });
  // Argo Workflows, Argo Events and the pipeline on the build cluster; policy-controller and the
  // image policy where protected environments run; Argo CD's repository credentials on the hub.
  list.push(...supplyChainAddons(p));
  return list;
}

const clusterAppSet = (p: Platform, a: { name: string; component: string; wave: number; comment: string; source: unknown; destNamespace: string; syncOptions: string[]; appPrefix: string; clusters?: string[] }): PlannedFile => ({
  path: `${dir}/${a.name}.yaml`,
  owner: 'managed',
  template: 'apps/cluster-appset.yaml.hbs',
  data: {
    name: a.name,
    namespace: p.argocd.namespace,
    wave: String(a.wave),
    repoUrl: p.repo.url,
    revision: p.repo.revision,
    comment: a.comment,
    appName: `${a.appPrefix}-{{ .cluster }}`,
    component: a.component,
    source: a.source,
    destNamespace: a.destNamespace,
    syncOptions: a.syncOptions,
    // Post-selector on cluster.json's `cluster` key: only these clusters get an Application.
    clusterSelector: a.clusters ? { matchExpressions: [{ key: 'cluster', operator: 'In', values: [...a.clusters].sort() }] } : null,
  },
});

const app = (p: Platform, a: { name: string; wave: number; comment: string; path: string; destNamespace: string; syncOptions?: string[] }): PlannedFile => ({
  path: `${dir}/${a.name}.yaml`,
  owner: 'managed',
  template: 'argocd/app.yaml.hbs',
  data: {
    comment: a.comment,
    name: a.name,
    namespace: p.argocd.namespace,
    wave: String(a.wave),
    project: 'platform',
    source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: a.path },
    server: HUB,
    destNamespace: a.destNamespace,
    syncOptions: a.syncOptions ?? ['PruneLast=true'],
    ignoreDifferences: null,
  },
});

/** RollingSync steps: one per environment, in promotion order; careful environments one cluster at a time. */
export function rollingSteps(p: Platform, t: Tenant) {
  return p.environments
    .filter((e) => t.environments.includes(e.name))
    .map((e) => ({
      matchExpressions: [{ key: 'env', operator: 'In', values: [e.name] }],
      ...(e.caution === 'careful' ? { maxUpdate: 1 } : e.caution === 'standard' ? { maxUpdate: '50%' } : {}),
    }));
}

function tenantAppSet(p: Platform, t: Tenant): PlannedFile {
  const everyCluster = p.clusters.filter((c) => c.environments.some((e) => t.environments.includes(e))).map((c) => c.name);
  const restricted = t.clusters.length !== everyCluster.length;
  return {
    path: `${dir}/tenant-${t.name}.yaml`,
    owner: 'managed',
    template: 'apps/tenant-appset.yaml.hbs',
    data: {
      name: `tenant-${t.name}`,
      namespace: p.argocd.namespace,
      wave: String(WAVES.tenants),
      tenant: t.name,
      project: t.name,
      order: t.environments.join(' -> '),
      repoUrl: p.repo.url,
      revision: p.repo.revision,
      serviceTargets: `apps/${t.name}/*/overlays/*/target.json`,
      clusterSelector: restricted ? { matchExpressions: [{ key: 'cluster', operator: 'In', values: t.clusters }] } : null,
      steps: rollingSteps(p, t),
      ignoreDifferences: [
        // Replicas belong to the HorizontalPodAutoscaler.
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { group: 'argoproj.io', kind: 'Rollout', jsonPointers: ['/spec/replicas'] },
        // Traffic weights belong to Argo Rollouts during a canary.
        ...rolloutManagedRouteFields(p),
      ],
    },
  };
}

export function planApps(p: Platform): PlannedFile[] {
  const ns = p.argocd.namespace;
  const files: PlannedFile[] = [
    app(p, { name: 'argocd', wave: WAVES.argocd, comment: 'Argo CD manages its own installation and configuration from argocd/install.', path: 'argocd/install', destNamespace: ns, syncOptions: ['PruneLast=true', 'ServerSideApply=true'] }),
    app(p, { name: 'projects', wave: WAVES.projects, comment: 'AppProjects: the locked default, platform, and one per tenant.', path: 'argocd/projects', destNamespace: ns }),
    ...addons(p).map((a) =>
      clusterAppSet(p, {
        name: `addon-${a.name}`,
        component: a.name,
        wave: a.wave,
        comment: a.comment,
        source: a.source,
        destNamespace: a.namespace,
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
        appPrefix: a.name,
        clusters: a.clusters,
      }),
    ),
    clusterAppSet(p, {
      name: 'tenant-namespaces',
      component: 'namespaces',
      wave: WAVES.namespaces,
      comment: 'Tenant namespaces of every cluster with quota, limits and default-deny networking (clusters/<cluster>/namespaces).',
      source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: 'clusters/{{ .cluster }}/namespaces' },
      // Namespace is cluster-scoped and every other object names its namespace; the destination
      // namespace only has to be one the platform project permits.
      destNamespace: ns,
      syncOptions: ['PruneLast=true'],
      appPrefix: 'namespaces',
    }),
    ...p.tenants.map((t) => tenantAppSet(p, t)),
  ];
  if (usesExternalSecrets(p) && planSecretStores(p).length)
    files.push(
      clusterAppSet(p, {
        name: 'secret-stores',
        component: 'secret-stores',
        wave: WAVES.secretStores,
        comment: 'External Secrets stores of every cluster (platform/secret-stores/<cluster>).',
        source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: 'platform/secret-stores/{{ .cluster }}' },
        destNamespace: 'external-secrets',
        syncOptions: ['PruneLast=true'],
        appPrefix: 'secret-stores',
      }),
    );
  if (planRegistrations(p).length)
    files.push(app(p, { name: 'cluster-registrations', wave: WAVES.clusterRegistrations, comment: 'Spoke clusters registered through External Secrets (argocd/clusters).', path: 'argocd/clusters', destNamespace: ns }));
  files.push({ path: `${dir}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: files.map((f) => f.path.split('/').pop()!).sort() } });
  return files;
}

export function planAddonBases(p: Platform): PlannedFile[] {
  // The Gateway API router's controller configuration (plugin ConfigMap patch, RBAC), when used.
  const rollouts = rolloutsAddonEntries(p);
  return [
    {
      path: 'platform/addons/argo-rollouts/kustomization.yaml',
      owner: 'managed',
      template: 'platform/remote-kustomization.yaml.hbs',
      data: {
        component: 'Argo Rollouts',
        version: pins.argoRollouts.version,
        remoteBase: `${pins.argoRollouts.repo}//manifests/cluster-install?ref=${pins.argoRollouts.version}`,
        images: upstreamImagePins(pins.argoRollouts.repo),
        resources: rollouts.resources,
        patches: rollouts.patches.map((path) => ({ path })),
      },
    },
    ...supplyChainAddonBases(),
  ];
}
