// How the Argo CD install scales with the fleet: the one reviewed place where the size of the
// platform (clusters and Applications, both counted from the model) turns into application-
// controller shards, controller queue processors, repo-server replicas, resources and Redis HA.
// The generated README prints this table for the repository's own size (fleetDocs).
//
// What the numbers follow (Argo CD v3.5.1, docs/operator-manual/high_availability.md and
// controller/sharding):
//   - the application controller shards by cluster: a cluster's Applications are all reconciled
//     by one shard (StatefulSet replicas, repeated in ARGOCD_CONTROLLER_REPLICAS), so more shards
//     than clusters would idle; `consistent-hashing` (argocd-cmd-params-cm
//     controller.sharding.algorithm) balances the shards by Application count and moves the fewest
//     clusters when a shard or a cluster is added;
//   - upstream tunes one controller for 1000 Applications with 50 status and 25 operation
//     processors (defaults 20 / 10): the processors here follow the Applications per shard at
//     that ratio, in steps of 200 Applications;
//   - the repo-server renders every Application's manifests (kustomize, helm) and caches them:
//     replicas follow the Application count, its parallelism limit and memory go together;
//   - the HA manifests (argocd.ha) run Redis HA (3 redis + 3 haproxy) and 2 repo-servers with a
//     required anti-affinity on the node: they need at least 3 nodes.
import type { Platform } from '../model/types.ts';
import { FLEET } from '../model/fleet.ts';
import { planApps } from './apps.ts';

export { FLEET } from '../model/fleet.ts';

export type Tier = (typeof FLEET.tiers)[number];
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

const tierFor = (applications: number): Tier => FLEET.tiers.find((t) => applications <= t.upTo) ?? FLEET.tiers[FLEET.tiers.length - 1];

/** Workload Applications: one per service (image or chart) environment and registered cluster serving it. */
function workloadApplications(p: Platform): number {
  // Counted per tenant and environment once (the clusters serving it), not per service: a fleet
  // has hundreds of services over a handful of tenants.
  const tenants = new Map(p.tenants.map((t) => [t.name, t] as const));
  const serving = new Map<string, number>();
  let n = 0;
  for (const s of [...p.services, ...p.charts]) {
    const tenant = tenants.get(s.tenant);
    if (!tenant) continue;
    for (const env of s.environments) {
      const key = `${tenant.name}\0${env}`;
      let count = serving.get(key);
      if (count === undefined) serving.set(key, (count = p.clusters.filter((c) => c.registered && tenant.clusters.includes(c.name) && c.environments.includes(env)).length));
      n += count;
    }
  }
  return n;
}

/**
 * Every Application the repository produces, counted from the model: the root app, the root's
 * written children, one per cluster of each per-cluster ApplicationSet (its cluster selector, or
 * every cluster), and the workloads. `apps` counts the same from the rendered files (a test holds
 * them equal on the examples).
 */
export function applicationCount(p: Platform): number {
  let n = 1; // the root app (bootstrap/root)
  for (const f of planApps(p)) {
    if (f.template === 'argocd/app.yaml.hbs') n++;
    else if (f.template === 'apps/cluster-appset.yaml.hbs') n += ((f.data as any).clusterSelector?.matchExpressions?.[0]?.values ?? p.clusters).length;
  }
  return n + workloadApplications(p);
}

export interface FleetPlan {
  clusters: number;
  applications: number;
  controller: { shards: number; statusProcessors: number; operationProcessors: number; tier: Tier['name']; resources: Resources };
  repoServer: { replicas: number; parallelism: number; tier: Tier['name']; resources: Resources };
  redisHa: boolean;
  shardingAlgorithm: 'consistent-hashing';
}

// The planners treat the platform as read-only: one count per platform object, however many
// planners ask (planArgoCd and planDocs both do; counting plans every ApplicationSet again).
const plans = new WeakMap<Platform, FleetPlan>();

export function fleetPlan(p: Platform): FleetPlan {
  let plan = plans.get(p);
  if (!plan) plans.set(p, (plan = fleetFor({ clusters: p.clusters.length, applications: applicationCount(p), ha: p.argocd.ha })));
  return plan;
}

/** The install for a fleet of this size (the thresholds of model/fleet.ts applied). */
export function fleetFor({ clusters, applications, ha }: { clusters: number; applications: number; ha: boolean }): FleetPlan {
  const c = FLEET.controller;
  const wanted = Math.max(Math.ceil(clusters / c.clustersPerShard), Math.ceil(applications / c.applicationsPerShard));
  // A cluster is never split: more shards than clusters would do nothing.
  const shards = Math.max(1, Math.min(wanted, clusters, c.maxShards));
  const perShard = Math.ceil(applications / shards);
  const controllerTier = tierFor(perShard);
  const r = FLEET.repoServer;
  const replicas = Math.min(r.maxReplicas, Math.max(ha ? 2 : 1, Math.ceil(applications / r.applicationsPerReplica)));
  const repoTier = tierFor(Math.ceil(applications / replicas));
  const { parallelism, ...repoResources } = repoTier.repoServer;
  return {
    clusters,
    applications,
    controller: {
      shards,
      statusProcessors: Math.max(c.minStatusProcessors, Math.ceil(perShard / c.processorStep.applications) * c.processorStep.status),
      operationProcessors: Math.max(c.minOperationProcessors, Math.ceil(perShard / c.processorStep.applications) * c.processorStep.operation),
      tier: controllerTier.name,
      resources: controllerTier.controller,
    },
    repoServer: { replicas, parallelism, tier: repoTier.name, resources: repoResources },
    redisHa: ha,
    shardingAlgorithm: 'consistent-hashing',
  };
}

/** What the install depends on for a count (the tiers' resources follow their names): fleetFor, compared cheaply. */
function installKey(clusters: number, applications: number, ha: boolean): string {
  const f = fleetFor({ clusters, applications, ha });
  return `${f.controller.shards}/${f.controller.statusProcessors}/${f.controller.operationProcessors}/${f.controller.tier}/${f.repoServer.replicas}/${f.repoServer.tier}`;
}

const bands = new Map<string, { from: number; to?: number }>();

/**
 * The range of Application counts (for these clusters) that give the same install: what the
 * generated files say instead of the exact count, so adding a service changes them only when it
 * crosses a threshold.
 */
export function applicationBand(clusters: number, applications: number, ha: boolean): { from: number; to?: number } {
  const key = `${clusters}/${applications}/${ha}`;
  const known = bands.get(key);
  if (known) return { ...known };
  const now = installKey(clusters, applications, ha);
  const same = (n: number) => installKey(clusters, n, ha) === now;
  let from = applications;
  while (from > 1 && same(from - 1)) from--;
  let to = applications;
  // Past the largest threshold nothing changes any more: no upper bound.
  const ceiling = Math.max(FLEET.controller.applicationsPerShard * FLEET.controller.maxShards, FLEET.repoServer.applicationsPerReplica * FLEET.repoServer.maxReplicas) * 2;
  while (to < ceiling && same(to + 1)) to++;
  const band = to >= ceiling ? { from } : { from, to };
  if (bands.size > 64) bands.clear();
  bands.set(key, band);
  return { ...band };
}

export const bandText = (b: { from: number; to?: number }) => (b.to === undefined ? `${b.from} or more` : b.from <= 1 ? `up to ${b.to}` : `${b.from} to ${b.to}`);

/** The generated README's table: this repository's size, what it gets, and when each changes. */
export function fleetDocs(p: Platform): { rows: { what: string; now: string; changes: string }[]; clusters: number; applications: string } {
  const f = fleetPlan(p);
  const c = FLEET.controller;
  const r = FLEET.repoServer;
  const tiers = FLEET.tiers.filter((t) => Number.isFinite(t.upTo)).map((t) => t.upTo);
  return {
    clusters: f.clusters,
    applications: bandText(applicationBand(f.clusters, f.applications, f.redisHa)),
    rows: [
      { what: 'application-controller shards (StatefulSet replicas = ARGOCD_CONTROLLER_REPLICAS, consistent-hashing)', now: String(f.controller.shards), changes: `one per ${c.clustersPerShard} clusters or per ${c.applicationsPerShard} Applications, whichever needs more; never more than the clusters (a cluster is one shard's), at most ${c.maxShards}` },
      { what: 'controller status / operation processors', now: `${f.controller.statusProcessors} / ${f.controller.operationProcessors}`, changes: `${c.processorStep.status} / ${c.processorStep.operation} per ${c.processorStep.applications} Applications of a shard, at least ${c.minStatusProcessors} / ${c.minOperationProcessors} (upstream: 50 / 25 for 1000 Applications)` },
      { what: 'controller resources', now: `${f.controller.tier}: requests ${f.controller.resources.requests.cpu} CPU, ${f.controller.resources.requests.memory}; limits ${f.controller.resources.limits.cpu} CPU, ${f.controller.resources.limits.memory}`, changes: `by Applications per shard: small up to ${tiers[0]}, medium up to ${tiers[1]}, large beyond` },
      { what: 'repo-server replicas', now: String(f.repoServer.replicas), changes: `one per ${r.applicationsPerReplica} Applications, at least 2 with argocd.ha (1 without), at most ${r.maxReplicas}` },
      { what: 'repo-server resources and parallelism limit', now: `${f.repoServer.tier}: requests ${f.repoServer.resources.requests.cpu} CPU, ${f.repoServer.resources.requests.memory}; limits ${f.repoServer.resources.limits.cpu} CPU, ${f.repoServer.resources.limits.memory}; ${f.repoServer.parallelism} renders at once`, changes: `by Applications per replica: small up to ${tiers[0]}, medium up to ${tiers[1]}, large beyond` },
      { what: 'Redis HA (the upstream HA manifests: 3 redis + 3 haproxy, at least 3 nodes)', now: f.redisHa ? 'on' : 'off', changes: `argocd.ha in platform.yaml; its default is on from ${FLEET.haFromClusters} clusters` },
    ],
  };
}
