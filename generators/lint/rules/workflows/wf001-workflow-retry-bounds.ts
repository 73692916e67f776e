import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { workflowSpecOf } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, intOf, isObj, isTemplated, str, type Obj } from '../../util/values.ts';

/** More attempts than this is a retry loop, not resilience (the seed's `limit: 999`). */
export const MAX_RETRY_LIMIT = 10;
const POLICIES = ['Always', 'OnFailure', 'OnError', 'OnTransientError'];

function problems(rs: Obj): { field?: string; message: string; fix: string }[] {
  const out: { field?: string; message: string; fix: string }[] = [];
  const limit = intOf(rs.limit);
  if (rs.limit === undefined)
    out.push({ message: 'retryStrategy without limit retries forever', fix: 'Set `limit` (e.g. "3"); it counts retries after the first attempt.' });
  else if (limit !== undefined && limit > MAX_RETRY_LIMIT)
    out.push({ field: 'limit', message: `retry limit ${limit} keeps a permanently failing step (and its pods) alive for hours`, fix: `Use a limit of at most ${MAX_RETRY_LIMIT} with a backoff.` });
  else if (limit === undefined && !isTemplated(rs.limit))
    out.push({ field: 'limit', message: `retry limit "${str(rs.limit)}" is not an integer`, fix: 'Write limit as an integer or a numeric string.' });
  if (rs.retryPolicy !== undefined && !POLICIES.includes(str(rs.retryPolicy) ?? ''))
    out.push({ field: 'retryPolicy', message: `retryPolicy "${str(rs.retryPolicy)}" is not one of ${POLICIES.join(', ')}`, fix: 'Use OnTransientError or OnError for infrastructure failures.' });
  if (!isObj(rs.backoff))
    out.push({ message: 'retryStrategy without backoff retries immediately, hammering the registry or API that just failed', fix: 'Add `backoff: {duration: "10s", factor: "2", maxDuration: "5m"}`.' });
  return out;
}

export const workflowRetryBounds: Rule = {
  id: 'WF001',
  name: 'workflow-retry-bounds',
  severity: 'error',
  scope: 'resource',
  description: `Argo Workflows retryStrategy without a limit (unbounded), with a limit above ${MAX_RETRY_LIMIT}, an unknown retryPolicy, or no backoff.`,
  fix: 'Give every retryStrategy a small `limit`, a `backoff`, and a retryPolicy of OnTransientError or OnError.',
  source: 'seed "Mistake 5: Infinite retry loops"; security.md §3.1, rule 29; Argo Workflows retries.md; Datree rule 40',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow')) {
      const wf = workflowSpecOf(r)!;
      const sites: { rs: unknown; pointer: string; label: string }[] = [{ rs: wf.spec.retryStrategy, pointer: ptr(wf.pointer, 'retryStrategy'), label: 'workflow' }];
      asArray(wf.spec.templates).forEach((t, i) => sites.push({ rs: t?.retryStrategy, pointer: ptr(wf.pointer, 'templates', i, 'retryStrategy'), label: `template "${str(t?.name) ?? i}"` }));
      for (const s of sites) {
        if (!isObj(s.rs)) continue;
        for (const p of problems(s.rs)) out.push(at(r, p.field ? ptr(s.pointer, p.field) : s.pointer, `${s.label}: ${p.message}`, p.fix));
      }
    }
    return out;
  },
};
