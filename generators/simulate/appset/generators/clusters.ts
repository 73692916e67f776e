// applicationset/generators/cluster.go: one parameter set per cluster Secret matching the
// selector (plus the argocd.argoproj.io/secret-type=cluster label), one per name; then the local
// cluster, named in-cluster, when no selector is set and no selected Secret has its server.
// Go iterates a map of Secrets by name, so its order varies; here it is sorted by name.
import { compareGoStrings, typed, type GoMap } from '../go/values.ts';
import { ControllerError } from '../render.ts';
import { Selector, type LabelSelector } from '../selector.ts';
import { sanitizeName } from '../funcs/argo.ts';
import type { ClusterView } from '../types.ts';
import type { GenContext } from './context.ts';
import { appendTemplatedValues } from './values.ts';

export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

function clusterParams(c: ClusterView, goTemplate: boolean): GoMap {
  const params: GoMap = {
    name: c.name,
    nameNormalized: sanitizeName(c.name),
    server: c.server,
    project: c.project ?? '',
  };
  const labels = { [SECRET_TYPE_LABEL]: 'cluster', ...c.labels };
  const annotations = { ...c.annotations };
  if (goTemplate) {
    const meta: GoMap = {};
    if (Object.keys(annotations).length > 0) meta.annotations = typed(annotations, 'map[string]string');
    meta.labels = typed(labels, 'map[string]string');
    params.metadata = meta;
  } else {
    for (const [k, v] of Object.entries(annotations)) params['metadata.annotations.' + k] = v;
    for (const [k, v] of Object.entries(labels)) params['metadata.labels.' + k] = v;
  }
  return params;
}

export function clustersParams(spec: Record<string, unknown>, g: GenContext): GoMap[] {
  const { goTemplate, goTemplateOptions } = g.appSet;
  const selectorSpec = (spec.selector ?? {}) as LabelSelector;
  const ignoreLocal = (selectorSpec.matchExpressions ?? []).length > 0 || Object.keys(selectorSpec.matchLabels ?? {}).length > 0;
  let selector: Selector;
  try {
    selector = Selector.from(selectorSpec, true);
  } catch (e) {
    throw new ControllerError(`error getting cluster secrets: error converting label selector: ${(e as Error).message}`);
  }
  const byName = new Map<string, ClusterView>();
  for (const c of g.ctx.clusters) {
    const labels = { [SECRET_TYPE_LABEL]: 'cluster', ...c.labels };
    if (selector.matches(labels)) byName.set(c.name, c);
  }
  const selected = [...byName.values()].sort((a, b) => compareGoStrings(a.name, b.name));
  const values = spec.values as Record<string, unknown> | undefined;
  const res: GoMap[] = [];
  for (const c of selected) {
    const params = clusterParams(c, goTemplate);
    try {
      appendTemplatedValues(values, params, goTemplate, goTemplateOptions);
    } catch (e) {
      throw new ControllerError(`error appending templated values for cluster: ${(e as Error).message}`);
    }
    res.push(params);
  }
  if (!ignoreLocal && !selected.some((c) => c.server === IN_CLUSTER_SERVER)) {
    const params: GoMap = { name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, project: '' };
    try {
      appendTemplatedValues(values, params, goTemplate, goTemplateOptions);
    } catch (e) {
      throw new ControllerError(`error appending templated values for local cluster: ${(e as Error).message}`);
    }
    res.push(params);
  }
  return spec.flatList === true ? [{ clusters: res }] : res;
}
