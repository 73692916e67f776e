// What the repository assumes is installed on its clusters by something other than itself,
// written for machines (.gitops-scaffold/prerequisites.yaml, the format sim defined: the offline
// simulation and `gitops-scaffold apps` read it) and for people (the README lists the same).

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { HUB_SERVER } from '../model/normalize.ts';
import { tenantNamespacesOn, usesExternalSecrets } from './context.ts';
import { GATEWAY_API_GATEWAY, ISTIO_GATEWAY } from './service/router.ts';
import { repoCredsPrefix } from './supply-chain/ci-secrets.ts';
import { registeredSpokes } from './clusters.ts';

export const PREREQUISITES_PATH = '.gitops-scaffold/prerequisites.yaml';

export interface Prerequisite {
  id: string;
  description: string;
  /** API server URLs of the clusters it must be on (omitted: every cluster the repo deploys to). */
  clusters?: string[];
  provides?: { crds?: { group: string; kinds: string[] }[]; capabilities?: string[]; namespaces?: string[]; ingressClasses?: string[]; repositoryCredentials?: string[] };
  docs?: string;
}

/** Clusters running tenant workloads (registered, with tenant namespaces). */
const workloadServers = (p: Platform) => p.clusters.filter((c) => c.registered && p.tenants.some((t) => tenantNamespacesOn(t, c).length)).map((c) => c.server).sort();

const usesAnalysis = (p: Platform) => p.services.some((s) => s.strategy !== 'rolling');

export function prerequisites(p: Platform): Prerequisite[] {
  const out: Prerequisite[] = [];
  const workloads = workloadServers(p);
  const onWorkloads = workloads.length ? { clusters: workloads } : {};
  const ambient = p.delivery.istio.dataPlane === 'ambient';
  switch (p.delivery.router) {
    case 'istio':
      out.push({
        id: 'istio',
        description: ambient
          ? `Istio in ambient mode (istiod, ztunnel, the istio-waypoint GatewayClass) and the ingress gateway ${ISTIO_GATEWAY.namespace}/${ISTIO_GATEWAY.name}`
          : `Istio (istiod) with the Istio CNI node agent, so sidecars need no NET_ADMIN init container under Pod Security restricted, and the ingress gateway ${ISTIO_GATEWAY.namespace}/${ISTIO_GATEWAY.name}`,
        ...onWorkloads,
        provides: { crds: [{ group: 'networking.istio.io', kinds: ['VirtualService', 'DestinationRule', 'Gateway'] }], capabilities: [ambient ? 'istio-ambient' : 'istio-cni'], namespaces: ['istio-system'] },
        docs: ambient ? 'https://istio.io/latest/docs/ambient/install/' : 'https://istio.io/latest/docs/setup/additional-setup/cni/',
      });
      if (ambient)
        out.push({ id: 'gateway-api', description: 'Gateway API CRDs (the namespaces\' waypoints are Gateways of class istio-waypoint)', ...onWorkloads, provides: { crds: [{ group: 'gateway.networking.k8s.io', kinds: ['Gateway', 'GatewayClass', 'HTTPRoute'] }] }, docs: 'https://gateway-api.sigs.k8s.io/guides/' });
      break;
    case 'gateway-api':
      out.push({ id: 'gateway-api', description: `Gateway API CRDs and a Gateway controller serving the Gateway ${GATEWAY_API_GATEWAY.namespace}/${GATEWAY_API_GATEWAY.name} the HTTPRoutes attach to`, ...onWorkloads, provides: { crds: [{ group: 'gateway.networking.k8s.io', kinds: ['Gateway', 'GatewayClass', 'HTTPRoute'] }], namespaces: [GATEWAY_API_GATEWAY.namespace] }, docs: 'https://gateway-api.sigs.k8s.io/guides/' });
      break;
    case 'nginx':
      out.push({ id: 'ingress-nginx', description: 'The NGINX Ingress Controller serving ingress class nginx (namespace ingress-nginx)', ...onWorkloads, provides: { ingressClasses: ['nginx'], namespaces: ['ingress-nginx'], capabilities: ['ingress-nginx'] }, docs: 'https://kubernetes.github.io/ingress-nginx/deploy/' });
      break;
    case 'alb':
      out.push({ id: 'aws-load-balancer-controller', description: 'The AWS Load Balancer Controller serving ingress class alb', ...onWorkloads, provides: { ingressClasses: ['alb'], capabilities: ['aws-load-balancer-controller'] }, docs: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/' });
      break;
    case 'none':
      break;
  }
  if (usesAnalysis(p)) out.push({ id: 'prometheus', description: `Prometheus at ${p.delivery.prometheus}, scraping the services (the canary and blue-green analyses query it)`, ...onWorkloads, provides: { capabilities: ['prometheus'] } });
  if (p.repo.private)
    out.push({
      id: 'repository-credentials',
      description: `Read access for Argo CD to ${p.repo.url}, given before the root app (bootstrap)${usesExternalSecrets(p) ? '; afterwards the repo-creds from the secret store take over' : ''}`,
      clusters: [HUB_SERVER],
      provides: { repositoryCredentials: [repoCredsPrefix(p.repo.url)] },
    });
  const iam = registeredSpokes(p).filter((c) => c.auth.type !== 'token');
  for (const type of [...new Set(iam.map((c) => c.auth.type))].sort())
    out.push({
      id: `argocd-${type}-identity`,
      description:
        type === 'aws'
          ? `Argo CD's application controller and server on an IAM role (IRSA or Pod Identity) that may assume the roles of ${iam.filter((c) => c.auth.type === type).map((c) => c.name).join(', ')}, each cluster granting it access (EKS access entries)`
          : type === 'gke'
            ? `Argo CD's application controller and server bound by Workload Identity to a Google service account with access to ${iam.filter((c) => c.auth.type === type).map((c) => c.name).join(', ')}`
            : `Argo CD's application controller and server federated with the Azure workload identity of ${iam.filter((c) => c.auth.type === type).map((c) => c.name).join(', ')}`,
      clusters: [HUB_SERVER],
      provides: { capabilities: [`argocd-${type}-identity`] },
      docs: 'https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters',
    });
  if (usesExternalSecrets(p))
    out.push({
      id: 'secret-store-access',
      description:
        p.secrets.provider === 'vault'
          ? `Vault at ${p.secrets.vault?.server}: a Kubernetes auth mount ${p.secrets.vault?.authMountPath}-{cluster} on each cluster, with a role eso-{identity} (platform, ci, each tenant) bound to ServiceAccount eso-{identity} in namespace external-secrets`
          : `The ${p.secrets.provider} identities the stores' ServiceAccounts are annotated with, trusted by each cluster's workload identity`,
      provides: { capabilities: ['secret-store-access'] },
    });
  return out;
}

export function planPrerequisites(p: Platform): PlannedFile[] {
  return [
    {
      path: PREREQUISITES_PATH,
      owner: 'managed',
      template: 'ci/manifests.yaml.hbs',
      data: {
        header: [`What this repository assumes its clusters already have (Argo CD ${p.argocd.version} installs everything else); the README lists the same.`],
        documents: [{ comment: null, body: { apiVersion: 'gitops-scaffold.dev/v1alpha1', kind: 'ClusterPrerequisites', prerequisites: prerequisites(p) } }],
      },
    },
  ];
}
