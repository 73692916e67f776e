import type { Rule, RuleFinding } from '../../types.ts';
import { appSpecs, SYNC_OPTIONS_ANNOTATION } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { annotationsOf, asArray, str } from '../../util/values.ts';

const DANGEROUS: Record<string, string> = {
  'Replace=true': 'Replace=true deletes and recreates resources (kubectl replace/create), dropping fields other controllers own',
  'Force=true': 'Force=true deletes and recreates resources that fail to apply, including live workloads',
};

const dangerousIn = (options: string[]) => options.map((o) => o.trim()).filter((o) => o in DANGEROUS);

export const dangerousSyncOptions: Rule = {
  id: 'ACD029',
  name: 'dangerous-sync-options',
  severity: 'warning',
  scope: 'resource',
  description: 'Sync settings that destroy or empty live state: `Replace=true`, `Force=true` (app syncOptions or the sync-options annotation), `automated.allowEmpty: true`.',
  fix: 'Prefer `ServerSideApply=true` over Replace/Force, and keep `allowEmpty` off so an empty render cannot prune everything.',
  source: 'security.md §1.6, rule 22; Argo CD sync-options.md; auto_sync.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of appSpecs(ctx)) {
      const policy = site.spec.syncPolicy ?? {};
      asArray(policy.syncOptions).forEach((o, i) => {
        for (const opt of dangerousIn([str(o) ?? ''])) out.push(at(site.resource, ptr(site.pointer, 'syncPolicy', 'syncOptions', i), DANGEROUS[opt]));
      });
      if (policy.automated?.allowEmpty === true)
        out.push(at(site.resource, ptr(site.pointer, 'syncPolicy', 'automated', 'allowEmpty'), 'allowEmpty: true lets an automated sync prune every resource when the source renders nothing (a broken path, an emptied kustomization)'));
    }
    for (const r of ctx.resources) {
      const value = str(annotationsOf(r.obj)[SYNC_OPTIONS_ANNOTATION]);
      if (!value) continue;
      for (const opt of dangerousIn(value.split(','))) out.push(at(r, ptr('/metadata/annotations', SYNC_OPTIONS_ANNOTATION), DANGEROUS[opt]));
    }
    return out;
  },
};
