import type { Rule, RuleFinding } from '../../types.ts';
import { isAdminProject, projectName } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { argoGlobMatches } from '../../util/glob.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

export const projectSourceNamespaces: Rule = {
  id: 'ACD012',
  name: 'project-source-namespaces',
  severity: 'error',
  scope: 'resource',
  description: 'AppProject `sourceNamespaces` with `*` or the Argo CD namespace, or set on an admin project or one with wildcard destinations: whoever writes Applications there gets the project.',
  fix: 'List exact tenant namespaces in sourceNamespaces, and only on tenant projects with bounded destinations.',
  source: 'security.md §1.2, rule 12; Argo CD app-any-namespace.md; CVE-2023-22736',
  check(ctx) {
    const out: RuleFinding[] = [];
    const argocd = ctx.options.argocdNamespace;
    for (const p of ctx.ofKind('AppProject')) {
      if (projectName(p) === 'default') continue; // ACD007
      const list = asArray(p.obj.spec?.sourceNamespaces);
      if (!list.length) continue;
      list.forEach((ns, i) => {
        const s = str(ns) ?? '';
        if (s.trim() === '*') out.push(at(p, ptr('/spec/sourceNamespaces', i), 'sourceNamespaces "*": an Application in any namespace may use this project'));
        else if (argoGlobMatches(s, argocd)) out.push(at(p, ptr('/spec/sourceNamespaces', i), `sourceNamespaces "${s}" includes the Argo CD namespace`));
      });
      const wide = asArray(p.obj.spec?.destinations).some((d) => isObj(d) && (str(d.namespace)?.trim() === '*' || str(d.server)?.trim() === '*' || str(d.name)?.trim() === '*'));
      if (isAdminProject(ctx, p) || wide)
        out.push(at(p, '/spec/sourceNamespaces', `${isAdminProject(ctx, p) ? 'an admin project' : 'a project with wildcard destinations'} accepts Applications from other namespaces: whoever can write Applications there gets its privileges`, 'Remove sourceNamespaces from privileged projects; give each tenant namespace its own bounded project.'));
    }
    return out;
  },
};
