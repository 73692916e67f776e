// Labels of a service's objects. The selector includes a component so that the service's Jobs
// (migration, smoke test, analysis) never become endpoints of its Services or pods of its
// ReplicaSets, while the NetworkPolicy can still select every pod of the service by name.

import type { Platform, Service } from '../../model/types.ts';
import { LABEL, PART_OF } from '../context.ts';

export type Component = 'server' | 'migration' | 'smoke-test' | 'analysis';

const NAME = 'app.kubernetes.io/name';
const COMPONENT = 'app.kubernetes.io/component';

/** On every object of the service. */
export const serviceLabels = (s: Service): Record<string, string> => ({
  [NAME]: s.name,
  [LABEL.tenant]: s.tenant,
  [LABEL.managedBy]: PART_OF,
});

/** Pods of the workload: what Services, the Rollout / Deployment, HPA and PDB select. */
export const selectorLabels = (s: Service): Record<string, string> => ({ [NAME]: s.name, [COMPONENT]: 'server' });

/** Every pod of the service, Jobs included: what its NetworkPolicy selects. */
export const allPodsSelector = (s: Service): Record<string, string> => ({ [NAME]: s.name });

/**
 * Labels of a pod template. Job pods opt out of the Istio sidecar: a sidecar keeps running after
 * the Job's container exits, so the Job would never complete (unless native sidecars are enabled).
 */
export function podLabels(p: Platform, s: Service, component: Component): Record<string, string> {
  return {
    ...serviceLabels(s),
    [COMPONENT]: component,
    ...(component !== 'server' && p.delivery.router === 'istio' ? { 'sidecar.istio.io/inject': 'false' } : {}),
  };
}
