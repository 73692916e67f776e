// The cluster add-ons the supply chain needs, in the shape apps.ts turns into one ApplicationSet
// each: Argo Workflows, Argo Events and the pipeline itself on the build cluster; the Sigstore
// policy-controller and the image policy on every cluster hosting a protected environment (Argo
// CD's repository credentials are in argocd/secrets, argocd-secrets.ts).

import type { Platform } from '../../model/types.ts';
import { upstreamImagePins } from '../../model/versions.ts';
import { toYaml } from '../../render/yaml.ts';
import type { PlannedFile } from '../types.ts';
import { WAVES } from '../types.ts';
import { policyControllerValues } from './admission-policy.ts';
import { ARGO_EVENTS_NAMESPACE, ARGO_WORKFLOWS_NAMESPACE, buildCluster, ciNames, POLICY_CONTROLLER_NAMESPACE, protectedClusters } from './settings.ts';

export interface SupplyChainAddon {
  name: string;
  namespace: string;
  source: Record<string, unknown>;
  wave: number;
  comment: string;
  /** The clusters it is installed on (an ApplicationSet post-selector on cluster.json). */
  clusters: string[];
}

export const CI_DIR = 'platform/ci';
export const POLICY_DIR = 'platform/policy';
const ARGO_WORKFLOWS_DIR = 'platform/addons/argo-workflows';
const ARGO_EVENTS_DIR = 'platform/addons/argo-events';


export function supplyChainAddons(p: Platform): SupplyChainAddon[] {
  const build = buildCluster(p).name;
  const fromRepo = (path: string) => ({ repoURL: p.repo.url, targetRevision: p.repo.revision, path });
  const list: SupplyChainAddon[] = [
    { name: 'argo-workflows', namespace: ARGO_WORKFLOWS_NAMESPACE, wave: WAVES.addons, clusters: [build], comment: `Argo Workflows ${p.pins.argoWorkflows.version} on the build cluster ${build} (CI pipeline engine).`, source: fromRepo(ARGO_WORKFLOWS_DIR) },
    { name: 'argo-events', namespace: ARGO_EVENTS_NAMESPACE, wave: WAVES.addons, clusters: [build], comment: `Argo Events ${p.pins.argoEvents.version} on the build cluster ${build} (Git push triggers).`, source: fromRepo(ARGO_EVENTS_DIR) },
    // After the add-ons and stores it uses (ESO, Argo Workflows and Events CRDs), before tenants.
    { name: 'ci-pipeline', namespace: ciNames(p).namespace, wave: WAVES.namespaces, clusters: [build], comment: `The CI pipeline (build, SBOM, sign, attest, scan, promote) and its triggers on ${build} (${CI_DIR}).`, source: fromRepo(CI_DIR) },
  ];
  const guarded = protectedClusters(p).map((c) => c.name);
  if (guarded.length)
    list.push(
      {
        name: 'policy-controller',
        namespace: POLICY_CONTROLLER_NAMESPACE,
        wave: WAVES.addons,
        clusters: guarded,
        comment: `Sigstore policy-controller (chart ${p.pins.policyController.version}) on the clusters of protected environments: refuses unsigned images.`,
        source: { repoURL: p.pins.policyController.repo, chart: p.pins.policyController.chart, targetRevision: p.pins.policyController.version, helm: { releaseName: 'policy-controller', valuesObject: policyControllerValues() } },
      },
      { name: 'image-policy', namespace: POLICY_CONTROLLER_NAMESPACE, wave: WAVES.secretStores, clusters: guarded, comment: `The ClusterImagePolicy admitting only images the CI pipeline signed (${POLICY_DIR}).`, source: fromRepo(POLICY_DIR) },
    );
  return list;
}

/**
 * Every Argo Workflows container the executor injects (init, wait) runs non-root with nothing to
 * escalate, also in the build pods whose main container is root. Merged into the upstream
 * workflow-controller-configmap.
 */
export const workflowControllerConfig = (p: Platform) => ({
  // No readOnlyRootFilesystem: the wait container stages output artifacts under /tmp.
  // The executor image defaults to the controller's own version tag; pinned explicitly anyway.
  executor: { image: `quay.io/argoproj/argoexec:${p.pins.argoWorkflows.version}`, securityContext: { runAsNonRoot: true, runAsUser: 8737, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } },
});

/** The pinned upstream releases of Argo Workflows and Argo Events. */
export function supplyChainAddonBases(p: Platform): PlannedFile[] {
  return [
    {
      path: `${ARGO_WORKFLOWS_DIR}/kustomization.yaml`,
      owner: 'managed',
      template: 'ci/addon-kustomization.yaml.hbs',
      data: {
        component: 'Argo Workflows',
        version: p.pins.argoWorkflows.version,
        namespace: ARGO_WORKFLOWS_NAMESPACE,
        remoteBase: `${p.pins.argoWorkflows.repo}//manifests/cluster-install?ref=${p.pins.argoWorkflows.version}`,
        images: upstreamImagePins(p.pins.argoWorkflows.repo, p.pins),
        patches: [{ path: 'workflow-controller-configmap.yaml' }],
      },
    },
    {
      path: `${ARGO_WORKFLOWS_DIR}/workflow-controller-configmap.yaml`,
      owner: 'managed',
      template: 'ci/manifests.yaml.hbs',
      data: {
        header: ['Patch of the upstream workflow-controller-configmap: the executor containers Argo adds to every workflow pod run as non-root with every capability dropped.'],
        documents: [{ comment: null, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'workflow-controller-configmap' }, data: Object.fromEntries(Object.entries(workflowControllerConfig(p)).map(([k, v]) => [k, toYaml(v)])) } }],
      },
    },
    {
      path: `${ARGO_EVENTS_DIR}/kustomization.yaml`,
      owner: 'managed',
      template: 'ci/addon-kustomization.yaml.hbs',
      data: {
        component: 'Argo Events',
        version: p.pins.argoEvents.version,
        namespace: ARGO_EVENTS_NAMESPACE,
        remoteBase: `${p.pins.argoEvents.repo}//manifests/cluster-install?ref=${p.pins.argoEvents.version}`,
        images: upstreamImagePins(p.pins.argoEvents.repo, p.pins),
        patches: null,
      },
    },
  ];
}
