import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { str } from '../../util/values.ts';
import { runSpecs } from '../../util/workflows.ts';

export const workflowServiceAccount: Rule = {
  id: 'WF004',
  name: 'workflow-service-account',
  severity: 'error',
  description: 'Workflow run without a dedicated service account (none or `default`), with the token mounted into step containers, or with `automountServiceAccountToken: false` but no `executor.serviceAccountName`.',
  fix: 'Set `serviceAccountName: <dedicated SA>`, `automountServiceAccountToken: false` and `executor: {serviceAccountName: <executor SA>}`.',
  source: 'security.md §3.2, rule 32; Argo Workflows workflow-rbac.md, fields.md; Checkov CKV_ARGO_1; Datree rule 36',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const run of runSpecs(ctx)) {
      const sa = str(run.spec.serviceAccountName);
      if (!sa || sa === 'default')
        out.push(at(run.resource, sa ? ptr(run.pointer, 'serviceAccountName') : run.pointer, `runs as the ${sa ? '"default"' : 'namespace\'s default'} service account, shared by everything in the namespace`, 'Set `serviceAccountName` to a service account made for this workflow.'));
      const executorSa = str(run.spec.executor?.serviceAccountName);
      if (run.spec.automountServiceAccountToken !== false)
        out.push(at(run.resource, run.spec.automountServiceAccountToken === undefined ? run.pointer : ptr(run.pointer, 'automountServiceAccountToken'), 'step containers get the service account token mounted: any build script or dependency can call the Kubernetes API as the workflow', 'Set `automountServiceAccountToken: false` and `executor.serviceAccountName`.'));
      else if (!executorSa)
        out.push(at(run.resource, ptr(run.pointer, 'automountServiceAccountToken'), 'automountServiceAccountToken: false without executor.serviceAccountName: the executor cannot report results and the workflow fails', 'Set `executor: {serviceAccountName: <executor SA>}`.'));
    }
    return out;
  },
};
