// Whole-repository reference checks: what a deployed object needs must be created by something
// (an Application of the repository, the bootstrap commands, a pinned upstream component, or a
// declared prerequisite) on the same cluster. The bootstrap walk checks the order; these checks
// find what nothing creates at all, so one broken step early in the walk hides none of them.
import type { Finding } from '../check/finding.ts';
import type { Placed } from './deployment.ts';
import type { DeployedObject } from './inventory.ts';
import { perResource, type ResourceMemo } from './resource-memo.ts';
import { describeApp, simFinding } from './findings.ts';
import { groupKind, isBuiltInGroup } from './kube.ts';
import { LOCAL_SERVER, producedSecret } from './argo/secrets.ts';
import { appliesTo, type Prerequisite } from './prerequisites.ts';
import type { AppRecord, RepoModel } from './model.ts';

export interface ReferenceContext {
  model: RepoModel;
  placed: readonly Placed[];
  /** Clusters by server: Argo CD name, for prerequisites matching. */
  clusterNames: Map<string, string>;
  /** Per cluster server: sources deployed there that the simulation cannot see into. */
  unmodelled?: Map<string, string[]>;
  /** Facts of unchanged files from earlier runs (the pre-write check's cache). */
  memo?: ResourceMemo;
}

const where = (p: Placed) => (p.app ? describeApp(p.app) : p.by);
const at = (p: Placed) => ({ file: p.obj.file, path: p.obj.pointer ?? '', line: p.obj.line });

const prerequisitesByServer = new WeakMap<ReferenceContext, Map<string, Prerequisite[]>>();
/** The prerequisites declared for a cluster (once per cluster: asked for every placed object). */
export function prerequisitesOn(ctx: ReferenceContext, server: string): Prerequisite[] {
  let byServer = prerequisitesByServer.get(ctx);
  if (!byServer) prerequisitesByServer.set(ctx, (byServer = new Map()));
  let list = byServer.get(server);
  if (!list) {
    const name = ctx.clusterNames.get(server) ?? (server === LOCAL_SERVER ? 'in-cluster' : server);
    byServer.set(server, (list = ctx.model.prerequisites.items.filter((p) => appliesTo(p, { name, server }))));
  }
  return list;
}

export function checkReferences(ctx: ReferenceContext): Finding[] {
  return referenceFindings(ctx, [summarizePlaced(ctx.placed, ctx.memo)]);
}

/**
 * What one list of placed objects (an Application's, the bootstrap's) provides to the reference
 * checks and needs of them, as sets: the checks over a repository are the needs of every list
 * less what all lists provide. A need already met by the list's own objects is left out (what
 * all lists provide holds it). JSON but for `detail`: an ApplicationSet unit keeps the rest
 * across runs (app-units.ts); `detail` (the placed objects behind the needs, to word findings)
 * is there only when the list was placed in this run.
 */
export interface PlacedSummary {
  /** `cluster|group-kind` of the CRDs it installs. */
  installs: string[];
  /** [cluster, group, kind] of custom kinds it deploys and does not install itself. */
  needKinds: [string, string, string][];
  /** `cluster|namespace|name` of its ServiceAccounts, and of those it names and lacks. */
  sas: string[];
  needSAs: string[];
  /** `cluster|kind|namespace|name` of its secret stores, and of those it reads through and lacks. */
  stores: string[];
  needStores: string[];
  /** Secrets it produces on the local cluster, in order (argocd-cm `$secret:key`). */
  argoSecrets: { namespace: string | null; name: string; partOf: string | null; producer: string; file: string | null }[];
  /** Clusters of the Namespaces it deploys that enforce restricted and ask for Istio injection. */
  istio: string[];
  /** Files of what it places on the local cluster (the bootstrap's own objects are checked once). */
  localFiles: string[];
  detail?: PlacedDetail;
}

interface PlacedDetail {
  kinds: { p: Placed; gk: string }[];
  saRefs: { p: Placed; ref: ServiceAccountRef; ns: string | undefined }[];
  storeRefs: { p: Placed; ref: any; kind: string }[];
  istio: Placed[];
  /** What it places on the local cluster. */
  local: Placed[];
}

const ARGO_KINDS = ['Application', 'ApplicationSet', 'AppProject'];
const isStore = (o: DeployedObject) => o.group === 'external-secrets.io' && o.kind.endsWith('SecretStore');
const storeKey = (cluster: string, kind: string, ns: string | undefined, name: string) => `${cluster}|${kind}|${kind === 'SecretStore' ? ns : ''}|${name}`;

function istioCandidate(p: Placed): boolean {
  if (p.obj.kind !== 'Namespace' || p.obj.group !== '' || !p.obj.obj) return false;
  const labels = p.obj.obj.metadata?.labels ?? {};
  const injected = labels['istio-injection'] === 'enabled' || typeof labels['istio.io/rev'] === 'string';
  return injected && labels['pod-security.kubernetes.io/enforce'] === 'restricted';
}

/** The provides and needs of a list of placed objects (see PlacedSummary), with its detail. */
export function summarizePlaced(placed: readonly Placed[], memo: ResourceMemo | undefined): PlacedSummary {
  const installs = new Set<string>();
  /** The same as `installs`, by cluster (asked for every object). */
  const installed = new Map<string, Set<string>>();
  const sas = new Set<string>();
  const stores = new Set<string>();
  for (const p of placed) {
    const o = p.obj;
    if (o.defines) {
      const gk = groupKind(o.defines.group, o.defines.kind);
      installs.add(`${p.cluster}|${gk}`);
      (installed.get(p.cluster) ?? installed.set(p.cluster, new Set()).get(p.cluster)!).add(gk);
    }
    if (o.kind === 'ServiceAccount' && o.group === '') sas.add(`${p.cluster}|${p.namespace}|${o.name}`);
    if (isStore(o)) stores.add(storeKey(p.cluster, o.kind, p.namespace, o.name));
  }
  const detail: PlacedDetail = { kinds: [], saRefs: [], storeRefs: [], istio: [], local: [] };
  const needKinds: PlacedSummary['needKinds'] = [];
  const needSAs = new Set<string>();
  const needStores = new Set<string>();
  const argoSecrets: PlacedSummary['argoSecrets'] = [];
  const istio = new Set<string>();
  const localFiles = new Set<string>();
  const reported = new Set<string>();
  for (const p of placed) {
    const o = p.obj;
    if (!isBuiltInGroup(o.group) && o.kind) {
      const gk = groupKind(o.group, o.kind);
      if (!installed.get(p.cluster)?.has(gk) && !(p.cluster === LOCAL_SERVER && o.group === 'argoproj.io' && ARGO_KINDS.includes(o.kind))) {
        const key = `${gk}|${p.cluster}|${o.file}`;
        if (!reported.has(key)) {
          reported.add(key);
          needKinds.push([p.cluster, o.group, o.kind]);
          detail.kinds.push({ p, gk });
        }
      }
    }
    if (o.obj) {
      for (const ref of serviceAccountRefsOf(o, memo)) {
        const ns = ref.namespace ?? p.namespace;
        const key = `${p.cluster}|${ns}|${ref.name}`;
        if (sas.has(key)) continue;
        needSAs.add(key);
        detail.saRefs.push({ p, ref, ns });
      }
      if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
        const ref = o.obj.spec?.secretStoreRef;
        if (ref?.name) {
          const kind = ref.kind ?? 'SecretStore';
          const key = storeKey(p.cluster, kind, p.namespace, ref.name);
          if (!stores.has(key)) {
            needStores.add(key);
            detail.storeRefs.push({ p, ref, kind });
          }
        }
      }
    }
    if (istioCandidate(p)) {
      istio.add(p.cluster);
      detail.istio.push(p);
    }
    if (p.cluster === LOCAL_SERVER) {
      const s = producedSecret(o);
      if (s) argoSecrets.push({ namespace: s.namespace ?? p.namespace ?? null, name: s.name, partOf: s.labels['app.kubernetes.io/part-of'] ?? null, producer: s.producer, file: o.file ?? null });
      localFiles.add(String(o.file));
      detail.local.push(p);
    }
  }
  return {
    installs: [...installs], needKinds, sas: [...sas], needSAs: [...needSAs], stores: [...stores], needStores: [...needStores],
    argoSecrets, istio: [...istio], localFiles: [...localFiles], detail,
  };
}

/**
 * One Application's objects as placement sees them: `objects` (its inventory, shared by the
 * Applications that deploy one path), `scoped` (which of them are cluster-scoped: one array per
 * list and run), the Application, its cluster and destination namespace.
 */
export interface AppPlacement {
  objects: readonly DeployedObject[];
  scoped: readonly boolean[];
  app: AppRecord;
  by: string;
  cluster: string;
  destNs: unknown;
}

/**
 * summarizePlaced of one Application's placement, the same summary: every key it makes starts
 * with the cluster (`cluster|...`, an injective prefix) or, for the kinds' de-duplication, puts
 * the cluster after the group-kind (`gk|cluster|file`, injective in (gk, file) while the
 * group-kind holds no `|`), so the walk over the objects is done once per list, destination
 * namespace and whether the cluster is the local one (a fleet's overlay is placed on several
 * clusters), and each Application only prefixes its cluster. The detail's placed objects are
 * made when a finding asks for them (a fleet's thousands of summaries need none). A list whose
 * group-kinds hold a `|` takes the plain path.
 */
export function summarizeApp(at: AppPlacement, memo: ResourceMemo | undefined): PlacedSummary {
  const shape = shapeOf(at, memo);
  if (!shape) return summarizePlaced(placedList(at), memo);
  const c = at.cluster;
  const prefixed = (list: readonly string[]) => (list.length ? list.map((x) => `${c}|${x}`) : []);
  const local = c === LOCAL_SERVER;
  return {
    installs: prefixed(shape.installs),
    needKinds: shape.needKinds.length ? shape.needKinds.map((n) => [c, n.group, n.kind] as [string, string, string]) : [],
    sas: prefixed(shape.sas),
    needSAs: prefixed(shape.needSAs),
    stores: prefixed(shape.stores),
    needStores: prefixed(shape.needStores),
    argoSecrets: local ? shape.argoSecrets.map((x) => ({ ...x })) : [],
    istio: shape.istio.length ? [c] : [],
    localFiles: local ? [...shape.localFiles] : [],
    detail: new LazyDetail(shape, at, local),
  };
}

/** Where a placement puts its k-th object: none when cluster-scoped, else its own or the destination's namespace. */
const placedNamespace = (at: AppPlacement, k: number): string | undefined => (at.scoped[k] ? undefined : ((at.objects[k].namespace ?? at.destNs) as string | undefined));
/** The k-th object of a placement as summarizePlaced takes it. */
const placedAt = (at: AppPlacement, k: number): Placed => ({ obj: at.objects[k], app: at.app, by: at.by, cluster: at.cluster, namespace: placedNamespace(at, k) });

/** The placed objects of a placement, as summarizePlaced takes them. */
export const placedList = (at: AppPlacement): Placed[] => at.objects.map((_, k) => placedAt(at, k));

/** summarizePlaced's walk without the cluster (see summarizeApp): objects by their index. */
interface Shape {
  installs: string[];
  needKinds: { k: number; group: string; kind: string; gk: string }[];
  sas: string[];
  needSAs: string[];
  saRefs: { k: number; ref: ServiceAccountRef; ns: string | undefined }[];
  stores: string[];
  needStores: string[];
  storeRefs: { k: number; ref: any; kind: string }[];
  istio: number[];
  argoSecrets: PlacedSummary['argoSecrets'];
  localFiles: string[];
}

/** Shapes per `scoped` array (one per list and run), memo, local or not, destination namespace. */
const shapes = new WeakMap<readonly boolean[], { objects: readonly DeployedObject[]; memo: ResourceMemo | undefined; byNs: [Map<unknown, Shape | null>, Map<unknown, Shape | null>] }>();

function shapeOf(at: AppPlacement, memo: ResourceMemo | undefined): Shape | null {
  let entry = shapes.get(at.scoped);
  if (!entry || entry.memo !== memo || entry.objects !== at.objects) shapes.set(at.scoped, (entry = { objects: at.objects, memo, byNs: [new Map(), new Map()] }));
  const local = at.cluster === LOCAL_SERVER;
  const byNs = entry.byNs[local ? 1 : 0];
  let shape = byNs.get(at.destNs);
  if (shape === undefined) byNs.set(at.destNs, (shape = shapeOnce(at, local, memo)));
  return shape;
}

function shapeOnce(at: AppPlacement, local: boolean, memo: ResourceMemo | undefined): Shape | null {
  const { objects } = at;
  const nsOf = (k: number) => placedNamespace(at, k);
  const installs = new Set<string>();
  const sas = new Set<string>();
  const stores = new Set<string>();
  const storeSuffix = (kind: string, ns: string | undefined, name: string) => `${kind}|${kind === 'SecretStore' ? ns : ''}|${name}`;
  for (let k = 0; k < objects.length; k++) {
    const o = objects[k];
    if (o.defines) installs.add(groupKind(o.defines.group, o.defines.kind));
    if (o.kind === 'ServiceAccount' && o.group === '') sas.add(`${nsOf(k)}|${o.name}`);
    if (isStore(o)) stores.add(storeSuffix(o.kind, nsOf(k), o.name));
  }
  const shape: Shape = { installs: [...installs], needKinds: [], sas: [...sas], needSAs: [], saRefs: [], stores: [...stores], needStores: [], storeRefs: [], istio: [], argoSecrets: [], localFiles: [] };
  const needSAs = new Set<string>();
  const needStores = new Set<string>();
  const localFiles = new Set<string>();
  const reported = new Set<string>();
  for (let k = 0; k < objects.length; k++) {
    const o = objects[k];
    const ns = nsOf(k);
    if (!isBuiltInGroup(o.group) && o.kind) {
      const gk = groupKind(o.group, o.kind);
      if (gk.includes('|')) return null;
      if (!installs.has(gk) && !(local && o.group === 'argoproj.io' && ARGO_KINDS.includes(o.kind))) {
        const key = `${gk}|${o.file}`;
        if (!reported.has(key)) {
          reported.add(key);
          shape.needKinds.push({ k, group: o.group, kind: o.kind, gk });
        }
      }
    }
    if (o.obj) {
      for (const ref of serviceAccountRefsOf(o, memo)) {
        const refNs = ref.namespace ?? ns;
        const key = `${refNs}|${ref.name}`;
        if (sas.has(key)) continue;
        needSAs.add(key);
        shape.saRefs.push({ k, ref, ns: refNs });
      }
      if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
        const ref = o.obj.spec?.secretStoreRef;
        if (ref?.name) {
          const kind = ref.kind ?? 'SecretStore';
          const key = storeSuffix(kind, ns, ref.name);
          if (!stores.has(key)) {
            needStores.add(key);
            shape.storeRefs.push({ k, ref, kind });
          }
        }
      }
    }
    if (istioCandidate({ obj: o, by: '', cluster: '' })) shape.istio.push(k);
    if (local) {
      const s = producedSecret(o);
      if (s) shape.argoSecrets.push({ namespace: s.namespace ?? ns ?? null, name: s.name, partOf: s.labels['app.kubernetes.io/part-of'] ?? null, producer: s.producer, file: o.file ?? null });
      localFiles.add(String(o.file));
    }
  }
  shape.needSAs = [...needSAs];
  shape.needStores = [...needStores];
  shape.localFiles = [...localFiles];
  return shape;
}

/** A summary's detail, its placed objects made when first asked for (the same object per index). */
const NOTHING = Object.freeze([]) as never[];
class LazyDetail implements PlacedDetail {
  private readonly placed: Placed[] = [];
  private madeKinds?: PlacedDetail['kinds'];
  private madeSaRefs?: PlacedDetail['saRefs'];
  private madeStoreRefs?: PlacedDetail['storeRefs'];
  private madeIstio?: PlacedDetail['istio'];
  private madeLocal?: PlacedDetail['local'];
  constructor(
    private readonly shape: Shape,
    private readonly at: AppPlacement,
    private readonly isLocal: boolean,
  ) {}
  private p(k: number): Placed {
    return (this.placed[k] ??= placedAt(this.at, k));
  }
  get kinds(): PlacedDetail['kinds'] {
    if (!this.shape.needKinds.length) return NOTHING;
    return (this.madeKinds ??= this.shape.needKinds.map((n) => ({ p: this.p(n.k), gk: n.gk })));
  }
  get saRefs(): PlacedDetail['saRefs'] {
    if (!this.shape.saRefs.length) return NOTHING;
    return (this.madeSaRefs ??= this.shape.saRefs.map((r) => ({ p: this.p(r.k), ref: r.ref, ns: r.ns })));
  }
  get storeRefs(): PlacedDetail['storeRefs'] {
    if (!this.shape.storeRefs.length) return NOTHING;
    return (this.madeStoreRefs ??= this.shape.storeRefs.map((r) => ({ p: this.p(r.k), ref: r.ref, kind: r.kind })));
  }
  get istio(): PlacedDetail['istio'] {
    if (!this.shape.istio.length) return NOTHING;
    return (this.madeIstio ??= this.shape.istio.map((k) => this.p(k)));
  }
  get local(): PlacedDetail['local'] {
    if (!this.isLocal || !this.at.objects.length) return NOTHING;
    return (this.madeLocal ??= this.at.objects.map((_, k) => this.p(k)));
  }
}

/** What every list provides, for referenceFindings and summaryNeeded. */
interface Provided {
  installed: Set<string>;
  sas: Set<string>;
  stores: Set<string>;
}
function provided(summaries: readonly PlacedSummary[]): Provided {
  const out: Provided = { installed: new Set(), sas: new Set(), stores: new Set() };
  for (const s of summaries) {
    for (const k of s.installs) out.installed.add(k);
    for (const k of s.sas) out.sas.add(k);
    for (const k of s.stores) out.stores.add(k);
  }
  return out;
}

const kindMet = (ctx: ReferenceContext, have: Provided, [cluster, group, kind]: readonly [string, string, string]) =>
  have.installed.has(`${cluster}|${groupKind(group, kind)}`) || prerequisitesOn(ctx, cluster).some((q) => q.crds.some((c) => c.group === group && c.kinds.includes(kind)));
const istioMet = (ctx: ReferenceContext, cluster: string) => {
  const caps = prerequisitesOn(ctx, cluster).flatMap((q) => q.capabilities);
  return caps.includes('istio-cni') || caps.includes('istio-ambient');
};

/**
 * The reference findings of every list, in the lists' order. A summary without its detail (kept
 * from an earlier run) must have every need met by what all lists provide: `detailed(i)` is asked
 * for the summary placed again otherwise (see summaryUnmet).
 */
export function referenceFindings(ctx: ReferenceContext, summaries: readonly PlacedSummary[], detailed?: (i: number) => PlacedSummary, opts: { everyDetail?: boolean } = {}): Finding[] {
  const have = provided(summaries);
  const unmet = unmetTest(ctx, have);
  // Each detail entry is one of its summary's needs (kinds: needKinds in order, the others by
  // key), and a finding is made of an entry exactly when that need is unmet: the details of a
  // summary whose needs are all met give none, and are not read (nor placed again).
  // (`everyDetail`: every detail read, the plain path this is tested against.)
  const lists = summaries.map((s, i) => (opts.everyDetail ? (s.detail ? s : unmet(s) ? detailed!(i) : s) : !unmet(s) ? NO_NEEDS : s.detail ? s : detailed!(i)));
  const out: Finding[] = [];
  // Kinds used but installed by nobody (and declared by no prerequisite).
  const reported = new Set<string>();
  for (const s of lists)
    for (const { p, gk } of s.detail?.kinds ?? []) {
      if (have.installed.has(`${p.cluster}|${gk}`)) continue;
      if (prerequisitesOn(ctx, p.cluster).some((q) => q.crds.some((c) => c.group === p.obj.group && c.kinds.includes(p.obj.kind)))) continue;
      const key = `${gk}|${p.cluster}|${p.obj.file}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const { file, path, line } = at(p);
      // Sources the simulation cannot see into (another repository, a chart outside the component
      // table) may install it: then it is a warning, not a certainty.
      const unseen = ctx.unmodelled?.get(p.cluster) ?? [];
      const message = `${p.obj.kind} ${p.obj.name} (${gk}), deployed by ${where(p)} to ${ctx.clusterNames.get(p.cluster) ?? p.cluster}: no Application, bootstrap step or pinned component installs its CRD there and no prerequisite declares it${unseen.length ? ` (unless ${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ', ...' : ''}, which the simulation cannot read, does)` : ''}; the sync fails with "the server could not find the requested resource"`;
      out.push(simFinding('kind-not-installed', unseen.length ? 'warning' : 'error', file, path, message, `Install the CRD from the repository, or declare it in .gitops-scaffold/prerequisites.yaml (provides.crds) if the cluster comes with it.`, line));
    }
  // ServiceAccounts that stores (serviceAccountRef) and pods (serviceAccountName) name must exist.
  for (const s of lists)
    for (const { p, ref, ns } of s.detail?.saRefs ?? []) {
      if (have.sas.has(`${p.cluster}|${ns}|${ref.name}`)) continue;
      const isStore = p.obj.kind.endsWith('SecretStore');
      out.push(simFinding('serviceaccount-missing', 'error', p.obj.file, ref.pointer, `${p.obj.kind} ${p.obj.name} (${where(p)}) uses ServiceAccount ${ns}/${ref.name}, which nothing creates on ${ctx.clusterNames.get(p.cluster) ?? p.cluster}; ${isStore ? 'the store never becomes Ready and every ExternalSecret reading through it fails' : 'its pods are never created (serviceaccount not found)'}`, `Create ServiceAccount ${ref.name} in ${ns} (with the identity the provider expects), or reference one that exists.`, p.obj.lineOf?.(ref.pointer) ?? p.obj.line));
    }
  // ExternalSecrets read through a store that must exist on the same cluster.
  for (const s of lists)
    for (const { p, ref, kind } of s.detail?.storeRefs ?? []) {
      if (have.stores.has(storeKey(p.cluster, kind, p.namespace, ref.name))) continue;
      out.push(simFinding('secret-store-missing', 'error', p.obj.file, '/spec/secretStoreRef/name', `ExternalSecret ${p.obj.name} (${where(p)}) reads through ${kind} ${ref.name}, which nothing creates on ${ctx.clusterNames.get(p.cluster) ?? p.cluster}; External Secrets never creates the Secret ${p.obj.obj.spec?.target?.name ?? p.obj.name}`, `Create the ${kind} on that cluster, or reference one that exists.`, p.obj.lineOf?.('/spec/secretStoreRef/name') ?? p.obj.line));
    }
  out.push(...argocdSecretRefs(ctx, summaries.flatMap((s) => s.argoSecrets)));
  for (const s of lists) for (const p of s.detail?.istio ?? []) if (!istioMet(ctx, p.cluster)) out.push(istioFinding(ctx, p));
  return out;
}

/** A summary with no detail to read (see referenceFindings). */
const NO_NEEDS: PlacedSummary = { installs: [], needKinds: [], sas: [], needSAs: [], stores: [], needStores: [], argoSecrets: [], istio: [], localFiles: [] };

/**
 * Whether a summary has a need that what all lists provide does not meet (its findings need its
 * detail); a kind's verdict once per cluster and kind (thousands of Applications deploy a few kinds).
 */
function unmetTest(ctx: ReferenceContext, have: Provided): (s: PlacedSummary) => boolean {
  // By cluster, group, then kind (no key string per need: thousands of summaries need a few kinds).
  const kinds = new Map<string, Map<string, Map<string, boolean>>>();
  const metKind = (k: readonly [string, string, string]) => {
    let byGroup = kinds.get(k[0]);
    if (!byGroup) kinds.set(k[0], (byGroup = new Map()));
    let byKind = byGroup.get(k[1]);
    if (!byKind) byGroup.set(k[1], (byKind = new Map()));
    let ok = byKind.get(k[2]);
    if (ok === undefined) byKind.set(k[2], (ok = kindMet(ctx, have, k)));
    return ok;
  };
  return (s) => s.needKinds.some((k) => !metKind(k)) || s.needSAs.some((k) => !have.sas.has(k)) || s.needStores.some((k) => !have.stores.has(k)) || s.istio.some((c) => !istioMet(ctx, c));
}

function findServiceAccountRefs(value: unknown, pointer: string, out: { pointer: string; name: string; namespace?: string }[]) {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v, i) => findServiceAccountRefs(v, `${pointer}/${i}`, out));
  for (const [k, v] of Object.entries(value)) {
    if (k === 'serviceAccountRef' && v && typeof (v as any).name === 'string') out.push({ pointer: `${pointer}/${k}`, name: (v as any).name, namespace: (v as any).namespace });
    else findServiceAccountRefs(v, `${pointer}/${k}`, out);
  }
}

const POD_SPEC: Record<string, string> = {
  Deployment: '/spec/template/spec', StatefulSet: '/spec/template/spec', DaemonSet: '/spec/template/spec', Job: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec', CronJob: '/spec/jobTemplate/spec/template/spec', Rollout: '/spec/template/spec',
};

const pick = (obj: any, pointer: string) => pointer.split('/').slice(1).reduce((o, k) => (o == null ? undefined : o[k]), obj);

type ServiceAccountRef = { pointer: string; name: string; namespace?: string };
const refsByObject = new WeakMap<DeployedObject, ServiceAccountRef[]>();
/** What an object names, once per object (a fleet places each one on several clusters). */
const isRefList = (v: unknown): v is ServiceAccountRef[] => Array.isArray(v) && v.every((x) => !!x && typeof x === 'object' && typeof x.pointer === 'string' && typeof x.name === 'string' && (x.namespace === undefined || typeof x.namespace === 'string'));
function serviceAccountRefsOf(o: DeployedObject, memo: ResourceMemo | undefined): ServiceAccountRef[] {
  let refs = refsByObject.get(o);
  if (refs) return refs;
  refs = o.file === undefined ? refsIn(o) : perResource(memo, 'serviceaccount-refs', o.file, o.docIndex, () => refsIn(o), isRefList);
  refsByObject.set(o, refs);
  return refs;
}

function refsIn(o: DeployedObject): ServiceAccountRef[] {
  const refs: ServiceAccountRef[] = [];
  if (o.group === 'external-secrets.io' && (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore')) findServiceAccountRefs(o.obj.spec?.provider, '/spec/provider', refs);
  const podSpec = o.group === 'apps' || o.group === 'batch' || o.group === 'argoproj.io' ? POD_SPEC[o.kind] : undefined;
  if (podSpec) {
    const sa = pick(o.obj, `${podSpec}/serviceAccountName`);
    if (typeof sa === 'string' && sa && sa !== 'default') refs.push({ pointer: `${podSpec}/serviceAccountName`, name: sa });
  }
  return refs;
}

/**
 * `$<secret>:<key>` in argocd-cm (oidc.config, dex.config, ...): util/settings reads the key from
 * Secret <secret> in Argo CD's namespace, which must carry app.kubernetes.io/part-of: argocd.
 */
function argocdSecretRefs(ctx: ReferenceContext, produced: readonly PlacedSummary['argoSecrets'][number][]): Finding[] {
  const { argocd } = ctx.model;
  if (!argocd.cmFile) return [];
  const secrets = produced.filter((x) => x.namespace === argocd.namespace);
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(argocd.cm)) {
    for (const m of value.matchAll(/\$([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([-._a-zA-Z0-9]+)/g)) {
      const [, secret, , field] = m;
      const found = secrets.find((x) => x.name === secret);
      const path = `/data/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!found)
        out.push(simFinding('argocd-secret-missing', 'error', argocd.cmFile, path, `argocd-cm ${key} reads $${secret}:${field}, but nothing in the repository creates Secret ${argocd.namespace}/${secret}; Argo CD cannot resolve it and the feature (SSO login for oidc.config) fails`, `Create Secret ${secret} in ${argocd.namespace} (an ExternalSecret, SealedSecret or SOPS-encrypted Secret) with key ${field} and label app.kubernetes.io/part-of: argocd.`, argocd.cmLineOf?.(path)));
      else if (found.partOf !== 'argocd')
        out.push(simFinding('argocd-secret-label', 'error', found.file ?? undefined, found.producer === 'Secret' ? '/metadata/labels' : found.producer === 'ExternalSecret' ? '/spec/target/template/metadata/labels' : '/spec/template/metadata/labels', `Secret ${argocd.namespace}/${secret}, read by argocd-cm ${key}, lacks the label app.kubernetes.io/part-of: argocd; Argo CD ignores Secrets without it`, 'Add the label to the Secret the object produces.'));
    }
  }
  return out;
}

/**
 * A namespace that both enforces Pod Security `restricted` and asks for Istio sidecar injection:
 * istio-init needs NET_ADMIN and NET_RAW, which restricted refuses, so every pod is rejected,
 * unless the cluster runs Istio CNI (no init container) or ambient mode (no sidecar).
 */
function istioFinding(ctx: ReferenceContext, p: Placed): Finding {
  const labels = p.obj.obj.metadata?.labels ?? {};
  return simFinding('istio-injection-restricted', 'error', p.obj.file, labels['istio-injection'] ? '/metadata/labels/istio-injection' : '/metadata/labels/istio.io~1rev', `Namespace ${p.obj.name} on ${ctx.clusterNames.get(p.cluster) ?? p.cluster} enforces Pod Security restricted and asks for Istio sidecar injection: istio-init needs NET_ADMIN and NET_RAW, so the admission controller rejects every pod, unless the cluster runs Istio CNI or ambient mode, and no prerequisite declares either`, 'Declare the istio-cni (or istio-ambient) capability for this cluster in .gitops-scaffold/prerequisites.yaml and install it, or drop the injection label.', p.obj.lineOf?.(labels['istio-injection'] ? '/metadata/labels/istio-injection' : '/metadata/labels/istio.io~1rev') ?? p.obj.line);
}
