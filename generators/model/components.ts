// What each pinned upstream base and chart installs, as far as the offline simulation of Argo CD
// needs it: the CRDs (with the size client-side apply would store), the ServiceAccounts and the
// namespaces. Kept beside the pins (versions.ts re-exports it) so an upgrade changes both in one
// diff; test/simulate/components.test.ts holds it equal to the facts that
// scripts/derive-components.ts derives from the upstream sources at the pinned tags.

/** kubectl's client-side apply stores the whole object as JSON in this annotation. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apimachinery ValidateAnnotationsSize: all annotations of an object together, keys and values. */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/**
 * Bytes of the last-applied annotation for `obj`: compact JSON as Go's encoding/json writes it
 * (kubectl util.GetModifiedConfiguration), which escapes <, >, & and U+2028/9 as \uXXXX.
 */
export function lastAppliedBytes(obj: unknown): number {
  const json = JSON.stringify(obj) ?? '';
  let extra = 0;
  for (const c of json) if (c === '<' || c === '>' || c === '&') extra += 5;
  else if (c === '\u2028' || c === '\u2029') extra += 3;
  return Buffer.byteLength(json, 'utf8') + extra;
}

export type PinName = 'argocd' | 'argoRollouts' | 'argoWorkflows' | 'argoEvents' | 'externalSecrets' | 'sealedSecrets' | 'policyController';

export interface UpstreamCrd {
  /** `<plural>.<group>` */
  name: string;
  group: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  /** Size of the last-applied annotation client-side apply would write for it (lastAppliedBytes). */
  lastAppliedBytes: number;
}

export interface UpstreamComponent {
  id: string;
  pin: PinName;
  /** The tag the facts were read at; the test fails when it is not the pin's. */
  tag: string;
  /** A kustomize remote base (repo + path, `?ref=` the pin) or a Helm chart (repo + chart name). */
  source: { type: 'kustomize'; repo: string; path: string } | { type: 'helm'; repo: string; chart: string };
  crds: readonly UpstreamCrd[];
  /**
   * Without a namespace: in the namespace the installing kustomization or Application gives.
   * In a chart, `{fullname}` is the chart's fullname helper: fullnameOverride, else the release
   * name when it contains the chart name, else `<release>-<chart>` (63 characters at most).
   */
  serviceAccounts: readonly { name: string; namespace?: string }[];
  namespaces: readonly string[];
}

const crd = (name: string, kind: string, scope: UpstreamCrd['scope'], lastAppliedBytes: number): UpstreamCrd => ({
  name,
  group: name.slice(name.indexOf('.') + 1),
  kind,
  scope,
  lastAppliedBytes,
});

/** Derived from the upstream sources by scripts/derive-components.ts; change both together. */
export const upstreamComponents: readonly UpstreamComponent[] = [
  {
    id: 'argocd-ha',
    pin: 'argocd',
    tag: 'v3.5.1',
    source: { type: 'kustomize', repo: 'https://github.com/argoproj/argo-cd', path: 'manifests/ha/cluster-install' },
    crds: [
      crd('applications.argoproj.io', 'Application', 'Namespaced', 197594),
      crd('applicationsets.argoproj.io', 'ApplicationSet', 'Namespaced', 343248),
      crd('appprojects.argoproj.io', 'AppProject', 'Namespaced', 12097),
    ],
    serviceAccounts: [{ name: 'argocd-application-controller' }, { name: 'argocd-applicationset-controller' }, { name: 'argocd-dex-server' }, { name: 'argocd-notifications-controller' }, { name: 'argocd-redis-ha' }, { name: 'argocd-redis-ha-haproxy' }, { name: 'argocd-repo-server' }, { name: 'argocd-server' }],
    namespaces: [],
  },
  {
    id: 'argocd',
    pin: 'argocd',
    tag: 'v3.5.1',
    source: { type: 'kustomize', repo: 'https://github.com/argoproj/argo-cd', path: 'manifests/cluster-install' },
    crds: [
      crd('applications.argoproj.io', 'Application', 'Namespaced', 197594),
      crd('applicationsets.argoproj.io', 'ApplicationSet', 'Namespaced', 343248),
      crd('appprojects.argoproj.io', 'AppProject', 'Namespaced', 12097),
    ],
    serviceAccounts: [{ name: 'argocd-application-controller' }, { name: 'argocd-applicationset-controller' }, { name: 'argocd-dex-server' }, { name: 'argocd-notifications-controller' }, { name: 'argocd-redis' }, { name: 'argocd-repo-server' }, { name: 'argocd-server' }],
    namespaces: [],
  },
  {
    id: 'argo-rollouts',
    pin: 'argoRollouts',
    tag: 'v1.9.1',
    source: { type: 'kustomize', repo: 'https://github.com/argoproj/argo-rollouts', path: 'manifests/cluster-install' },
    crds: [
      crd('analysisruns.argoproj.io', 'AnalysisRun', 'Namespaced', 59380),
      crd('analysistemplates.argoproj.io', 'AnalysisTemplate', 'Namespaced', 57365),
      crd('clusteranalysistemplates.argoproj.io', 'ClusterAnalysisTemplate', 'Cluster', 57398),
      crd('experiments.argoproj.io', 'Experiment', 'Namespaced', 52248),
      crd('rollouts.argoproj.io', 'Rollout', 'Namespaced', 69295),
    ],
    serviceAccounts: [{ name: 'argo-rollouts' }],
    namespaces: [],
  },
  {
    id: 'argo-workflows',
    pin: 'argoWorkflows',
    tag: 'v4.1.2',
    source: { type: 'kustomize', repo: 'https://github.com/argoproj/argo-workflows', path: 'manifests/cluster-install' },
    crds: [
      crd('clusterworkflowtemplates.argoproj.io', 'ClusterWorkflowTemplate', 'Cluster', 1181310),
      crd('cronworkflows.argoproj.io', 'CronWorkflow', 'Namespaced', 1184556),
      crd('workflowartifactgctasks.argoproj.io', 'WorkflowArtifactGCTask', 'Namespaced', 19241),
      crd('workfloweventbindings.argoproj.io', 'WorkflowEventBinding', 'Namespaced', 37558),
      crd('workflows.argoproj.io', 'Workflow', 'Namespaced', 1232339),
      crd('workflowtaskresults.argoproj.io', 'WorkflowTaskResult', 'Namespaced', 36931),
      crd('workflowtasksets.argoproj.io', 'WorkflowTaskSet', 'Namespaced', 209835),
      crd('workflowtemplates.argoproj.io', 'WorkflowTemplate', 'Namespaced', 1181240),
    ],
    serviceAccounts: [{ name: 'argo', namespace: 'argo' }, { name: 'argo-server', namespace: 'argo' }],
    namespaces: [],
  },
  {
    id: 'argo-events',
    pin: 'argoEvents',
    tag: 'v1.9.11',
    source: { type: 'kustomize', repo: 'https://github.com/argoproj/argo-events', path: 'manifests/cluster-install' },
    crds: [
      crd('eventbus.argoproj.io', 'EventBus', 'Namespaced', 694),
      crd('eventsources.argoproj.io', 'EventSource', 'Namespaced', 711),
      crd('sensors.argoproj.io', 'Sensor', 'Namespaced', 686),
    ],
    serviceAccounts: [{ name: 'argo-events-sa', namespace: 'argo-events' }],
    namespaces: [],
  },
  {
    id: 'external-secrets',
    pin: 'externalSecrets',
    tag: 'helm-chart-2.9.0',
    source: { type: 'helm', repo: 'https://charts.external-secrets.io', chart: 'external-secrets' },
    crds: [
      crd('acraccesstokens.generators.external-secrets.io', 'ACRAccessToken', 'Namespaced', 6823),
      crd('beyondtrustworkloadcredentialsdynamicsecrets.generators.external-secrets.io', 'BeyondtrustWorkloadCredentialsDynamicSecret', 'Namespaced', 8001),
      crd('cloudsmithaccesstokens.generators.external-secrets.io', 'CloudsmithAccessToken', 'Namespaced', 2967),
      crd('clusterexternalsecrets.external-secrets.io', 'ClusterExternalSecret', 'Cluster', 46836),
      crd('clustergenerators.generators.external-secrets.io', 'ClusterGenerator', 'Cluster', 81155),
      crd('clusterpushsecrets.external-secrets.io', 'ClusterPushSecret', 'Cluster', 20795),
      crd('clustersecretstores.external-secrets.io', 'ClusterSecretStore', 'Cluster', 349406),
      crd('ecrauthorizationtokens.generators.external-secrets.io', 'ECRAuthorizationToken', 'Namespaced', 6340),
      crd('externalsecrets.external-secrets.io', 'ExternalSecret', 'Namespaced', 38633),
      crd('fakes.generators.external-secrets.io', 'Fake', 'Namespaced', 1915),
      crd('gcraccesstokens.generators.external-secrets.io', 'GCRAccessToken', 'Namespaced', 9092),
      crd('generatorstates.generators.external-secrets.io', 'GeneratorState', 'Namespaced', 3380),
      crd('githubaccesstokens.generators.external-secrets.io', 'GithubAccessToken', 'Namespaced', 3360),
      crd('gitlabdeploytokens.generators.external-secrets.io', 'GitlabDeployToken', 'Namespaced', 4665),
      crd('grafanas.generators.external-secrets.io', 'Grafana', 'Namespaced', 4435),
      crd('mfas.generators.external-secrets.io', 'MFA', 'Namespaced', 2869),
      crd('passwords.generators.external-secrets.io', 'Password', 'Namespaced', 3087),
      crd('pushsecrets.external-secrets.io', 'PushSecret', 'Namespaced', 19051),
      crd('quayaccesstokens.generators.external-secrets.io', 'QuayAccessToken', 'Namespaced', 2740),
      crd('secretstores.external-secrets.io', 'SecretStore', 'Namespaced', 349359),
      crd('sshkeys.generators.external-secrets.io', 'SSHKey', 'Namespaced', 2004),
      crd('stssessiontokens.generators.external-secrets.io', 'STSSessionToken', 'Namespaced', 6693),
      crd('uuids.generators.external-secrets.io', 'UUID', 'Namespaced', 1512),
      crd('vaultdynamicsecrets.generators.external-secrets.io', 'VaultDynamicSecret', 'Namespaced', 32453),
      crd('webhooks.generators.external-secrets.io', 'Webhook', 'Namespaced', 6385),
    ],
    serviceAccounts: [{ name: '{fullname}' }, { name: 'external-secrets-cert-controller' }, { name: 'external-secrets-webhook' }],
    namespaces: [],
  },
  {
    id: 'sealed-secrets',
    pin: 'sealedSecrets',
    tag: 'helm-v2.17.9',
    source: { type: 'helm', repo: 'https://bitnami-labs.github.io/sealed-secrets', chart: 'sealed-secrets' },
    crds: [
      crd('sealedsecrets.bitnami.com', 'SealedSecret', 'Namespaced', 4510),
    ],
    serviceAccounts: [{ name: '{fullname}' }],
    namespaces: [],
  },
  {
    id: 'policy-controller',
    pin: 'policyController',
    tag: 'policy-controller-0.10.5',
    source: { type: 'helm', repo: 'https://sigstore.github.io/helm-charts', chart: 'policy-controller' },
    crds: [
      crd('clusterimagepolicies.policy.sigstore.dev', 'ClusterImagePolicy', 'Cluster', 30146),
      crd('trustroots.policy.sigstore.dev', 'TrustRoot', 'Cluster', 5869),
    ],
    serviceAccounts: [{ name: '{fullname}-webhook' }],
    namespaces: [],
  },
];

/** Helm's conventional fullname helper, as each of these charts defines it in _helpers.tpl. */
export function chartFullname(chart: string, release: string, values: { fullnameOverride?: unknown; nameOverride?: unknown } = {}): string {
  const trunc = (s: string) => s.slice(0, 63).replace(/-+$/, '');
  if (typeof values.fullnameOverride === 'string' && values.fullnameOverride) return trunc(values.fullnameOverride);
  const name = typeof values.nameOverride === 'string' && values.nameOverride ? values.nameOverride : chart;
  return trunc(release.includes(name) ? release : `${release}-${name}`);
}
