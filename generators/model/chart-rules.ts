// Rules of chart services (`services[]` with `chart`): what a chart service may set (its values,
// per environment too, and the exact chart version each environment runs) and what it may not
// (the image service's fields, which a chart configures through its values), where its chart
// comes from (an OCI registry or an https Helm repository), and that every version is exact:
// with a range Argo CD resolves the newest matching chart on every refresh (reposerver
// newHelmClientResolveRevision: versions.MaxVersion), so what runs would change with no commit.
import type { Problem } from './errors.ts';
import type { PlatformSpec } from './types.ts';

/** Fields of an image service that a chart service configures through its values instead. */
const IMAGE_FIELDS = ['image', 'tag', 'digest', 'port', 'strategy', 'replicas', 'cpu', 'memory', 'healthPath', 'host', 'migration', 'smokeTest', 'secrets', 'automountServiceAccountToken'] as const;
const IMAGE_OVERRIDES = ['tag', 'digest', 'replicas', 'cpu', 'memory', 'host'] as const;

/** SemVer 2 (optionally `v`-prefixed, as some charts tag): one exact version. */
export const EXACT_CHART_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const CHART_NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

function versionProblem(value: unknown, path: string): Problem[] {
  if (typeof value !== 'string' || EXACT_CHART_VERSION.test(value)) return [];
  return [{ path, message: `${JSON.stringify(value)} is not one exact chart version${/[~^*xX<>=|, ]/.test(value) ? ' (a range: Argo CD would deploy the newest matching chart on every refresh, without a commit)' : ''}`, fix: 'pin the exact version, e.g. 20.1.3 (helm search repo CHART --versions)' }];
}

function repoProblem(repo: string, path: string): Problem[] {
  const m = /^(oci|https?):\/\/([^/\s]+)(\/[^\s]*)?$/.exec(repo);
  if (!m) return [{ path, message: `${JSON.stringify(repo)} is not a chart repository URL`, fix: 'use oci://registry/path (an OCI registry) or https://host/path (a Helm repository)' }];
  if (m[1] === 'http') return [{ path, message: 'plain http:// exposes the chart (and any credentials) in transit', fix: 'use the https:// or oci:// address of the repository' }];
  if (m[1] === 'oci' && !(m[3] ?? '').replace(/\//g, '')) return [{ path, message: `${JSON.stringify(repo)} names a registry but no repository path`, fix: 'give the path the chart is pushed under, e.g. oci://ghcr.io/acme/charts' }];
  return [];
}

export function chartServiceRules(spec: PlatformSpec): Problem[] {
  const out: Problem[] = [];
  spec.services?.forEach((s, i) => {
    const at = `services[${i}]`;
    if (!s.chart) {
      for (const f of ['image', 'tag'] as const)
        if (s[f] === undefined) out.push({ path: `${at}.${f}`, message: `service "${s.name}" has no ${f}`, fix: f === 'image' ? 'set image (and tag), or chart to deploy a Helm chart' : 'set a pinned tag' });
      if (s.values !== undefined) out.push({ path: `${at}.values`, message: 'values are Helm values: only a chart service takes them', fix: 'set chart, or remove values' });
      for (const [env, o] of Object.entries(s.overrides ?? {}))
        for (const f of ['values', 'chartVersion'] as const)
          if (o?.[f] !== undefined) out.push({ path: `${at}.overrides.${env}.${f}`, message: `${f} applies to chart services only`, fix: 'set chart, or remove it' });
      return;
    }
    for (const f of IMAGE_FIELDS)
      if (s[f] !== undefined) out.push({ path: `${at}.${f}`, message: `a chart service is configured through its values, not ${f}`, fix: `remove ${f}; set what the chart needs under values (or overrides.<env>.values)` });
    out.push(...repoProblem(s.chart.repo, `${at}.chart.repo`));
    if (!CHART_NAME.test(s.chart.name)) out.push({ path: `${at}.chart.name`, message: `${JSON.stringify(s.chart.name)} is not a chart name`, fix: 'give the chart name alone (lower case, digits, - . _), the repository goes in chart.repo' });
    out.push(...versionProblem(s.chart.version, `${at}.chart.version`));
    for (const [env, o] of Object.entries(s.overrides ?? {})) {
      for (const f of IMAGE_OVERRIDES)
        if (o?.[f] !== undefined) out.push({ path: `${at}.overrides.${env}.${f}`, message: `a chart service is configured through its values, not ${f}`, fix: `remove it; set overrides.${env}.values instead` });
      out.push(...versionProblem(o?.chartVersion, `${at}.overrides.${env}.chartVersion`));
    }
    if (spec.ci?.sources?.[s.name]) out.push({ path: `ci.sources.${s.name}`, message: `"${s.name}" is a chart service: the pipeline builds images, not charts`, fix: 'remove the entry' });
  });
  return out;
}
