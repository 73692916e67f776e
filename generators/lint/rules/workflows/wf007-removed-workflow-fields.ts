import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { workflowSpecOf } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

/** Singular forms removed in Argo Workflows v4.0 and what replaces them. */
const SYNC_REPLACEMENTS: Record<string, string> = { semaphore: 'semaphores', mutex: 'mutexes' };

export const removedWorkflowFields: Rule = {
  id: 'WF007',
  name: 'removed-workflow-fields',
  severity: 'error',
  scope: 'resource',
  description: 'Fields removed in Argo Workflows v4.0: `synchronization.semaphore`/`mutex`, CronWorkflow `schedule`, `podPriority`.',
  fix: 'Use `synchronization.semaphores`/`mutexes`, CronWorkflow `schedules`, and `podPriorityClassName` (`argo convert` rewrites them).',
  source: 'security.md §3.1, rule 35; Argo Workflows deprecations.md, upgrading.md "Upgrading to v4.0"',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow')) {
      const wf = workflowSpecOf(r)!;
      if (r.obj.kind === 'CronWorkflow' && r.obj.spec?.schedule !== undefined)
        out.push(at(r, '/spec/schedule', `schedule "${str(r.obj.spec.schedule) ?? ''}" (singular) was removed in v4.0`, 'Use `schedules: ["<cron>"]`.'));
      const holders: { obj: unknown; pointer: string }[] = [{ obj: wf.spec, pointer: wf.pointer }];
      asArray(wf.spec.templates).forEach((t, i) => holders.push({ obj: t, pointer: ptr(wf.pointer, 'templates', i) }));
      for (const h of holders) {
        if (!isObj(h.obj)) continue;
        if (h.obj.podPriority !== undefined) out.push(at(r, ptr(h.pointer, 'podPriority'), 'podPriority was removed in v4.0', 'Use `podPriorityClassName`.'));
        const sync = h.obj.synchronization;
        if (isObj(sync))
          for (const [old, replacement] of Object.entries(SYNC_REPLACEMENTS))
            if (sync[old] !== undefined) out.push(at(r, ptr(h.pointer, 'synchronization', old), `synchronization.${old} (singular) was removed in v4.0`, `Use \`synchronization.${replacement}: [...]\`.`));
      }
    }
    return out;
  },
};
