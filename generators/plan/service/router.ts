// What each traffic router means for a service: where its external traffic comes from (for the
// NetworkPolicy), which ingress class or gateway its routes attach to, and whether a canary needs
// a route object at all. The platform model has no field for the shared gateways yet, so their
// names are the conventions below; a platform team renames them here (or in the model, later).

import type { Platform, Service, TrafficRouter } from '../../model/types.ts';

/** Namespace of istiod (the sidecars fetch configuration and certificates from it). */
export const ISTIO_CONTROL_PLANE_NAMESPACE = 'istio-system';
/** Istio ingress gateway a public VirtualService binds to (`namespace/name`). */
export const ISTIO_GATEWAY = { namespace: 'istio-system', name: 'public-gateway' } as const;
/** Gateway API Gateway every HTTPRoute attaches to. */
export const GATEWAY_API_GATEWAY = { namespace: 'gateway-system', name: 'public-gateway' } as const;

/** Where router traffic reaches the pods from, for the service's NetworkPolicy. */
export type TrafficSource =
  | { namespace: string }
  /** ALB in IP mode sends traffic straight from the load balancer's VPC addresses. */
  | 'anywhere';

export interface RouterProfile {
  /** Source of external (north-south) traffic; undefined when the router has none. */
  trafficFrom?: TrafficSource;
  /** A canary shifts traffic through a route object (VirtualService, Ingress, HTTPRoute). */
  canaryNeedsRoute: boolean;
  /** The route needs a host name (Ingress and HTTPRoute rules are host-based; Istio also serves the mesh). */
  routeNeedsHost: boolean;
}

export const ROUTERS: Record<TrafficRouter, RouterProfile> = {
  istio: { trafficFrom: { namespace: ISTIO_GATEWAY.namespace }, canaryNeedsRoute: true, routeNeedsHost: false },
  nginx: { trafficFrom: { namespace: 'ingress-nginx' }, canaryNeedsRoute: true, routeNeedsHost: true },
  alb: { trafficFrom: 'anywhere', canaryNeedsRoute: true, routeNeedsHost: true },
  'gateway-api': { trafficFrom: { namespace: GATEWAY_API_GATEWAY.namespace }, canaryNeedsRoute: true, routeNeedsHost: true },
  none: { canaryNeedsRoute: false, routeNeedsHost: false },
};

export const routerOf = (p: Platform) => ROUTERS[p.delivery.router];

/** A route object exists when the service is published on a host or its canary shifts traffic through one. */
export const hasRoute = (p: Platform, s: Service) =>
  p.delivery.router !== 'none' && (!!s.host || Object.values(s.overrides).some((o) => !!o.host) || (s.strategy === 'canary' && routerOf(p).canaryNeedsRoute));

/**
 * The host a service answers on in one environment: the override, else `host` in the service's last
 * (production) environment and `<env>.<host>` before it. A router whose routes are host-based gets
 * `<service>.<platform>.example.com` when no host is set, like the platform's other example URLs.
 */
export function hostIn(p: Platform, s: Service, env: string): string | undefined {
  const override = s.overrides[env]?.host;
  if (override) return override;
  const base = s.host ?? (hasRoute(p, s) && routerOf(p).routeNeedsHost ? `${s.name}.${p.name}.example.com` : undefined);
  if (!base) return undefined;
  return env === s.environments[s.environments.length - 1] ? base : `${env}.${base}`;
}

/** The namespace Prometheus scrapes from, read from an in-cluster address (`<svc>.<namespace>.svc`). */
export function prometheusNamespace(p: Platform): string | undefined {
  try {
    const labels = new URL(p.delivery.prometheus).hostname.split('.');
    return labels.length >= 3 && labels[2] === 'svc' ? labels[1] : undefined;
  } catch {
    return undefined;
  }
}
