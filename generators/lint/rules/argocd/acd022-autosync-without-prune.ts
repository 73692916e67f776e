import type { Rule, RuleFinding } from '../../types.ts';
import { appSpecs } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isObj } from '../../util/values.ts';

export const autosyncWithoutPrune: Rule = {
  id: 'ACD022',
  name: 'autosync-without-prune',
  severity: 'warning',
  scope: 'resource',
  description: 'Automated sync without `prune: true`: resources removed from Git stay running in the cluster, so Git no longer describes what runs.',
  fix: 'Set `syncPolicy.automated.prune: true` (with `selfHeal: true`), or turn automated sync off for this app.',
  source: 'seed "Mistake 1: Auto-sync without prune in production"; argocd-lint AR005; Argo CD auto_sync.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of appSpecs(ctx)) {
      // Under RollingSync the controller turns autosync off anyway (ACD003 reports the setting).
      if (site.fromApplicationSet && site.resource.obj.spec?.strategy?.type === 'RollingSync') continue;
      const automated = site.spec.syncPolicy?.automated;
      if (!isObj(automated) || automated.enabled === false || automated.prune === true) continue;
      out.push(at(site.resource, ptr(site.pointer, 'syncPolicy', 'automated'), 'automated sync without prune: resources deleted from Git keep running as orphans'));
    }
    return out;
  },
};
