import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { asArray, asObj, isObj } from '../../util/values.ts';

const LOCKDOWN = 'Declare AppProject `default` with `sourceRepos: []`, `destinations: []`, `sourceNamespaces: []` and `namespaceResourceBlacklist: [{group: "*", kind: "*"}]`.';

// Argo CD creates `default` allowing everything and it cannot be deleted; a repo that manages Argo
// CD should own it and lock it down, so nothing can land in it by mistake or by a templated field.
export const defaultProjectUnlocked: Rule = {
  id: 'ACD007',
  name: 'default-project-unlocked',
  severity: 'warning',
  description: 'Repo manages Argo CD (argocd-cm, argocd-rbac-cm or AppProjects) but does not lock down the `default` AppProject.',
  fix: LOCKDOWN,
  source: 'security.md §1.3, rule 7; Argo CD projects.md "The Default Project"',
  check(ctx) {
    if (!ctx.managesArgoCd()) return [];
    const projects = ctx.ofKind('AppProject');
    const def = projects.find((p) => p.obj.metadata?.name === 'default');
    if (!def) {
      const anchor = ctx.configMap('argocd-cm') ?? ctx.configMap('argocd-rbac-cm') ?? projects[0];
      return [at(anchor, undefined, 'the repo manages Argo CD but declares no AppProject "default", so the built-in one keeps allowing every repo, destination and kind')];
    }
    const spec = asObj(def.obj.spec);
    const out: RuleFinding[] = [];
    for (const field of ['sourceRepos', 'destinations', 'sourceNamespaces', 'clusterResourceWhitelist'] as const)
      if (asArray(spec[field]).length)
        out.push(at(def, `/spec/${field}`, `the default project's ${field} is not empty: apps in (or templated into) the default project get it`, `Set \`${field}: []\`. ${LOCKDOWN}`));
    const blacklist = asArray(spec.namespaceResourceBlacklist);
    if (!blacklist.some((e) => isObj(e) && e.group === '*' && e.kind === '*'))
      out.push(at(def, spec.namespaceResourceBlacklist === undefined ? '/spec' : '/spec/namespaceResourceBlacklist', 'the default project does not blacklist every namespaced kind ({group: "*", kind: "*"})', 'Add `namespaceResourceBlacklist: [{group: "*", kind: "*"}]`.'));
    return out;
  },
};
