// The platform model. `PlatformSpec` is platform.yaml as a person writes it (most fields optional);
// `Platform` is the normalized model every planner reads (defaults filled, shorthands expanded).
// Keeping the two apart (changesets' parse vs read) lets validation speak in the user's terms
// while planners never have to ask "was this set?".

export const MODEL_API_VERSION = 'gitops-scaffold.dev/v1alpha1';
export const MODEL_KIND = 'Platform';

export type DeliveryStrategy = 'canary' | 'blueGreen' | 'rolling';
export type TrafficRouter = 'istio' | 'nginx' | 'alb' | 'gateway-api' | 'none';
export type SecretsBackend = 'external-secrets' | 'sealed-secrets' | 'sops';
export type SecretsProvider = 'vault' | 'aws' | 'gcp' | 'azure';
/** How careful deliveries to an environment are: drives canary steps, analysis and promotion. */
export type Caution = 'fast' | 'standard' | 'careful';
/** When automatic syncs may happen in an environment. */
export type SyncWindowPolicy = 'always' | 'business-hours' | 'no-nights' ;
export type SigningMode = 'keyless' | 'key';
export type Severity = 'negligible' | 'low' | 'medium' | 'high' | 'critical';

export interface SsoSpec {
  issuer: string;
  clientId: string;
  /** Scopes requested from the OIDC provider; `groups` must be among them for RBAC. */
  scopes?: string[];
  /** SSO groups mapped to Argo CD's built-in admin role (platform team). */
  adminGroups?: string[];
  /** SSO groups given read-only access to everything (auditors). */
  readonlyGroups?: string[];
}

export interface NotificationsSpec {
  slack?: { channel: string };
  webhook?: { url: string };
}

export interface ArgoCdSpec {
  namespace?: string;
  /** Exact upstream release, e.g. v3.5.1. */
  version?: string;
  /** External URL of the Argo CD UI/API. */
  url?: string;
  ha?: boolean;
  sso?: SsoSpec;
  notifications?: NotificationsSpec;
}

export interface EnvironmentSpec {
  name: string;
  syncWindow?: SyncWindowPolicy;
  caution?: Caution;
  /** IANA time zone for sync windows. */
  timeZone?: string;
  /** Protected environments need signed images and never auto-promote blue-green. */
  protected?: boolean;
}

export interface ClusterSpec {
  name: string;
  server: string;
  /** One environment (the common case) ... */
  environment?: string;
  /** ... or several (a small cluster hosting dev and prod in separate namespaces). */
  environments?: string[];
  region?: string;
  labels?: Record<string, string>;
}

export interface TenantGroups {
  admin?: string[];
  developer?: string[];
  readonly?: string[];
}

export interface QuotaSpec {
  cpu?: string;
  memory?: string;
  pods?: number;
}

export interface TenantSpec {
  name: string;
  description?: string;
  /** Namespace base names; each is created as `<name>-<environment>`. Default: [tenant name]. */
  namespaces?: string[];
  /** Git repositories the tenant may deploy from (besides the platform repo). */
  repos?: string[];
  groups?: TenantGroups;
  quota?: QuotaSpec;
  /** Environments the tenant deploys to. Default: all. */
  environments?: string[];
  /** Restrict to these clusters. Default: every cluster of its environments. */
  clusters?: string[];
}

export interface ServiceSecretSpec {
  /** Name of the Kubernetes Secret the ExternalSecret creates. */
  name: string;
  /** Key (path) in the secret store. */
  key: string;
  /** Properties to copy; each becomes a key of the Secret. */
  properties: string[];
}

export interface ServiceEnvOverride {
  tag?: string;
  digest?: string;
  replicas?: number;
  cpu?: string;
  memory?: string;
}

export interface ServiceSpec {
  name: string;
  tenant: string;
  /** Namespace base name (one of the tenant's). Default: the tenant's first. */
  namespace?: string;
  description?: string;
  image: string;
  tag: string;
  digest?: string;
  port?: number;
  strategy?: DeliveryStrategy;
  environments?: string[];
  replicas?: number;
  cpu?: string;
  memory?: string;
  /** HTTP path for liveness/readiness probes. */
  healthPath?: string;
  /** Publicly routed host name (ingress / virtual service). */
  host?: string;
  migration?: { command: string[]; image?: string };
  smokeTest?: { path?: string };
  secrets?: ServiceSecretSpec[];
  automountServiceAccountToken?: boolean;
  overrides?: Record<string, ServiceEnvOverride>;
}

export interface DeliverySpec {
  strategy?: DeliveryStrategy;
  router?: TrafficRouter;
  prometheus?: string;
}

export interface SecretsSpec {
  backend?: SecretsBackend;
  provider?: SecretsProvider;
  vault?: { server: string; path?: string; authMountPath?: string };
  aws?: { region: string; roleArn?: string };
  gcp?: { projectId: string; clusterLocation?: string; clusterName?: string };
  azure?: { vaultUrl: string; tenantId?: string };
}

export interface CiSpec {
  registry?: string;
  signing?: SigningMode;
  sbom?: boolean;
  failOn?: Severity;
  gitProvider?: 'github' | 'generic';
}

export interface PlatformSpec {
  apiVersion?: string;
  kind?: string;
  name: string;
  repo: { url: string; revision?: string };
  argocd?: ArgoCdSpec;
  environments: EnvironmentSpec[];
  clusters: ClusterSpec[];
  tenants?: TenantSpec[];
  delivery?: DeliverySpec;
  secrets?: SecretsSpec;
  ci?: CiSpec;
  services?: ServiceSpec[];
}

// ---- normalized ---------------------------------------------------------------------------

export interface Environment {
  name: string;
  /** Position in the promotion order, 0-based. */
  index: number;
  syncWindow: SyncWindowPolicy;
  caution: Caution;
  timeZone: string;
  protected: boolean;
}

export interface Cluster {
  name: string;
  server: string;
  environments: string[];
  region: string;
  labels: Record<string, string>;
  /** The cluster Argo CD runs in (server https://kubernetes.default.svc). */
  isHub: boolean;
}

export interface Tenant {
  name: string;
  description: string;
  namespaces: string[];
  repos: string[];
  groups: Required<TenantGroups>;
  quota: Required<QuotaSpec>;
  environments: string[];
  clusters: string[];
}

export interface Service {
  name: string;
  tenant: string;
  namespace: string;
  description: string;
  image: string;
  tag: string;
  digest?: string;
  port: number;
  strategy: DeliveryStrategy;
  environments: string[];
  replicas: number;
  cpu: string;
  memory: string;
  healthPath: string;
  host?: string;
  migration?: { command: string[]; image?: string };
  smokeTest?: { path: string };
  secrets: ServiceSecretSpec[];
  automountServiceAccountToken: boolean;
  overrides: Record<string, ServiceEnvOverride>;
}

export interface Platform {
  name: string;
  repo: { url: string; revision: string };
  argocd: {
    namespace: string;
    version: string;
    url: string;
    ha: boolean;
    sso?: Required<SsoSpec>;
    notifications: NotificationsSpec;
  };
  environments: Environment[];
  clusters: Cluster[];
  tenants: Tenant[];
  delivery: Required<DeliverySpec>;
  secrets: {
    backend: SecretsBackend;
    provider: SecretsProvider;
    vault?: { server: string; path: string; authMountPath: string };
    aws?: { region: string; roleArn?: string };
    gcp?: { projectId: string; clusterLocation?: string; clusterName?: string };
    azure?: { vaultUrl: string; tenantId?: string };
  };
  ci: Required<CiSpec>;
  services: Service[];
}
