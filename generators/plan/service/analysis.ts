// AnalysisTemplates of a service (in its base) and the arguments a Rollout passes them per
// environment. Two metrics from Prometheus, success rate and p95 latency, and an HTTP check of
// the version under test run as a Job (with `smokeTest`, and always for blue-green, whose preview
// receives no user traffic before promotion).
//
// No data is decided explicitly, per environment (environments[].analysis.noData), never by a
// constant in the query: the queries return an empty vector when the new version has served no
// request (Argo Rollouts then evaluates `result == []`, metricproviders/prometheus), and the
// conditions turn that into the environment's verdict: `pass`, `fail` (abort, roll back) or
// `inconclusive` (neither condition holds: Rollouts pauses for a human). With data, a measurement
// is Successful or Failed, never Inconclusive. A query that errors (Prometheus down) still errors
// and aborts after consecutiveErrorLimit.
//
// Which series: with Istio, the sidecars' telemetry for the canary (or active) Service. With any
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
  // (good, or 0 when every request failed) / (all, only when > 0): no requests -> empty vector.
  return `(${good} or on() vector(0)) / (${all} > 0)`;
}

export function latencyQuery(flavour: Flavour): string {
  const [bucket, toMs] = flavour === 'istio' ? ['istio_request_duration_milliseconds_bucket', ''] : ['http_request_duration_seconds_bucket', ' * 1000'];
  // histogram_quantile over zero rates is NaN; `>= 0` drops it: no requests -> empty vector.
  return `(histogram_quantile(0.95, sum by (le) (rate(${bucket}{${selector(flavour)}}[${RATE_WINDOW}])))${toMs}) >= 0`;
}

/** The argument carrying the environment's verdict without data (NoDataVerdict). */
export const NO_DATA_ARG = 'no-data';

/**
 * Both conditions, so that without data the environment's verdict decides: `pass` makes the
 * success condition true, `fail` the failure condition, `inconclusive` neither (evaluate.go:
 * neither -> Inconclusive). With data, exactly one of them holds (NaN fails).
 */
export function conditions(pass: string, fail: string): { successCondition: string; failureCondition: string } {
  return {
    successCondition: `len(result) > 0 ? (!isNaN(result[0]) && result[0] ${pass}) : "{{args.${NO_DATA_ARG}}}" == "pass"`,
    failureCondition: `len(result) > 0 ? (isNaN(result[0]) || result[0] ${fail}) : "{{args.${NO_DATA_ARG}}}" == "fail"`,
  };
}

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

function prometheusMetric(p: Platform, name: string, query: string, c: { successCondition: string; failureCondition: string }) {
  return {
    name,
    ...MEASUREMENT,
    ...c,
    provider: { prometheus: { address: p.delivery.prometheus, timeout: 30, query } },
  };
}

/** The HTTP check of the version under test: a Job whose success is the measurement. */
export const smokePath = (s: Service) => s.smokeTest?.path ?? s.healthPath;
/** Blue-green always exercises its preview before promotion; canaries with `smokeTest`. */
export const hasSmokeTemplate = (s: Service) => !!s.smokeTest || s.strategy === 'blueGreen';

export function analysisTemplates(p: Platform, s: Service, names: ServiceNames): AnalysisTemplateData[] {
  const flavour = flavourOf(p);
  const careful = ANALYSIS_THRESHOLDS.careful;
  const templates: AnalysisTemplateData[] = [
    {
      name: names.successRateTemplate,
      comment: `Share of ${s.name} requests of the new version answered without a 5xx.`,
      labels: serviceLabels(s),
      args: [...declaredArgs(flavour), { name: 'min-success-rate', value: careful.minSuccessRate }, { name: NO_DATA_ARG, value: 'fail' }],
      metrics: [prometheusMetric(p, 'success-rate', successRateQuery(flavour), conditions('>= {{args.min-success-rate}}', '< {{args.min-success-rate}}'))],
    },
    {
      name: names.latencyTemplate,
      comment: `95th percentile latency of ${s.name} requests of the new version, in milliseconds.`,
      labels: serviceLabels(s),
      args: [...declaredArgs(flavour), { name: 'max-latency-ms', value: careful.maxLatencyMs }, { name: NO_DATA_ARG, value: 'fail' }],
      metrics: [prometheusMetric(p, 'latency-p95', latencyQuery(flavour), conditions('<= {{args.max-latency-ms}}', '> {{args.max-latency-ms}}'))],
    },
  ];
  if (hasSmokeTemplate(s))
    templates.push({
      name: names.smokeTestTemplate,
      comment: `GET ${smokePath(s)} on the new version must answer 2xx (a Job: its success is the measurement).`,
      labels: serviceLabels(s),
      args: [{ name: 'service' }],
      metrics: [
        {
          name: 'smoke-test',
          failureLimit: 0,
          provider: {
            job: {
              metadata: { labels: serviceLabels(s) },
              spec: { backoffLimit: 0, activeDeadlineSeconds: 120, template: smokeTestPodTemplate(p, s, serviceUrl('{{args.service}}', smokePath(s)), 'analysis') },
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
 * carrying the version under test (the canary, or after a blue-green switch the active one); the
 * new ReplicaSet's hash is "Latest"; `no-data` is the environment's verdict without samples.
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
  return [{ name: 'namespace', value: e.namespace }, ...version, { name: 'min-success-rate', value: t.minSuccessRate }, { name: 'max-latency-ms', value: t.maxLatencyMs }, { name: NO_DATA_ARG, value: e.env.analysisNoData }];
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
