import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { seccompType } from '../../util/security.ts';

export const seccompProfile: Rule = {
  id: 'K8S007',
  name: 'seccomp-profile',
  severity: 'warning',
  scope: 'resource',
  severityNote: 'security.md groups it with rule 38 (high); Polaris rates linuxHardening a warning and the runtime default already applies on many clusters.',
  description: 'Container with no seccomp profile (or `Unconfined`) at pod or container level: every syscall is allowed.',
  fix: 'Set `securityContext.seccompProfile: {type: RuntimeDefault}` on the pod (or Localhost with a profile).',
  source: 'security.md rule 38; Kyverno restrict-seccomp-strict; Polaris linuxHardening; Datree rule 54',
  check(ctx) {
    return allContainers(ctx.resources).flatMap((c) => {
      const type = seccompType(c);
      return type === 'RuntimeDefault' || type === 'Localhost' ? [] : [at(c.resource, c.pointer, `${containerLabel(c)} ${type ? `uses seccomp profile ${type}` : 'has no seccomp profile'}: every syscall is allowed`)];
    });
  },
};
