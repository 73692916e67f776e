import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allPods } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

export const hostAccess: Rule = {
  id: 'K8S011',
  name: 'host-access',
  severity: 'error',
  scope: 'resource',
  description: 'Pod (workload, Rollout or workflow) sharing the host network, PID or IPC namespace, or mounting a hostPath (a container runtime socket is a node takeover).',
  fix: 'Remove hostNetwork/hostPID/hostIPC and hostPath volumes; use emptyDir, a PVC or a CSI volume instead.',
  source: 'security.md rule 38; kube-linter host-network, host-pid, host-ipc, docker-sock, sensitive-host-mounts; Kyverno disallow-host-namespaces, disallow-host-path',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const pod of allPods(ctx.resources)) {
      const label = pod.workflowTemplate !== undefined ? `template "${pod.workflowTemplate}"` : 'pod';
      // Workflow pods inherit hostNetwork from the workflow spec: report it once, not per template.
      if (pod.workflowTemplate === undefined)
        for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
          if (pod.spec[f] === true) out.push(at(pod.resource, ptr(pod.pointer, f), `${label} shares the node's ${f.slice(4)} namespace`));
      asArray(pod.spec.volumes).forEach((v, i) => {
        if (!isObj(v) || !isObj(v.hostPath)) return;
        const p = str(v.hostPath.path) ?? '';
        const where = pod.workflowTemplate === undefined ? ptr(pod.pointer, 'volumes', i, 'hostPath') : pod.pointer;
        out.push(at(pod.resource, where, `${label} mounts hostPath "${p}"${/\.sock$|docker|containerd|crio/.test(p) ? ', a container runtime socket: full control of the node' : ': the node\'s filesystem'} (volume "${str(v.name) ?? i}")`));
      });
    }
    for (const r of ctx.ofKind('Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow')) {
      const base = r.obj.kind === 'CronWorkflow' ? '/spec/workflowSpec' : '/spec';
      const spec = r.obj.kind === 'CronWorkflow' ? r.obj.spec?.workflowSpec : r.obj.spec;
      if (spec?.hostNetwork === true) out.push(at(r, ptr(base, 'hostNetwork'), 'workflow pods share the node\'s Network namespace'));
    }
    return out;
  },
};
