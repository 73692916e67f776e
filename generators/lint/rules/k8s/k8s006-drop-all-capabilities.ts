import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { dropsAll } from '../../util/security.ts';

export const dropAllCapabilities: Rule = {
  id: 'K8S006',
  name: 'drop-all-capabilities',
  severity: 'warning',
  scope: 'resource',
  severityNote: 'security.md groups it with rule 38 (high); it is defence in depth (Polaris: warning), not an escalation by itself.',
  description: 'Container that does not drop ALL capabilities: it keeps the runtime\'s default set (NET_RAW, CHOWN, SETUID, ...).',
  fix: 'Set `securityContext.capabilities.drop: [ALL]` and add back only what the process needs.',
  source: 'security.md rule 38; Kyverno require-drop-all, disallow-capabilities-strict; kube-linter drop-net-raw-capability',
  check(ctx) {
    return allContainers(ctx.resources).flatMap((c) =>
      dropsAll(c) ? [] : [at(c.resource, ptr(c.pointer, 'securityContext', ...(c.container.securityContext?.capabilities ? ['capabilities'] : [])), `${containerLabel(c)} does not drop ALL capabilities`)],
    );
  },
};
