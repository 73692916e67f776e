// The root app's children (argocd/apps), in sync-wave order (planApps): Argo CD's own cluster
// first, then the spokes, then one ApplicationSet per tenant that fans its services out over the
// clusters of each environment.

import type { Platform, Tenant } from '../model/types.ts';
import { upstreamImagePins } from '../model/versions.ts';
import { WAVES, type PlannedFile } from './types.ts';
import { clustersWithTenantStores, ESO_NAMESPACE } from './secret-stores.ts';
import { planRegistrations, registeredSpokes } from './clusters.ts';
import { argocdClusterName, ARGOCD_SECRETS_DIR, planArgoCdSecrets } from './argocd-secrets.ts';
import { supplyChainAddonBases, supplyChainAddons } from './supply-chain/addons.ts';
import { rolloutsAddonEntries } from './service/rollouts-plugin.ts';
import { rolloutManagedRouteFields } from './service/traffic.ts';
import { chartAppSets } from './charts.ts';

const dir = 'argocd/apps';
const HUB = 'https://kubernetes.default.svc';

interface Addon {
  name: string;
  namespace: string;
  source: Record<string, unknown>;
  wave: number;
  comment: string;
  /** The clusters it is installed on; every registered cluster when absent. */
  clusters?: string[];
}

/** The secrets backend's controller (External Secrets or Sealed Secrets); SOPS has none (KSOPS runs in the repo-server). */
export function secretsControllerAddon(p: Platform): Omit<Addon, 'wave' | 'clusters'> | undefined {
  if (p.secrets.backend === 'external-secrets')
    return {
      name: 'external-secrets',
      namespace: ESO_NAMESPACE,
      comment: `External Secrets Operator ${p.pins.externalSecrets.version}`,
      source: {
        repoURL: p.pins.externalSecrets.repo,
        chart: p.pins.externalSecrets.chart,
        targetRevision: p.pins.externalSecrets.version,
        helm: { releaseName: 'external-secrets', valuesObject: { installCRDs: true, serviceAccount: { create: true }, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } } },
      },
    };
  if (p.secrets.backend === 'sealed-secrets')
    return {
      name: 'sealed-secrets',
      namespace: 'sealed-secrets',
      comment: `Sealed Secrets controller (chart ${p.pins.sealedSecrets.version})`,
      source: { repoURL: p.pins.sealedSecrets.repo, chart: p.pins.sealedSecrets.chart, targetRevision: p.pins.sealedSecrets.version, helm: { releaseName: 'sealed-secrets-controller', valuesObject: { fullnameOverride: 'sealed-secrets-controller' } } },
    };
  return undefined;
}

export function addons(p: Platform): Addon[] {
  const list: Addon[] = [
    {
      name: 'argo-rollouts',
      namespace: 'argo-rollouts',
      wave: WAVES.addons,
      comment: `Argo Rollouts ${p.pins.argoRollouts.version} on every cluster (progressive delivery).`,
      source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: 'platform/addons/argo-rollouts' },
    },
  ];
  // The secrets controller of the spokes: Argo CD's own cluster gets it first, as its own
  // Application (secrets-controller.yaml), because the platform store and the registrations
  // need it before any spoke is known.
  const controller = secretsControllerAddon(p);
  const spokes = registeredSpokes(p).map((c) => c.name);
  if (controller && spokes.length) list.push({ ...controller, wave: WAVES.addons, clusters: spokes, comment: `${controller.comment} on the spokes (the hub's comes first: secrets-controller.yaml).` });
  // Argo Workflows, Argo Events and the pipeline on the build cluster; policy-controller and the
  // image policy where protected environments run.
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

const app = (p: Platform, a: { name: string; file?: string; wave: number; comment: string; path?: string; source?: Record<string, unknown>; destNamespace: string; syncOptions?: string[] }): PlannedFile => ({
  path: `${dir}/${a.file ?? a.name}.yaml`,
  owner: 'managed',
  template: 'argocd/app.yaml.hbs',
  data: {
    comment: a.comment,
    name: a.name,
    namespace: p.argocd.namespace,
    wave: String(a.wave),
    project: 'platform',
    source: a.source ?? { repoURL: p.repo.url, targetRevision: p.repo.revision, path: a.path },
    server: HUB,
    destNamespace: a.destNamespace,
    syncOptions: a.syncOptions ?? ['PruneLast=true'],
    ignoreDifferences: null,
  },
});

/** RollingSync steps: one per environment, in promotion order; careful environments one cluster at a time. */
export function rollingSteps(p: Platform, t: Tenant) {
  // Environments the tenant reaches on a registered cluster: a step for one served only by a
  // spoke still waiting for its sealed token would select nothing.
  const reached = new Set(p.clusters.filter((c) => c.registered && t.clusters.includes(c.name)).flatMap((c) => c.environments));
  return p.environments
    .filter((e) => t.environments.includes(e.name) && reached.has(e.name))
    .map((e) => ({
      matchExpressions: [{ key: 'env', operator: 'In', values: [e.name] }],
      ...(e.caution === 'careful' ? { maxUpdate: 1 } : e.caution === 'standard' ? { maxUpdate: '50%' } : {}),
    }));
}

function tenantAppSet(p: Platform, t: Tenant): PlannedFile {
  const everyCluster = p.clusters.filter((c) => c.registered && c.environments.some((e) => t.environments.includes(e))).map((c) => c.name);
  const reachable = t.clusters.filter((name) => everyCluster.includes(name));
  const restricted = reachable.length !== everyCluster.length;
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
      // Workloads track the branch promotions merge into, also when the platform tracks a tag.
      revision: p.repo.tenantRevision,
      serviceTargets: `apps/${t.name}/*/overlays/*/target.json`,
      clusterSelector: restricted ? { matchExpressions: [{ key: 'cluster', operator: 'In', values: reachable }] } : null,
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

const ADDON_SYNC_OPTIONS = ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'];

/**
 * The root app's children, hub first (WAVES): Argo CD; its cluster's secrets controller; Argo
 * CD's own secrets (platform store, OIDC, repository credentials); the spoke registrations; then
 * add-ons and stores on every registered cluster, projects, namespaces, tenants. Each wave waits
 * for the previous one's health (argocd-cm health checks for Application and ApplicationSet).
 */
export function planApps(p: Platform): PlannedFile[] {
  const ns = p.argocd.namespace;
  const controller = secretsControllerAddon(p);
  const files: PlannedFile[] = [
    app(p, { name: 'argocd', wave: WAVES.argocd, comment: 'Argo CD manages its own installation and configuration from argocd/install.', path: 'argocd/install', destNamespace: ns, syncOptions: ['PruneLast=true', 'ServerSideApply=true'] }),
    ...(controller
      ? [app(p, { name: `${controller.name}-${argocdClusterName(p)}`, file: 'secrets-controller', wave: WAVES.secretsController, comment: `${controller.comment} on Argo CD's own cluster, before anything that needs it (its store, registrations, spokes).`, source: controller.source, destNamespace: controller.namespace, syncOptions: ADDON_SYNC_OPTIONS })]
      : []),
    ...(planArgoCdSecrets(p).length ? [app(p, { name: 'argocd-secrets', wave: WAVES.argocdSecrets, comment: `Argo CD's own secrets (${ARGOCD_SECRETS_DIR}): platform store, OIDC client secret, repository credentials.`, path: ARGOCD_SECRETS_DIR, destNamespace: ns })] : []),
    ...(planRegistrations(p).length ? [app(p, { name: 'cluster-registrations', wave: WAVES.clusterRegistrations, comment: 'Spoke clusters registered with Argo CD (argocd/clusters), before anything targets them.', path: 'argocd/clusters', destNamespace: ns })] : []),
    app(p, { name: 'projects', wave: WAVES.projects, comment: 'AppProjects: the locked default, platform, and one per tenant (bootstrap/root applies them first).', path: 'argocd/projects', destNamespace: ns }),
    ...addons(p).map((a) =>
      clusterAppSet(p, {
        name: `addon-${a.name}`,
        component: a.name,
        wave: a.wave,
        comment: a.comment,
        source: a.source,
        destNamespace: a.namespace,
        syncOptions: ADDON_SYNC_OPTIONS,
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
    // A tenant that reaches no registered cluster yet has nothing to deploy (and no RollingSync step).
    ...p.tenants.filter((t) => rollingSteps(p, t).length).map((t) => tenantAppSet(p, t)),
    ...chartAppSets(p),
  ];
  const storeClusters = clustersWithTenantStores(p).map((c) => c.name);
  if (storeClusters.length)
    files.push(
      clusterAppSet(p, {
        name: 'secret-stores',
        component: 'secret-stores',
        wave: WAVES.secretStores,
        comment: 'External Secrets stores of the tenants on every cluster, with their ServiceAccounts (platform/secret-stores/<cluster>).',
        source: { repoURL: p.repo.url, targetRevision: p.repo.revision, path: 'platform/secret-stores/{{ .cluster }}' },
        destNamespace: ESO_NAMESPACE,
        syncOptions: ['PruneLast=true'],
        appPrefix: 'secret-stores',
        clusters: storeClusters,
      }),
    );
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
        version: p.pins.argoRollouts.version,
        remoteBase: `${p.pins.argoRollouts.repo}//manifests/cluster-install?ref=${p.pins.argoRollouts.version}`,
        images: upstreamImagePins(p.pins.argoRollouts.repo, p.pins),
        resources: rollouts.resources,
        patches: rollouts.patches.map((path) => ({ path })),
      },
    },
    ...supplyChainAddonBases(p),
  ];
}
