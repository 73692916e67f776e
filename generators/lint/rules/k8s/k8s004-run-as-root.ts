import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { runsAsRoot } from '../../util/security.ts';

export const runAsRoot: Rule = {
  id: 'K8S004',
  name: 'run-as-root',
  severity: 'error',
  scope: 'resource',
  description: 'Workload or Rollout container that may run as root: no `runAsNonRoot: true` or non-zero `runAsUser` (Argo Workflows templates are WF005).',
  fix: 'Set `securityContext: {runAsNonRoot: true, runAsUser: <non-zero>}` on the pod, and build images with a non-root USER.',
  source: 'security.md rule 38; kube-linter run-as-non-root; Kyverno require-run-as-nonroot; Polaris runAsRootAllowed; Datree rule 52',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of allContainers(ctx.resources)) {
      if (c.pod.workflowTemplate !== undefined) continue;
      const why = runsAsRoot(c);
      if (why) out.push(at(c.resource, c.pointer, `${containerLabel(c)} ${why}`));
    }
    return out;
  },
};
