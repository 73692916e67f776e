// The per-Application part of the simulation as units across runs: for every Application, its
// checks (app-checks.ts), what it deploys that the simulation cannot see into, the CRDs it
// installs, and what its placed objects provide to and need of the reference checks
// (references.ts PlacedSummary). An ApplicationSet's Applications are one unit: with the
// simulation's cache (the pre-write check's sim.jsonl), their summaries are kept under a key of
// what every unit reads alike (the clusters, in-cluster, the repository URL) and the
// ApplicationSet's file, place and expansion, with the facts they read (the inventories' files
// and folders, the AppProjects by name, value file paths) and the CRD scopes their placement
// used; a later run takes them while every fact has the value it had, so adding a service
// checks and places its tenant's Applications only, and builds no other inventory. A summary
// kept without its detail whose needs are not all met is placed again (referenceFindings).
import type { Finding } from '../check/finding.ts';
import { sha256 } from '../io/manifest.ts';
import { checkApplication, checkAppSet, type CheckNote } from './app-checks.ts';
import { crdScopes, inventoryOfApp, type Placed } from './deployment.ts';
import { factsOf, type DeployedObject, type Inventory, type UnmodelledSource } from './inventory.ts';
import { groupKind, isClusterScoped } from './kube.ts';
import { clusterViews, resolveDestination, useCacheKey, type AppRecord, type AppSetRecord, type RepoModel } from './model.ts';
import { summarizeApp, type PlacedSummary } from './references.ts';
import { repoFactsOf, type FactKey, type FactValue } from './repo-facts.ts';
import type { ResourceMemo } from './resource-memo.ts';

export const APP_UNIT_CACHE_PREFIX = 'sim/apps/v3/';

/** One Application's part (see the top). */
export interface AppSummary {
  /** The server its destination resolves to; null when it resolves to nothing (then it places nothing). */
  cluster: string | null;
  findings: Finding[];
  unmodelled: UnmodelledSource[];
  /** The CRDs its inventory holds, in order: [group, kind, scope]. */
  defines: [string, string, string][];
  placed: PlacedSummary | null;
}

interface UnitEntry {
  facts: [kind: string, arg: string, value: FactValue][];
  /** sha256 of the CRD scopes the placement used (all Applications' CRDs over the component table's). */
  scopes: string;
  apps: AppSummary[];
  /** The ApplicationSet's own checks (app-checks.ts checkAppSet). */
  appSet: Finding[];
}

/**
 * A unit as the cache keeps it: every list of its summaries (findings, CRDs, each set of provides
 * and needs) once in `lists`, the Applications naming them by index (a tenant's Applications
 * share most: the kinds they need, the empty ones), so sim.jsonl holds a fraction of the JSON.
 */
interface PackedEntry {
  facts: UnitEntry['facts'];
  scopes: string;
  appSet: Finding[];
  lists: unknown[][];
  /** [cluster, findings, unmodelled, defines, placed lists (PLACED_LISTS order) or null]. */
  apps: [string | null, number, number, number, number[] | null][];
}
const PLACED_LISTS = ['installs', 'needKinds', 'sas', 'needSAs', 'stores', 'needStores', 'argoSecrets', 'istio', 'localFiles'] as const;

function pack(e: UnitEntry): PackedEntry {
  const lists: unknown[][] = [];
  const ids = new Map<string, number>();
  const id = (list: readonly unknown[]) => {
    const json = JSON.stringify(list);
    let i = ids.get(json);
    if (i === undefined) {
      ids.set(json, (i = lists.length));
      lists.push(JSON.parse(json));
    }
    return i;
  };
  return {
    facts: e.facts,
    scopes: e.scopes,
    appSet: e.appSet,
    lists,
    apps: e.apps.map((a) => [a.cluster, id(a.findings), id(a.unmodelled), id(a.defines), a.placed ? PLACED_LISTS.map((k) => id(a.placed![k])) : null]),
  };
}

/** The unit a cached value holds, or undefined when it is not one (of `n` Applications). */
function unpack(v: unknown, n: number): UnitEntry | undefined {
  const e = v as PackedEntry;
  if (!e || typeof e !== 'object' || !Array.isArray(e.facts) || !Array.isArray(e.appSet) || typeof e.scopes !== 'string' || !Array.isArray(e.lists) || !Array.isArray(e.apps) || e.apps.length !== n) return undefined;
  if (!e.facts.every((f) => Array.isArray(f) && f.length === 3 && typeof f[0] === 'string' && typeof f[1] === 'string') || !e.lists.every(Array.isArray)) return undefined;
  const list = (i: unknown): any[] | undefined => (typeof i === 'number' ? e.lists[i] : undefined);
  const apps: AppSummary[] = [];
  for (const a of e.apps) {
    if (!Array.isArray(a) || a.length !== 5 || (a[0] !== null && typeof a[0] !== 'string')) return undefined;
    const [findings, unmodelled, defines] = [list(a[1]), list(a[2]), list(a[3])];
    if (!findings || !unmodelled || !defines) return undefined;
    let placed: PlacedSummary | null = null;
    const p = a[4];
    if (p !== null) {
      if (!Array.isArray(p) || p.length !== PLACED_LISTS.length) return undefined;
      placed = { installs: list(p[0])!, needKinds: list(p[1])!, sas: list(p[2])!, needSAs: list(p[3])!, stores: list(p[4])!, needStores: list(p[5])!, argoSecrets: list(p[6])!, istio: list(p[7])!, localFiles: list(p[8])! };
      if (PLACED_LISTS.some((k) => !placed![k])) return undefined;
    }
    apps.push({ cluster: a[0], findings, unmodelled, defines, placed });
  }
  return { facts: e.facts, scopes: e.scopes, appSet: e.appSet, apps };
}

export interface Applications {
  /** Aligned with model.applications. */
  apps: AppSummary[];
  /** The placed objects that define kinds, in placing order (what the walk reads of the placement). */
  definitions: Placed[];
  /** App i's summary placed in this run (with its detail). */
  detailed(i: number): AppSummary;
  /** The ApplicationSets' own checks, in the model's order. */
  appSetFindings: Finding[];
}

/** Every Application's summary, from the cache where a unit's facts are unchanged. */
export function applications(model: RepoModel, memo: ResourceMemo | undefined): Applications {
  const cache = model.input.cache;
  const apps = model.applications;
  const first: Omit<AppSummary, 'placed'>[] = new Array(apps.length);
  const index = new Map<AppRecord, number>();
  apps.forEach((a, i) => index.set(a, i));
  /** Each generated Application's place among its ApplicationSet's. */
  const positions = new Map<AppRecord, number>();
  for (const s of model.appSets) s.applications.forEach((a, j) => positions.set(a, j));
  // The cached entry of each ApplicationSet unit whose facts hold.
  const kept = new Map<AppSetRecord, { key: string; entry?: UnitEntry; facts?: Map<string, readonly [string, string]> }>();
  const facts = repoFactsOf(model.input);
  const projectShas = new Map<string, string | null>();
  const value = (kind: string, arg: string): FactValue => {
    if (kind === 'has') return model.input.repo.files.has(arg);
    if (kind === 'projects') return sha256([...model.projects.keys()].join('\0'));
    if (kind === 'project') {
      let s = projectShas.get(arg);
      if (s === undefined) {
        const r = model.projects.get(arg);
        projectShas.set(arg, (s = r ? sha256(JSON.stringify([r.file, r.obj])) : null));
      }
      return s;
    }
    return facts.value([kind as FactKey[0], arg]);
  };
  const digest = cache ? sha256(JSON.stringify([clusterViews(model.clusters), model.argocd.inClusterEnabled, model.repoUrl ?? null, !!model.expand])) : '';
  if (cache)
    for (const s of model.appSets) {
      if (s.resultSha === undefined || !s.applications.length || s.applications.some((a) => !index.has(a))) continue;
      const key = APP_UNIT_CACHE_PREFIX + sha256(JSON.stringify([digest, s.file, s.resource.docIndex ?? null, s.name, s.resultSha, facts.fileSha(s.file)]));
      useCacheKey(cache, key);
      const known = unpack(cache.get(key), s.applications.length);
      if (known && known.facts.every(([k, a, v]) => value(k, a) === v)) {
        kept.set(s, { key, entry: known });
        s.applications.forEach((a, j) => {
          const { cluster, findings, unmodelled, defines } = known.apps[j];
          first[index.get(a)!] = { cluster, findings, unmodelled, defines };
        });
      } else kept.set(s, { key, facts: new Map([[`file\0${s.file}`, ['file', s.file]]]) });
    }
  // The others: checked and their inventories built now, noting what a unit reads.
  let sink: Map<string, readonly [string, string]> | undefined;
  const note: CheckNote = (kind, arg) => sink?.set(`${kind}\0${arg}`, [kind, arg]);
  const noteInventory = (inv: Inventory) => {
    if (sink) for (const f of factsOf(inv)) sink.set(`${f[0]}\0${f[1]}`, f as readonly [string, string]);
  };
  const inventory = model.inventory;
  inventory.observe = noteInventory;
  try {
    apps.forEach((a, i) => {
      const unit = a.appSet ? kept.get(a.appSet) : undefined;
      if (unit?.entry) return;
      sink = unit?.facts;
      const inv = inventoryOfApp(model, a);
      noteInventory(inv);
      first[i] = {
        cluster: resolveDestination(model, model.clusters, a.manifest?.spec?.destination)?.server ?? null,
        findings: checkApplication(model, a, note),
        unmodelled: inv.unmodelled,
        defines: definesOf(inv.objects),
      };
      sink = undefined;
    });
  } finally {
    inventory.observe = undefined;
    sink = undefined;
  }
  // The CRD scopes: the component table's, then every Application's CRDs in order (the last wins).
  const scopes = crdScopes([]);
  for (const f of first) for (const [group, kind, scope] of f.defines) scopes.set(groupKind(group, kind), scope);
  const scopesSha = sha256(JSON.stringify([...scopes]));
  const scopedOf = new WeakMap<readonly DeployedObject[], boolean[]>();
  const place = (i: number): PlacedSummary | null => {
    const a = apps[i];
    const cluster = first[i].cluster;
    if (cluster === null) return null;
    const destNs = a.manifest?.spec?.destination?.namespace;
    const by = `Application ${a.name}`;
    const objects = inventoryOfApp(model, a).objects;
    // Inventories are shared by the Applications that deploy one path: scopes asked once per list.
    let scoped = scopedOf.get(objects);
    if (!scoped) scopedOf.set(objects, (scoped = objects.map((o) => isClusterScoped(o.group, o.kind, scopes))));
    return summarizeApp({ objects, scoped, app: a, by, cluster, destNs }, memo);
  };
  const out: AppSummary[] = first.map((f, i) => {
    const unit = apps[i].appSet ? kept.get(apps[i].appSet!) : undefined;
    return { ...f, placed: unit?.entry && unit.entry.scopes === scopesSha ? unit.entry.apps[positions.get(apps[i])!].placed : place(i) };
  });
  // An ApplicationSet's own checks read its expansion and its file (a unit has Applications:
  // the checks of an empty one read the repository, app-checks.ts selectorsRemoved).
  const setFindings = new Map<AppSetRecord, Finding[]>();
  for (const s of model.appSets) setFindings.set(s, kept.get(s)?.entry?.appSet ?? checkAppSet(model, s));
  // New and changed units are kept (as JSON, what a later run reads back).
  if (cache)
    for (const [s, unit] of kept) {
      if (unit.entry && unit.entry.scopes === scopesSha) continue;
      const facts = unit.entry ? unit.entry.facts : [...unit.facts!.values()].map(([k, a]) => [k, a, value(k, a)] as UnitEntry['facts'][number]);
      const entry: UnitEntry = { facts, scopes: scopesSha, apps: s.applications.map((a) => withoutDetail(out[index.get(a)!])), appSet: setFindings.get(s)! };
      cache.set(unit.key, JSON.parse(JSON.stringify(pack(entry))));
    }
  const definitions: Placed[] = [];
  apps.forEach((a, i) => {
    const cluster = out[i].cluster;
    if (cluster === null) return;
    for (const [group, kind, scope] of out[i].defines) definitions.push({ obj: definitionObject(group, kind, scope), app: a, by: `Application ${a.name}`, cluster });
  });
  const detailedApps = new Map<number, AppSummary>();
  return {
    apps: out,
    appSetFindings: model.appSets.flatMap((s) => setFindings.get(s)!),
    definitions,
    detailed: (i) => {
      if (out[i].placed === null || out[i].placed!.detail) return out[i];
      let d = detailedApps.get(i);
      if (!d) detailedApps.set(i, (d = { ...out[i], placed: place(i) }));
      return d;
    },
  };
}

/** The CRDs of an inventory's objects, once per list (shared by the Applications of one path). */
const definesByList = new WeakMap<readonly DeployedObject[], [string, string, string][]>();
function definesOf(objects: readonly DeployedObject[]): [string, string, string][] {
  let d = definesByList.get(objects);
  if (!d) definesByList.set(objects, (d = objects.filter((o) => o.defines).map((o) => [o.defines!.group, o.defines!.kind, o.defines!.scope])));
  return d;
}

const withoutDetail = (a: AppSummary): AppSummary => {
  if (!a.placed) return a;
  const { detail: _, ...placed } = a.placed;
  return { ...a, placed };
};

/** What the walk reads of a placed CRD (its scope and who installs it). */
const definitionObject = (group: string, kind: string, scope: string): DeployedObject => ({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: '', wave: 0, defines: { group, kind, scope } });
