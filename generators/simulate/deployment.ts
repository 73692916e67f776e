// Where everything lands: each Application's inventory placed on the cluster its destination
// resolves to, with the namespace each namespaced object ends up in. Shared by the reference
// checks (does anything create what this references, on that cluster?) and by `apps`.
import { componentOfChart, type DeployedObject, chartInventory, factsOf, type Inventory, withFacts } from './inventory.ts';
import type { FactKey } from './repo-facts.ts';
import { groupKind, isClusterScoped } from './kube.ts';
import { isOwnRepo, resolveDestination, sourcesOf, type AppRecord, type RepoModel } from './model.ts';
import { upstreamComponents } from '../model/components.ts';

export interface Placed {
  obj: DeployedObject;
  /** The Application that deploys it; undefined for what the bootstrap commands apply. */
  app?: AppRecord;
  /** `Application x` or the bootstrap command. */
  by: string;
  cluster: string;
  /** Effective namespace (undefined for cluster-scoped objects). */
  namespace?: string;
}

/** CRD scopes known from the component table and from CRDs the repository itself holds. */
export function crdScopes(objects: Iterable<DeployedObject>): Map<string, string> {
  const scopes = new Map<string, string>();
  for (const c of upstreamComponents) for (const d of c.crds) scopes.set(groupKind(d.group, d.kind), d.scope);
  for (const o of objects) if (o.defines) scopes.set(groupKind(o.defines.group, o.defines.kind), o.defines.scope);
  return scopes;
}

const inventories = new WeakMap<RepoModel, WeakMap<AppRecord, Inventory>>();

/**
 * Everything an Application's sources deploy (this repository's paths and known charts), once
 * per model and Application: placing and the walk both ask for every Application's.
 */
export function inventoryOfApp(model: RepoModel, a: AppRecord): Inventory {
  let byApp = inventories.get(model);
  if (!byApp) inventories.set(model, (byApp = new WeakMap()));
  let inv = byApp.get(a);
  if (!inv) byApp.set(a, (inv = inventoryOfAppOnce(model, a)));
  return inv;
}

function inventoryOfAppOnce(model: RepoModel, a: AppRecord): Inventory {
  // One source, a path of this repository (every generated Application of a fleet): the path's
  // inventory itself (shared by the Applications that deploy the same path; nothing changes an
  // inventory once built).
  const spec = a.manifest?.spec;
  const only = spec?.source && !(Array.isArray(spec.sources) && spec.sources.length) ? spec.source : undefined;
  if (only && !(only.ref && only.path === undefined && !only.chart) && !only.chart && isOwnRepo(model, only.repoURL) && typeof only.path === 'string') {
    const p = model.inventory.ofPath(only.path, { recurse: !!only.directory?.recurse });
    return withFacts({ objects: p.objects, unmodelled: p.unmodelled, missing: p.missing, type: 'directory' }, factsOf(p));
  }
  const facts: FactKey[] = [];
  const inv: Inventory = withFacts({ objects: [], unmodelled: [], missing: [], type: 'directory' }, facts);
  for (const { pointer, source } of sourcesOf(a.manifest?.spec)) {
    // A `ref` source without a path or chart only lends its files ($ref/... value files) to the
    // other sources: it deploys nothing itself (Argo CD multi-source Applications).
    if (source?.ref && source.path === undefined && !source.chart) continue;
    if (source?.chart) {
      const known = componentOfChart(String(source.repoURL), String(source.chart), String(source.targetRevision ?? ''));
      if (!known.component) {
        inv.unmodelled.push({ file: a.file, pointer: `${a.at}${pointer}`, value: `${source.chart}@${source.targetRevision}`, reason: 'chart not in the component table', ...(known.older ? { olderPin: known.older } : {}) });
        continue;
      }
      const c = chartInventory(source, a.name);
      inv.objects.push(...c.objects.map((o) => ({ ...o, file: a.file, pointer: `${a.at}${pointer}` })));
      continue;
    }
    if (isOwnRepo(model, source?.repoURL) && typeof source?.path === 'string') {
      const p = model.inventory.ofPath(source.path, { recurse: !!source.directory?.recurse });
      facts.push(...factsOf(p));
      inv.objects.push(...p.objects);
      inv.unmodelled.push(...p.unmodelled);
      inv.missing.push(...p.missing);
      continue;
    }
    if (source?.repoURL) inv.unmodelled.push({ file: a.file, pointer: `${a.at}${pointer}/repoURL`, value: String(source.repoURL), reason: 'another repository (not read offline)' });
  }
  return inv;
}

export function placeAll(model: RepoModel): { placed: Placed[]; scopes: Map<string, string>; unmodelled: { app: AppRecord; source: Inventory['unmodelled'][number] }[] } {
  const invs = model.applications.map((a) => ({ a, inv: inventoryOfApp(model, a) }));
  const unmodelled = invs.flatMap(({ a, inv }) => inv.unmodelled.map((source) => ({ app: a, source })));
  // Inventories are shared by the Applications that deploy one path: each list is read once. The
  // last occurrence of each list keeps its place, so every kind's last definition still wins.
  const lists = new Map<readonly DeployedObject[], true>();
  for (const { inv } of invs) {
    lists.delete(inv.objects);
    lists.set(inv.objects, true);
  }
  const scopes = crdScopes((function* () { for (const list of lists.keys()) yield* list; })());
  const scopedOf = new Map<readonly DeployedObject[], boolean[]>();
  const placed: Placed[] = [];
  for (const { a, inv } of invs) {
    const cluster = resolveDestination(model, model.clusters, a.manifest?.spec?.destination);
    if (!cluster) continue;
    const destNs = a.manifest?.spec?.destination?.namespace;
    const by = `Application ${a.name}`;
    let scoped = scopedOf.get(inv.objects);
    if (!scoped) scopedOf.set(inv.objects, (scoped = inv.objects.map((o) => isClusterScoped(o.group, o.kind, scopes))));
    inv.objects.forEach((obj, i) => placed.push({ obj, app: a, by, cluster: cluster.server, namespace: scoped[i] ? undefined : (obj.namespace ?? destNs) }));
  }
  return { placed, scopes, unmodelled };
}
