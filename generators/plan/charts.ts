// Chart services (apps/<tenant>/<service>, `services[]` with `chart`): a Helm chart deployed as a
// service, rendered the way Argo CD 3.x multi-source Applications take a chart and the values
// that live in Git: one source is the chart (pinned to an exact version per environment), the
// other this repository as `ref: values`, whose files the chart source names as
// `$values/<path>` (reposerver getResolvedRefValueFile: the first segment names the ref source,
// the rest is a path from that repository's root).
//
//   apps/<tenant>/<service>/values.yaml             values for every environment (services[].values)
//   apps/<tenant>/<service>/envs/<env>/values.yaml  this environment's (overrides.<env>.values), last
//   apps/<tenant>/<service>/envs/<env>/target.json  registers the environment with the service's
//                                                   ApplicationSet, with the chart version it runs
//   argocd/apps/chart-<service>.yaml                the ApplicationSet: environments x clusters,
//                                                   promoted in order by RollingSync, like a tenant's
//
// A dedicated ApplicationSet per chart service keeps the chart's repository and name hard-coded
// in one reviewed file (never taken from a file a tenant writes); the tenant's AppProject lists
// the chart repository in sourceRepos (projects.ts) and nothing else changes for the tenant.
import type { ChartService, Platform } from '../model/types.ts';
import { tenantNamespace } from '../model/names.ts';
import { WAVES, type PlannedFile } from './types.ts';

const chartDir = (c: ChartService) => `apps/${c.tenant}/${c.name}`;

/** The environments of the service in promotion order, with what each runs. */
const chartEnvironments = (p: Platform, c: ChartService) => p.environments.filter((e) => c.environments.includes(e.name));

/** The files under apps/: values and the target of each environment. */
export function planCharts(p: Platform): PlannedFile[] {
  return p.charts.flatMap((c) => {
    const envs = chartEnvironments(p, c);
    if (!envs.length) return [];
    const dir = chartDir(c);
    return [
      { path: `${dir}/values.yaml`, owner: 'managed' as const, template: 'service/chart-values.yaml.hbs', data: { comment: `Helm values of ${c.name} (chart ${c.chart.name}) in every environment; envs/<env>/values.yaml come after these.`, values: c.values } },
      ...envs.flatMap((e): PlannedFile[] => [
        { path: `${dir}/envs/${e.name}/values.yaml`, owner: 'managed', template: 'service/chart-values.yaml.hbs', data: { comment: `Helm values of ${c.name} in ${e.name}, over ../../values.yaml (chart ${c.chart.name} ${c.overrides[e.name].chartVersion}).`, values: c.overrides[e.name].values } },
        // Exactly the keys the chart ApplicationSet's template reads.
        { path: `${dir}/envs/${e.name}/target.json`, owner: 'managed', json: { tenant: c.tenant, service: c.name, env: e.name, namespace: tenantNamespace(c.namespace, e.name), chartVersion: c.overrides[e.name].chartVersion } },
      ]),
    ];
  });
}

/** The repositories a tenant's charts come from, as Applications name them (its AppProject's sourceRepos). */
export const chartRepos = (p: Platform, tenant: string) => [...new Set(p.charts.filter((c) => c.tenant === tenant && c.environments.length).map((c) => c.chart.repoURL))].sort();

/** One ApplicationSet per chart service (argocd/apps/chart-<service>.yaml). */
export function chartAppSets(p: Platform): PlannedFile[] {
  return p.charts.flatMap((c) => {
    const envs = chartEnvironments(p, c);
    const tenant = p.tenants.find((t) => t.name === c.tenant);
    if (!envs.length || !tenant) return [];
    // As the tenant's own ApplicationSet (apps.ts): registered clusters only (a spoke waiting for
    // its sealed token is in no selector and no step), no ApplicationSet while none is reached.
    const everyCluster = p.clusters.filter((k) => k.registered && k.environments.some((e) => tenant.environments.includes(e))).map((k) => k.name);
    const reachable = tenant.clusters.filter((name) => everyCluster.includes(name));
    const restricted = reachable.length !== everyCluster.length;
    const reached = new Set(p.clusters.filter((k) => k.registered && reachable.includes(k.name)).flatMap((k) => k.environments));
    const steps = envs.filter((e) => reached.has(e.name));
    if (!steps.length) return [];
    const dir = chartDir(c);
    return [
      {
        path: `argocd/apps/chart-${c.name}.yaml`,
        owner: 'managed' as const,
        template: 'apps/chart-appset.yaml.hbs',
        data: {
          name: `chart-${c.name}`,
          namespace: p.argocd.namespace,
          wave: String(WAVES.tenants),
          service: c.name,
          tenant: c.tenant,
          project: c.tenant,
          order: envs.map((e) => e.name).join(' -> '),
          chartRepo: c.chart.repo,
          chartRepoUrl: c.chart.repoURL,
          oci: c.chart.oci,
          chart: c.chart.name,
          repoUrl: p.repo.url,
          // Workloads track the branch promotions merge into, as the tenant's do.
          revision: p.repo.tenantRevision,
          targets: `${dir}/envs/*/target.json`,
          commonValues: `$values/${dir}/values.yaml`,
          // One path segment per template value: validate matches `$values/...` files by glob.
          envValues: `$values/${dir}/envs/{{ .env }}/values.yaml`,
          clusterSelector: restricted ? { matchExpressions: [{ key: 'cluster', operator: 'In', values: reachable }] } : null,
          steps: steps.map((e) => ({
            matchExpressions: [{ key: 'env', operator: 'In', values: [e.name] }],
            ...(e.caution === 'careful' ? { maxUpdate: 1 } : e.caution === 'standard' ? { maxUpdate: '50%' } : {}),
          })),
        },
      },
    ];
  });
}
