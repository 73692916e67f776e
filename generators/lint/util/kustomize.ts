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

export function kustomizeGraph(all: readonly ParsedResource[], known?: (r: ParsedResource) => Obj | undefined): KustomizeGraph {
  const kusts = new Map<string, Obj>();
  for (const r of all) if (isKustomization(r)) kusts.set(posix.dirname(r.file), known?.(r) ?? r.obj);
  // A folder's local entries, worked out once per graph (a base is walked from every overlay).
  const entryMemo = new Map<string, string[]>();
  const entries = (dir: string) => {
    let out = entryMemo.get(dir);
    if (!out) {
      out = [...asArray(kusts.get(dir)!.resources), ...asArray(kusts.get(dir)!.bases), ...asArray(kusts.get(dir)!.components)]
        .filter((e): e is string => typeof e === 'string' && !REMOTE_REF.test(e))
        .map((e) => posix.normalize(posix.join(dir, e)));
      entryMemo.set(dir, out);
    }
    return out;
  };

  /** Visits every file reachable from `dir`, with the namespace in force (outer wins). */
  const walk = (dir: string, outer: string | undefined, visit: (file: string, ns: string | undefined) => void, seen = new Set<string>()) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const ns = outer ?? str(kusts.get(dir)!.namespace);
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

  return {
    has: (dir) => kusts.has(dir),
    filesOf: (dir) => {
      const out: string[] = [];
      if (kusts.has(dir)) walk(dir, undefined, (file) => out.push(file));
      return out;
    },
    namespacesOf: (file) => [...(namespaces().get(posix.normalize(file)) ?? [])].sort(),
  };
}
