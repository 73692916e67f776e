import type { Rule, RuleFinding } from '../../types.ts';
import { projectName, tenantProjects } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { argoGlobMatches } from '../../util/glob.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

/**
 * Cluster-scoped kinds that hand over the cluster: RBAC, CRDs and admission control. Namespace is
 * left out on purpose: platform projects need it and it grants no privilege by itself.
 */
const DANGEROUS: [group: string, kind: string][] = [
  ['rbac.authorization.k8s.io', 'ClusterRole'],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
  ['apiextensions.k8s.io', 'CustomResourceDefinition'],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration'],
  ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration'],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy'],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding'],
];

export const projectClusterResourcesWildcard: Rule = {
  id: 'ACD010',
  name: 'project-cluster-resources-wildcard',
  severity: 'error',
  scope: 'resource',
  description: 'Non-admin AppProject whose `clusterResourceWhitelist` allows every kind of a group, RBAC, CRDs or admission webhooks; or any project with `namespaceResourceWhitelist: []` (ambiguous: nil allows all).',
  fix: 'Omit clusterResourceWhitelist for tenants (nothing cluster-scoped) or list the few harmless kinds; never write an empty namespaceResourceWhitelist.',
  source: 'security.md §1.3, rule 10; app_project_types.go IsGroupKindNamePermitted; Kyverno appproject-clusterresourceblacklist',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of tenantProjects(ctx))
      asArray(p.obj.spec?.clusterResourceWhitelist).forEach((e, i) => {
        if (!isObj(e)) return;
        const group = str(e.group) ?? '';
        const kind = str(e.kind) ?? '';
        if (kind === '*') {
          out.push(at(p, ptr('/spec/clusterResourceWhitelist', i), `{group: "${group}", kind: "*"} allows every cluster-scoped kind${group === '*' ? '' : ` of group "${group}"`}: ClusterRoleBindings, CRDs and webhooks take over the cluster`));
          return;
        }
        const hit = DANGEROUS.filter(([g, k]) => argoGlobMatches(group, g) && argoGlobMatches(kind, k)).map(([, k]) => k);
        if (hit.length)
          out.push(at(p, ptr('/spec/clusterResourceWhitelist', i), `{group: "${group}", kind: "${kind}"} lets tenants create ${hit.join(', ')}, which grants cluster-wide control`));
      });
    for (const p of ctx.ofKind('AppProject')) {
      const w = p.obj.spec?.namespaceResourceWhitelist;
      if (projectName(p) !== 'default' && Array.isArray(w) && w.length === 0)
        out.push(at(p, '/spec/namespaceResourceWhitelist', 'namespaceResourceWhitelist is an empty list: it denies every namespaced kind, but becomes nil (allow all) after an omitempty round-trip', 'List the allowed kinds explicitly, or omit the whitelist and use namespaceResourceBlacklist.'));
    }
    return out;
  },
};
