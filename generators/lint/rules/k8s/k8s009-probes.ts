import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allPods, containerLabel, LONG_RUNNING_KINDS } from '../../util/pods.ts';

export const probes: Rule = {
  id: 'K8S009',
  name: 'probes',
  severity: 'warning',
  scope: 'resource',
  severityNote: 'kube-linter leaves no-liveness/readiness-probe off by default and Polaris rates them warnings: some servers have no meaningful health endpoint.',
  description: 'Long-running container (Deployment, StatefulSet, Rollout) without a readinessProbe or livenessProbe: traffic reaches it before it is ready, and a hung process is never restarted.',
  fix: 'Add a readinessProbe and a livenessProbe (HTTP health path, TCP or exec) to each main container.',
  source: 'seed §13 checklist "Health checks"; Polaris readinessProbeMissing, livenessProbeMissing; kube-linter no-readiness-probe, no-liveness-probe',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const pod of allPods(ctx.resources)) {
      if (!LONG_RUNNING_KINDS.has(pod.resource.obj.kind)) continue;
      for (const c of pod.containers) {
        if (c.role !== 'containers') continue;
        const missing = ['readinessProbe', 'livenessProbe'].filter((p) => c.container[p] === undefined);
        if (missing.length) out.push(at(c.resource, c.pointer, `${containerLabel(c)} has no ${missing.join(' or ')}`));
      }
    }
    return out;
  },
};
