import type { Rule, RuleFinding } from '../../types.ts';
import { tenantProjects } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { argoGlobMatches } from '../../util/glob.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

const ARGO_KINDS = ['Application', 'ApplicationSet', 'AppProject'];

// An app that can write into the Argo CD namespace can create Applications there, which may use
// any project, or rewrite argocd-rbac-cm: full control of Argo CD.
export const projectControlsArgoCd: Rule = {
  id: 'ACD011',
  name: 'project-controls-argocd',
  severity: 'error',
  scope: 'resource',
  description: 'Non-admin AppProject whose destinations reach the Argo CD namespace, or that whitelists argoproj.io Application, ApplicationSet or AppProject.',
  fix: 'Remove the Argo CD namespace and argoproj.io Application kinds from tenant projects; only admin projects manage Argo CD.',
  source: 'security.md §1.2, rule 11; Argo CD app-any-namespace.md ("Never grant access to the argocd namespace")',
  check(ctx) {
    const argocd = ctx.options.argocdNamespace;
    const out: RuleFinding[] = [];
    for (const p of tenantProjects(ctx)) {
      asArray(p.obj.spec?.destinations).forEach((d, i) => {
        const ns = isObj(d) ? str(d.namespace) : undefined;
        // A bare "*" is reported by ACD009; this rule catches explicit and partial globs.
        if (ns && ns.trim() !== '*' && argoGlobMatches(ns, argocd))
          out.push(at(p, ptr('/spec/destinations', i, 'namespace'), `namespace "${ns}" includes the Argo CD namespace "${argocd}": apps of this project can create Applications there or rewrite argocd-rbac-cm`));
      });
      asArray(p.obj.spec?.namespaceResourceWhitelist).forEach((e, i) => {
        if (!isObj(e) || str(e.group) !== 'argoproj.io') return;
        const kinds = ARGO_KINDS.filter((k) => argoGlobMatches(str(e.kind) ?? '', k));
        if (kinds.length)
          out.push(at(p, ptr('/spec/namespaceResourceWhitelist', i), `whitelists argoproj.io ${kinds.join(', ')}: tenants could define Applications or projects of their own`));
      });
    }
    return out;
  },
};
