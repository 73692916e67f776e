// The platform model. `PlatformSpec` is platform.yaml as a person writes it (most fields optional);
// `Platform` is the normalized model every planner reads (defaults filled, shorthands expanded).
// Keeping the two apart (changesets' parse vs read) lets validation speak in the user's terms
// while planners never have to ask "was this set?".

import type { PinSet } from './pins.ts';

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
  /**
   * Sealed Secrets backend: the OIDC client secret sealed for `<argocd namespace>/argocd-oidc`
   * (`--seal-values` writes it here). Until it is set, SSO stays off (break-glass login only).
   */
  sealedClientSecret?: string;
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
  analysis?: { noData?: NoDataVerdict };
}

/**
 * What a canary / blue-green analysis concludes when Prometheus has no samples for the new
 * version (no traffic yet, a scrape gap): `pass` (nobody called it, nothing failed), `fail` (abort
 * and roll back), or `inconclusive` (Rollouts pauses for a human to promote or abort).
 */
export type NoDataVerdict = 'pass' | 'fail' | 'inconclusive';

/**
 * How Argo CD (on the hub) authenticates to a spoke. Cloud IAM needs no credential in Git or in a
 * secret store: `aws` (EKS, argocd-k8s-auth with the controller's IAM role, awsAuthConfig), `gke`
 * (Workload Identity, execProviderConfig `argocd-k8s-auth gcp`), `aks` (Azure workload identity,
 * `argocd-k8s-auth azure`). `token` is a ServiceAccount bearer token: read from the secret store
 * (External Secrets), sealed for the hub (Sealed Secrets), refused with SOPS.
 */
export type ClusterAuthType = 'token' | 'aws' | 'gke' | 'aks';

export interface ClusterAuthSpec {
  type: ClusterAuthType;
  /** aws: the EKS cluster name. Default: the cluster's name. */
  clusterName?: string;
  /** aws: an IAM role Argo CD assumes for this cluster (default: its own role). */
  roleArn?: string;
  /** aks: client ID of the Azure workload identity Argo CD authenticates as. */
  clientId?: string;
  /** aks: Azure tenant ID (default: injected by the workload identity webhook). */
  tenantId?: string;
  /**
   * token with Sealed Secrets: the bearer token sealed for `<argocd namespace>/cluster-<name>` with
   * the hub's controller certificate (`--seal-values` writes it here). Ciphertext, safe in Git.
   */
  sealedToken?: string;
}

export interface ClusterSpec {
  name: string;
  server: string;
  auth?: ClusterAuthSpec;
  /** Base64 PEM of the cluster's API server CA (public). Required for aws/gke/aks and a sealed token. */
  caData?: string;
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
  /** Host name in this environment. Default: `host` in the last environment, `<env>.<host>` before it. */
  host?: string;
  /** Chart services: Helm values of this environment, over `values` (a values file of its own). */
  values?: Record<string, unknown>;
  /** Chart services: the exact chart version this environment runs. Default: `chart.version`. */
  chartVersion?: string;
}

/** A Helm chart deployed as a service (`add service NAME --chart REPO/CHART --chart-version X`). */
export interface ServiceChartSpec {
  /** The chart repository: `oci://registry/path` or an `https://` Helm repository. */
  repo: string;
  /** The chart's name in that repository. */
  name: string;
  /** Exact chart version (never a range: Argo CD would pick the newest match on every refresh). */
  version: string;
}

export interface ServiceSpec {
  name: string;
  tenant: string;
  /** Namespace base name (one of the tenant's). Default: the tenant's first. */
  namespace?: string;
  description?: string;
  /** Image repository without tag; required unless `chart` is set. */
  image?: string;
  /** Pinned image tag; required unless `chart` is set. */
  tag?: string;
  digest?: string;
  /** Deploy a Helm chart instead of the generated workload; configured through `values`. */
  chart?: ServiceChartSpec;
  /** Chart services: Helm values for every environment (`overrides.<env>.values` on top). */
  values?: Record<string, unknown>;
  port?: number;
  strategy?: DeliveryStrategy;
  environments?: string[];
  replicas?: number;
  cpu?: string;
  memory?: string;
  /** HTTP path for liveness/readiness probes. */
  healthPath?: string;
  /** Publicly routed host name (ingress / virtual service) in the last environment; earlier ones get `<env>.<host>`. */
  host?: string;
  /** Database migration run as a hook Job before the new version; `image` is a full, pinned reference (default: the service image). */
  migration?: { command: string[]; image?: string };
  /** HTTP GET that must answer 2xx: a canary / pre-promotion analysis step and a PostSync hook. Default path: healthPath. */
  smokeTest?: { path?: string };
  /** Mounted read-only as files under /etc/secrets/<name>/<property>. */
  secrets?: ServiceSecretSpec[];
  automountServiceAccountToken?: boolean;
  overrides?: Record<string, ServiceEnvOverride>;
}

/**
 * How Istio puts tenant pods in the mesh. Tenant namespaces enforce Pod Security `restricted`,
 * which refuses the NET_ADMIN/NET_RAW istio-init container: `sidecar-cni` keeps sidecars with the
 * Istio CNI node agent redirecting traffic instead; `ambient` has no sidecar at all (ztunnel, and a
 * waypoint per namespace for the L7 routing Rollouts drives).
 */
export type IstioDataPlane = 'sidecar-cni' | 'ambient';

export interface DeliverySpec {
  strategy?: DeliveryStrategy;
  router?: TrafficRouter;
  prometheus?: string;
  istio?: { dataPlane?: IstioDataPlane };
}

export interface SecretsSpec {
  backend?: SecretsBackend;
  provider?: SecretsProvider;
  vault?: { server: string; path?: string; authMountPath?: string };
  /** `roleArn`: the IAM role each store's ServiceAccount assumes (IRSA); `{identity}` is replaced by platform, ci or the tenant name. */
  aws?: { region: string; roleArn?: string };
  /** `serviceAccount`: the Google service account of each store (Workload Identity). Default: eso-{identity}@<projectId>.iam.gserviceaccount.com. */
  gcp?: { projectId: string; clusterLocation?: string; clusterName?: string; serviceAccount?: string };
  /** `clientId`: the workload identity client ID of the stores' ServiceAccounts. */
  azure?: { vaultUrl: string; tenantId?: string; clientId?: string };
  /**
   * Per store identity (`platform`, `ci`, or a tenant name): the IAM role ARN (aws), Google service
   * account (gcp) or client ID (azure) its ServiceAccount authenticates as; overrides the pattern.
   */
  identities?: Record<string, string>;
  /** SOPS backend: who can decrypt the repository's `*.sops.yaml` files (.sops.yaml creation rules). */
  sops?: SopsSpec;
}

export interface SopsSpec {
  /** age recipients (public keys, `age1...`). */
  age?: string[];
  /** AWS KMS key ARNs. */
  kms?: string[];
}

export type PromotionMode = 'commit' | 'pull-request';

/** How writing commands deliver a change: into the checkout, or as a pull request (`--pr`). */
export type ChangeDelivery = 'write' | 'pr';

/** How the pipeline builds one service; every field has a default. */
export interface CiSourceSpec {
  /** Git URL of the service's source. Default: `<owner of the platform repo>/<service>.git` on the same host. */
  repo?: string;
  /** Branch whose pushes build and promote. Default: main. */
  branch?: string;
  /** Build context inside the repository. Default: the repository root. */
  context?: string;
  /** Dockerfile, relative to the context. Default: Dockerfile. */
  dockerfile?: string;
  /** Dockerfile stage that runs the unit tests; "" skips the test step. Default: test. */
  testTarget?: string;
}

export interface CiSpec {
  registry?: string;
  signing?: SigningMode;
  sbom?: boolean;
  failOn?: Severity;
  gitProvider?: 'github' | 'generic';
  /** Namespace of the build pipeline on the build cluster. Default: ci. */
  namespace?: string;
  /** Keyless signing: the OIDC issuer of the build cluster's service-account tokens, and Fulcio / Rekor. */
  keyless?: { issuer?: string; fulcioUrl?: string; rekorUrl?: string };
  /** Key signing: a KMS key URI to sign with, and/or the PEM public key admission verifies with. */
  key?: { kms?: string; publicKey?: string };
  /** S3-compatible bucket for workflow artifacts (source, SBOM, scan report). */
  artifacts?: { bucket?: string; endpoint?: string; region?: string };
  /** How a new image lands in the first environment: a commit or a pull request. */
  promotion?: PromotionMode;
  /** Run the conftest policy gate (Dockerfile rules) before promotion. Default: true. */
  policyGate?: boolean;
  /** Per service name: where its source is and how it is built. */
  sources?: Record<string, CiSourceSpec>;
}

/** CiSpec with every default filled in, sources for every service. */
export interface Ci {
  registry: string;
  signing: SigningMode;
  sbom: boolean;
  failOn: Severity;
  gitProvider: 'github' | 'generic';
  namespace: string;
  keyless: { issuer: string; fulcioUrl: string; rekorUrl: string };
  key: { kms?: string; publicKey?: string };
  artifacts: { bucket: string; endpoint: string; region: string };
  promotion: PromotionMode;
  policyGate: boolean;
  sources: Record<string, Required<CiSourceSpec>>;
}

export interface RepoSpec {
  url: string;
  /** Branch or tag the platform's own Applications track. Default: main. */
  revision?: string;
  /**
   * Branch the tenants' workloads track (their ApplicationSets read apps/ and the clusters' targets/
   * there) and promotions merge into. Default: `revision` when it is a branch, else main: a
   * platform pinned to a release tag still deploys merged promotions.
   */
  tenantRevision?: string;
  changes?: ChangeDelivery;
  /** Whether Argo CD needs credentials to read it (the bootstrap then adds them first). Default: true. */
  private?: boolean;
}

export interface PlatformSpec {
  apiVersion?: string;
  kind?: string;
  name: string;
  repo: RepoSpec;
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
  /** Default: fail in protected environments (no silent pass), pass elsewhere. */
  analysisNoData: NoDataVerdict;
}

export interface Cluster {
  name: string;
  server: string;
  environments: string[];
  region: string;
  labels: Record<string, string>;
  /** The cluster Argo CD runs in (server https://kubernetes.default.svc). */
  isHub: boolean;
  auth: ClusterAuthSpec;
  caData?: string;
  /**
   * Argo CD can reach it once the repository is synced: the hub, an IAM-authenticated spoke, a
   * token from the secret store, or a sealed token. A spoke waiting for its sealed token is
   * declared but targeted by nothing until it is registered.
   */
  registered: boolean;
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
  /** The upstream releases this render pins: the repository's recorded set (model/pins.ts), not necessarily this tool's. */
  pins: PinSet;
  name: string;
  repo: { url: string; revision: string; tenantRevision: string; changes: ChangeDelivery; private: boolean };
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
  delivery: { strategy: DeliveryStrategy; router: TrafficRouter; prometheus: string; istio: { dataPlane: IstioDataPlane } };
  secrets: {
    backend: SecretsBackend;
    provider: SecretsProvider;
    vault?: { server: string; path: string; authMountPath: string };
    aws?: { region: string; roleArn?: string };
    gcp?: { projectId: string; clusterLocation?: string; clusterName?: string; serviceAccount?: string };
    azure?: { vaultUrl: string; tenantId?: string; clientId?: string };
    identities: Record<string, string>;
    sops: Required<SopsSpec>;
  };
  ci: Ci;
  services: Service[];
  /** Services that are Helm charts (`services[]` with `chart`), apart: none of the image services' planners apply. */
  charts: ChartService[];
}

export interface ChartService {
  name: string;
  tenant: string;
  namespace: string;
  description: string;
  chart: {
    /** As written in platform.yaml (`oci://ghcr.io/acme/charts`, `https://charts.example.com`). */
    repo: string;
    /** As Argo CD 3.x wants it in `repoURL`: an OCI registry without the scheme (ApplicationSource IsOCI takes `oci://` for an OCI artifact, not a chart). */
    repoURL: string;
    oci: boolean;
    name: string;
    version: string;
  };
  environments: string[];
  values: Record<string, unknown>;
  /** Per environment: its values and the chart version it runs. */
  overrides: Record<string, { values: Record<string, unknown>; chartVersion: string }>;
}
