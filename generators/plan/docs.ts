// The generated repository's documentation: the top README and a short one per top folder.

import { promotionDocs } from './promotion-docs.ts';
import type { Cluster, Platform } from '../model/types.ts';
import { WAVES, type PlannedFile } from './types.ts';
import { GENERATOR_URL, GENERATOR_VERSION } from '../model/versions.ts';
import { usesExternalSecrets } from './context.ts';
import { pendingSpokes, registeredSpokes } from './clusters.ts';
import { handMadeOidcSecret, OIDC_SECRET, oidcSecretAvailable, plansRepoCreds } from './argocd-secrets.ts';
import { bootstrapCommands } from './bootstrap.ts';
import { prerequisites } from './prerequisites.ts';
import { repoCredsPrefix } from './supply-chain/ci-secrets.ts';
import { fleetDocs } from './fleet.ts';
import { secretsControllerAddon } from './apps.ts';

const folders: Record<string, { title: string; body: (p: Platform, has: (prefix: string) => boolean) => string }> = {
  bootstrap: { title: 'bootstrap', body: () => 'Applied once by hand, server-side (see the top README): `kubectl apply --server-side --force-conflicts -k bootstrap` installs Argo CD with this repository\'s configuration, then `kubectl apply --server-side --force-conflicts -k bootstrap/root` applies the AppProjects and the root app, which hands everything else to Argo CD.' },
  argocd: { title: 'argocd', body: (p) => `Argo CD ${p.argocd.version} (install/), the root app's children (apps/), Argo CD's own secrets (secrets/), AppProjects (projects/) and spoke registrations (clusters/). Generated from platform.yaml.` },
  clusters: { title: 'clusters', body: () => 'One folder per cluster: cluster.json and targets/<env>.json feed the ApplicationSets (add a cluster and it is picked up), namespaces/ holds the tenant namespaces it hosts with quota, limits and default-deny networking.' },
  platform: { title: 'platform', body: (_p, has) => platformBody(has) },
  apps: { title: 'apps', body: () => 'apps/<tenant>/<service>: a kustomize base and one overlay per environment. The tenant ApplicationSet deploys every overlay to the clusters of its environment, in promotion order.' },
};

/**
 * "Some path of `present` starts with `prefix`", asked of one set of paths several times: the
 * paths grouped once by their top folder, so a question scans only the paths under the prefix's
 * top folder (platform/ is asked about five times and its paths follow the ~7,500 paths of a
 * fleet's services). A prefix without a "/" is answered by a scan of every path.
 */
export function prefixTest(present: ReadonlySet<string>): (prefix: string) => boolean {
  let groups: Map<string, string[]> | undefined;
  return (prefix) => {
    const slash = prefix.indexOf('/');
    if (slash < 0) {
      for (const path of present) if (path.startsWith(prefix)) return true;
      return false;
    }
    if (!groups) {
      groups = new Map();
      for (const path of present) {
        const i = path.indexOf('/');
        if (i < 0) continue; // a top-level file: it starts with no prefix holding a "/"
        const top = path.slice(0, i);
        const group = groups.get(top);
        if (group) group.push(path);
        else groups.set(top, [path]);
      }
    }
    const group = groups.get(prefix.slice(0, slash));
    if (group) for (const path of group) if (path.startsWith(prefix)) return true;
    return false;
  };
}

/** What platform/ holds, folder by folder, for the folders this repository has. */
function platformBody(has: (prefix: string) => boolean): string {
  const parts = [
    has('platform/addons/') ? 'cluster add-ons pinned to exact releases (platform/addons/)' : null,
    has('platform/secret-stores/') ? 'the External Secrets stores of each cluster (platform/secret-stores/)' : null,
    has('platform/ci/')
      ? `the CI pipeline on the build cluster: namespaces, RBAC, the build-sign-promote WorkflowTemplate${has('platform/ci/events.yaml') ? ', its Argo Events triggers (platform/ci/events.yaml: event bus, Git webhook, sensor)' : ''} and its credentials (platform/ci/)`
      : null,
    has('platform/policy/') ? 'the ClusterImagePolicy admitting only images the pipeline signed, on the clusters of protected environments (platform/policy/)' : null,
  ].filter((x): x is string => !!x);
  if (!parts.length) return 'Platform components deployed by the platform project.';
  const text = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`;
  return `${text[0].toUpperCase()}${text.slice(1)}. Each folder is deployed by an ApplicationSet in argocd/apps.`;
}

/** Secret store keys the bootstrap needs before argocd-secrets and the registrations become Healthy. */
function storeEntries(p: Platform): { key: string; properties: string; purpose: string }[] {
  if (!usesExternalSecrets(p)) return [];
  const ssh = !/^https?:\/\//.test(p.repo.url);
  return [
    ...registeredSpokes(p)
      .filter((c) => c.auth.type === 'token')
      .map((c) => ({ key: `argocd/clusters/${c.name}`, properties: 'token, caData', purpose: `registers ${c.name} (a ServiceAccount token of the cluster and its base64 CA)` })),
    ...(p.argocd.sso ? [{ key: 'argocd/oidc', properties: 'clientSecret', purpose: 'the OIDC client secret of Argo CD\'s SSO' }] : []),
    ...(plansRepoCreds(p) ? [{ key: 'argocd/repo-creds', properties: ssh ? 'sshPrivateKey' : 'username, password', purpose: `read access to the repositories under ${repoCredsPrefix(p.repo.url)}` }] : []),
  ];
}

/** How each spoke is registered, in one sentence. */
function spokeRegistration(p: Platform, c: Cluster): string {
  if (!c.registered) return 'not registered yet: its token waits to be sealed (below).';
  switch (c.auth.type) {
    case 'aws':
      return `EKS IAM: Argo CD assumes ${c.auth.roleArn ?? 'its own IAM role'} for cluster ${c.auth.clusterName ?? c.name} (awsAuthConfig); no token exists.`;
    case 'gke':
      return 'GKE Workload Identity (argocd-k8s-auth gcp); no token exists.';
    case 'aks':
      return `Azure workload identity ${c.auth.clientId} (argocd-k8s-auth azure); no token exists.`;
    case 'token':
      return usesExternalSecrets(p) ? `a ServiceAccount token from the secret store (argocd/clusters/${c.name}), rendered by External Secrets; nothing secret in Git.` : 'a ServiceAccount token sealed for the hub\'s Sealed Secrets controller (clusters[].auth.sealedToken).';
  }
}

/** The waves from an empty cluster, as the README explains them. */
function waves(p: Platform, present: Set<string>) {
  const has = (path: string) => present.has(path);
  const controller = secretsControllerAddon(p);
  return [
    { wave: String(WAVES.argocd), what: `Argo CD ${p.argocd.version} manages itself`, where: 'hub' },
    ...(controller ? [{ wave: String(WAVES.secretsController), what: `${controller.comment}`, where: 'hub' }] : []),
    ...(has('argocd/secrets/kustomization.yaml') ? [{ wave: String(WAVES.argocdSecrets), what: 'Argo CD\'s own secrets (platform store, OIDC, repository credentials)', where: 'hub' }] : []),
    ...(has('argocd/clusters/kustomization.yaml') ? [{ wave: String(WAVES.clusterRegistrations), what: 'spoke registrations', where: 'hub' }] : []),
    { wave: String(WAVES.addons), what: `add-ons (Argo Rollouts${controller && registeredSpokes(p).length ? `, the spokes' ${controller.name}` : ''}, CI engines, admission policy)`, where: 'every registered cluster' },
    ...(has('argocd/apps/secret-stores.yaml') ? [{ wave: String(WAVES.secretStores), what: 'tenant secret stores and their ServiceAccounts', where: 'clusters hosting tenants' }] : []),
    { wave: String(WAVES.projects), what: 'AppProjects (already applied by bootstrap/root)', where: 'hub' },
    { wave: String(WAVES.namespaces), what: 'tenant namespaces, the CI pipeline', where: 'every registered cluster' },
    { wave: String(WAVES.tenants), what: 'tenant ApplicationSets (RollingSync across environments)', where: 'clusters of each environment' },
  ];
}

export function planDocs(p: Platform, present: Set<string>): PlannedFile[] {
  const spokes = p.clusters.filter((c) => !c.isHub);
  const sso = p.argocd.sso;
  const files: PlannedFile[] = [
    {
      path: 'README.md',
      owner: 'managed',
      template: 'repo/README.md.hbs',
      data: {
        name: p.name,
        argocdVersion: p.argocd.version,
        repoUrl: p.repo.url,
        revision: p.repo.revision,
        namespace: p.argocd.namespace,
        prerequisites: prerequisites(p),
        provider: p.secrets.provider,
        storeEntries: storeEntries(p),
        bootstrap: bootstrapCommands(p).map((c, i) => ({ ...c, step: String(i + 1) })),
        privateRepo: p.repo.private,
        externalSecrets: usesExternalSecrets(p),
        waves: waves(p, present),
        sso: !!sso,
        ssoReady: !!sso && oidcSecretAvailable(p),
        ssoIssuer: sso?.issuer ?? '',
        ssoWave: String(WAVES.argocdSecrets),
        ssoHandMade: handMadeOidcSecret(p),
        oidcSecret: OIDC_SECRET,
        spokes: spokes.map((c) => ({ name: c.name, how: spokeRegistration(p, c) })),
        pending: pendingSpokes(p).map((c) => c.name),
        tenantRevision: p.repo.tenantRevision,
        splitRevisions: p.repo.tenantRevision !== p.repo.revision,
        analysisEnvironments: p.services.some((x) => x.strategy !== 'rolling') ? p.environments.map((e) => ({ name: e.name, verdict: e.analysisNoData })) : [],
        environments: p.environments,
        tenants: p.tenants.map((t) => t.name),
        generatorVersion: GENERATOR_VERSION,
        generatorUrl: GENERATOR_URL,
        firstEnvironment: p.environments[0].name,
        lastEnvironment: p.environments.at(-1)!.name,
        hubCluster: p.clusters.find((c) => c.isHub)?.name ?? p.clusters[0].name,
        promotion: promotionDocs(p),
        fleet: fleetDocs(p),
      },
    },
  ];
  const has = prefixTest(present);
  for (const [folder, doc] of Object.entries(folders)) {
    if (!has(`${folder}/`)) continue;
    files.push({ path: `${folder}/README.md`, owner: 'managed', template: 'repo/folder-README.md.hbs', data: { title: doc.title, body: doc.body(p, has) } });
  }
  return files;
}
