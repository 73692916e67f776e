// What a kustomization refers to, read from the parsed file alone (no kustomize binary): local
// paths by role, remote bases, and which files are therefore patches (partial resources) or data
// (generator inputs, Helm values) rather than manifests. Pure, so the in-memory plan check and
// the on-disk check share it.
import path from 'node:path/posix';
import { isKustomizationFile } from '../check/parse.ts';
import type { ParsedResource } from '../check/resources.ts';

export type RefRole = 'resource' | 'component' | 'patch' | 'data' | 'plugin';

export interface KustomizeRef {
  /** JSON pointer of the entry inside the kustomization (`/resources/2`). */
  pointer: string;
  role: RefRole;
  /** As written. */
  value: string;
  /** Resolved repo-relative path; undefined for remote refs. */
  resolved?: string;
  remote: boolean;
}

export interface Kustomization {
  dir: string;
  resource: ParsedResource;
  refs: KustomizeRef[];
}

const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)|^oci:\/\//;
export const isRemoteRef = (s: string) => REMOTE.test(s);

/**
 * The kustomizations among the resources. `knownRefs` may give a resource's refs without reading
 * its object (the incremental check keeps them per file: kustomizationRefs of the same object).
 */
export function findKustomizations(resources: readonly ParsedResource[], knownRefs?: (r: ParsedResource) => KustomizeRef[] | undefined): Kustomization[] {
  const out: Kustomization[] = [];
  for (const r of resources) {
    // Refs known for a resource means it is one (the incremental check keeps refs of kustomization files only).
    const known = knownRefs?.(r);
    if (!known && !(r.origin === 'file' && isKustomizationFile(r.file))) continue;
    const dir = dirname(r.file);
    out.push({ dir: dir === '.' ? '' : dir, resource: r, refs: known ?? kustomizationRefs(r) });
  }
  return out;
}

/** What one kustomization resource refers to (a function of its object and its file's folder). */
export function kustomizationRefs(r: ParsedResource): KustomizeRef[] {
  const dir = path.dirname(r.file);
  return refsOf(r.obj ?? {}, dir === '.' ? '' : dir);
}

function refsOf(k: any, dir: string): KustomizeRef[] {
  const refs: KustomizeRef[] = [];
  const add = (pointer: string, role: RefRole, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') return;
    const remote = isRemoteRef(value);
    refs.push({ pointer, role, value, remote, resolved: remote ? undefined : path.normalize(path.join(dir, value)).replace(/\/$/, '') });
  };
  const list = (field: string, role: RefRole) => (Array.isArray(k[field]) ? k[field] : []).forEach((v: unknown, i: number) => add(`/${field}/${i}`, role, v));
  list('resources', 'resource');
  list('bases', 'resource');
  list('crds', 'resource');
  list('components', 'component');
  for (const field of ['configurations', 'generators', 'transformers', 'validators']) list(field, 'plugin');
  (Array.isArray(k.patches) ? k.patches : []).forEach((p: any, i: number) => add(`/patches/${i}/path`, 'patch', p?.path));
  (Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []).forEach((p: any, i: number) => add(`/patchesJson6902/${i}/path`, 'patch', p?.path));
  // patchesStrategicMerge entries are either file paths or inline YAML patches (multi-line).
  (Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []).forEach((p: unknown, i: number) => {
    if (typeof p === 'string' && !p.includes('\n')) add(`/patchesStrategicMerge/${i}`, 'patch', p);
  });
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    (Array.isArray(k[gen]) ? k[gen] : []).forEach((g: any, i: number) => {
      // `files` entries may be `key=path`.
      (Array.isArray(g?.files) ? g.files : []).forEach((f: unknown, j: number) =>
        add(`/${gen}/${i}/files/${j}`, 'data', typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f),
      );
      (Array.isArray(g?.envs) ? g.envs : []).forEach((f: unknown, j: number) => add(`/${gen}/${i}/envs/${j}`, 'data', f));
      add(`/${gen}/${i}/env`, 'data', g?.env);
    });
  }
  (Array.isArray(k.helmCharts) ? k.helmCharts : []).forEach((h: any, i: number) => {
    add(`/helmCharts/${i}/valuesFile`, 'data', h?.valuesFile);
    (Array.isArray(h?.additionalValuesFiles) ? h.additionalValuesFiles : []).forEach((f: unknown, j: number) =>
      add(`/helmCharts/${i}/additionalValuesFiles/${j}`, 'data', f),
    );
  });
  return refs;
}

/** Files that are patches (partial resources) and files that are data, not manifests. */
export function kustomizeFileRoles(kustomizations: readonly Kustomization[]): { patches: Set<string>; data: Set<string> } {
  const patches = new Set<string>();
  const data = new Set<string>();
  for (const k of kustomizations)
    for (const r of k.refs) {
      if (!r.resolved) continue;
      if (r.role === 'patch') patches.add(r.resolved);
      if (r.role === 'data' || r.role === 'plugin') data.add(r.resolved);
    }
  return { patches, data };
}

/** A plain relative path: non-empty segments, no leading or trailing slash. */
const PLAIN = /^[^/]+(?:\/[^/]+)*$/;

/** path.dirname, by a slice for plain relative paths (where the two agree: test/validate/xref.test.ts). */
export const dirname = (p: string) => {
  if (!PLAIN.test(p)) return path.dirname(p);
  const slash = p.lastIndexOf('/');
  return slash < 0 ? '.' : p.slice(0, slash);
};

/** Every directory that holds a file, plus the root (''). */
export function directoriesOf(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    let d = dirname(f);
    while (d && d !== '.' && !dirs.has(d)) {
      dirs.add(d);
      d = dirname(d);
    }
  }
  return dirs;
}

const dirOf = (f: string) => {
  const d = dirname(f);
  return d === '.' ? '' : d;
};

/** The repository as the cross-reference checks see it: files, folders, kustomizations. */
export class RepoIndex {
  readonly files: ReadonlySet<string>;
  readonly dirs: ReadonlySet<string>;
  readonly kustomizations: ReadonlyMap<string, Kustomization>;
  private readonly filesByDir = new Map<string, string[]>();
  private readonly builds = new Map<string, Set<string>>();
  private unitsByFile?: Map<string, string[]>;
  /** unitsOf's answers, by file (the Rollout and HPA jobs ask for the same files). */
  private readonly unitsMemo = new Map<string, readonly { key: string; files: readonly string[] }[]>();
  /** A build's unit (key and files), made once per kustomization folder. */
  private readonly buildUnits = new Map<string, { key: string; files: readonly string[] }>();

  constructor(files: Iterable<string>, resources: readonly ParsedResource[], knownRefs?: (r: ParsedResource) => KustomizeRef[] | undefined) {
    this.files = new Set(files);
    this.dirs = directoriesOf(this.files);
    this.kustomizations = new Map(findKustomizations(resources, knownRefs).map((k) => [k.dir, k]));
    for (const f of this.files) {
      const d = dirOf(f);
      if (!this.filesByDir.has(d)) this.filesByDir.set(d, []);
      this.filesByDir.get(d)!.push(f);
    }
  }

  /**
   * The manifest files one kustomization pulls in (resources, components, bases, recursively
   * through the kustomizations of referenced folders): its build, approximated without kustomize.
   */
  filesOfBuild(dir: string): Set<string> {
    let out = this.builds.get(dir);
    if (out) return out;
    out = new Set();
    this.builds.set(dir, out); // set before recursing: cycles end here
    const k = this.kustomizations.get(dir);
    if (!k) {
      // A folder without a kustomization contributes its own manifest files, not sub-folders.
      for (const f of this.filesByDir.get(dir) ?? []) if (/\.(ya?ml|json)$/.test(f)) out.add(f);
      return out;
    }
    for (const r of k.refs) {
      if (!r.resolved || (r.role !== 'resource' && r.role !== 'component')) continue;
      if (this.files.has(r.resolved)) out.add(r.resolved);
      else for (const f of this.filesOfBuild(r.resolved)) out.add(f);
    }
    return out;
  }

  /**
   * Groups of files whose resources see each other: every kustomization build that includes the
   * file, or its own folder when no kustomization includes it.
   */
  unitsOf(file: string): readonly { key: string; files: readonly string[] }[] {
    let units = this.unitsMemo.get(file);
    if (!units) this.unitsMemo.set(file, (units = this.unitsOfNow(file)));
    return units;
  }

  /** unitsOf, worked out (the units of builds shared between files: callers only read them). */
  private unitsOfNow(file: string): { key: string; files: readonly string[] }[] {
    if (!this.unitsByFile) {
      this.unitsByFile = new Map();
      for (const dir of this.kustomizations.keys())
        for (const f of this.filesOfBuild(dir)) {
          if (!this.unitsByFile.has(f)) this.unitsByFile.set(f, []);
          this.unitsByFile.get(f)!.push(dir);
        }
    }
    const dirs = this.unitsByFile.get(file);
    if (dirs?.length)
      return dirs.map((d) => {
        let unit = this.buildUnits.get(d);
        if (!unit) this.buildUnits.set(d, (unit = { key: `build:${d}`, files: [...this.filesOfBuild(d)] }));
        return unit;
      });
    return [{ key: `dir:${dirOf(file)}`, files: this.filesByDir.get(dirOf(file)) ?? [file] }];
  }

  /** Files directly in a folder ('' is the root). */
  filesIn(dir: string): readonly string[] {
    return this.filesByDir.get(dir) ?? [];
  }

  isDir(p: string): boolean {
    return this.dirs.has(p.replace(/\/+$/, ''));
  }
}
