import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

export const rolloutTrafficRouting: Rule = {
  id: 'RO001',
  name: 'rollout-traffic-routing',
  severity: 'error',
  scope: 'resource',
  description: 'Canary with trafficRouting but without two distinct `stableService`/`canaryService` (or ping/pong services), or using setCanaryScale, dynamicStableScale or scaleDownDelaySeconds without trafficRouting.',
  fix: 'Give the canary two different Services (stableService, canaryService) selected by the router, or drop the options that need trafficRouting.',
  source: 'security.md §2.1, rule 25; argo-rollouts pkg/apis/rollouts/validation/validation.go',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('Rollout')) {
      const canary = r.obj.spec?.strategy?.canary;
      if (!isObj(canary)) continue;
      const base = '/spec/strategy/canary';
      if (isObj(canary.trafficRouting)) {
        const pingPong = isObj(canary.pingPong);
        const [a, b, names] = pingPong ? [str(canary.pingPong.pingService), str(canary.pingPong.pongService), 'pingService/pongService'] : [str(canary.stableService), str(canary.canaryService), 'stableService/canaryService'];
        if (!a || !b) out.push(at(r, pingPong ? ptr(base, 'pingPong') : base, `trafficRouting needs both ${names}; the controller rejects the Rollout`));
        else if (a === b) out.push(at(r, pingPong ? ptr(base, 'pingPong') : ptr(base, 'canaryService'), `${names} are both "${a}": two different Services are required to split traffic`));
      } else {
        if (asArray(canary.steps).some((s) => isObj(s) && s.setCanaryScale !== undefined))
          out.push(at(r, ptr(base, 'steps'), 'setCanaryScale steps need trafficRouting; without it replica counts are the only traffic split'));
        for (const field of ['dynamicStableScale', 'scaleDownDelaySeconds'])
          if (canary[field] !== undefined) out.push(at(r, ptr(base, field), `${field} needs trafficRouting`));
      }
    }
    return out;
  },
};
