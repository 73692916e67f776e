// Kubernetes facts the simulation needs without a cluster: which API groups are built in, which
// kinds are cluster-scoped, and the apimachinery name and label validations.

/** API groups every conformant cluster serves (kube-apiserver and kube-aggregator). */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'node.k8s.io', 'certificates.k8s.io', 'apiregistration.k8s.io', 'flowcontrol.apiserver.k8s.io', 'events.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'resource.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

/** Built-in kinds without a namespace. */
const CLUSTER_SCOPED_BUILT_IN = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'FlowSchema',
  'PriorityLevelConfiguration', 'CertificateSigningRequest', 'ComponentStatus', 'IPAddress', 'ServiceCIDR', 'DeviceClass',
]);

export const groupOf = (apiVersion: unknown): string => {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
};

export const isBuiltInGroup = (group: string) => BUILT_IN_GROUPS.has(group);

/** `kind.group` as Kubernetes writes a GroupKind (`Deployment.apps`, `Secret`). */
export const groupKind = (group: string, kind: string) => (group ? `${kind}.${group}` : kind);

export function isClusterScoped(group: string, kind: string, crdScopes: ReadonlyMap<string, string>): boolean {
  const scope = crdScopes.get(groupKind(group, kind));
  if (scope) return scope === 'Cluster';
  return isBuiltInGroup(group) && CLUSTER_SCOPED_BUILT_IN.has(kind);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** apimachinery validation.IsDNS1123Subdomain: the reasons, empty when valid. */
export function dns1123SubdomainProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  return out;
}

/** apimachinery validation.IsDNS1123Label */
export function dns1123LabelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  return out;
}

/** apimachinery validation.IsValidLabelValue */
export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return out;
}

/** apimachinery validation.IsQualifiedName (label keys): optional DNS subdomain prefix + `/` + name. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ['a qualified name must consist of an optional DNS subdomain prefix, a slash, and a name'];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const out: string[] = [];
  if (prefix !== undefined) out.push(...dns1123SubdomainProblems(prefix).map((p) => `prefix part ${p}`));
  if (!name || name.length > 63) out.push('name part must be no more than 63 characters and not empty');
  else if (!QUALIFIED_NAME.test(name)) out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return out;
}
