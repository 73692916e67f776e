// The kinds the strict schema layer knows, and where each schema comes from. One table serves the
// schema generation (tools/schemas generates the package rows into the committed schemas/, the
// build, scripts/build-schemas.mjs, the hand rows, and compiles every row), the runtime lookup
// (apiVersion + kind -> precompiled validator) and `schemas export` (kubeconform file names).
// Everything here comes from npm packages, or from the hand-written schemas in ./hand-schemas for
// the kinds no package describes.

export type Scope = 'Namespaced' | 'Cluster';

/** A schema generated from a kubernetes-models type declaration (`<module>.d.ts`, `I<Kind>`). */
export interface PackageSource {
  type: 'package';
  /** npm package that ships the declaration (also recorded in VERSIONS.json). */
  pkg: string;
  /** Module specifier of the declaration, without extension. */
  module: string;
}

/** A schema written by hand because no npm package describes the kind (best effort). */
export interface HandSource {
  type: 'hand';
  /** Export name in ./hand-schemas/index.ts. */
  name: string;
  /** Where the field names were checked, for the report and the docs. */
  reference: string;
}

export interface KindEntry {
  apiVersion: string;
  kind: string;
  scope: Scope;
  source: PackageSource | HandSource;
}

const KM = 'kubernetes-models';
const core = (apiVersion: string, kind: string, scope: Scope = 'Namespaced'): KindEntry => {
  // kubernetes-models lays modules out as <group>/<version>/<Kind>, and `v1` for the core group.
  return { apiVersion, kind, scope, source: { type: 'package', pkg: KM, module: `${KM}/${apiVersion}/${kind}` } };
};
const crd = (pkg: string, apiVersion: string, kind: string, scope: Scope = 'Namespaced'): KindEntry => ({
  apiVersion,
  kind,
  scope,
  source: { type: 'package', pkg: `@kubernetes-models/${pkg}`, module: `@kubernetes-models/${pkg}/${apiVersion}/${kind}` },
});
const hand = (apiVersion: string, kind: string, scope: Scope, name: string, reference: string): KindEntry => ({
  apiVersion,
  kind,
  scope,
  source: { type: 'hand', name, reference },
});

const ARGO_EVENTS_REF = 'Argo Events v1.9 API reference (github.com/argoproj/argo-events docs/APIs.md); the upstream CRDs are schema-less';

export const CATALOG: readonly KindEntry[] = [
  // Core and built-in kinds the generator writes, plus the common ones a GitOps repo holds.
  core('v1', 'Namespace', 'Cluster'),
  core('v1', 'ResourceQuota'),
  core('v1', 'LimitRange'),
  core('v1', 'ConfigMap'),
  core('v1', 'Secret'),
  core('v1', 'ServiceAccount'),
  core('v1', 'Service'),
  core('v1', 'PersistentVolumeClaim'),
  core('v1', 'Pod'),
  core('v1', 'ReplicationController'),
  core('v1', 'Endpoints'),
  core('v1', 'PersistentVolume', 'Cluster'),
  core('apps/v1', 'Deployment'),
  core('apps/v1', 'StatefulSet'),
  core('apps/v1', 'DaemonSet'),
  core('apps/v1', 'ReplicaSet'),
  core('batch/v1', 'Job'),
  core('batch/v1', 'CronJob'),
  core('autoscaling/v2', 'HorizontalPodAutoscaler'),
  core('autoscaling/v1', 'HorizontalPodAutoscaler'),
  core('policy/v1', 'PodDisruptionBudget'),
  core('networking.k8s.io/v1', 'NetworkPolicy'),
  core('networking.k8s.io/v1', 'Ingress'),
  core('networking.k8s.io/v1', 'IngressClass', 'Cluster'),
  core('rbac.authorization.k8s.io/v1', 'Role'),
  core('rbac.authorization.k8s.io/v1', 'RoleBinding'),
  core('rbac.authorization.k8s.io/v1', 'ClusterRole', 'Cluster'),
  core('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'Cluster'),
  core('scheduling.k8s.io/v1', 'PriorityClass', 'Cluster'),
  core('storage.k8s.io/v1', 'StorageClass', 'Cluster'),
  core('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'Cluster'),
  core('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'Cluster'),
  core('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'Cluster'),

  crd('argo-cd', 'argoproj.io/v1alpha1', 'Application'),
  crd('argo-cd', 'argoproj.io/v1alpha1', 'ApplicationSet'),
  crd('argo-cd', 'argoproj.io/v1alpha1', 'AppProject'),

  crd('argo-rollouts', 'argoproj.io/v1alpha1', 'Rollout'),
  crd('argo-rollouts', 'argoproj.io/v1alpha1', 'AnalysisTemplate'),
  crd('argo-rollouts', 'argoproj.io/v1alpha1', 'ClusterAnalysisTemplate', 'Cluster'),
  crd('argo-rollouts', 'argoproj.io/v1alpha1', 'AnalysisRun'),
  crd('argo-rollouts', 'argoproj.io/v1alpha1', 'Experiment'),

  crd('argo-workflows', 'argoproj.io/v1alpha1', 'Workflow'),
  crd('argo-workflows', 'argoproj.io/v1alpha1', 'WorkflowTemplate'),
  crd('argo-workflows', 'argoproj.io/v1alpha1', 'ClusterWorkflowTemplate', 'Cluster'),
  crd('argo-workflows', 'argoproj.io/v1alpha1', 'CronWorkflow'),
  crd('argo-workflows', 'argoproj.io/v1alpha1', 'WorkflowEventBinding'),

  crd('external-secrets', 'external-secrets.io/v1', 'ExternalSecret'),
  crd('external-secrets', 'external-secrets.io/v1', 'SecretStore'),
  crd('external-secrets', 'external-secrets.io/v1', 'ClusterSecretStore', 'Cluster'),
  crd('external-secrets', 'external-secrets.io/v1', 'ClusterExternalSecret', 'Cluster'),
  crd('external-secrets', 'external-secrets.io/v1alpha1', 'PushSecret'),

  crd('sealed-secrets', 'bitnami.com/v1alpha1', 'SealedSecret'),

  crd('istio', 'networking.istio.io/v1', 'VirtualService'),
  crd('istio', 'networking.istio.io/v1', 'DestinationRule'),
  crd('istio', 'networking.istio.io/v1', 'Gateway'),
  crd('istio', 'networking.istio.io/v1', 'ServiceEntry'),
  crd('istio', 'security.istio.io/v1', 'AuthorizationPolicy'),
  crd('istio', 'security.istio.io/v1', 'PeerAuthentication'),
  crd('istio', 'security.istio.io/v1', 'RequestAuthentication'),

  crd('gateway-api', 'gateway.networking.k8s.io/v1', 'GatewayClass', 'Cluster'),
  crd('gateway-api', 'gateway.networking.k8s.io/v1', 'Gateway'),
  crd('gateway-api', 'gateway.networking.k8s.io/v1', 'HTTPRoute'),
  crd('gateway-api', 'gateway.networking.k8s.io/v1', 'GRPCRoute'),
  crd('gateway-api', 'gateway.networking.k8s.io/v1', 'ReferenceGrant'),
  crd('gateway-api', 'gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'),

  hand('argoproj.io/v1alpha1', 'EventBus', 'Namespaced', 'eventBus', ARGO_EVENTS_REF),
  hand('argoproj.io/v1alpha1', 'EventSource', 'Namespaced', 'eventSource', ARGO_EVENTS_REF),
  hand('argoproj.io/v1alpha1', 'Sensor', 'Namespaced', 'sensor', ARGO_EVENTS_REF),
  hand('policy.sigstore.dev/v1beta1', 'ClusterImagePolicy', 'Cluster', 'clusterImagePolicy', 'sigstore/policy-controller config/300-clusterimagepolicy.yaml (v1beta1)'),
  hand('kustomize.config.k8s.io/v1beta1', 'Kustomization', 'Cluster', 'kustomization', 'kustomize v5 types.Kustomization (api/types/kustomization.go)'),
  hand('kustomize.config.k8s.io/v1alpha1', 'Component', 'Cluster', 'kustomizeComponent', 'kustomize v5 types.Kustomization (Component kind)'),
];

/** Versions an upstream controller still lists but no longer serves: a cluster rejects them. */
export const UNSERVED: readonly { apiVersion: string; kinds: readonly string[]; use: string }[] = [
  { apiVersion: 'external-secrets.io/v1beta1', kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'], use: 'external-secrets.io/v1' },
  { apiVersion: 'external-secrets.io/v1alpha1', kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'], use: 'external-secrets.io/v1' },
];

export const gvkKey = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;

/** File-system-safe id of a schema: `apps_v1_Deployment`, `core_v1_Service`. */
export function schemaId(entry: Pick<KindEntry, 'apiVersion' | 'kind'>): string {
  const { group, version } = splitApiVersion(entry.apiVersion);
  return `${group || 'core'}_${version}_${entry.kind}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

let byKey: Map<string, KindEntry> | undefined;
export function findKind(apiVersion: string, kind: string): KindEntry | undefined {
  byKey ??= new Map(CATALOG.map((e) => [gvkKey(e.apiVersion, e.kind), e]));
  return byKey.get(gvkKey(apiVersion, kind));
}

export function findUnserved(apiVersion: string, kind: string) {
  return UNSERVED.find((u) => u.apiVersion === apiVersion && u.kinds.includes(kind));
}

/** Other versions of the same kind the catalog knows, for "did you mean" hints. */
export function otherVersionsOf(kind: string, apiVersion: string): string[] {
  return CATALOG.filter((e) => e.kind === kind && e.apiVersion !== apiVersion).map((e) => e.apiVersion);
}
