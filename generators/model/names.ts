// Every Kubernetes name the generator composes is made here, so length limits are checked in
// one place and the model validator can reject a spec whose composed names would be too long.

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_LABEL = 63;

export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** AppProject names the platform itself uses; tenants cannot take them. */
export const RESERVED_PROJECTS = ['default', 'platform'];

export const tenantNamespace = (base: string, env: string) => `${base}-${env}`;
export const clusterSecretName = (cluster: string) => `cluster-${cluster}`;
export const serviceAppName = (service: string, env: string, cluster: string) => `${service}-${env}-${cluster}`;
/** Suffixes the service planner appends (`-canary`, `-preview`, `-migrate`, `-success-rate` ...); the longest. */
export const LONGEST_SERVICE_SUFFIX = '-success-rate';

export const isDnsLabel = (s: string) => s.length <= MAX_LABEL && DNS_LABEL.test(s);

/** Kubernetes label values: at most 63, alphanumerics with -, _ and . inside (apimachinery IsValidLabelValue). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a string is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > MAX_LABEL) return `${value.length} characters; the limit is ${MAX_LABEL}`;
  return LABEL_VALUE.test(value) ? undefined : 'only letters, digits, "-", "_" and "." are allowed, starting and ending with a letter or digit';
}

/** Why a string is not a valid label key (`[prefix/]name`), or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `prefix "${prefix}" must be a DNS subdomain (lower case, at most 253)`;
  if (!name || name.length > MAX_LABEL) return `name part must be 1 to ${MAX_LABEL} characters`;
  return QUALIFIED_NAME.test(name) ? undefined : 'name part: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
}

/** A revision that names a release tag (v1.2.3, 2026.11.0, v2026.11.0-rc.1) rather than a branch. */
export const looksLikeTag = (revision: string) => /^v?\d+(\.\d+)+([-+][\w.-]+)?$/.test(revision);
