// What Argo Rollouts v1.9.1 does with analysis: the Prometheus provider hands every sample of the
// result vector to the conditions (metricproviders/prometheus processResponse: an empty vector is
// `result == []`), and evaluate.EvaluateResult turns them into Successful, Failed or Inconclusive.

import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { perResource } from '../resource-memo.ts';
import { asArray, asObj, finding, isObj, ofKind, ofKindNamed, perResourceRule, ptr, str, type ControllerRule } from './util.ts';

const ANALYSIS_KINDS = ['AnalysisTemplate', 'ClusterAnalysisTemplate'];

/**
 * A constant the whole query falls back to (`... or on() vector(1)`, `or vector(0)`) at paren
 * depth 0: when the selected series have no samples (no traffic, wrong labels, a scrape gap)
 * Prometheus answers with the constant, and the measurement is that constant. Fallbacks inside
 * parentheses (a numerator `(good or on() vector(0)) / all`) only fill one operand.
 */
export function topLevelFallback(query: string): string | undefined {
  const re = /\bor\s+(?:on\s*\(\s*\)\s*)?vector\s*\(\s*(-?[0-9.]+(?:e[+-]?\d+)?)\s*\)/gi;
  for (const m of query.matchAll(re)) {
    let depth = 0;
    for (const ch of query.slice(0, m.index)) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth === 0) return m[1];
  }
  return undefined;
}

const constantFallback: ControllerRule = perResourceRule('rollouts/analysis-constant-fallback', ANALYSIS_KINDS, (r) =>
    asArray(r.obj.spec?.metrics).flatMap((metric, i) => {
      const query = str(asObj(asObj(asObj(metric).provider).prometheus).query);
      const constant = query === undefined ? undefined : topLevelFallback(query);
      if (constant === undefined) return [];
      return [
        finding(r, {
          rule: 'sim/rollouts/analysis-constant-fallback',
          severity: 'warning',
          path: ptr('spec', 'metrics', i, 'provider', 'prometheus', 'query'),
          message: `metric "${str(asObj(metric).name)}": with no samples (no traffic, a scrape gap, wrong labels) the query answers ${constant}, so Rollouts measures ${constant} and the conditions judge a value nothing produced: the analysis ${Number(constant) === 0 || Number(constant) === 1 ? 'passes' : 'decides'} without data`,
          fix: 'drop the constant fallback and decide explicitly what an empty result means in successCondition / failureCondition (len(result) == 0), per environment',
        }),
      ];
    }),
);

/** Providers that measure traffic: before promotion the preview Service has none. */
const TRAFFIC_PROVIDERS = ['prometheus', 'datadog', 'newRelic', 'wavefront', 'cloudWatch', 'graphite', 'influxdb', 'skywalking', 'kayenta'];

function templateNamed(resources: readonly ParsedResource[], rollout: ParsedResource, name: string | undefined, clusterTemplate: boolean): ParsedResource | undefined {
  const kind = clusterTemplate ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const candidates = ofKindNamed(resources, kind, name);
  // Prefer a template next to the Rollout (the same kustomize base).
  const dir = rollout.file.replace(/[^/]*$/, '');
  return candidates.find((t) => t.file.startsWith(dir)) ?? candidates[0];
}

/**
 * Blue-green: pre-promotion analysis runs while the preview Service is reachable only by whoever
 * calls it explicitly; users still reach the active version. A traffic metric there measures
 * requests nobody sends (and with a constant fallback, passes on nothing).
 */
const preTemplatesOf = (r: ParsedResource) => asArray(asObj(asObj(asObj(r.obj.spec?.strategy).blueGreen).prePromotionAnalysis).templates);

/** What a Rollout's pre-promotion analysis names: [index, templateName, clusterTemplateName, clusterScope]. */
type PreRef = [index: number, templateName: string | null, clusterTemplateName: string | null, clusterTemplate: boolean];
const preRefsOf = (r: ParsedResource): PreRef[] =>
  preTemplatesOf(r).flatMap((ref, i) => (isObj(ref) ? [[i, str(ref.templateName) ?? null, str(ref.clusterTemplateName) ?? null, ref.clusterScope === true || ref.clusterTemplateName !== undefined] as PreRef] : []));
const isPreRefs = (v: unknown): v is PreRef[] =>
  Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 4 && typeof x[0] === 'number' && (x[1] === null || typeof x[1] === 'string') && (x[2] === null || typeof x[2] === 'string') && typeof x[3] === 'boolean');
/** The names of an analysis template's metrics that measure traffic (null: a metric without a name). */
const trafficMetricsOf = (t: ParsedResource): (string | null)[] =>
  asArray(t.obj.spec?.metrics)
    .filter((m) => TRAFFIC_PROVIDERS.some((p) => p in asObj(asObj(m).provider)))
    .map((m) => str(asObj(m).name) ?? null);
const isNameList = (v: unknown): v is (string | null)[] => Array.isArray(v) && v.every((x) => x === null || typeof x === 'string');

/**
 * Per Rollout and per template, from earlier runs while their files are unchanged (the Rollout's
 * references, the template's traffic metrics): neither is parsed unless there is a finding to place.
 */
const previewWithoutTraffic: ControllerRule = (resources, memo) =>
  ofKind(resources, 'Rollout').flatMap((r) => {
    const refs = perResource(memo, 'rollouts/pre-promotion-refs', r.file, r.docIndex, () => preRefsOf(r), isPreRefs);
    const out: Finding[] = [];
    for (const [i, templateName, clusterTemplateName, clusterTemplate] of refs) {
      const template = templateNamed(resources, r, templateName ?? clusterTemplateName ?? undefined, clusterTemplate);
      if (!template) continue;
      const traffic = perResource(memo, 'rollouts/traffic-metrics', template.file, template.docIndex, () => trafficMetricsOf(template), isNameList);
      if (!traffic.length) continue;
      out.push(
        finding(r, {
          rule: 'sim/rollouts/preview-analysis-without-traffic',
          severity: 'warning',
          path: ptr('spec', 'strategy', 'blueGreen', 'prePromotionAnalysis', 'templates', i),
          message: `pre-promotion analysis ${templateName ?? clusterTemplateName ?? undefined} (${template.file}) measures traffic (${traffic.join(', ')}) of the preview Service, which receives no user traffic before promotion: it measures requests nobody sends`,
          fix: 'exercise the preview Service before promotion (a Job or web metric calling it), and measure real traffic after the switch (postPromotionAnalysis)',
        }),
      );
    }
    return out;
  });

export const rolloutsRules: ControllerRule[] = [constantFallback, previewWithoutTraffic];
