// Scaling and isolation around the workload: a HorizontalPodAutoscaler on the Rollout or
// Deployment, a PodDisruptionBudget, and a NetworkPolicy on top of the namespace's default-deny
// (which already allows DNS): traffic in from the router, from the tenant's own namespaces and from
// Prometheus (which scrapes in); traffic out to the tenant's own namespaces, and to istiod for the
// sidecar's configuration and certificates under Istio.

import type { Platform, Service } from '../../model/types.ts';
import { LABEL } from '../context.ts';
import type { ServiceNames } from './names.ts';
import { allPodsSelector, selectorLabels, serviceLabels } from './labels.ts';
import { ISTIO_CONTROL_PLANE_NAMESPACE, hasRoute, prometheusNamespace, routerOf } from './router.ts';

/** The kind the HPA scales: Rollouts implement the scale subresource like Deployments. */
export const workloadRef = (s: Service, names: ServiceNames) =>
  s.strategy === 'rolling' ? { apiVersion: 'apps/v1', kind: 'Deployment', name: names.workload } : { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: names.workload };

export const hpaData = (s: Service, names: ServiceNames, minReplicas: number, maxReplicas: number) => ({
  name: names.workload,
  labels: serviceLabels(s),
  scaleTargetRef: workloadRef(s, names),
  minReplicas,
  maxReplicas,
});

export const pdbData = (s: Service, names: ServiceNames) => ({ name: names.workload, labels: serviceLabels(s), selector: selectorLabels(s) });

const namespaceNamed = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const ISTIOD_XDS_PORT = 15012;

export function networkPolicyData(p: Platform, s: Service, names: ServiceNames) {
  const tenantNamespaces = { namespaceSelector: { matchLabels: { [LABEL.tenant]: s.tenant } } };
  const appPort = [{ protocol: 'TCP', port: s.port }];
  const ingress: Record<string, unknown>[] = [{ from: [tenantNamespaces], ports: appPort }];
  const source = routerOf(p).trafficFrom;
  if (source && hasRoute(p, s)) {
    if (source === 'anywhere') ingress.push({ ports: appPort });
    else ingress.push({ from: [namespaceNamed(source.namespace)], ports: appPort });
  }
  const prometheus = prometheusNamespace(p);
  // Any port: Prometheus may scrape the application or, under Istio, the sidecar's merged metrics.
  if (prometheus) ingress.push({ from: [namespaceNamed(prometheus)] });
  const egress: Record<string, unknown>[] = [{ to: [tenantNamespaces] }];
  if (p.delivery.router === 'istio') egress.push({ to: [{ ...namespaceNamed(ISTIO_CONTROL_PLANE_NAMESPACE), podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ protocol: 'TCP', port: ISTIOD_XDS_PORT }] });
  return { name: names.workload, labels: serviceLabels(s), podSelector: allPodsSelector(s), ingress, egress };
}
