import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { asArray, isObj } from '../../util/values.ts';

export const rolloutCanaryAnalysis: Rule = {
  id: 'RO003',
  name: 'rollout-canary-analysis',
  severity: 'warning',
  scope: 'resource',
  description: 'Canary Rollout with no analysis at all (no background analysis, no analysis step, no experiment analysis): it promotes on time alone.',
  fix: 'Add `canary.analysis` (background) or `analysis` steps that check the canary\'s success rate and latency.',
  source: 'seed "Mistake 6: No analysis templates"; security.md §2, rule 27; Argo Rollouts analysis.md',
  check(ctx) {
    return ctx.ofKind('Rollout').flatMap((r) => {
      const canary = r.obj.spec?.strategy?.canary;
      if (!isObj(canary)) return [];
      const steps = asArray(canary.steps).filter(isObj);
      const analysed = isObj(canary.analysis) || steps.some((s) => isObj(s.analysis) || asArray(s.experiment?.analyses).length > 0);
      return analysed ? [] : [at(r, '/spec/strategy/canary', 'canary has no analysis: a failing version is promoted as soon as its pauses run out')];
    });
  },
};
