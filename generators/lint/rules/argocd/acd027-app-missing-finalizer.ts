import type { Rule } from '../../types.ts';
import { RESOURCES_FINALIZER } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { asArray } from '../../util/values.ts';

// ApplicationSet-generated apps get the finalizer from the controller (unless
// preserveResourcesOnDeletion), so only hand-written Applications are checked.
export const appMissingFinalizer: Rule = {
  id: 'ACD027',
  name: 'app-missing-finalizer',
  severity: 'warning',
  scope: 'resource',
  description: 'Application without `resources-finalizer.argocd.argoproj.io`: deleting it leaves every resource it deployed running, unmanaged.',
  fix: 'Add `metadata.finalizers: [resources-finalizer.argocd.argoproj.io]` (and guard children of prune-enabled parents with `Prune=confirm`, see ACD028).',
  source: 'seed "Mistake 3: No resource finalizers"; Argo CD app_deletion.md; argocd-lint AR006',
  check(ctx) {
    return ctx.ofKind('Application').flatMap((r) =>
      asArray(r.obj.metadata?.finalizers).some((f) => typeof f === 'string' && RESOURCES_FINALIZER.test(f))
        ? []
        : [at(r, r.obj.metadata?.finalizers === undefined ? '/metadata' : '/metadata/finalizers', 'no resources finalizer: deleting the Application orphans everything it deployed')],
    );
  },
};
