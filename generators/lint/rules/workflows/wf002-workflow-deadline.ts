import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { runSpecs } from '../../util/workflows.ts';

export const workflowDeadline: Rule = {
  id: 'WF002',
  name: 'workflow-deadline',
  severity: 'error',
  description: 'Workflow, CronWorkflow or submittable WorkflowTemplate without `activeDeadlineSeconds`: a hung step holds its pods and locks forever.',
  fix: 'Set `spec.activeDeadlineSeconds` (e.g. 3600 for CI; cost-optimisation.md suggests at most 28800).',
  source: 'security.md §3.1, rule 30; Argo Workflows cost-optimisation.md',
  check(ctx) {
    return runSpecs(ctx).flatMap((run) =>
      run.spec.activeDeadlineSeconds === undefined ? [at(run.resource, run.pointer, 'no activeDeadlineSeconds: a stuck step runs (and holds its pods, mutexes and node capacity) until someone notices')] : [],
    );
  },
};
