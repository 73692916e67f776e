// What `validate` builds with kustomize, and the cache key of each build. Pure.
//
// - Components are not built on their own (kustomize refuses them); kustomizations with a remote
//   reference, themselves or in what they include, are skipped (they cannot be built offline).
// - A kustomization that another built kustomization includes (a base under its overlays) is not
//   built again: its resources are in the overlay's output. It is built on its own only when no
//   build that includes it succeeded (then its own errors and resources still count).
// - The cache key of a build hashes the tool and every file the build reads: the kustomization
//   files of every folder it pulls in and every repository file any of their values names
//   (resources, patches, generator files, replacements sources, ...), so any edit re-runs it.
import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import { isKustomizationFile } from '../../check/parse.ts';
import type { Kustomization, RepoIndex } from '../kustomize-refs.ts';

/** Bump when what a key covers changes. */
const KEY_FORMAT = 'kustomize-build-key-1';

export interface BuildPlan {
  /** Kustomizations to build first: built, and included by nothing else that is built. */
  roots: Kustomization[];
  /** Included by other builds: built only when none of `includedBy` built (or was included). */
  covered: Kustomization[];
  /** Buildable kustomizations that include each covered one. */
  includedBy: Map<Kustomization, Kustomization[]>;
  /** Kustomizations with a remote reference (or including one that has): not built. */
  remote: Kustomization[];
}

const norm = (p: string) => (p === '.' ? '' : p);

export function planBuilds(repo: RepoIndex): BuildPlan {
  const all = [...repo.kustomizations.values()].filter((k) => k.resource.obj?.kind !== 'Component');
  // Remote anywhere in what it includes (a bootstrap folder over an upstream install): the build
  // would need the network just the same.
  const remoteMemo = new Map<Kustomization, boolean>();
  const isRemote = (k: Kustomization): boolean => {
    if (remoteMemo.has(k)) return remoteMemo.get(k)!;
    remoteMemo.set(k, false); // cycles end here
    const v = k.refs.some((r) => r.remote || ((r.role === 'resource' || r.role === 'component') && r.resolved !== undefined && !!repo.kustomizations.get(norm(r.resolved)) && isRemote(repo.kustomizations.get(norm(r.resolved))!)));
    remoteMemo.set(k, v);
    return v;
  };
  const remote = all.filter(isRemote);
  const buildable = all.filter((k) => !remote.includes(k));
  const byDir = new Map(buildable.map((k) => [k.dir, k]));
  const includedBy = new Map<Kustomization, Kustomization[]>();
  for (const parent of buildable)
    for (const ref of parent.refs) {
      if (ref.role !== 'resource' || ref.resolved === undefined) continue;
      const child = byDir.get(norm(ref.resolved));
      if (!child || child === parent) continue;
      const list = includedBy.get(child) ?? [];
      if (!list.includes(parent)) list.push(parent);
      includedBy.set(child, list);
    }
  return { roots: buildable.filter((k) => !includedBy.has(k)), covered: buildable.filter((k) => includedBy.has(k)), includedBy, remote };
}

/**
 * The next covered kustomizations to build on their own, given what has run: those whose every
 * including build is decided and none succeeded or was itself included in a success. Covered
 * ones still waiting on an undecided parent wait; a cycle (kustomize rejects it anyway) is built.
 */
export function nextUncovered(plan: BuildPlan, attempted: ReadonlySet<Kustomization>, succeeded: ReadonlySet<Kustomization>): Kustomization[] {
  const satisfied = new Set(succeeded);
  const open = plan.covered.filter((k) => !attempted.has(k));
  for (let changed = true; changed; ) {
    changed = false;
    for (const k of open)
      if (!satisfied.has(k) && plan.includedBy.get(k)!.some((p) => satisfied.has(p))) {
        satisfied.add(k);
        changed = true;
      }
  }
  const waiting = open.filter((k) => !satisfied.has(k));
  // No parent of a waiting one is satisfied; it is ready once every parent ran (and failed).
  const ready = waiting.filter((k) => plan.includedBy.get(k)!.every((p) => attempted.has(p)));
  if (ready.length) return ready;
  // Nothing ready although some wait: if they only wait on each other, that is a cycle.
  const waitingSet = new Set(waiting);
  const stuck = waiting.length > 0 && waiting.every((k) => plan.includedBy.get(k)!.every((p) => attempted.has(p) || waitingSet.has(p)));
  return stuck ? waiting : [];
}

/** The files one build reads, repo-relative: kustomization files and every file they name. */
export function buildInputs(repo: RepoIndex, k: Kustomization): string[] {
  const files = new Set<string>();
  const markers = new Set<string>();
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const kust = repo.kustomizations.get(dir);
    // Every kustomization-named file of the folder (kustomize refuses two; the check must see both).
    for (const f of repo.filesIn(dir)) if (isKustomizationFile(f)) files.add(f);
    if (!kust) {
      markers.add(`no-kustomization:${dir}`);
      return;
    }
    for (const value of strings(kust.resource.obj)) {
      if (value.includes('\n') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
      const target = norm(path.normalize(path.join(dir, value.slice(value.indexOf('=') + 1))).replace(/\/+$/, ''));
      if (repo.files.has(target)) files.add(target);
      else if (repo.kustomizations.has(target)) visit(target);
      else if (repo.isDir(target)) markers.add(`dir:${target}`);
    }
    for (const ref of kust.refs) if (ref.resolved !== undefined && !repo.files.has(ref.resolved) && !repo.isDir(ref.resolved)) markers.add(`missing:${ref.resolved}`);
  };
  visit(k.dir);
  return [...[...files].sort(), ...[...markers].sort().map((m) => `\0${m}`)];
}

const strings = (v: unknown): string[] => {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
};

/** The cache key of a build: the tool, the folder, and the hash of every input file. */
export function buildKey(toolIdentity: string, k: Kustomization, inputs: readonly string[], hashOf: (file: string) => string): string {
  const h = createHash('sha256');
  h.update(`${KEY_FORMAT}\0${toolIdentity}\0${k.dir}\0`);
  for (const f of inputs) h.update(f.startsWith('\0') ? `${f}\n` : `${f}\0${hashOf(f)}\n`);
  return h.digest('hex');
}
