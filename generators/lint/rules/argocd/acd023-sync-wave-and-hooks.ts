import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { annotationsOf, labelsOf, str } from '../../util/values.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
const ARGO_ANNOTATIONS = [WAVE, HOOK, DELETE_POLICY, 'argocd.argoproj.io/sync-options', 'argocd.argoproj.io/compare-options'];
const HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreDelete', 'PostDelete'];
const DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];

const split = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export const syncWaveAndHooks: Rule = {
  id: 'ACD023',
  name: 'sync-wave-and-hooks',
  severity: 'error',
  scope: 'resource',
  description: 'Sync-wave annotation that is not an integer string, Argo CD sync annotations written as labels, unknown hook types or delete policies, and `generateName` hooks without a delete policy.',
  fix: 'Write `argocd.argoproj.io/sync-wave: "<integer>"` and the hook annotations under metadata.annotations with documented values.',
  source: 'security.md §1.6, rule 23; Argo CD sync-waves.md; validatedpatterns/rag-llm-gitops#28',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.resources) {
      const ann = annotationsOf(r.obj);
      const labels = labelsOf(r.obj);
      for (const key of ARGO_ANNOTATIONS)
        if (key in labels) out.push(at(r, ptr('/metadata/labels', key), `"${key}" is a label; Argo CD only reads it as an annotation, so it is ignored`, `Move "${key}" to metadata.annotations.`));
      if (WAVE in ann) {
        const wave = ann[WAVE];
        if (typeof wave !== 'string') out.push(at(r, ptr('/metadata/annotations', WAVE), `sync-wave ${JSON.stringify(wave)} is not a string: Kubernetes rejects non-string annotation values`, `Quote it: \`${WAVE}: "${wave}"\`.`));
        else if (!/^-?\d+$/.test(wave.trim())) out.push(at(r, ptr('/metadata/annotations', WAVE), `sync-wave "${wave}" is not an integer: Argo CD falls back to wave 0 and the intended order is lost`, 'Use an integer string such as "-1", "0" or "5".'));
      }
      const hook = str(ann[HOOK]);
      if (hook !== undefined)
        for (const t of split(hook).filter((t) => !HOOK_TYPES.includes(t)))
          out.push(at(r, ptr('/metadata/annotations', HOOK), `unknown hook type "${t}" (valid: ${HOOK_TYPES.join(', ')})`));
      const policy = str(ann[DELETE_POLICY]);
      if (policy !== undefined)
        for (const p of split(policy).filter((p) => !DELETE_POLICIES.includes(p)))
          out.push(at(r, ptr('/metadata/annotations', DELETE_POLICY), `unknown hook delete policy "${p}" (valid: ${DELETE_POLICIES.join(', ')})`));
      if (hook !== undefined && policy === undefined && !r.obj.metadata?.name && r.obj.metadata?.generateName)
        out.push(at(r, '/metadata/generateName', 'hook uses generateName without a hook-delete-policy: the default BeforeHookCreation finds nothing to delete, so a new object piles up on every sync', `Add \`${DELETE_POLICY}: BeforeHookCreation,HookSucceeded\` or give the hook a fixed name.`));
    }
    return out;
  },
};
