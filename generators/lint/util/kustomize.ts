// What kustomize would include, read from the kustomization files in the repo (no build): which
// files a kustomization folder pulls in, and which namespace each file ends up in.

import path from 'node:path';
import type { ParsedResource } from '../../check/resources.ts';
import { asArray, isObj, str, type Obj } from './values.ts';

const posix = path.posix;
const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const REMOTE_REF = /^(https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;

const isKustomization = (r: ParsedResource) =>
  KUSTOMIZATION_FILE.test(r.file) && isObj(r.obj) && (r.obj.kind === undefined || r.obj.kind === 'Kustomization' || r.obj.kind === 'Component');

export interface KustomizeGraph {
  /** Folders that hold a kustomization. */
  has(dir: string): boolean;
  /** Files a kustomization folder includes, following local bases and components. */
  filesOf(dir: string): string[];
  /** Namespaces kustomize gives a file (the outermost `namespace` wins); empty when none. */
  namespacesOf(file: string): string[];
  /** Every file (posix-normalized) kustomize gives a namespace, with them (the incremental check compares two runs'). */
  namespaceMap(): ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The fields of a kustomization the graph reads; `known` may give them without reading the
 * object (the incremental check keeps them per file: graphFields of the same object).
 */
export const graphFields = (obj: Obj): Obj => {
  const out: Obj = {};
  for (const k of ['resources', 'bases', 'components', 'namespace']) if (k in obj) out[k] = obj[k];
  return out;
};

/** What the graph reads of one kustomization: its local entries, resolved, and its namespace. */
export interface GraphNode {
  entries: string[];
  namespace: string | undefined;
}

/** A kustomization's node (a function of its object and its file's folder alone, so it can be cached per file). */
export function graphNode(file: string, obj: Obj): GraphNode {
  const dir = posix.dirname(file);
  const entries = [...asArray(obj.resources), ...asArray(obj.bases), ...asArray(obj.components)]
    .filter((e): e is string => typeof e === 'string' && !REMOTE_REF.test(e))
    .map((e) => posix.normalize(posix.join(dir, e)));
  return { entries, namespace: str(obj.namespace) };
}

/** True for the resources the graph is made of (by path, and a kind that is a kustomization's). */
export const isGraphKustomization = isKustomization;

export function kustomizeGraph(all: readonly ParsedResource[], known?: (r: ParsedResource) => Obj | undefined): KustomizeGraph {
  const nodes = new Map<string, () => GraphNode>();
  for (const r of all)
    if (isKustomization(r)) {
      let node: GraphNode | undefined;
      nodes.set(posix.dirname(r.file), () => (node ??= graphNode(r.file, known?.(r) ?? r.obj)));
    }
  return kustomizeGraphOf(nodes);
}

/**
 * The graph over kustomization folders (posix.dirname of the file) and their nodes, in the order
 * the resources come (a later one in the same folder wins); a node is worked out once, when walked.
 */
export function kustomizeGraphOf(nodes: ReadonlyMap<string, () => GraphNode>): KustomizeGraph {
  const kusts = nodes;
  const entryMemo = new Map<string, string[]>();
  const entries = (dir: string) => {
    let out = entryMemo.get(dir);
    if (!out) {
      out = kusts.get(dir)!().entries;
      entryMemo.set(dir, out);
    }
    return out;
  };

  /** Visits every file reachable from `dir`, with the namespace in force (outer wins). */
  const walk = (dir: string, outer: string | undefined, visit: (file: string, ns: string | undefined) => void, seen = new Set<string>()) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const ns = outer ?? kusts.get(dir)!().namespace;
    for (const target of entries(dir)) {
      if (kusts.has(target)) walk(target, ns, visit, seen);
      else visit(target, ns);
    }
    seen.delete(dir);
  };

  let fileNs: Map<string, Set<string>> | undefined;
  const namespaces = () => {
    if (fileNs) return fileNs;
    fileNs = new Map();
    const included = new Set([...kusts.keys()].flatMap(entries).filter((t) => kusts.has(t)));
    for (const dir of kusts.keys())
      if (!included.has(dir))
        walk(dir, undefined, (file, ns) => {
          if (!ns) return;
          if (!fileNs!.has(file)) fileNs!.set(file, new Set());
          fileNs!.get(file)!.add(ns);
        });
    return fileNs;
  };

  // One file's namespaces without walking the whole graph: upwards, through the folders that list
  // it. The namespace in force entering a folder is undefined at a root (a folder no other lists),
  // else any of what its parents pass on (`outer ?? own`, as the walk does); a file gets what the
  // folders listing it pass on. Over acyclic ancestors that is exactly what the walks from every
  // root give (every path from a root to the file goes through them); a cycle among them means
  // the whole map instead.
  let parents: Map<string, string[]> | undefined;
  const passed = new Map<string, Set<string | undefined> | null>();
  const CYCLE = Symbol('cycle');
  const passedOn = (dir: string): Set<string | undefined> => {
    const known = passed.get(dir);
    if (known === null) throw CYCLE;
    if (known) return known;
    passed.set(dir, null);
    const own = kusts.get(dir)!().namespace;
    const out = new Set<string | undefined>();
    const ups = parents!.get(dir);
    if (!ups) out.add(own);
    else for (const up of ups) for (const outer of passedOn(up)) out.add(outer ?? own);
    passed.set(dir, out);
    return out;
  };
  const namespacesOfFile = (file: string): string[] => {
    if (fileNs) return [...(fileNs.get(file) ?? [])].sort();
    if (!parents) {
      parents = new Map();
      for (const dir of kusts.keys()) for (const t of entries(dir)) (parents.get(t) ?? parents.set(t, []).get(t)!).push(dir);
    }
    if (kusts.has(file)) return []; // a folder the walk enters, never a file it visits
    const out = new Set<string>();
    try {
      for (const dir of parents.get(file) ?? []) for (const ns of passedOn(dir)) if (ns) out.add(ns);
    } catch (e) {
      if (e !== CYCLE) throw e;
      passed.clear();
      return [...(namespaces().get(file) ?? [])].sort();
    }
    return [...out].sort();
  };

  return {
    has: (dir) => kusts.has(dir),
    filesOf: (dir) => {
      const out: string[] = [];
      if (kusts.has(dir)) walk(dir, undefined, (file) => out.push(file));
      return out;
    },
    namespacesOf: (file) => namespacesOfFile(posix.normalize(file)),
    namespaceMap: namespaces,
  };
}
