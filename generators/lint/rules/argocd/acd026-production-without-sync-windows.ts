import type { Rule, RuleFinding } from '../../types.ts';
import { projectName } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { asArray } from '../../util/values.ts';

export const productionWithoutSyncWindows: Rule = {
  id: 'ACD026',
  name: 'production-without-sync-windows',
  severity: 'warning',
  description: 'AppProject that deploys to production (by destination, name, or a production Application using it) without any sync window.',
  fix: 'Add syncWindows to the project, e.g. a deny window over nights and weekends with `manualSync: true` for emergencies.',
  source: 'seed §6.4 "Sync Window Management"; security.md §1.3; Argo CD sync_windows.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.ofKind('AppProject')) {
      if (projectName(p) === 'default' || !ctx.isProduction(p)) continue;
      if (!asArray(p.obj.spec?.syncWindows).length)
        out.push(at(p, p.obj.spec?.syncWindows === undefined ? '/spec' : '/spec/syncWindows', 'deploys to production but has no sync windows: automated syncs land at any hour, including during incidents and freezes'));
    }
    return out;
  },
};
