// The two namespaces of the pipeline, their network isolation, and the service accounts and roles
// of the build namespace. Least privilege throughout: build and signing pods get no API token at
// all; the executor may only report task results; artifact GC may only read its own tasks.

import type { Platform } from '../../model/types.ts';
import { toYaml } from '../../render/yaml.ts';
import { ciLabels, ARTIFACT_REPOSITORY, CONFTEST_POLICIES, DOCKERFILE_POLICY } from './ci-workflow.ts';
import { WEBHOOK_PORT } from './events.ts';
import { ARGO_WORKFLOWS_NAMESPACE, ciNames, SENSOR_POD_LABELS } from './settings.ts';

type Obj = Record<string, unknown>;

const podSecurity = (enforce: 'baseline' | 'restricted') => ({
  'pod-security.kubernetes.io/enforce': enforce,
  'pod-security.kubernetes.io/enforce-version': 'latest',
  // Anything that would not pass `restricted` is reported even where `baseline` is enforced.
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
});

export function namespaces(p: Platform): Obj[] {
  const n = ciNames(p);
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      // The builder (kaniko) runs as root with baseline capabilities: this namespace enforces
      // `baseline`, and holds nothing but workflow pods.
      metadata: { name: n.namespace, labels: { ...ciLabels('ci'), ...podSecurity('baseline'), 'workflows.argoproj.io/parallelism-limit': '10' } },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.eventsNamespace, labels: { ...ciLabels('ci-events'), ...podSecurity('restricted') } } },
  ];
}

const dnsEgress = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
/** Git hosts, registries, the artifact bucket, Fulcio/Rekor and the API server: HTTPS, SSH, 6443. */
const webEgressPorts = [443, 6443, 22, 80].map((port) => ({ protocol: 'TCP', port }));
const netpol = (name: string, namespace: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

export function networkPolicies(p: Platform): Obj[] {
  const n = ciNames(p);
  const isolate = (ns: string) => netpol('default-deny', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const dns = (ns: string) => netpol('allow-dns', ns, { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] });
  return [
    isolate(n.namespace),
    dns(n.namespace),
    // Builds reach the outside world on web and SSH ports only: not the cluster's Redis, databases
    // or Argo CD's repo-server, which listen elsewhere. Nothing may connect to a build pod.
    netpol('allow-build-egress', n.namespace, { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: webEgressPorts }] }),
    isolate(n.eventsNamespace),
    dns(n.eventsNamespace),
    // The Git host's webhook deliveries reach the EventSource pod, from wherever the ingress runs.
    netpol('allow-webhook-ingress', n.eventsNamespace, {
      podSelector: { matchLabels: { 'eventsource-name': n.eventSource } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: WEBHOOK_PORT }] }],
    }),
    // EventSource, EventBus (JetStream) and Sensor talk to each other inside the namespace.
    netpol('allow-within-namespace', n.eventsNamespace, {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    // The Sensors (one per tenant) create Workflows through the API server.
    netpol('allow-sensor-api', n.eventsNamespace, {
      podSelector: { matchLabels: { ...SENSOR_POD_LABELS } },
      policyTypes: ['Egress'],
      egress: [{ ports: [443, 6443].map((port) => ({ protocol: 'TCP', port })) }],
    }),
  ];
}

const role = (name: string, namespace: string, rules: Obj[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels: ciLabels('ci') }, rules });
const binding = (name: string, namespace: string, subjects: Obj[]): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace, labels: ciLabels('ci') },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  subjects,
});
const sa = (name: string, namespace: string, automount: boolean): Obj => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels: ciLabels('ci') }, automountServiceAccountToken: automount });

export function buildRbac(p: Platform): Obj[] {
  const n = ciNames(p);
  const ns = n.namespace;
  return [
    // Step pods: no Kubernetes API access at all (the WorkflowTemplate sets automount: false too).
    sa(n.buildSa, ns, false),
    // Only its projected, audience-"sigstore" token is used (to obtain a Fulcio certificate).
    sa(n.signerSa, ns, false),
    sa(n.executorSa, ns, false),
    sa(n.artifactGcSa, ns, false),
    // Argo finds the executor's token by this name (Argo Workflows service-account-secrets.md):
    // since Kubernetes 1.24 service accounts get no token Secret on their own. The token
    // controller fills it in; the repository holds no value.
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${n.executorSa}.service-account-token`, namespace: ns, labels: ciLabels('ci'), annotations: { 'kubernetes.io/service-account.name': n.executorSa } },
      type: 'kubernetes.io/service-account-token',
    },
    // The executor's whole job: report each step's outputs (Argo Workflows workflow-rbac.md).
    role(n.executorSa, ns, [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]),
    binding(n.executorSa, ns, [{ kind: 'ServiceAccount', name: n.executorSa, namespace: ns }]),
    role(n.artifactGcSa, ns, [
      { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks'], verbs: ['list', 'watch'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks/status'], verbs: ['patch'] },
    ]),
    binding(n.artifactGcSa, ns, [{ kind: 'ServiceAccount', name: n.artifactGcSa, namespace: ns }]),
    // Memoization keeps its cache in a ConfigMap the controller creates and updates, here only.
    role('ci-memoization-cache', ns, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] }]),
    binding('ci-memoization-cache', ns, [{ kind: 'ServiceAccount', name: 'argo', namespace: ARGO_WORKFLOWS_NAMESPACE }]),
  ];
}

/** Where step outputs go: an S3-compatible bucket, credentials from the `ci-artifacts` Secret. */
export function artifactRepository(p: Platform): Obj {
  const n = ciNames(p);
  const config = {
    archiveLogs: false,
    s3: {
      bucket: p.ci.artifacts.bucket,
      endpoint: p.ci.artifacts.endpoint,
      region: p.ci.artifacts.region,
      insecure: false,
      keyFormat: '{{workflow.namespace}}/{{workflow.name}}/{{pod.name}}',
      accessKeySecret: { name: n.secrets.artifacts, key: 'accessKey' },
      secretKeySecret: { name: n.secrets.artifacts, key: 'secretKey' },
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ARTIFACT_REPOSITORY.configMap, namespace: n.namespace, labels: ciLabels('ci'), annotations: { 'workflows.argoproj.io/default-artifact-repository': ARTIFACT_REPOSITORY.key } },
    data: { [ARTIFACT_REPOSITORY.key]: toYaml(config) },
  };
}

export function conftestPolicies(p: Platform): Obj {
  const n = ciNames(p);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONFTEST_POLICIES, namespace: n.namespace, labels: ciLabels('ci') }, data: { 'dockerfile.rego': DOCKERFILE_POLICY } };
}
