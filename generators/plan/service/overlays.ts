// One overlay per environment a service runs in: the namespace, the image pinned for that
// environment, and JSON patches (RFC 6902) for what differs from the base (replicas, resources,
// delivery strategy, host names), plus target.json, which registers the overlay with the tenant's
// ApplicationSet. JSON patches rather than strategic merges: a Rollout is a custom resource, for
// which a strategic merge replaces whole lists (the containers), and a JSON patch says exactly
// which field an environment changes.

import type { Platform, Service } from '../../model/types.ts';
import type { PlannedFile } from '../types.ts';
import type { ServiceNames } from './names.ts';
import type { ServiceInEnv } from './environments.ts';
import type { RouteObject } from './traffic.ts';
import { rolloutStrategy } from './strategy.ts';
import { toYaml } from '../../render/yaml.ts';

interface Patch {
  target: { group: string; kind: string; name: string };
  ops: { op: 'replace'; path: string; value: unknown }[];
}

function patches(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv, route: RouteObject | undefined): Patch[] {
  const rollout = s.strategy !== 'rolling';
  const list: Patch[] = [
    {
      target: rollout ? { group: 'argoproj.io', kind: 'Rollout', name: names.workload } : { group: 'apps', kind: 'Deployment', name: names.workload },
      ops: [
        { op: 'replace', path: '/spec/replicas', value: e.replicas },
        { op: 'replace', path: '/spec/template/spec/containers/0/resources', value: e.resources },
        ...(rollout ? [{ op: 'replace' as const, path: '/spec/strategy', value: rolloutStrategy(p, s, names, e) }] : []),
      ],
    },
    {
      target: { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', name: names.workload },
      ops: [
        { op: 'replace', path: '/spec/minReplicas', value: e.replicas },
        { op: 'replace', path: '/spec/maxReplicas', value: e.maxReplicas },
      ],
    },
  ];
  if (s.migration)
    list.push({
      target: { group: 'batch', kind: 'Job', name: names.migrationJob },
      ops: [{ op: 'replace', path: '/spec/template/spec/containers/0/resources', value: e.resources }],
    });
  if (route)
    list.push({
      target: { group: route.group, kind: route.kind, name: names.workload },
      ops: route.envPatch(e),
    });
  return list;
}

export function planOverlay(p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv, dir: string, route: RouteObject | undefined): PlannedFile[] {
  return [
    {
      path: `${dir}/kustomization.yaml`,
      owner: 'managed',
      template: 'service/kustomization-overlay.yaml.hbs',
      data: {
        service: s.name,
        env: e.env.name,
        caution: e.env.caution,
        namespace: e.namespace,
        images: [{ name: s.image, newTag: e.tag, ...(e.digest ? { digest: e.digest } : {}) }],
        // Inline, so the overlay is one file and every YAML file in the repository is a manifest.
        patches: patches(p, s, names, e, route).map(({ target, ops }) => ({ target, patch: toYaml(ops) })),
      },
    },
    // Exactly the keys the tenant ApplicationSet's template reads (see plan/apps.ts).
    { path: `${dir}/target.json`, owner: 'managed', json: { tenant: s.tenant, service: s.name, env: e.env.name, namespace: e.namespace } },
  ];
}
