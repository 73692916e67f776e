// What the ApplicationSet controller's progressive sync does with a RollingSync ApplicationSet.

import { asObj, finding, perResourceRule, type ControllerRule } from './util.ts';

/**
 * RollingSync switches the generated Applications' automated sync off and syncs them itself; the
 * prune flag of those syncs is `template.spec.syncPolicy.automated.prune`, read while automated
 * sync is still enabled in the template (applicationset/progressivesync SyncDesiredApplications,
 * v3.5.1). Without it every RollingSync sync runs with prune=false.
 */
const rollingSyncPrune: ControllerRule = perResourceRule('appset/rollingsync-prune', ['ApplicationSet'], (r) => {
    const spec = asObj(r.obj.spec);
    if (asObj(spec.strategy).type !== 'RollingSync') return [];
    const syncPolicy = asObj(asObj(asObj(spec.template).spec).syncPolicy);
    const automated = syncPolicy.automated;
    const enabled = automated !== undefined && automated !== null && asObj(automated).enabled !== false;
    if (enabled && asObj(automated).prune === true) return [];
    return [
      finding(r, {
        rule: 'sim/appset/rollingsync-prune',
        severity: 'warning',
        path: enabled ? '/spec/template/spec/syncPolicy/automated' : '/spec/template/spec/syncPolicy',
        message: 'RollingSync syncs the generated Applications with prune=false: it takes prune from template.spec.syncPolicy.automated.prune, which is not set, so resources removed from Git stay in the clusters',
        fix: 'set template.spec.syncPolicy.automated.prune: true (RollingSync turns automated sync off on the generated Applications itself)',
      }),
    ];
});

export const appsetRules: ControllerRule[] = [rollingSyncPrune];
