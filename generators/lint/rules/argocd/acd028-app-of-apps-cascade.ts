import path from 'node:path';
import type { Rule, RuleFinding } from '../../types.ts';
import { RESOURCES_FINALIZER, SYNC_OPTIONS_ANNOTATION, sourcesOf } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { annotationsOf, asArray, isTemplated, nameOf, str } from '../../util/values.ts';

/**
 * A parent Application with `prune: true` deletes a child Application whose file disappears from
 * Git; the child's resources finalizer then deletes all of the child's workloads. One bad merge
 * (a moved folder, an emptied kustomization) takes down every app below the root.
 */
export const appOfAppsCascade: Rule = {
  id: 'ACD028',
  name: 'app-of-apps-cascade',
  severity: 'warning',
  description: 'Child Application with the resources finalizer under a parent Application that auto-prunes, without `Prune=confirm` / `Delete=confirm`: removing its file cascades to its workloads.',
  fix: 'Annotate child Applications with `argocd.argoproj.io/sync-options: Prune=confirm` (or Delete=confirm) so pruning them needs a human.',
  source: 'security.md §1.6, rule 22; Argo CD auto_sync.md; sync-options.md',
  check(ctx) {
    const apps = ctx.ofKind('Application');
    const parents = apps.flatMap((r) => {
      if (r.obj.spec?.syncPolicy?.automated?.prune !== true) return [];
      return sourcesOf(r.obj.spec, '/spec')
        .map((s) => str(s.source.path))
        .filter((p): p is string => p !== undefined && !isTemplated(p))
        .map((p) => ({ parent: r, dir: path.posix.normalize(p).replace(/\/$/, '') || '.' }));
    });
    const out: RuleFinding[] = [];
    for (const child of apps) {
      const dir = path.posix.dirname(child.file);
      const parent = parents.find((p) => p.parent !== child && (p.dir === '.' || dir === p.dir || dir.startsWith(p.dir + '/')));
      if (!parent) continue;
      if (!asArray(child.obj.metadata?.finalizers).some((f) => typeof f === 'string' && RESOURCES_FINALIZER.test(f))) continue;
      const options = str(annotationsOf(child.obj)[SYNC_OPTIONS_ANNOTATION]) ?? '';
      if (/(^|,)\s*(Prune|Delete)=confirm\s*(,|$)/.test(options)) continue;
      out.push(at(child, '/metadata/finalizers', `cascades on prune: parent Application "${nameOf(parent.parent.obj)}" (${parent.parent.file}) auto-prunes ${parent.dir}/, so removing this file deletes the Application and, through its finalizer, all its resources`));
    }
    return out;
  },
};
