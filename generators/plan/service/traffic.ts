// How traffic reaches a service: its Kubernetes Services (distinct stable and canary, or active and
// preview, so the router and the analysis can tell the versions apart) and, when the service is
// published on a host or its canary shifts traffic through the router, the route object of the
// platform's router. Route weights written here are the resting state (everything on stable);
// Argo Rollouts changes them during a canary.

import type { Platform, Service } from '../../model/types.ts';
import type { ServiceNames } from './names.ts';
import type { ServiceInEnv } from './environments.ts';
import { GATEWAY_API_GATEWAY, ISTIO_GATEWAY, hasRoute } from './router.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import { HTTP_PORT_NAME, SERVICE_PORT } from './pods.ts';

export interface ServiceObject {
  name: string;
  comment: string;
}

export function serviceObjects(s: Service, names: ServiceNames): ServiceObject[] {
  switch (s.strategy) {
    case 'canary':
      return [
        { name: names.main, comment: 'Stable version: clients call this Service; Argo Rollouts pins its selector to the stable ReplicaSet.' },
        { name: names.second!, comment: 'Canary version: Argo Rollouts pins its selector to the new ReplicaSet while a canary runs.' },
      ];
    case 'blueGreen':
      return [
        { name: names.main, comment: 'Active version: clients call this Service; Argo Rollouts switches it at promotion.' },
        { name: names.second!, comment: 'Preview version: the new ReplicaSet before promotion, for analysis and smoke tests.' },
      ];
    case 'rolling':
      return [{ name: names.main, comment: 'Clients call this Service.' }];
  }
}

/** Data of templates/service/services.yaml.hbs. */
export const servicesData = (s: Service, names: ServiceNames) => ({
  services: serviceObjects(s, names).map((o) => ({
    ...o,
    labels: serviceLabels(s),
    selector: selectorLabels(s),
    ports: [{ name: HTTP_PORT_NAME, port: SERVICE_PORT, targetPort: HTTP_PORT_NAME, protocol: 'TCP', appProtocol: 'http' }],
  })),
});

type Op = { op: 'replace'; path: string; value: unknown };

export interface RouteObject {
  file: string;
  template: string;
  kind: string;
  group: string;
  data: object;
  /** JSON patch of the environment-specific parts (host names). */
  envPatch(e: ServiceInEnv): Op[];
}

/** Canary weights in the resting state: all traffic on stable. */
const weighted = (s: Service) => s.strategy === 'canary';

function istioRoute(s: Service, names: ServiceNames, base: ServiceInEnv): RouteObject {
  const destination = (host: string) => ({ host, port: { number: SERVICE_PORT } });
  const route = weighted(s)
    ? [
        { destination: destination(names.main), weight: 100 },
        { destination: destination(names.second!), weight: 0 },
      ]
    : [{ destination: destination(names.main) }];
  // In the mesh the Service's own name; with a public host also the gateway's.
  const hosts = (e: ServiceInEnv) => [names.main, ...(e.host ? [e.host] : [])];
  const gateways = (e: ServiceInEnv) => ['mesh', ...(e.host ? [`${ISTIO_GATEWAY.namespace}/${ISTIO_GATEWAY.name}`] : [])];
  return {
    file: 'virtualservice.yaml',
    template: 'service/virtualservice.yaml.hbs',
    kind: 'VirtualService',
    group: 'networking.istio.io',
    data: { name: names.workload, labels: serviceLabels(s), hosts: hosts(base), gateways: gateways(base), http: [{ name: 'primary', route }] },
    envPatch: (e) => [
      { op: 'replace', path: '/spec/hosts', value: hosts(e) },
      { op: 'replace', path: '/spec/gateways', value: gateways(e) },
    ],
  };
}

function ingressRoute(p: Platform, s: Service, names: ServiceNames, base: ServiceInEnv): RouteObject {
  const alb = p.delivery.router === 'alb';
  // ALB canary: the backend is the stable Service with port "use-annotation"; Argo Rollouts writes
  // the weighted forward action into the annotation named after that Service.
  const port = alb && weighted(s) ? { name: 'use-annotation' } : { number: SERVICE_PORT };
  const published = !!s.host || Object.values(s.overrides).some((o) => !!o.host);
  const annotations = alb
    ? {
        // Pods as targets (ClusterIP Services); internal unless the service is published on a host.
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/scheme': published ? 'internet-facing' : 'internal',
      }
    : null;
  return {
    file: 'ingress.yaml',
    template: 'service/ingress.yaml.hbs',
    kind: 'Ingress',
    group: 'networking.k8s.io',
    data: {
      name: names.workload,
      labels: serviceLabels(s),
      annotations,
      ingressClassName: alb ? 'alb' : 'nginx',
      host: base.host,
      paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: names.main, port } } }],
    },
    envPatch: (e) => [{ op: 'replace', path: '/spec/rules/0/host', value: e.host }],
  };
}

function httpRoute(s: Service, names: ServiceNames, base: ServiceInEnv): RouteObject {
  // Defaulted fields written out (group, kind, matches) so the live object equals Git.
  const backend = (name: string, weight?: number) => ({ group: '', kind: 'Service', name, port: SERVICE_PORT, ...(weight === undefined ? {} : { weight }) });
  const backendRefs = weighted(s) ? [backend(names.main, 100), backend(names.second!, 0)] : [backend(names.main)];
  return {
    file: 'httproute.yaml',
    template: 'service/httproute.yaml.hbs',
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    data: {
      name: names.workload,
      labels: serviceLabels(s),
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: GATEWAY_API_GATEWAY.namespace, name: GATEWAY_API_GATEWAY.name }],
      hostnames: [base.host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs }],
    },
    envPatch: (e) => [{ op: 'replace', path: '/spec/hostnames', value: [e.host] }],
  };
}

export function routeObject(p: Platform, s: Service, names: ServiceNames, base: ServiceInEnv): RouteObject | undefined {
  if (!hasRoute(p, s)) return undefined;
  switch (p.delivery.router) {
    case 'istio':
      return istioRoute(s, names, base);
    case 'nginx':
    case 'alb':
      return ingressRoute(p, s, names, base);
    case 'gateway-api':
      return httpRoute(s, names, base);
    case 'none':
      return undefined;
  }
}

/**
 * The route fields Argo Rollouts changes while a canary runs (traffic weights), for the router in
 * use: the tenants' Applications ignore them (with RespectIgnoreDifferences=true), so Argo CD
 * neither reports the route OutOfSync nor resets the weights to Git's resting state mid-canary.
 */
export function rolloutManagedRouteFields(p: Platform): { group: string; kind: string; jqPathExpressions: string[] }[] {
  switch (p.delivery.router) {
    case 'istio':
      return [{ group: 'networking.istio.io', kind: 'VirtualService', jqPathExpressions: ['.spec.http[].route[].weight'] }];
    case 'gateway-api':
      return [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', jqPathExpressions: ['.spec.rules[].backendRefs[].weight'] }];
    default:
      // nginx writes its own canary Ingress, ALB an annotation Git never sets: nothing in Git changes.
      return [];
  }
}
