import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allPods } from '../../util/pods.ts';
import { runsAsRoot } from '../../util/security.ts';

// Separate from K8S004 because CI builds are the one place root is sometimes needed (kaniko): a
// team can suppress this rule on its build template with a reason and keep K8S004 for workloads.
export const workflowRunAsRoot: Rule = {
  id: 'WF005',
  name: 'workflow-run-as-root',
  severity: 'error',
  scope: 'resource',
  description: 'Argo Workflows template whose containers may run as root (workflow pods run as root unless told otherwise): no `runAsNonRoot: true` or non-zero `runAsUser` at workflow, template or container level.',
  fix: 'Set `spec.securityContext: {runAsNonRoot: true, runAsUser: 65532}`; for a build that needs root (kaniko), suppress WF005 on that WorkflowTemplate with the reason and keep capabilities to the baseline set.',
  source: 'security.md §3.2, rule 33; Argo Workflows workflow-pod-security-context.md; Checkov CKV_ARGO_2',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const pod of allPods(ctx.resources)) {
      if (pod.workflowTemplate === undefined) continue;
      for (const c of pod.containers) {
        const why = runsAsRoot(c);
        if (why) out.push(at(pod.resource, c.pointer, `template "${pod.workflowTemplate}" ${c.role}${c.container.name ? ` "${c.container.name}"` : ''} ${why}`));
      }
    }
    return out;
  },
};
