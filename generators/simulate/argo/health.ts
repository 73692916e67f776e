// Health of an ApplicationSet as Argo CD v3.5.1 assesses it: the built-in Lua check
// resource_customizations/argoproj.io/ApplicationSet/health.lua, ported. It reads only the
// ApplicationSet's own conditions: Healthy once ResourcesUpToDate (the Applications were created
// or updated), whatever the Applications' own health; Progressing while a RollingSync rollout
// runs (RolloutProgressing, with progressive syncs enabled).

export interface Condition {
  type: string;
  status: string;
  message?: string;
}

export interface HealthStatus {
  status: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
  message: string;
}

export function applicationSetHealth(status: { conditions?: readonly Condition[] } | undefined): HealthStatus {
  const conditions = status?.conditions ?? [];
  const find = (type: string, value: string) => conditions.find((c) => c.type === type && c.status === value);
  const first = find('ErrorOccurred', 'True') ?? find('ResourcesUpToDate', 'False');
  if (first) return { status: 'Degraded', message: first.message ?? '' };
  const rollout = find('RolloutProgressing', 'True');
  if (rollout) return { status: 'Progressing', message: rollout.message ?? '' };
  const upToDate = find('ResourcesUpToDate', 'True');
  if (upToDate) return { status: 'Healthy', message: upToDate.message ?? '' };
  return { status: 'Progressing', message: 'Waiting for the status to be reported' };
}

/**
 * The conditions the ApplicationSet controller sets after one reconcile
 * (applicationset_controller.go): ErrorOccurred with the last validation or generation error,
 * else ResourcesUpToDate; RolloutProgressing while a progressive sync has steps left.
 */
export function applicationSetConditions(problems: readonly { message: string }[], rolloutPending: boolean): Condition[] {
  if (problems.length)
    return [
      { type: 'ErrorOccurred', status: 'True', message: `${problems[problems.length - 1].message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` },
      { type: 'ResourcesUpToDate', status: 'False', message: problems[problems.length - 1].message },
    ];
  return [
    { type: 'ErrorOccurred', status: 'False', message: 'All applications have been generated successfully' },
    { type: 'ResourcesUpToDate', status: 'True', message: 'All applications have been generated successfully' },
    ...(rolloutPending ? [{ type: 'RolloutProgressing', status: 'True', message: 'ApplicationSet is performing rollout of step 1' }] : []),
  ];
}
