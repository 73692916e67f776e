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
