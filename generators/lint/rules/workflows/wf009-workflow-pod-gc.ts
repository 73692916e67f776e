import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isObj } from '../../util/values.ts';
import { runSpecs } from '../../util/workflows.ts';

export const workflowPodGc: Rule = {
  id: 'WF009',
  name: 'workflow-pod-gc',
  severity: 'error',
  description: 'Workflow, CronWorkflow or submittable WorkflowTemplate without `podGC.strategy`: completed pods are never deleted.',
  fix: 'Set `spec.podGC: {strategy: OnPodSuccess, deleteDelayDuration: 10m}` (failed pods stay for debugging).',
  source: 'security.md §3.1, rule 30; Argo Workflows cost-optimisation.md',
  check(ctx) {
    return runSpecs(ctx).flatMap((run) =>
      isObj(run.spec.podGC) && run.spec.podGC.strategy
        ? []
        : [at(run.resource, isObj(run.spec.podGC) ? ptr(run.pointer, 'podGC') : run.pointer, 'no podGC strategy: every completed pod of every run stays in the namespace, with its logs and mounted secrets')],
    );
  },
};
