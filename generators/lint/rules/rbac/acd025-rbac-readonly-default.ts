import type { Rule } from '../../types.ts';
import { projectName } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { str } from '../../util/values.ts';

export const rbacReadonlyDefault: Rule = {
  id: 'ACD025',
  name: 'rbac-readonly-default',
  severity: 'warning',
  description: '`policy.default: role:readonly` in a multi-tenant repo (two or more AppProjects besides `default`): every user reads every project, cluster and repository.',
  fix: 'Remove policy.default and grant `get` per tenant project through roles bound to the tenant\'s groups.',
  source: 'security.md §1.4, rule 14; CVE-2025-55190 (golang/vulndb#3934)',
  check(ctx) {
    const rbac = ctx.configMap('argocd-rbac-cm');
    if (!rbac || str(rbac.obj.data?.['policy.default'])?.trim() !== 'role:readonly') return [];
    const tenants = ctx.ofKind('AppProject').filter((p) => projectName(p) !== 'default');
    if (tenants.length < 2) return [];
    return [at(rbac, '/data/policy.default', `policy.default is role:readonly with ${tenants.length} projects: every tenant can read every other tenant's apps, clusters and repositories (on unpatched versions, repository credentials: CVE-2025-55190)`)];
  },
};
