// Delivery strategy of a service in one environment, by the environment's caution.
//
// Canary: weights rise in steps with timed pauses, never an untimed `pause: {}` (a paused Rollout
// is Suspended, which holds the ApplicationSet's RollingSync until a human acts) and never a
// single jump to 100% (the last weight is followed by the promotion itself).
//   fast      50% for a minute, background analysis;
//   standard  25 -> 50 -> 75% with short pauses, background analysis;
//   careful   10 -> 25 -> 50 -> 75% with longer pauses, each held until an analysis run passes.
// With `smokeTest`, the first weight is followed by the HTTP check of the canary.
//
// Blue-green: an HTTP check of the preview before promotion, the traffic analysis after it;
// automatic promotion only where the environment is neither protected nor careful; the old version
// stays up a while after the switch so traffic still in flight (and kube-proxy rules on slow
// nodes) can drain, and a failed post-promotion analysis can roll back to it.

import type { Platform, Service } from '../../model/types.ts';
import type { ServiceNames } from './names.ts';
import type { ServiceInEnv } from './environments.ts';
import { SERVICE_PORT } from './pods.ts';
import { metricAnalysis, smokeTestAnalysis } from './analysis.ts';

type Step = Record<string, unknown>;
const weight = (w: number): Step => ({ setWeight: w });
const pause = (duration: string): Step => ({ pause: { duration } });

/** How the Rollout hands traffic to the canary, per router (field names as in the Rollout CRD). */
export function trafficRouting(p: Platform, names: ServiceNames): Record<string, unknown> | undefined {
  switch (p.delivery.router) {
    case 'istio':
      // Host-level split: the VirtualService's route "primary" weighs the stable and canary hosts.
      return { istio: { virtualService: { name: names.workload, routes: ['primary'] } } };
    case 'nginx':
      // The controller clones the stable Ingress into a canary Ingress carrying the weight.
      return { nginx: { stableIngress: names.workload } };
    case 'alb':
      // The controller writes the weights into the Ingress's action annotation for the stable Service.
      return { alb: { ingress: names.workload, servicePort: SERVICE_PORT } };
    case 'gateway-api':
      // Through the Gateway API plugin, which weighs the HTTPRoute's two backendRefs.
      return { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: names.workload } } };
    case 'none':
      // Weights approximated by replica counts of the two ReplicaSets.
      return undefined;
  }
}

export function canarySteps(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv): Step[] {
  const canary = names.second!;
  const smoke: Step[] = s.smokeTest ? [{ analysis: smokeTestAnalysis(names, canary) }] : [];
  const gate: Step = { analysis: metricAnalysis(p, s, names, e, canary) };
  switch (e.env.caution) {
    case 'fast':
      return [weight(50), ...smoke, pause('1m')];
    case 'standard':
      return [weight(25), ...smoke, pause('2m'), weight(50), pause('2m'), weight(75), pause('1m')];
    case 'careful':
      return [weight(10), ...smoke, pause('5m'), gate, weight(25), pause('5m'), gate, weight(50), pause('10m'), gate, weight(75), pause('10m'), gate];
  }
}

export function canaryStrategy(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv) {
  const routing = trafficRouting(p, names);
  // Careful environments gate every step inline; the others analyse in the background from the
  // first pause on (startingStep 1: the canary has taken traffic by then).
  const background = e.env.caution === 'careful' ? {} : { analysis: { ...metricAnalysis(p, s, names, e, names.second!), startingStep: 1 } };
  return {
    canary: {
      stableService: names.main,
      canaryService: names.second!,
      ...(routing ? { trafficRouting: routing } : {}),
      maxSurge: '25%',
      maxUnavailable: 0,
      ...background,
      steps: canarySteps(p, s, names, e),
    },
  };
}

/** Automatic promotion is for environments where nobody has to sign off. */
export const autoPromotes = (e: ServiceInEnv) => !e.env.protected && e.env.caution !== 'careful';

/** Seconds the old version keeps running after the switch: a rollback window where it matters. */
export const SCALE_DOWN_DELAY = { fast: 30, standard: 60, careful: 300 } as const;

/**
 * Blue-green: before promotion the preview Service receives no user traffic, so the new version is
 * exercised, not measured: an HTTP check Job against the preview (smokeTest.path, else the health
 * path). After the switch real traffic reaches it: the success-rate and latency analysis runs on
 * the active Service, and a failure rolls back to the old ReplicaSet, kept for the scale-down delay.
 */
export function blueGreenStrategy(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv) {
  const preview = names.second!;
  return {
    blueGreen: {
      activeService: names.main,
      previewService: preview,
      autoPromotionEnabled: autoPromotes(e),
      prePromotionAnalysis: smokeTestAnalysis(names, preview),
      postPromotionAnalysis: metricAnalysis(p, s, names, e, names.main),
      scaleDownDelaySeconds: SCALE_DOWN_DELAY[e.env.caution],
    },
  };
}

export function rolloutStrategy(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv) {
  return s.strategy === 'blueGreen' ? blueGreenStrategy(p, s, names, e) : canaryStrategy(p, s, names, e);
}
