import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { containerSc } from '../../util/security.ts';

export const readOnlyRootFs: Rule = {
  id: 'K8S005',
  name: 'read-only-root-fs',
  severity: 'warning',
  scope: 'resource',
  severityNote: 'security.md groups it with rule 38 (high); Polaris and kube-linter rate it a hardening warning, and many images need a writable path first (an emptyDir fixes that).',
  description: 'Container without `readOnlyRootFilesystem: true`: an attacker (or a bug) can modify the image\'s files at runtime.',
  fix: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the process writes (/tmp, caches).',
  source: 'security.md rule 38; kube-linter no-read-only-root-fs; Kyverno require-ro-rootfs; Polaris notReadOnlyRootFilesystem; Datree rule 45',
  check(ctx) {
    return allContainers(ctx.resources).flatMap((c) =>
      containerSc(c).readOnlyRootFilesystem === true ? [] : [at(c.resource, ptr(c.pointer, 'securityContext', ...(c.container.securityContext ? ['readOnlyRootFilesystem'] : [])), `${containerLabel(c)} has a writable root filesystem`)],
    );
  },
};
