// AnalysisTemplates of a service (in its base) and the arguments a Rollout passes them per
// environment. Two metrics from Prometheus, success rate and p95 latency, and with `smokeTest` an
// HTTP check run as a Job.
//
// Queries never return an empty vector or NaN, and say explicitly what "no traffic" means: a
// version nobody has called yet has neither failed nor been slow, so the query answers 1 (success
// rate) or 0 (latency) instead of nothing. A query that errors (Prometheus down, bad address) still
// errors and aborts after consecutiveErrorLimit. Conditions guard len(result) and NaN anyway, so a
// hand-edited query cannot turn an empty result into an index error. Each metric has only a
// successCondition: every measurement is Successful or Failed, never Inconclusive (which would
// pause the rollout for a human and stall the ApplicationSet's RollingSync).
//
// Which series: with Istio, the sidecars' telemetry for the canary (or preview) Service. With any
// other router, the application's own metrics in the Prometheus convention
// (http_requests_total{code}, http_request_duration_seconds_bucket) of the new ReplicaSet's pods,
// found by the pod-template hash Argo Rollouts hands the analysis.

import type { Caution, Platform, Service } from '../../model/types.ts';
import type { ServiceNames } from './names.ts';
import type { ServiceInEnv } from './environments.ts';
import { serviceLabels } from './labels.ts';
import { serviceUrl, smokeTestPodTemplate } from './pods.ts';

/** Pass marks per environment caution: stricter the closer to production. */
export const ANALYSIS_THRESHOLDS: Record<Caution, { minSuccessRate: string; maxLatencyMs: string }> = {
  fast: { minSuccessRate: '0.90', maxLatencyMs: '1000' },
  standard: { minSuccessRate: '0.95', maxLatencyMs: '750' },
  careful: { minSuccessRate: '0.99', maxLatencyMs: '500' },
};

/**
 * Five measurements a minute apart, one failure tolerated (count 5 >= failureLimit 1 +
 * consecutiveSuccessLimit 0; interval is set because count > 1). Used inline as a gate, a run
 * takes about four minutes; used in the background it covers the first five minutes of a canary.
 */
export const MEASUREMENT = { interval: '1m', count: 5, failureLimit: 1, consecutiveErrorLimit: 3 } as const;
const RATE_WINDOW = '2m';

type Flavour = 'istio' | 'app';
const flavourOf = (p: Platform): Flavour => (p.delivery.router === 'istio' ? 'istio' : 'app');

/** Prometheus label matchers selecting the version under test, written with analysis args. */
function selector(flavour: Flavour): string {
  return flavour === 'istio'
    ? 'reporter="destination",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.service}}"'
    : 'namespace="{{args.namespace}}",pod=~"{{args.workload}}-{{args.pod-hash}}-.*"';
}

export function successRateQuery(flavour: Flavour): string {
  const [metric, notServerError] = flavour === 'istio' ? ['istio_requests_total', 'response_code!~"5.*"'] : ['http_requests_total', 'code!~"5.."'];
  const sel = selector(flavour);
  const good = `sum(rate(${metric}{${sel},${notServerError}}[${RATE_WINDOW}]))`;
  const all = `sum(rate(${metric}{${sel}}[${RATE_WINDOW}]))`;
  // (good or 0) / (all, only when > 0); no requests at all -> 1.
  return `((${good} or on() vector(0)) / (${all} > 0)) or on() vector(1)`;
}

export function latencyQuery(flavour: Flavour): string {
  const [bucket, toMs] = flavour === 'istio' ? ['istio_request_duration_milliseconds_bucket', ''] : ['http_request_duration_seconds_bucket', ' * 1000'];
  // histogram_quantile over zero rates is NaN; `>= 0` drops NaN; no requests at all -> 0 ms.
  return `((histogram_quantile(0.95, sum by (le) (rate(${bucket}{${selector(flavour)}}[${RATE_WINDOW}])))${toMs}) >= 0) or on() vector(0)`;
}

const guarded = (comparison: string) => `len(result) > 0 && !isNaN(result[0]) && result[0] ${comparison}`;

interface Arg {
  name: string;
  value?: string;
}

/** Arguments each template declares (a default only where a safe one exists). */
function declaredArgs(flavour: Flavour): Arg[] {
  const target = flavour === 'istio' ? [{ name: 'service' }] : [{ name: 'workload' }, { name: 'pod-hash' }];
  return [{ name: 'namespace' }, ...target];
}

export interface AnalysisTemplateData {
  name: string;
  comment: string;
  labels: Record<string, string>;
  args: Arg[];
  metrics: Record<string, unknown>[];
}

function prometheusMetric(p: Platform, name: string, query: string, successCondition: string) {
  return {
    name,
    ...MEASUREMENT,
    successCondition,
    provider: { prometheus: { address: p.delivery.prometheus, timeout: 30, query } },
  };
}

export function analysisTemplates(p: Platform, s: Service, names: ServiceNames): AnalysisTemplateData[] {
  const flavour = flavourOf(p);
  const careful = ANALYSIS_THRESHOLDS.careful;
  const templates: AnalysisTemplateData[] = [
    {
      name: names.successRateTemplate,
      comment: `Share of ${s.name} requests of the new version answered without a 5xx.`,
      labels: serviceLabels(s),
      args: [...declaredArgs(flavour), { name: 'min-success-rate', value: careful.minSuccessRate }],
      metrics: [prometheusMetric(p, 'success-rate', successRateQuery(flavour), guarded('>= {{args.min-success-rate}}'))],
    },
    {
      name: names.latencyTemplate,
      comment: `95th percentile latency of ${s.name} requests of the new version, in milliseconds.`,
      labels: serviceLabels(s),
      args: [...declaredArgs(flavour), { name: 'max-latency-ms', value: careful.maxLatencyMs }],
      metrics: [prometheusMetric(p, 'latency-p95', latencyQuery(flavour), guarded('<= {{args.max-latency-ms}}'))],
    },
  ];
  if (s.smokeTest)
    templates.push({
      name: names.smokeTestTemplate,
      comment: `GET ${s.smokeTest.path} on the new version must answer 2xx (a Job: its success is the measurement).`,
      labels: serviceLabels(s),
      args: [{ name: 'service' }],
      metrics: [
        {
          name: 'smoke-test',
          failureLimit: 0,
          provider: {
            job: {
              metadata: { labels: serviceLabels(s) },
              spec: { backoffLimit: 0, activeDeadlineSeconds: 120, template: smokeTestPodTemplate(p, s, serviceUrl('{{args.service}}', s.smokeTest.path), 'analysis') },
            },
          },
        },
      ],
    });
  return templates;
}

export interface RolloutArg {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

/**
 * Arguments for the success-rate and latency templates in one environment. `target` is the Service
 * of the version under test (canary or preview); the new ReplicaSet's hash is "Latest".
 */
export function metricArgs(p: Platform, s: Service, e: ServiceInEnv, target: string): RolloutArg[] {
  const t = ANALYSIS_THRESHOLDS[e.env.caution];
  const version: RolloutArg[] =
    flavourOf(p) === 'istio'
      ? [{ name: 'service', value: target }]
      : [
          { name: 'workload', value: s.name },
          { name: 'pod-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
        ];
  return [{ name: 'namespace', value: e.namespace }, ...version, { name: 'min-success-rate', value: t.minSuccessRate }, { name: 'max-latency-ms', value: t.maxLatencyMs }];
}

/** An analysis reference (inline step, background or pre-promotion) over the metric templates. */
export const metricAnalysis = (p: Platform, s: Service, names: ServiceNames, e: ServiceInEnv, target: string) => ({
  templates: [{ templateName: names.successRateTemplate }, { templateName: names.latencyTemplate }],
  args: metricArgs(p, s, e, target),
});

export const smokeTestAnalysis = (names: ServiceNames, target: string) => ({
  templates: [{ templateName: names.smokeTestTemplate }],
  args: [{ name: 'service', value: target }],
});
