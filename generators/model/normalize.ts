// PlatformSpec (as written, validated) -> Platform (every default filled, lists sorted so the
// rendered repo does not depend on the order things were added in).

import type { Caution, ChartService, Ci, Platform, PlatformSpec, ServiceSpec, Tenant, SyncWindowPolicy } from './types.ts';
import { TOOL_PINS, type PinSet } from './pins.ts';
import { FLEET } from './fleet.ts';
import { effectiveBackend } from './rules.ts';
import { looksLikeTag } from './names.ts';

export const HUB_SERVER = 'https://kubernetes.default.svc';
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const DEFAULTS = {
  revision: 'main',
  argocdNamespace: 'argocd',
  prometheus: 'http://prometheus-operated.monitoring.svc:9090',
  quota: { cpu: '8', memory: '16Gi', pods: 50 },
  service: { port: 8080, replicas: 2, cpu: '250m', memory: '256Mi', healthPath: '/healthz' },
} as const;

function envDefaults(index: number, count: number): { caution: Caution; syncWindow: SyncWindowPolicy; protected: boolean } {
  const last = index === count - 1 && count > 1;
  return {
    caution: last ? 'careful' : index === 0 ? 'fast' : 'standard',
    syncWindow: last ? 'no-nights' : 'always',
    protected: last,
  };
}

/** The branch tenant workloads track and promotions merge into (see RepoSpec.tenantRevision). */
function tenantRevisionOf(spec: PlatformSpec): string {
  if (spec.repo.tenantRevision) return spec.repo.tenantRevision;
  const revision = spec.repo.revision ?? DEFAULTS.revision;
  return looksLikeTag(revision) ? 'main' : revision;
}

/** Whether Argo CD can reach the cluster from what the repository holds (see Cluster.registered). */
function isRegistered(spec: PlatformSpec, c: PlatformSpec['clusters'][number]): boolean {
  if (c.server.replace(/\/$/, '') === HUB_SERVER) return true;
  const type = c.auth?.type ?? 'token';
  if (type !== 'token') return true;
  const backend = effectiveBackend(spec);
  return backend === 'external-secrets' || (backend === 'sealed-secrets' && !!c.auth?.sealedToken);
}

/** `pins`: the releases to render with (the repository's recorded set; this tool's for a new one). */
export function normalize(spec: PlatformSpec, pins: PinSet = TOOL_PINS): Platform {
  const envNames = spec.environments.map((e) => e.name);
  const environments = spec.environments.map((e, index) => {
    const d = envDefaults(index, spec.environments.length);
    return {
      name: e.name,
      index,
      syncWindow: e.syncWindow ?? d.syncWindow,
      caution: e.caution ?? d.caution,
      timeZone: e.timeZone ?? 'UTC',
      protected: e.protected ?? d.protected,
      // No silent pass where it matters: without data a protected environment's analysis fails.
      analysisNoData: e.analysis?.noData ?? ((e.protected ?? d.protected) ? ('fail' as const) : ('pass' as const)),
    };
  });
  const clusters = spec.clusters
    .map((c) => ({
      name: c.name,
      server: c.server.replace(/\/$/, ''),
      // Keep the promotion order of the environments a cluster serves.
      environments: envNames.filter((e) => (c.environments ?? (c.environment ? [c.environment] : [])).includes(e)),
      region: c.region ?? 'default',
      labels: Object.fromEntries(Object.entries(c.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
      isHub: c.server.replace(/\/$/, '') === HUB_SERVER,
      auth: { type: 'token' as const, ...c.auth },
      ...(c.caData ? { caData: c.caData } : {}),
      registered: isRegistered(spec, c),
    }))
    .sort(byName);
  const tenants = (spec.tenants ?? [])
    .map((t) => {
      const envs = envNames.filter((e) => (t.environments ?? envNames).includes(e));
      return {
        name: t.name,
        description: t.description ?? '',
        namespaces: t.namespaces ?? [t.name],
        repos: [...(t.repos ?? [])],
        // Only the groups platform.yaml names: an invented default (`<tenant>-admins`) would grant
        // rights to whoever can create a group of that name in the identity provider.
        groups: {
          admin: [...(t.groups?.admin ?? [])],
          developer: [...(t.groups?.developer ?? [])],
          readonly: [...(t.groups?.readonly ?? [])],
        },
        quota: { ...DEFAULTS.quota, ...t.quota },
        environments: envs,
        clusters: (t.clusters ?? clusters.filter((c) => c.environments.some((e) => envs.includes(e))).map((c) => c.name)).slice().sort(),
      };
    })
    .sort(byName);
  const strategy = spec.delivery?.strategy ?? 'rolling';
  // A service with `chart` is a Helm chart: planned apart (plan/charts.ts), none of the image
  // services' planners (workload, CI, admission) apply to it.
  const charts = (spec.services ?? [])
    .filter((s) => s.chart)
    .map((s) => normalizeChart(s, tenants.find((t) => t.name === s.tenant)!))
    .sort(byName);
  const services = (spec.services ?? [])
    .filter((s) => !s.chart)
    .map((s) => {
      const tenant = tenants.find((t) => t.name === s.tenant)!;
      return {
        name: s.name,
        tenant: s.tenant,
        namespace: s.namespace ?? tenant.namespaces[0],
        description: s.description ?? '',
        image: s.image!,
        tag: s.tag!,
        ...(s.digest ? { digest: s.digest } : {}),
        port: s.port ?? DEFAULTS.service.port,
        strategy: s.strategy ?? strategy,
        environments: tenant.environments.filter((e) => (s.environments ?? tenant.environments).includes(e)),
        replicas: s.replicas ?? DEFAULTS.service.replicas,
        cpu: s.cpu ?? DEFAULTS.service.cpu,
        memory: s.memory ?? DEFAULTS.service.memory,
        healthPath: s.healthPath ?? DEFAULTS.service.healthPath,
        ...(s.host ? { host: s.host } : {}),
        ...(s.migration ? { migration: s.migration } : {}),
        ...(s.smokeTest ? { smokeTest: { path: s.smokeTest.path ?? s.healthPath ?? DEFAULTS.service.healthPath } } : {}),
        secrets: s.secrets ?? [],
        automountServiceAccountToken: s.automountServiceAccountToken ?? false,
        overrides: s.overrides ?? {},
      };
    })
    .sort(byName);
  const sec = spec.secrets ?? {};
  const provider = sec.provider ?? (sec.aws ? 'aws' : sec.gcp ? 'gcp' : sec.azure ? 'azure' : 'vault');
  const anyProvider = !!(sec.vault || sec.aws || sec.gcp || sec.azure || sec.provider);
  return {
    pins,
    name: spec.name,
    repo: { url: spec.repo.url, revision: spec.repo.revision ?? DEFAULTS.revision, tenantRevision: tenantRevisionOf(spec), changes: spec.repo.changes ?? 'write', private: spec.repo.private ?? true },
    argocd: {
      namespace: spec.argocd?.namespace ?? DEFAULTS.argocdNamespace,
      version: spec.argocd?.version ?? pins.argocd.version,
      url: spec.argocd?.url ?? `https://argocd.${spec.name}.example.com`,
      // The HA manifests (Redis HA) from a fleet size on (model/fleet.ts).
      ha: spec.argocd?.ha ?? clusters.length >= FLEET.haFromClusters,
      ...(spec.argocd?.sso
        ? {
            sso: {
              issuer: spec.argocd.sso.issuer,
              clientId: spec.argocd.sso.clientId,
              scopes: spec.argocd.sso.scopes ?? ['openid', 'profile', 'email', 'groups'],
              adminGroups: spec.argocd.sso.adminGroups ?? [],
              readonlyGroups: spec.argocd.sso.readonlyGroups ?? [],
              sealedClientSecret: spec.argocd.sso.sealedClientSecret ?? '',
            },
          }
        : {}),
      notifications: spec.argocd?.notifications ?? {},
    },
    environments,
    clusters,
    tenants,
    delivery: { strategy, router: spec.delivery?.router ?? 'none', prometheus: spec.delivery?.prometheus ?? DEFAULTS.prometheus, istio: { dataPlane: spec.delivery?.istio?.dataPlane ?? 'sidecar-cni' } },
    secrets: {
      // With no provider configured there is nothing for External Secrets to read from:
      // Sealed Secrets needs nothing outside the cluster.
      backend: sec.backend ?? (anyProvider ? 'external-secrets' : 'sealed-secrets'),
      provider,
      ...(sec.vault ? { vault: { server: sec.vault.server, path: sec.vault.path ?? 'secret', authMountPath: sec.vault.authMountPath ?? 'kubernetes' } } : {}),
      ...(sec.aws ? { aws: sec.aws } : {}),
      ...(sec.gcp ? { gcp: sec.gcp } : {}),
      ...(sec.azure ? { azure: sec.azure } : {}),
      identities: Object.fromEntries(Object.entries(sec.identities ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
      sops: { age: [...(sec.sops?.age ?? [])], kms: [...(sec.sops?.kms ?? [])] },
    },
    ci: normalizeCi(spec, services.map((s) => s.name)),
    services,
    charts,
  };
}

/** A chart repository as Argo CD 3.x wants it in `repoURL`: OCI registries without `oci://` (util/helm IsHelmOciRepo). */
export const chartRepoUrl = (repo: string) => repo.replace(/^oci:\/\//, '').replace(/\/+$/, '');

function normalizeChart(s: ServiceSpec, tenant: Tenant): ChartService {
  const environments = tenant.environments.filter((e) => (s.environments ?? tenant.environments).includes(e));
  const chart = s.chart!;
  return {
    name: s.name,
    tenant: s.tenant,
    namespace: s.namespace ?? tenant.namespaces[0],
    description: s.description ?? '',
    chart: { repo: chart.repo, repoURL: chartRepoUrl(chart.repo), oci: chart.repo.startsWith('oci://'), name: chart.name, version: chart.version },
    environments,
    values: s.values ?? {},
    overrides: Object.fromEntries(environments.map((e) => [e, { values: s.overrides?.[e]?.values ?? {}, chartVersion: s.overrides?.[e]?.chartVersion ?? chart.version }])),
  };
}

/** The repository next to `repoUrl` on the same host and owner: a service's default source. */
export const siblingRepo = (repoUrl: string, name: string) => repoUrl.replace(/[^/:]+?(\.git)?\/?$/, `${name}.git`);

function normalizeCi(spec: PlatformSpec, serviceNames: string[]): Ci {
  const ci = spec.ci ?? {};
  const gitProvider = ci.gitProvider ?? 'github';
  return {
    registry: (ci.registry ?? `registry.example.com/${spec.name}`).replace(/\/+$/, ''),
    signing: ci.signing ?? 'keyless',
    sbom: ci.sbom ?? true,
    failOn: ci.failOn ?? 'high',
    gitProvider,
    namespace: ci.namespace ?? 'ci',
    keyless: {
      // kubeadm's default --service-account-issuer. Public Fulcio only trusts managed-cluster
      // issuers (EKS, GKE, AKS): set ci.keyless.issuer, or point fulcioUrl at a private Fulcio.
      issuer: ci.keyless?.issuer ?? 'https://kubernetes.default.svc.cluster.local',
      fulcioUrl: ci.keyless?.fulcioUrl ?? 'https://fulcio.sigstore.dev',
      rekorUrl: ci.keyless?.rekorUrl ?? 'https://rekor.sigstore.dev',
    },
    key: { ...(ci.key?.kms ? { kms: ci.key.kms } : {}), ...(ci.key?.publicKey ? { publicKey: ci.key.publicKey } : {}) },
    artifacts: {
      bucket: ci.artifacts?.bucket ?? `${spec.name}-ci-artifacts`,
      endpoint: ci.artifacts?.endpoint ?? 's3.amazonaws.com',
      region: ci.artifacts?.region ?? spec.secrets?.aws?.region ?? 'us-east-1',
    },
    // GitHub has a pull-request API the pipeline can call; a generic Git server gets a commit.
    promotion: ci.promotion ?? (gitProvider === 'github' ? 'pull-request' : 'commit'),
    policyGate: ci.policyGate ?? true,
    sources: Object.fromEntries(
      [...serviceNames].sort().map((name) => {
        const src = ci.sources?.[name] ?? {};
        return [
          name,
          {
            repo: src.repo ?? siblingRepo(spec.repo.url, name),
            branch: src.branch ?? 'main',
            // Relative to the repository root, without a leading ./ (the root itself is "").
            context: (src.context ?? '').replace(/^\.(\/+|$)/, '').replace(/\/+$/, ''),
            dockerfile: src.dockerfile ?? 'Dockerfile',
            testTarget: src.testTarget ?? 'test',
          },
        ];
      }),
    ),
  };
}
