// Per cluster: the config files the ApplicationSets read (cluster.json and one targets/<env>.json
// per environment it serves), the tenant namespaces it hosts, and its registration with Argo CD
// (no token in Git).

import type { Cluster, Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { LABEL, PART_OF, tenantNamespacesOn, usesExternalSecrets } from './context.ts';
import { clusterSecretName } from '../model/names.ts';

/** Pod Security "restricted" everywhere tenants run; Istio sidecars need injection enabled. */
function namespaceLabels(p: Platform, tenant: string, env: string) {
  return {
    'app.kubernetes.io/part-of': PART_OF,
    [LABEL.tenant]: tenant,
    [LABEL.environment]: env,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
    ...(p.delivery.router === 'istio' ? { 'istio-injection': 'enabled' } : {}),
    ...(p.environments.find((e) => e.name === env)?.protected ? { 'policy.sigstore.dev/include': 'true' } : {}),
  };
}

/** Limits may burst to twice the requests quota. */
const doubled = (q: string) => {
  const m = /^([0-9.]+)(.*)$/.exec(q)!;
  return `${Number(m[1]) * 2}${m[2]}`;
};

export function planCluster(p: Platform, c: Cluster): PlannedFile[] {
  const base = `clusters/${c.name}`;
  const files: PlannedFile[] = [
    { path: `${base}/cluster.json`, owner: 'managed', json: { cluster: c.name, server: c.server, region: c.region, environments: c.environments.join(','), labels: c.labels } },
    // Only tenant ApplicationSets read targets/: without tenants they would be stray JSON that
    // `validate` rightly reports as manifests without a kind.
    ...(p.tenants.length ? c.environments : []).map<PlannedFile>((env) => ({
      path: `${base}/targets/${env}.json`,
      owner: 'managed',
      json: { cluster: c.name, server: c.server, region: c.region, stage: String(p.environments.find((e) => e.name === env)!.index) },
    })),
  ];
  const namespaces = p.tenants.flatMap((t) => tenantNamespacesOn(t, c).map((ns) => ({ ...ns, tenant: t })));
  for (const ns of namespaces) {
    files.push({
      path: `${base}/namespaces/${ns.name}.yaml`,
      owner: 'managed',
      template: 'clusters/tenant-namespace.yaml.hbs',
      data: {
        name: ns.name,
        tenant: ns.tenant.name,
        env: ns.env,
        labels: namespaceLabels(p, ns.tenant.name, ns.env),
        quota: { cpu: ns.tenant.quota.cpu, memory: ns.tenant.quota.memory, limitsCpu: doubled(ns.tenant.quota.cpu), limitsMemory: doubled(ns.tenant.quota.memory), pods: String(ns.tenant.quota.pods) },
      },
    });
  }
  files.push({ path: `${base}/namespaces/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: namespaces.map((n) => `${n.name}.yaml`) } });
  return files;
}

/** Spoke registrations, rendered into the Argo CD namespace by External Secrets. */
export function planRegistrations(p: Platform): PlannedFile[] {
  if (!usesExternalSecrets(p)) return [];
  const spokes = p.clusters.filter((c) => !c.isHub);
  if (!spokes.length) return [];
  return [
    ...spokes.map<PlannedFile>((c) => ({
      path: `argocd/clusters/${c.name}.yaml`,
      owner: 'managed',
      template: 'clusters/registration.yaml.hbs',
      data: {
        cluster: c.name,
        server: c.server,
        namespace: p.argocd.namespace,
        secretName: clusterSecretName(c.name),
        store: 'platform',
        remoteKey: `argocd/clusters/${c.name}`,
        // User labels first: nothing of theirs may override what Argo CD and the selectors read.
        secretLabels: { ...c.labels, env: c.environments.join('-'), region: c.region, 'argocd.argoproj.io/secret-type': 'cluster' },
      },
    })),
    { path: 'argocd/clusters/kustomization.yaml', owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: spokes.map((c) => `${c.name}.yaml`) } },
  ];
}

export const planClusters = (p: Platform): PlannedFile[] => [...p.clusters.flatMap((c) => planCluster(p, c)), ...planRegistrations(p)];
