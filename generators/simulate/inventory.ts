// What an Application deploys, read offline: the objects of its source path built the way Argo
// CD's repo-server would (a kustomization with its resources, components, namespace and name
// transformers and generators; a plain directory's manifests), with remote kustomize bases and
// Helm charts resolved through the component table of the pinned upstream releases. Pure: reads
// the RepoIndex and the parsed files, never the disk.
import path from 'node:path/posix';
import type { ParsedResource } from '../check/resources.ts';
import type { RepoIndex } from '../validate/kustomize-refs.ts';
import { chartFullname, lastAppliedBytes, upstreamComponents, type UpstreamComponent } from '../model/components.ts';
import { groupOf } from './kube.ts';
import { normalizeGitUrl } from './argo/project.ts';
import type { FactKey } from './repo-facts.ts';

export interface DeployedObject {
  group: string;
  kind: string;
  name: string;
  /** As built; undefined for namespaced objects means the Application's destination namespace. */
  namespace?: string;
  /** The object when the repository holds it (undefined for objects of upstream components). */
  obj?: any;
  /** Where it is written: repo file and JSON pointer of the document, or the kustomization entry. */
  file?: string;
  /** The document's place in `file` when the object is a resource of the repository as written. */
  docIndex?: number;
  pointer?: string;
  line?: number;
  /** Line of a JSON pointer inside the object, when the repository holds it. */
  lineOf?: (pointer: string) => number | undefined;
  /** Upstream component id when it comes from a pinned base or chart (the component table). */
  component?: string;
  /** `argocd.argoproj.io/sync-wave`, 0 when absent. */
  wave: number;
  /**
   * Size of the last-applied annotation client-side apply would write, when known without
   * measuring (objects of upstream components); read it with appliedBytes().
   */
  lastAppliedBytes?: number;
  /** A CustomResourceDefinition: what it defines. */
  defines?: { group: string; kind: string; scope: string };
}

export interface UnmodelledSource {
  file: string;
  pointer: string;
  value: string;
  reason: string;
  /** A release of a component the table knows, older than this tool's pin of it. */
  olderPin?: OlderPin;
}

export interface OlderPin {
  component: string;
  /** The release the repository uses, and this tool's. */
  at: string;
  pin: string;
}

/** The x.y.z in a tag (`v3.5.1`, `helm-chart-2.9.0`), when there is one. */
function versionIn(tag: string): number[] | undefined {
  const all = [...tag.matchAll(/(\d+)\.(\d+)\.(\d+)/g)];
  const m = all[all.length - 1];
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** `at` is older than the tag of every listed component (the same source at this tool's pin). */
function olderThanPins(same: readonly UpstreamComponent[], at: string): OlderPin | undefined {
  const v = versionIn(at);
  if (!v || !same.length) return undefined;
  for (const c of same) {
    const p = versionIn(c.tag);
    if (!p) return undefined;
    const i = v.findIndex((x, k) => x !== p[k]);
    if (i < 0 || v[i] > p[i]) return undefined;
  }
  const pin = same[0].source.type === 'helm' ? versionIn(same[0].tag)!.join('.') : same[0].tag;
  return { component: same[0].id, at, pin };
}

export interface Inventory {
  objects: DeployedObject[];
  /** Remote bases, charts or generators the simulation cannot see into. */
  unmodelled: UnmodelledSource[];
  /** Local paths the build refers to that do not exist (kustomize build fails). */
  missing: UnmodelledSource[];
  /** How Argo CD's repo-server would build the path. */
  type: 'kustomize' | 'directory' | 'helm' | 'missing';
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const waveOf = (obj: any): number => {
  const v = Number.parseInt(String(obj?.metadata?.annotations?.[SYNC_WAVE] ?? '0'), 10);
  return Number.isFinite(v) ? v : 0;
};

/** A kustomize remote base URL split into repository, path and ref. */
export function parseRemoteBase(value: string): { repo: string; path: string; ref?: string } | undefined {
  const m = /^(?:git::)?(https?:\/\/[^/]+\/[^/]+\/[^/?]+?)(?:\.git)?\/\/([^?]*)(?:\?(.*))?$/.exec(value.trim());
  if (!m) return undefined;
  const ref = new URLSearchParams(m[3] ?? '').get('ref') ?? new URLSearchParams(m[3] ?? '').get('version') ?? undefined;
  return { repo: m[1], path: m[2].replace(/\/+$/, ''), ref };
}

/** The component table entry a remote kustomize base refers to, if the table knows it at that ref. */
export function componentOfRemoteBase(value: string): { component?: UpstreamComponent; reason?: string; older?: OlderPin } {
  const base = parseRemoteBase(value);
  if (!base) return { reason: 'not a remote base the simulation can read' };
  const same = upstreamComponents.filter((c) => c.source.type === 'kustomize' && normalizeGitUrl(c.source.repo) === normalizeGitUrl(base.repo) && c.source.path === base.path);
  const exact = same.find((c) => c.tag === base.ref);
  if (exact) return { component: exact };
  const older = base.ref === undefined ? undefined : olderThanPins(same, base.ref);
  if (same.length) return { reason: `the component table knows ${base.path} at ${same.map((c) => c.tag).join(', ')}, not at ${base.ref ?? 'the default branch'}`, ...(older ? { older } : {}) };
  return { reason: 'an upstream base the component table does not list' };
}

/** The component table entry of a Helm chart source (repoURL + chart + targetRevision). */
export function componentOfChart(repoURL: string, chart: string, version: string): { component?: UpstreamComponent; reason?: string; older?: OlderPin } {
  const same = upstreamComponents.filter((c) => c.source.type === 'helm' && c.source.chart === chart && normalizeGitUrl(c.source.repo) === normalizeGitUrl(repoURL));
  const exact = same.find((c) => c.tag.endsWith(version));
  if (exact) return { component: exact };
  const older = olderThanPins(same, version);
  if (same.length) return { reason: `the component table knows chart ${chart} at ${same.map((c) => c.tag).join(', ')}, not ${version}`, ...(older ? { older } : {}) };
  return { reason: `chart ${chart} from ${repoURL} is not in the component table` };
}

function componentObjects(c: UpstreamComponent, names: { fullname?: string } = {}): DeployedObject[] {
  const out: DeployedObject[] = [];
  for (const crd of c.crds)
    out.push({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: crd.name, component: c.id, wave: 0, lastAppliedBytes: crd.lastAppliedBytes, defines: { group: crd.group, kind: crd.kind, scope: crd.scope } });
  for (const ns of c.namespaces) out.push({ group: '', kind: 'Namespace', name: ns, component: c.id, wave: 0, lastAppliedBytes: 0 });
  for (const sa of c.serviceAccounts)
    out.push({ group: '', kind: 'ServiceAccount', name: sa.name.replace('{fullname}', names.fullname ?? ''), namespace: sa.namespace, component: c.id, wave: 0, lastAppliedBytes: 0 });
  return out;
}

/** The objects a Helm chart source installs, from the component table. */
export function chartInventory(source: any, appName: string): Inventory {
  const found = componentOfChart(String(source.repoURL), String(source.chart), String(source.targetRevision ?? ''));
  if (!found.component) return { objects: [], unmodelled: [{ file: '', pointer: '', value: `${source.chart}@${source.targetRevision}`, reason: found.reason! }], missing: [], type: 'helm' };
  const values = source.helm?.valuesObject ?? {};
  const release = source.helm?.releaseName || appName;
  const fullname = chartFullname(found.component.source.type === 'helm' ? found.component.source.chart : '', release, values);
  let objects = componentObjects(found.component, { fullname });
  if (found.component.id === 'external-secrets' && values.installCRDs === false) objects = objects.filter((o) => o.kind !== 'CustomResourceDefinition');
  if (values.serviceAccount?.create === false) objects = objects.filter((o) => !(o.kind === 'ServiceAccount' && o.name === fullname));
  return { objects, unmodelled: [], missing: [], type: 'helm' };
}

/**
 * Whether an object's last-applied annotation is certainly at most `limit` bytes without
 * measuring it: a repository object is a YAML document of its file, and without aliases or
 * tags (no `*` or `!` anywhere in the file) the compact JSON of a document is at most a few times
 * the bytes of its text (the worst cases: `<`, `>` or `&` written as 6 bytes, an empty value
 * written as null, an ISO timestamp; below 6 bytes per byte), so a file with 16 times its size
 * under the limit cannot hold an object over it. Spares parsing the lazy objects of the
 * pre-write check to measure them. Unknown text (undefined) or anything else: measure.
 */
export function surelyWithin(o: DeployedObject, limit: number, read: (path: string) => string | undefined): boolean {
  if (o.lastAppliedBytes !== undefined || !o.file) return false;
  let byRead = withinFiles.get(read);
  if (!byRead) withinFiles.set(read, (byRead = new Map()));
  let bytes = byRead.get(o.file);
  if (bytes === undefined) {
    const text = read(o.file);
    bytes = text === undefined || text.includes('*') || text.includes('!') ? Infinity : Buffer.byteLength(text, 'utf8');
    byRead.set(o.file, bytes);
  }
  return 16 * bytes + 1024 <= limit;
}
const withinFiles = new WeakMap<(path: string) => string | undefined, Map<string, number>>();

const measured = new WeakMap<object, number>();
/**
 * Size of the last-applied annotation client-side apply would write for an object: the known
 * size, or the object measured (its whole JSON) once, when a client-side apply first asks.
 */
export function appliedBytes(o: DeployedObject): number {
  if (o.lastAppliedBytes !== undefined) return o.lastAppliedBytes;
  if (!o.obj || typeof o.obj !== 'object') return lastAppliedBytes(o.obj);
  let bytes = measured.get(o.obj);
  if (bytes === undefined) measured.set(o.obj, (bytes = lastAppliedBytes(o.obj)));
  return bytes;
}

/**
 * One DeployedObject per parsed resource, shared by every build that includes it (a base is in
 * each of its overlays; nothing changes a DeployedObject once made).
 */
const deployedObjects = new WeakMap<ParsedResource, DeployedObject>();
function fromResource(r: ParsedResource): DeployedObject {
  let d = deployedObjects.get(r);
  if (!d) deployedObjects.set(r, (d = deployedObjectOf(r)));
  return d;
}

function deployedObjectOf(r: ParsedResource, wave = waveOf(r.obj)): DeployedObject {
  const o = r.obj;
  const crd = o?.kind === 'CustomResourceDefinition' ? { group: String(o.spec?.group ?? ''), kind: String(o.spec?.names?.kind ?? ''), scope: String(o.spec?.scope ?? 'Namespaced') } : undefined;
  return {
    group: groupOf(o?.apiVersion),
    kind: String(o?.kind ?? ''),
    name: String(o?.metadata?.name ?? ''),
    namespace: typeof o?.metadata?.namespace === 'string' ? o.metadata.namespace : undefined,
    obj: o,
    file: r.file,
    docIndex: r.docIndex,
    pointer: '',
    line: r.line,
    lineOf: r.lineOf,
    wave,
    defines: crd,
  };
}

/**
 * The repository facts a build read (repo-facts.ts), as keys: the simulation's unit memo keys a
 * unit's result by them. Kept beside the inventory, not in it (inventories are shared and
 * spread into others).
 */
const inventoryFacts = new WeakMap<Inventory, readonly FactKey[]>();
export const factsOf = (inv: Inventory): readonly FactKey[] => inventoryFacts.get(inv) ?? [];
export function withFacts<T extends Inventory>(inv: T, facts: readonly FactKey[]): T {
  inventoryFacts.set(inv, facts);
  return inv;
}

export class InventoryReader {
  private readonly byFile = new Map<string, ParsedResource[]>();
  private readonly memo = new Map<string, Inventory>();
  /** Told of every inventory ofPath answers (app-units.ts notes the facts a unit read). */
  observe?: (inv: Inventory) => void;

  constructor(private readonly repo: RepoIndex, resources: readonly ParsedResource[]) {
    // A file's resources come together: one map look-up per run of the same file.
    let file: string | undefined;
    let list: ParsedResource[] | undefined;
    for (const r of resources) {
      if (r.origin !== 'file') continue;
      if (r.file !== file || !list) {
        file = r.file;
        list = this.byFile.get(file);
        if (!list) this.byFile.set(file, (list = []));
      }
      list.push(r);
    }
  }

  /** The objects of one manifest file (`kubectl apply -f FILE`). */
  ofFile(file: string): DeployedObject[] {
    return (this.byFile.get(file.replace(/^\.\//, '')) ?? []).map((r) => fromResource(r));
  }

  /** The build of a source path of this repository (`apps/x/overlays/dev`). */
  ofPath(dir: string, opts: { recurse?: boolean } = {}): Inventory {
    // (A path that starts with neither `.` nor `/` and does not end with `/` is kept as it is.)
    const d = dir[0] !== '.' && dir[0] !== '/' && !dir.endsWith('/') ? dir : dir.replace(/^\.?\/+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
    const key = `${d}\0${opts.recurse ? 1 : 0}`;
    let inv = this.memo.get(key);
    if (!inv) {
      const facts: FactKey[] = [];
      inv = withFacts(this.build(d, new Set(), opts.recurse ?? false, facts), facts);
      this.memo.set(key, inv);
    }
    this.observe?.(inv);
    return inv;
  }

  /** `facts`: what the build reads of the repository is noted there (the unit memo's keys). */
  /**
   * Builds of kustomizations reached as a resource of another (a service's base, in each of its
   * overlays), by directory, with the facts they noted: a build that met no kustomization being
   * visited (no cycle cut it short) is the same from wherever it is reached. Set to undefined,
   * every build is made anew (the plain path the memo is tested against).
   */
  children: Map<string, { inv: Inventory; facts: FactKey[] }> | undefined = new Map();
  /** Set while a build meets a kustomization already being visited. */
  private cut = false;

  private child(dir: string, visiting: Set<string>, facts: FactKey[]): Inventory {
    const known = this.children?.get(dir);
    if (known) {
      for (const f of known.facts) facts.push(f);
      return known.inv;
    }
    const outer = this.cut;
    this.cut = false;
    const from = facts.length;
    const inv = this.build(dir, visiting, false, facts);
    if (!this.cut) this.children?.set(dir, { inv, facts: facts.slice(from) });
    this.cut ||= outer;
    return inv;
  }

  private build(dir: string, visiting: Set<string>, recurse: boolean, facts: FactKey[]): Inventory {
    const k = this.repo.kustomizations.get(dir);
    facts.push(['kz', dir]);
    if (!k) {
      facts.push(['dir', dir]);
      if (!this.repo.isDir(dir)) return { objects: [], unmodelled: [], missing: [{ file: '', pointer: '', value: dir, reason: 'no such directory' }], type: 'missing' };
      facts.push(['file', `${dir ? `${dir}/` : ''}Chart.yaml`]);
      if (this.repo.files.has(`${dir ? `${dir}/` : ''}Chart.yaml`))
        return { objects: [], unmodelled: [{ file: `${dir}/Chart.yaml`, pointer: '', value: dir, reason: 'a Helm chart in the repository (not rendered offline)' }], missing: [], type: 'helm' };
      facts.push([recurse ? 'lsr' : 'ls', dir]);
      const candidates = recurse ? [...this.repo.files].filter((f) => f.startsWith(dir ? `${dir}/` : '')) : this.repo.filesIn(dir);
      const files = candidates.filter((f) => /\.(ya?ml|json)$/.test(f));
      for (const f of files) facts.push(['file', f]);
      return { objects: files.flatMap((f) => (this.byFile.get(f) ?? []).map((r) => fromResource(r))), unmodelled: [], missing: [], type: 'directory' };
    }
    const out: Inventory = { objects: [], unmodelled: [], missing: [], type: 'kustomize' };
    if (visiting.has(dir)) {
      this.cut = true;
      return out;
    }
    visiting.add(dir);
    const file = k.resource.file;
    facts.push(['file', file]);
    for (const ref of k.refs) {
      if (ref.role !== 'resource' && ref.role !== 'component') continue;
      if (ref.remote) {
        const found = componentOfRemoteBase(ref.value);
        if (found.component) out.objects.push(...componentObjects(found.component).map((o) => ({ ...o, file, pointer: ref.pointer })));
        else out.unmodelled.push({ file, pointer: ref.pointer, value: ref.value, reason: found.reason!, ...(found.older ? { olderPin: found.older } : {}) });
        continue;
      }
      const target = ref.resolved!;
      facts.push(['file', target]);
      if (this.repo.files.has(target)) out.objects.push(...(this.byFile.get(target) ?? []).map((r) => fromResource(r)));
      else if ((facts.push(['dir', target]), this.repo.isDir(target))) {
        const child = this.child(target, visiting, facts);
        out.objects.push(...child.objects);
        out.unmodelled.push(...child.unmodelled);
        out.missing.push(...child.missing);
      } else out.missing.push({ file, pointer: ref.pointer, value: ref.value, reason: 'no such file or directory' });
    }
    const spec = k.resource.obj ?? {};
    for (const gen of ['configMapGenerator', 'secretGenerator'] as const)
      (Array.isArray(spec[gen]) ? spec[gen] : []).forEach((g: any, i: number) => {
        if (typeof g?.name !== 'string') return;
        const obj = { apiVersion: 'v1', kind: gen === 'configMapGenerator' ? 'ConfigMap' : 'Secret', metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) } };
        out.objects.push({ group: '', kind: obj.kind, name: g.name, namespace: g.namespace, obj, file, pointer: `/${gen}/${i}`, line: k.resource.lineOf?.(`/${gen}/${i}`), wave: 0, lastAppliedBytes: 0 });
      });
    (Array.isArray(spec.helmCharts) ? spec.helmCharts : []).forEach((h: any, i: number) =>
      out.unmodelled.push({ file, pointer: `/helmCharts/${i}`, value: String(h?.name ?? ''), reason: 'kustomize helmCharts are not rendered offline' }),
    );
    // Transformers of this level apply to everything below it (kustomize runs them per level).
    const prefix = typeof spec.namePrefix === 'string' ? spec.namePrefix : '';
    const suffix = typeof spec.nameSuffix === 'string' ? spec.nameSuffix : '';
    const namespace = typeof spec.namespace === 'string' && spec.namespace ? spec.namespace : undefined;
    out.objects = out.objects.map((o) => {
      const renamed = prefix || suffix ? (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition' ? o.name : `${prefix}${o.name}${suffix}`) : o.name;
      const scoped = namespace && !CLUSTER_KINDS.has(o.kind) ? namespace : o.namespace;
      return renamed === o.name && scoped === o.namespace ? o : { ...o, name: renamed, namespace: scoped };
    });
    visiting.delete(dir);
    return out;
  }
}

/**
 * Kinds kustomize's namespace transformer leaves alone: its list of cluster-scoped built-ins plus
 * the cluster-scoped kinds of the component table (a kustomization cannot know CRD scopes either).
 */
const CLUSTER_KINDS = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
  'RuntimeClass', 'CSIDriver', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  ...upstreamComponents.flatMap((c) => c.crds.filter((d) => d.scope === 'Cluster').map((d) => d.kind)),
]);
