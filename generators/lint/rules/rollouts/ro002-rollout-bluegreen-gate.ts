import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { isObj, str } from '../../util/values.ts';

export const rolloutBlueGreenGate: Rule = {
  id: 'RO002',
  name: 'rollout-bluegreen-gate',
  severity: 'error',
  scope: 'resource',
  description: 'Blue-green Rollout whose cutover is not gated by prePromotionAnalysis (worst with auto-promotion on and no `autoPromotionSeconds`), the same Service as active and preview, or scaleDownDelaySeconds under 30.',
  fix: 'Add `prePromotionAnalysis` and `autoPromotionEnabled: false` (or an explicit `autoPromotionSeconds`), two distinct Services, and `scaleDownDelaySeconds` >= 30.',
  source: 'security.md §2.2, rule 26; Argo Rollouts bluegreen.md; Datree rule 42',
  check(ctx) {
    const out: RuleFinding[] = [];
    const base = '/spec/strategy/blueGreen';
    for (const r of ctx.ofKind('Rollout')) {
      const bg = r.obj.spec?.strategy?.blueGreen;
      if (!isObj(bg)) continue;
      const active = str(bg.activeService);
      if (!active) out.push(at(r, base, 'blueGreen has no activeService'));
      else if (active === str(bg.previewService)) out.push(at(r, `${base}/previewService`, `previewService is the activeService "${active}": two different Services are required`));
      const autoPromote = bg.autoPromotionEnabled !== false && bg.autoPromotionSeconds === undefined;
      if (!isObj(bg.prePromotionAnalysis))
        out.push(at(r, base, autoPromote
          ? 'no prePromotionAnalysis and autoPromotionEnabled is not false: the new version takes all traffic as soon as it is ready, with no gate at all'
          : 'no prePromotionAnalysis: promotion is not gated by any metric', 'Add `prePromotionAnalysis` with an AnalysisTemplate of the service\'s success rate.'));
      const delay = bg.scaleDownDelaySeconds;
      if (typeof delay === 'number' && delay < 30)
        out.push(at(r, `${base}/scaleDownDelaySeconds`, `scaleDownDelaySeconds ${delay} is under 30: the old ReplicaSet can disappear before every node's iptables stops sending it traffic`, 'Use at least 30.'));
    }
    return out;
  },
};
