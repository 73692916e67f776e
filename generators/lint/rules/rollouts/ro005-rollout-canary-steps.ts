import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj } from '../../util/values.ts';

export const rolloutCanarySteps: Rule = {
  id: 'RO005',
  name: 'rollout-canary-steps',
  severity: 'warning',
  scope: 'resource',
  description: 'Canary without steps (a plain rolling update to 100%), or whose first traffic step is `setWeight: 100` (all traffic at once).',
  fix: 'Increase weight gradually with pauses between steps, e.g. 10, 25, 50 with analysis or timed pauses.',
  source: 'seed "Mistake 7: Immediate full rollout"; security.md rule 27',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('Rollout')) {
      const canary = r.obj.spec?.strategy?.canary;
      if (!isObj(canary)) continue;
      const steps = asArray(canary.steps);
      if (!steps.length) {
        out.push(at(r, canary.steps === undefined ? '/spec/strategy/canary' : '/spec/strategy/canary/steps', 'canary has no steps: the update goes to 100% at once like a Deployment, with no gate'));
        continue;
      }
      const first = steps.findIndex((s) => isObj(s) && typeof s.setWeight === 'number');
      if (first >= 0 && steps[first].setWeight >= 100)
        out.push(at(r, ptr('/spec/strategy/canary/steps', first, 'setWeight'), `the first weight step sends ${steps[first].setWeight}% of traffic to the new version at once`));
    }
    return out;
  },
};
