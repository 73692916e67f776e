import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { addedCapabilities, BASELINE_CAPABILITIES, containerSc } from '../../util/security.ts';

export const privilegedContainer: Rule = {
  id: 'K8S001',
  name: 'privileged-container',
  severity: 'error',
  scope: 'resource',
  description: 'Container (in any workload, Rollout or Argo Workflows template) that runs `privileged: true` or adds capabilities beyond the Pod Security baseline set (SYS_ADMIN, NET_ADMIN, NET_RAW, ...).',
  fix: 'Remove `privileged` and add only baseline capabilities (kaniko needs at most CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, SETFCAP).',
  source: 'security.md rule 38; kube-linter privileged-container; Kyverno disallow-privileged-containers, disallow-capabilities; Polaris runAsPrivileged',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of allContainers(ctx.resources)) {
      if (containerSc(c).privileged === true)
        out.push(at(c.resource, ptr(c.pointer, 'securityContext', 'privileged'), `${containerLabel(c)} runs privileged: it has every capability and the host's devices`));
      const extra = addedCapabilities(c).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
      if (extra.length)
        out.push(at(c.resource, ptr(c.pointer, 'securityContext', 'capabilities', 'add'), `${containerLabel(c)} adds ${extra.join(', ')}, beyond the Pod Security baseline`));
    }
    return out;
  },
};
