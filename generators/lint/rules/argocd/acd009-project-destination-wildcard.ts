import type { Rule, RuleFinding } from '../../types.ts';
import { tenantProjects } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

export const projectDestinationWildcard: Rule = {
  id: 'ACD009',
  name: 'project-destination-wildcard',
  severity: 'error',
  scope: 'resource',
  description: 'Non-admin AppProject destination with `server: "*"`, `name: "*"` or `namespace: "*"`: its apps may deploy to any cluster or into kube-system and the Argo CD namespace.',
  fix: 'List explicit server and namespace pairs (a tenant prefix glob such as `team-a-*` is fine); list platform projects under `adminProjects` in .gitops-scaffold/lint.yaml.',
  source: 'security.md §1.3, rule 9; Argo CD projects.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of tenantProjects(ctx))
      asArray(p.obj.spec?.destinations).forEach((d, i) => {
        if (!isObj(d)) return;
        for (const field of ['server', 'name', 'namespace'] as const)
          if (str(d[field])?.trim() === '*')
            out.push(at(p, ptr('/spec/destinations', i, field), field === 'namespace'
              ? `namespace "*" lets the project's apps deploy into any namespace, including kube-system and ${ctx.options.argocdNamespace}`
              : `${field} "*" lets the project's apps deploy to any cluster Argo CD knows`));
      });
    return out;
  },
};
