// The generated repository's documentation: the top README and a short one per top folder.

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { GENERATOR_URL, GENERATOR_VERSION } from '../model/versions.ts';

const folders: Record<string, { title: string; body: (p: Platform, present: Set<string>) => string }> = {
  bootstrap: { title: 'bootstrap', body: () => 'Applied once by hand: `kubectl apply -k bootstrap` installs Argo CD with this repository\'s configuration, then `kubectl apply -f bootstrap/root-app.yaml` hands everything else to Argo CD.' },
  argocd: { title: 'argocd', body: (p) => `Argo CD ${p.argocd.version} (install/), the root app's children (apps/), AppProjects (projects/) and spoke registrations (clusters/). Generated from platform.yaml.` },
  clusters: { title: 'clusters', body: () => 'One folder per cluster: cluster.json and targets/<env>.json feed the ApplicationSets (add a cluster and it is picked up), namespaces/ holds the tenant namespaces it hosts with quota, limits and default-deny networking.' },
  platform: { title: 'platform', body: (_p, present) => platformBody(present) },
  apps: { title: 'apps', body: () => 'apps/<tenant>/<service>: a kustomize base and one overlay per environment. The tenant ApplicationSet deploys every overlay to the clusters of its environment, in promotion order.' },
};

/** What platform/ holds, folder by folder, for the folders this repository has. */
function platformBody(present: Set<string>): string {
  const has = (prefix: string) => [...present].some((path) => path.startsWith(prefix));
  const parts = [
    has('platform/addons/') ? 'cluster add-ons pinned to exact releases (platform/addons/)' : null,
    has('platform/secret-stores/') ? 'the External Secrets stores of each cluster (platform/secret-stores/)' : null,
    has('platform/ci/')
      ? `the CI pipeline on the build cluster: namespaces, RBAC, the build-sign-promote WorkflowTemplate${has('platform/ci/events.yaml') ? ', its Argo Events triggers (platform/ci/events.yaml: event bus, Git webhook, sensor)' : ''} and its credentials (platform/ci/)`
      : null,
    has('platform/policy/') ? 'the ClusterImagePolicy admitting only images the pipeline signed, on the clusters of protected environments (platform/policy/)' : null,
    has('platform/repo-creds/') ? 'Argo CD\'s repository credentials, rendered by External Secrets on the hub (platform/repo-creds/)' : null,
  ].filter((x): x is string => !!x);
  if (!parts.length) return 'Platform components deployed by the platform project.';
  const text = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`;
  return `${text[0].toUpperCase()}${text.slice(1)}. Each folder is deployed by an ApplicationSet in argocd/apps.`;
}

export function planDocs(p: Platform, present: Set<string>): PlannedFile[] {
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
        spokes: p.clusters.filter((c) => !c.isHub).map((c) => c.name),
        environments: p.environments,
        tenants: p.tenants.map((t) => t.name),
        generatorVersion: GENERATOR_VERSION,
        generatorUrl: GENERATOR_URL,
        firstEnvironment: p.environments[0].name,
        lastEnvironment: p.environments.at(-1)!.name,
        hubCluster: p.clusters.find((c) => c.isHub)?.name ?? p.clusters[0].name,
      },
    },
  ];
  for (const [folder, doc] of Object.entries(folders)) {
    if (![...present].some((path) => path.startsWith(`${folder}/`))) continue;
    files.push({ path: `${folder}/README.md`, owner: 'managed', template: 'repo/folder-README.md.hbs', data: { title: doc.title, body: doc.body(p, present) } });
  }
  return files;
}
