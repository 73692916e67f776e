import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isObj, str } from '../../util/values.ts';
import { templateText, workflowTemplates } from '../../util/workflows.ts';

/** Steps whose effect is outside the workflow: a cache hit would silently skip it. */
const SIDE_EFFECT_NAME = /(^|[-_.])(sign|signing|attest|push|publish|release|deploy|promote)([-_.]|$)/i;
const SIDE_EFFECT_COMMAND = /cosign\s+(sign|attest)(?![\w-])|\b(docker|podman|oras|helm)\s+push\b|\bcrane\s+(push|copy|cp)\b|\bskopeo\s+copy\b|\bkubectl\s+(apply|create|replace)\b|\bargocd\s+app\s+sync\b|--destination[=\s]/;

export const workflowMemoize: Rule = {
  id: 'WF003',
  name: 'workflow-memoize',
  severity: 'error',
  scope: 'resource',
  description: 'Memoized template that signs, attests, pushes or deploys (a cache hit skips the side effect), or whose memoize lacks key, maxAge or cache.configMap.name, or has a constant key.',
  fix: 'Memoize only pure steps, with `key` built from their inputs (`{{inputs.parameters.commit}}`), `maxAge` and `cache.configMap.name`.',
  source: 'security.md §3.1, rule 31; Argo Workflows memoization.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const t of workflowTemplates(ctx)) {
      const m = t.template.memoize;
      if (!isObj(m)) continue;
      const here = ptr(t.pointer, 'memoize');
      const sideEffect = SIDE_EFFECT_NAME.test(t.name) ? `its name "${t.name}"` : SIDE_EFFECT_COMMAND.exec(templateText(t.template))?.[0];
      if (sideEffect)
        out.push(at(t.resource, here, `template "${t.name}" is memoized but has a side effect (${sideEffect.startsWith('its name') ? sideEffect : `"${sideEffect.trim()}"`}): a cache hit skips it, so an image can ship unsigned or unpushed`, 'Remove memoize from signing, attestation, push and deploy steps.'));
      const missing = [!str(m.key) && 'key', !str(m.maxAge) && 'maxAge', !str(m.cache?.configMap?.name) && 'cache.configMap.name'].filter(Boolean);
      if (missing.length) out.push(at(t.resource, here, `template "${t.name}" memoize lacks ${missing.join(', ')} (required by the CRD)`));
      if (str(m.key) && !str(m.key)!.includes('{{')) out.push(at(t.resource, ptr(here, 'key'), `template "${t.name}" memoize key "${str(m.key)}" is constant: the first result is reused for every input until maxAge`, 'Build the key from the inputs, e.g. `"{{inputs.parameters.commit}}"`.'));
    }
    return out;
  },
};
