// Per cluster: the config files the ApplicationSets read (cluster.json and one targets/<env>.json
// per environment it serves), the tenant namespaces it hosts, and its registration with Argo CD
// (no token in Git).

import type { Cluster, Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { LABEL, PART_OF, tenantNamespacesOn } from './context.ts';
import { clusterSecretName } from '../model/names.ts';

/**
 * How a tenant namespace joins the Istio mesh. Pod Security `restricted` refuses the sidecar's
 * istio-init container (NET_ADMIN, NET_RAW), so sidecars rely on the Istio CNI node agent (a
 * prerequisite, .gitops-scaffold/prerequisites.yaml); ambient mode adds no container at all and
 * routes L7 (the weights Rollouts sets on the VirtualService) through the namespace's waypoint.
 */
function meshLabels(p: Platform): Record<string, string> {
  if (p.delivery.router !== 'istio') return {};
  return p.delivery.istio.dataPlane === 'ambient' ? { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': AMBIENT_WAYPOINT } : { 'istio-injection': 'enabled' };
}

/** Name of the waypoint proxy (a Gateway of class istio-waypoint) of each ambient tenant namespace. */
export const AMBIENT_WAYPOINT = 'waypoint';

/** Pod Security "restricted" everywhere tenants run. */
function namespaceLabels(p: Platform, tenant: string, env: string) {
  return {
    'app.kubernetes.io/part-of': PART_OF,
    [LABEL.tenant]: tenant,
    [LABEL.environment]: env,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
    ...meshLabels(p),
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
        waypoint: p.delivery.router === 'istio' && p.delivery.istio.dataPlane === 'ambient' ? AMBIENT_WAYPOINT : null,
        quota: { cpu: ns.tenant.quota.cpu, memory: ns.tenant.quota.memory, limitsCpu: doubled(ns.tenant.quota.cpu), limitsMemory: doubled(ns.tenant.quota.memory), pods: String(ns.tenant.quota.pods) },
      },
    });
  }
  files.push({ path: `${base}/namespaces/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: namespaces.map((n) => `${n.name}.yaml`) } });
  return files;
}

/** Registered spokes: the clusters argocd/clusters registers with Argo CD. */
export const registeredSpokes = (p: Platform) => p.clusters.filter((c) => !c.isHub && c.registered);
/** Declared spokes Argo CD cannot reach yet (a token not sealed yet): targeted by nothing. */
export const pendingSpokes = (p: Platform) => p.clusters.filter((c) => !c.isHub && !c.registered);

/** The `config` of an Argo CD cluster Secret for cloud IAM authentication (declarative-setup.md, EKS/GKE/AKS). */
export function iamClusterConfig(c: Cluster): Record<string, unknown> {
  const tls = { insecure: false, caData: c.caData ?? '' };
  switch (c.auth.type) {
    case 'aws':
      return { awsAuthConfig: { clusterName: c.auth.clusterName ?? c.name, ...(c.auth.roleArn ? { roleARN: c.auth.roleArn } : {}) }, tlsClientConfig: tls };
    case 'gke':
      return { execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1' }, tlsClientConfig: tls };
    case 'aks':
      return {
        execProviderConfig: {
          command: 'argocd-k8s-auth',
          args: ['azure'],
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          env: { AAD_ENVIRONMENT_NAME: 'AzurePublicCloud', AAD_LOGIN_METHOD: 'workloadidentity', AZURE_CLIENT_ID: c.auth.clientId ?? '', ...(c.auth.tenantId ? { AZURE_TENANT_ID: c.auth.tenantId } : {}) },
        },
        tlsClientConfig: tls,
      };
    default:
      throw new Error(`planner bug: ${c.name} does not use cloud IAM`);
  }
}

/** Labels of a cluster Secret: user labels first, so none overrides what Argo CD and the selectors read. */
const secretLabels = (c: Cluster) => ({ ...c.labels, env: c.environments.join('-'), region: c.region, 'argocd.argoproj.io/secret-type': 'cluster' });

/** One registration document: how Argo CD gets the cluster Secret of `c`. */
function registration(p: Platform, c: Cluster): { comment: string; body: Record<string, unknown> } {
  const metadata = { name: clusterSecretName(c.name), namespace: p.argocd.namespace };
  if (c.auth.type !== 'token')
    return {
      comment: `Registers ${c.name} with Argo CD through ${c.auth.type === 'aws' ? 'EKS IAM (awsAuthConfig: Argo CD\'s IAM role)' : c.auth.type === 'gke' ? 'GKE Workload Identity (argocd-k8s-auth gcp)' : 'Azure workload identity (argocd-k8s-auth azure)'}: no credential exists, so nothing here is secret.`,
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { ...metadata, labels: secretLabels(c) }, type: 'Opaque', stringData: { name: c.name, server: c.server, config: JSON.stringify(iamClusterConfig(c)) } },
    };
  if (p.secrets.backend === 'sealed-secrets')
    return {
      comment: `Registers ${c.name} with Argo CD: its ServiceAccount token is sealed for ${metadata.namespace}/${metadata.name} (only the hub's controller can open it).`,
      body: {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata,
        spec: {
          encryptedData: { token: c.auth.sealedToken },
          template: {
            metadata: { ...metadata, labels: secretLabels(c) },
            type: 'Opaque',
            // Rendered by the controller with the decrypted `token` (sealed-secrets template data).
            data: { name: c.name, server: c.server, config: `{"bearerToken": "{{ .token }}", "tlsClientConfig": {"insecure": false, "caData": "${c.caData ?? ''}"}}` },
          },
        },
      },
    };
  // External Secrets: token and CA from the store, rendered in-cluster.
  const ref = (property: string) => ({ key: `argocd/clusters/${c.name}`, property, conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' });
  return {
    comment: `Registers ${c.name} with Argo CD. The credentials stay in the secret store (argocd/clusters/${c.name}): External Secrets renders the cluster Secret in-cluster, so no token is ever committed.`,
    body: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata,
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
        target: {
          name: metadata.name,
          creationPolicy: 'Owner',
          template: {
            engineVersion: 'v2',
            metadata: { labels: secretLabels(c) },
            data: { name: c.name, server: c.server, config: '{"bearerToken": "{{ .token }}", "tlsClientConfig": {"insecure": false, "caData": "{{ .caData }}"}}' },
          },
        },
        data: [
          { secretKey: 'token', remoteRef: ref('token') },
          { secretKey: 'caData', remoteRef: ref('caData') },
        ],
      },
    },
  };
}

/** Spoke registrations in the Argo CD namespace (argocd/clusters), one file per registered spoke. */
export function planRegistrations(p: Platform): PlannedFile[] {
  const spokes = registeredSpokes(p);
  if (!spokes.length) return [];
  return [
    ...spokes.map<PlannedFile>((c) => ({
      path: `argocd/clusters/${c.name}.yaml`,
      owner: 'managed',
      template: 'ci/manifests.yaml.hbs',
      data: { header: [], documents: [registration(p, c)] },
    })),
    { path: 'argocd/clusters/kustomization.yaml', owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: spokes.map((c) => `${c.name}.yaml`) } },
  ];
}

// Only registered clusters get the files the ApplicationSets read: a cluster Argo CD cannot reach
// yet gets no Application at all (instead of Applications failing on an unknown destination).
export const planClusters = (p: Platform): PlannedFile[] => [...p.clusters.filter((c) => c.registered).flatMap((c) => planCluster(p, c)), ...planRegistrations(p)];
