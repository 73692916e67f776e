import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { isTrue, str } from '../../util/values.ts';

export const rbacAdminDefaultOrAnonymous: Rule = {
  id: 'ACD014',
  name: 'rbac-admin-default-or-anonymous',
  severity: 'error',
  description: '`policy.default: role:admin` in argocd-rbac-cm (every user is admin, and deny rules cannot take it back) or `users.anonymous.enabled: "true"` in argocd-cm.',
  fix: 'Remove policy.default (or point it at an empty role) and keep anonymous access off; grant roles to SSO groups with `g` lines.',
  source: 'security.md §1.4, rule 14; Argo CD rbac.md "Default Policy"; CVE-2022-29165 (golang/vulndb#455)',
  check(ctx) {
    const out: RuleFinding[] = [];
    const rbac = ctx.configMap('argocd-rbac-cm');
    if (rbac && str(rbac.obj.data?.['policy.default'])?.trim() === 'role:admin')
      out.push(at(rbac, '/data/policy.default', 'policy.default is role:admin: every authenticated user is an administrator, and no deny rule can take it back'));
    const cm = ctx.configMap('argocd-cm');
    if (cm && isTrue(cm.obj.data?.['users.anonymous.enabled']))
      out.push(at(cm, '/data/users.anonymous.enabled', `anonymous access is enabled: unauthenticated users get policy.default${rbac ? '' : ' (role:readonly unless changed)'}; with a forged token this was CVE-2022-29165`, 'Set `users.anonymous.enabled: "false"` or remove the key.'));
    return out;
  },
};
