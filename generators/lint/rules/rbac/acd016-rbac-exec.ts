import type { Rule } from '../../types.ts';
import { atPolicy, grants, isAdminSubject } from '../../util/rbac.ts';
import { isTrue } from '../../util/values.ts';

// exec gives a shell in every pod of the matching apps; a pod with a mounted token hands its
// service account to the user.
export const rbacExec: Rule = {
  id: 'ACD016',
  name: 'rbac-exec',
  severity: 'error',
  description: 'Non-admin RBAC subject allowed `exec, create` (a web shell in the apps\' pods).',
  fix: 'Do not grant exec to tenants; use logs and kubectl debug through cluster RBAC where needed.',
  source: 'security.md §1.4, rule 16; Argo CD web_based_terminal.md; rbac.md',
  check(ctx) {
    const enabled = isTrue(ctx.configMap('argocd-cm')?.obj.data?.['exec.enabled']);
    return grants(ctx).flatMap(({ line, subject, resource, action }) =>
      resource === 'exec' && (action === 'create' || action === '*') && !isAdminSubject(ctx, subject)
        ? [atPolicy(line, `${subject} may open a shell in the pods of matching apps${enabled ? ' (exec.enabled is "true" in argocd-cm)' : ''}`)]
        : [],
    );
  },
};
