// Facts about the supply chain that several of its modules need, derived from the model in one
// place: where the pipeline runs, the names of its namespaces, service accounts and secrets, the
// identity it signs with, and what each service's build looks like.

import type { Cluster, Platform, Service } from '../../model/types.ts';
import { createHash } from 'node:crypto';
import { hubCluster } from '../context.ts';

/** The pipeline lives in two namespaces: builds (baseline, for the builder) and event plumbing (restricted). */
export interface CiNames {
  /** Build namespace: workflow pods, Pod Security `baseline` because the builder runs as root. */
  namespace: string;
  /** Webhook receiver, EventBus and Sensor: Pod Security `restricted`, reachable from outside. */
  eventsNamespace: string;
  workflowTemplate: string;
  /** Runs clone, test, build, SBOM, scan, policy gate and promote pods. */
  buildSa: string;
  /** The only identity that signs: its projected token is the keyless signing identity. */
  signerSa: string;
  /** Argo's executor (wait/init containers): may only report task results. */
  executorSa: string;
  /** Deletes the workflow's artifacts from the bucket when the Workflow is deleted. */
  artifactGcSa: string;
  sensorSa: string;
  eventSource: string;
  /** The single event name inside the EventSource, which the Sensors depend on. */
  eventName: string;
  /** Prefix of the Sensors' names: one Sensor per tenant (sensorName). */
  sensor: string;
  memoCache: string;
  secrets: {
    gitRead: string;
    gitWrite: string;
    registry: string;
    artifacts: string;
    cosignKey: string;
    webhook: string;
  };
}

/** The label every Sensor's pod carries (Sensor spec.template.metadata), which the API egress policy selects. */
export const SENSOR_POD_LABELS = { 'app.kubernetes.io/component': 'ci-sensor' } as const;

/**
 * The Sensor of one tenant's builds: `build-on-push-<tenant>`. Argo Events labels its pods
 * `sensor-name: <name>`, a label value (63 characters at most): a longer name keeps a prefix of
 * the tenant and a hash of the whole name, so it stays unique and stable.
 */
export function sensorName(n: CiNames, tenant: string): string {
  const name = `${n.sensor}-${tenant}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export const ciNames = (p: Platform): CiNames => ({
  namespace: p.ci.namespace,
  eventsNamespace: `${p.ci.namespace}-events`,
  workflowTemplate: 'build-sign-promote',
  buildSa: 'ci-build',
  signerSa: 'ci-signer',
  executorSa: 'ci-executor',
  artifactGcSa: 'ci-artifact-gc',
  sensorSa: 'ci-sensor',
  eventSource: 'git',
  eventName: 'push',
  sensor: 'build-on-push',
  memoCache: 'ci-memo-cache',
  secrets: {
    gitRead: 'ci-git-read',
    gitWrite: 'ci-gitops-write',
    registry: 'ci-registry',
    artifacts: 'ci-artifacts',
    cosignKey: 'ci-cosign-key',
    webhook: 'ci-webhook',
  },
});

/** Argo Workflows and Argo Events are installed into these namespaces (upstream defaults). */
export const ARGO_WORKFLOWS_NAMESPACE = 'argo';
export const ARGO_EVENTS_NAMESPACE = 'argo-events';
/** The policy-controller chart's documented namespace. */
export const POLICY_CONTROLLER_NAMESPACE = 'cosign-system';
/** Label that opts a namespace into policy-controller admission (the chart's namespaceSelector). */
export const POLICY_INCLUDE_LABEL = 'policy.sigstore.dev/include';

/**
 * The cluster the pipeline runs on: the hub (where Argo CD runs) when there is one, otherwise
 * the first cluster of the first environment (the least sensitive place to build).
 */
export function buildCluster(p: Platform): Cluster {
  const hub = hubCluster(p);
  if (hub) return hub;
  const first = p.environments[0]?.name;
  // A cluster Argo CD can reach: a spoke still waiting for its sealed token is targeted by nothing.
  const reachable = p.clusters.filter((c) => c.registered);
  return reachable.find((c) => c.environments.includes(first)) ?? reachable[0] ?? p.clusters[0];
}

/** Clusters hosting at least one protected environment: they get signature admission. */
export function protectedClusters(p: Platform): Cluster[] {
  const protectedEnvs = new Set(p.environments.filter((e) => e.protected).map((e) => e.name));
  return p.clusters.filter((c) => c.registered && c.environments.some((e) => protectedEnvs.has(e)));
}

/** The identity whose signatures admission accepts: what the pipeline signs with. */
export type SigningIdentity =
  | { mode: 'keyless'; issuer: string; subject: string; fulcioUrl: string; rekorUrl: string }
  | { mode: 'key'; kms?: string; publicKey?: string };

export function signingIdentity(p: Platform): SigningIdentity {
  const n = ciNames(p);
  if (p.ci.signing === 'keyless')
    return {
      mode: 'keyless',
      issuer: p.ci.keyless.issuer,
      // Fulcio's certificate SAN for a Kubernetes service-account token (fulcio docs/oidc.md).
      subject: `https://kubernetes.io/namespaces/${n.namespace}/serviceaccounts/${n.signerSa}`,
      fulcioUrl: p.ci.keyless.fulcioUrl,
      rekorUrl: p.ci.keyless.rekorUrl,
    };
  return { mode: 'key', ...p.ci.key };
}

/** The overlay of a service's first environment, where promotion writes the new image. */
export const firstOverlayDir = (s: Service) => `apps/${s.tenant}/${s.name}/overlays/${s.environments[0]}`;

/**
 * The docker config `auths` key of an image's registry (`ghcr.io/acme/x` -> `ghcr.io`); Docker Hub
 * keeps its historical key, which is what credential lookups (go-containerregistry) ask for.
 */
export function registryHost(image: string): string {
  const repo = qualifiedRepository(image);
  const host = repo.split('/')[0];
  return host === 'index.docker.io' ? 'https://index.docker.io/v1/' : host;
}

/** Every registry host the pipeline pushes to or pulls from: the CI registry and each service image's. */
export const registryHosts = (p: Platform) => [...new Set([registryHost(p.ci.registry), ...builtServices(p).map((s) => registryHost(s.image))])].sort();

/**
 * An image repository as policy-controller sees it: it matches globs against the fully qualified
 * reference (go-containerregistry `Name()`), where Docker Hub is `index.docker.io` and official
 * images live under `library/` (policy-controller pkg/apis/glob).
 */
export function qualifiedRepository(image: string): string {
  const first = image.split('/')[0];
  // A registry host has a dot or a port (or is localhost); otherwise the reference is Docker Hub's.
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasHost) return `index.docker.io/${image.includes('/') ? image : `library/${image}`}`;
  return first === 'docker.io' ? `index.docker.io/${image.slice('docker.io/'.length)}` : image;
}

/**
 * Images admission covers: everything under the CI registry, plus each service image outside it.
 * Globs match the reference with its tag or digest (`<repo>:<tag>`, `<repo>@sha256:...`); `*`
 * stops at `/`, `**` does not, and `@` is not allowed in a glob. So one repository is `<repo>*`,
 * which also covers `<repo>-<suffix>` repositories: stricter, never weaker.
 */
export function signedImageGlobs(p: Platform): string[] {
  const registry = qualifiedRepository(p.ci.registry);
  const underRegistry = (repo: string) => repo.startsWith(`${registry}/`);
  const outside = builtServices(p)
    .map((s) => qualifiedRepository(s.image))
    .filter((repo) => !underRegistry(repo))
    .map((repo) => `${repo}*`);
  return [...new Set([`${registry}/**`, ...outside])].sort();
}

/** Escapes a literal for an anchored Argo Events data filter (string values are regular expressions). */
export const exactRegex = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/** Services the pipeline builds: those with at least one environment to promote into. */
export const builtServices = (p: Platform) => p.services.filter((s) => s.environments.length > 0);

/** The branch promotions merge into: the one the tenant workloads track (repo.tenantRevision). */
export const promotionBranch = (p: Platform) => p.repo.tenantRevision;
