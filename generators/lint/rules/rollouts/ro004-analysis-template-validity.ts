import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, intOf, isObj, str, type Obj } from '../../util/values.ts';

/** Providers whose measurement is a value that needs a success or failure condition. */
const QUERY_PROVIDERS = new Set(['prometheus', 'datadog', 'newRelic', 'cloudWatch', 'graphite', 'influxdb', 'web', 'wavefront', 'skywalking']);

function checkMetric(r: ParsedResource, m: Obj, here: string, out: RuleFinding[]) {
  const name = str(m.name) ?? '?';
  const providers = Object.keys(isObj(m.provider) ? m.provider : {});
  if (providers.length !== 1) out.push(at(r, ptr(here, 'provider'), `metric "${name}" has ${providers.length} providers; exactly one is required`));
  const count = intOf(m.count);
  const failureLimit = m.failureLimit === undefined ? 0 : intOf(m.failureLimit);
  const successLimit = m.consecutiveSuccessLimit === undefined ? 0 : intOf(m.consecutiveSuccessLimit);
  const inconclusiveLimit = m.inconclusiveLimit === undefined ? 0 : intOf(m.inconclusiveLimit);
  if (failureLimit === -1 && successLimit === 0)
    out.push(at(r, ptr(here, 'failureLimit'), `metric "${name}" disables both failureLimit (-1) and consecutiveSuccessLimit (0): it can never conclude`));
  if (count !== undefined && count > 0) {
    if (failureLimit !== undefined && successLimit !== undefined && failureLimit >= 0 && successLimit >= 0 && count < failureLimit + successLimit)
      out.push(at(r, ptr(here, 'count'), `metric "${name}" count ${count} is less than failureLimit ${failureLimit} + consecutiveSuccessLimit ${successLimit}: the controller rejects it`, 'Raise count to at least failureLimit + consecutiveSuccessLimit.'));
    if (inconclusiveLimit !== undefined && count < inconclusiveLimit)
      out.push(at(r, ptr(here, 'count'), `metric "${name}" count ${count} is less than inconclusiveLimit ${inconclusiveLimit}`));
    if (count > 1 && m.interval === undefined)
      out.push(at(r, ptr(here, 'count'), `metric "${name}" takes ${count} measurements but has no interval: the controller rejects it`, 'Set `interval` (e.g. 1m) whenever count > 1.'));
  }
  const conditions = (['successCondition', 'failureCondition'] as const).filter((c) => typeof m[c] === 'string');
  if (!conditions.length && providers.some((p) => QUERY_PROVIDERS.has(p)))
    out.push(at(r, here, `metric "${name}" has neither successCondition nor failureCondition: every measurement is Inconclusive and the rollout pauses`));
  for (const c of conditions)
    if (/\bresult\s*\[/.test(m[c]) && !/\blen\s*\(\s*result\s*\)/.test(m[c]))
      out.push(at(r, ptr(here, c), `metric "${name}" ${c} "${m[c]}" indexes result[...] without a len(result) guard: an empty query result errors and, after consecutiveErrorLimit, aborts the rollout`, `Guard it: \`len(result) > 0 && ${m[c]}\` (fail on no data) or \`len(result) == 0 || ...\` (pass on no data).`));
}

export const analysisTemplateValidity: Rule = {
  id: 'RO004',
  name: 'analysis-template-validity',
  severity: 'error',
  scope: 'resource',
  description: 'AnalysisTemplate metric the controller rejects or that cannot conclude: count below failureLimit + consecutiveSuccessLimit, count > 1 without interval, both limits disabled, not exactly one provider, duplicate names, no condition, or `result[0]` without a `len(result)` guard.',
  fix: 'Keep count >= failureLimit + consecutiveSuccessLimit, set interval when count > 1, give each metric one provider and a condition guarded with len(result).',
  source: 'security.md §2.3, rule 28; argo-rollouts utils/analysis/factory.go ValidateMetric; rollouts#1466, #2101',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('AnalysisTemplate', 'ClusterAnalysisTemplate')) {
      const metrics = asArray(r.obj.spec?.metrics);
      const seen = new Set<string>();
      metrics.forEach((m, i) => {
        if (!isObj(m)) return;
        const here = ptr('/spec/metrics', i);
        const name = str(m.name);
        if (name !== undefined && seen.has(name)) out.push(at(r, ptr(here, 'name'), `metric name "${name}" is used twice; names must be unique`));
        if (name !== undefined) seen.add(name);
        checkMetric(r, m, here, out);
      });
    }
    return out;
  },
};
