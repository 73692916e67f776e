// Effective security settings of a container: container-level securityContext over the pod's.

import type { ContainerSite } from './pods.ts';
import { asArray, asObj, str } from './values.ts';

export const containerSc = (c: ContainerSite) => asObj(c.container.securityContext);

/** Why the container may run as root, or undefined when it provably does not. */
export function runsAsRoot(c: ContainerSite): string | undefined {
  const sc = containerSc(c);
  const user = sc.runAsUser ?? c.podSecurityContext.runAsUser;
  const nonRoot = sc.runAsNonRoot ?? c.podSecurityContext.runAsNonRoot;
  if (user === 0) return 'runs as root (runAsUser: 0)';
  if (nonRoot === false && !(typeof user === 'number' && user > 0)) return 'allows root (runAsNonRoot: false)';
  if (nonRoot === true || (typeof user === 'number' && user > 0)) return undefined;
  return 'may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set, so the image\'s USER decides';
}

/** Capabilities the Pod Security Standard "baseline" allows adding. */
export const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

export const addedCapabilities = (c: ContainerSite): string[] =>
  asArray(containerSc(c).capabilities?.add).map((x) => (str(x) ?? '').toUpperCase().replace(/^CAP_/, ''));

export const dropsAll = (c: ContainerSite): boolean => asArray(containerSc(c).capabilities?.drop).some((x) => str(x) === 'ALL');

export function seccompType(c: ContainerSite): string | undefined {
  return str(containerSc(c).seccompProfile?.type) ?? str(c.podSecurityContext.seccompProfile?.type);
}
