// The thresholds at which the Argo CD install changes with the fleet's size, in one reviewed
// place (why each number: generators/plan/fleet.ts, which turns them into the install). Data only,
// in the model because argocd.ha's default (normalize.ts) reads one of them.
export const FLEET = {
  controller: {
    /** A shard per this many clusters... */
    clustersPerShard: 10,
    /** ... or per this many Applications (upstream's tuning point for one controller), whichever needs more. */
    applicationsPerShard: 1000,
    maxShards: 20,
    /** Queue processors per shard, in steps (so they move with the fleet now and then, not with every service): 10 status and 5 operation processors per 200 Applications of the shard, never below upstream's defaults. */
    processorStep: { applications: 200, status: 10, operation: 5 },
    minStatusProcessors: 20,
    minOperationProcessors: 10,
  },
  repoServer: {
    /** A repo-server replica per this many Applications... */
    applicationsPerReplica: 250,
    /** ... at least 2 with argocd.ha (the HA manifests' own count), 1 otherwise, and at most this. */
    maxReplicas: 10,
  },
  /** Resources by Applications per replica (repo-server) or per shard (controller): the first tier whose bound is not passed. */
  tiers: [
    { name: 'small', upTo: 100, repoServer: { parallelism: 5, requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }, controller: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
    { name: 'medium', upTo: 500, repoServer: { parallelism: 10, requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } }, controller: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '4', memory: '4Gi' } } },
    { name: 'large', upTo: Infinity, repoServer: { parallelism: 20, requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '4', memory: '4Gi' } }, controller: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '8', memory: '8Gi' } } },
  ],
  /** argocd.ha's default (the HA manifests, Redis HA): from this many clusters. */
  haFromClusters: 3,
} as const;
