import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { RESOURCES_FINALIZER, SYNC_OPTIONS_ANNOTATION, sourcesOf } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { annotationsOf, asArray, asObj, isTemplated, nameOf, str } from '../../util/values.ts';

/**
 * A parent Application with `prune: true` deletes a child Application whose file disappears from
 * Git; the child's resources finalizer then deletes all of the child's workloads. One bad merge
 * (a moved folder, an emptied kustomization) takes down every app below the parent.
 */
export const appOfAppsCascade: Rule = {
  id: 'ACD028',
  name: 'app-of-apps-cascade',
  severity: 'warning',
  description: 'Child Application with the resources finalizer, deployed by a parent Application that auto-prunes, without `Prune=confirm` / `Delete=confirm`: removing its file cascades to its workloads.',
  fix: 'Annotate child Applications with `argocd.argoproj.io/sync-options: Prune=confirm` (or Delete=confirm) so pruning them needs a human.',
  source: 'security.md §1.6, rule 22; Argo CD auto_sync.md; sync-options.md',
  check(ctx) {
    const apps = ctx.ofKind('Application');
    // Which pruning parent deploys each file (through its kustomization, or its folder).
    const parentOf = new Map<string, { parent: ParsedResource; path: string }>();
    for (const parent of apps) {
      if (parent.obj.spec?.syncPolicy?.automated?.prune !== true) continue;
      for (const { source } of sourcesOf(parent.obj.spec, '/spec')) {
        const p = str(source.path);
        if (p === undefined || isTemplated(p)) continue;
        for (const file of ctx.filesOfSource(p, asObj(source.directory).recurse === true))
          if (!parentOf.has(file)) parentOf.set(file, { parent, path: p });
      }
    }
    const out: RuleFinding[] = [];
    for (const child of apps) {
      const owner = parentOf.get(child.file);
      if (!owner || owner.parent === child) continue;
      if (!asArray(child.obj.metadata?.finalizers).some((f) => typeof f === 'string' && RESOURCES_FINALIZER.test(f))) continue;
      const options = str(annotationsOf(child.obj)[SYNC_OPTIONS_ANNOTATION]) ?? '';
      if (/(^|,)\s*(Prune|Delete)=confirm\s*(,|$)/.test(options)) continue;
      out.push(at(child, '/metadata/finalizers', `cascades on prune: parent Application "${nameOf(owner.parent.obj)}" (${owner.parent.file}) auto-prunes ${owner.path}, so removing this file deletes the Application and, through its finalizer, all its resources`));
    }
    return out;
  },
};
