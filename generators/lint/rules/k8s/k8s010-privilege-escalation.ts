import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { containerSc } from '../../util/security.ts';

export const privilegeEscalation: Rule = {
  id: 'K8S010',
  name: 'privilege-escalation',
  severity: 'error',
  scope: 'resource',
  description: 'Container without `allowPrivilegeEscalation: false`: setuid binaries in the image can gain privileges (the default is true).',
  fix: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  source: 'security.md rule 38; kube-linter privilege-escalation-container; Kyverno disallow-privilege-escalation; Datree rule 47',
  check(ctx) {
    return allContainers(ctx.resources).flatMap((c) =>
      containerSc(c).allowPrivilegeEscalation === false
        ? []
        : [at(c.resource, ptr(c.pointer, 'securityContext', ...(c.container.securityContext ? ['allowPrivilegeEscalation'] : [])), `${containerLabel(c)} allows privilege escalation (allowPrivilegeEscalation is not false)`)],
    );
  },
};
