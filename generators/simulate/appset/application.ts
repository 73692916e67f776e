// From the merged ApplicationSet template to the Application the controller writes:
// template.GetTempApplication (name, namespace, labels, annotations, finalizers, spec), the
// namespace forced to the ApplicationSet's (appsets-in-any-namespace boundary),
// argo.NormalizeApplicationSpec as createOrUpdateInCluster applies it (project "" -> default,
// empty syncPolicy / helm / kustomize / directory dropped), and, with progressive syncs enabled
// and a RollingSync strategy with steps, automated sync switched off (SyncDesiredApplications:
// the controller syncs each step itself; prune comes from the template's automated.prune).
import { isEmptyValue } from './go/mergo.ts';
import { deepCopy, isGoMap } from './go/values.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (isGoMap(v) ? v : {});

/** GetTempApplication: only these metadata fields of the template reach the Application. */
export function templateApplication(template: Obj): Obj {
  const meta = obj(template.metadata);
  const metadata: Obj = {};
  for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers'])
    if (meta[k] !== undefined && meta[k] !== null) metadata[k] = deepCopy(meta[k]);
  return { metadata, spec: deepCopy(obj(template.spec)) };
}

const isZero = (v: unknown) => v === undefined || v === null || isEmptyValue(v);

function normalizeSource(source: Obj): void {
  for (const k of ['kustomize', 'helm'])
    if (isGoMap(source[k]) && Object.values(source[k] as Obj).every(isZero)) delete source[k];
  if (isGoMap(source.directory)) {
    const d = source.directory as Obj;
    const jsonnetZero = !isGoMap(d.jsonnet) || Object.values(d.jsonnet as Obj).every(isZero);
    if (d.recurse !== true && jsonnetZero) {
      const kept: Obj = {};
      if (typeof d.exclude === 'string' && d.exclude !== '') kept.exclude = d.exclude;
      if (typeof d.include === 'string' && d.include !== '') kept.include = d.include;
      if (Object.keys(kept).length > 0) source.directory = kept;
      else delete source.directory;
    }
  }
}

/** argo.NormalizeApplicationSpec; `inPlace` when the spec is the caller's own fresh copy. */
export function normalizeApplicationSpec(spec: Obj, inPlace = false): Obj {
  const out = inPlace ? spec : deepCopy(spec);
  if (out.project === undefined || out.project === '') out.project = 'default';
  const sp = out.syncPolicy;
  if (sp === null || (isGoMap(sp) && isZero(sp.automated) && isZero(sp.syncOptions) && isZero(sp.retry) && isZero(sp.managedNamespaceMetadata)))
    delete out.syncPolicy;
  if (Array.isArray(out.sources) && out.sources.length > 0) {
    // NormalizeSource is applied to copies of the sources in Go (range variable): no effect.
  } else if (isGoMap(out.source)) normalizeSource(out.source);
  return out;
}

export interface FinalizeOptions {
  namespace: string;
  rollingSync: boolean;
  /**
   * The Application was rendered for this call and nothing else holds it: its spec is
   * normalized in place instead of copied (thousands of generated Applications per fleet).
   */
  fresh?: boolean;
}

export function finalizeApplication(app: Obj, opts: FinalizeOptions): Obj {
  const metadata = { ...obj(app.metadata), namespace: opts.namespace };
  // A copy of its own either way (normalized in place only when fresh), so switching automated
  // sync off below changes nothing else.
  const spec = normalizeApplicationSpec(obj(app.spec), opts.fresh === true);
  if (opts.rollingSync && isGoMap(spec.syncPolicy) && isGoMap((spec.syncPolicy as Obj).automated)) {
    ((spec.syncPolicy as Obj).automated as Obj).enabled = false;
  }
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec };
}

/** progressivesync.RollingSyncStrategyEnabled */
export function rollingSyncEnabled(appSetSpec: Obj): boolean {
  const strategy = obj(appSetSpec.strategy);
  const rolling = strategy.rollingSync;
  return strategy.type === 'RollingSync' && isGoMap(rolling) && Array.isArray(rolling.steps) && rolling.steps.length > 0;
}
