// Which files of the repository an Application's sources read, the way Argo CD's repo-server
// would: a kustomization and everything it pulls in (perf's `buildInputs`, the same list the
// build cache keys on), a plain directory's manifests, a Helm chart folder, and Helm value files
// taken from a `ref` source of this repository (`$values/apps/x/values.yaml`). An Application
// whose manifest and input files are the same on both sides deploys the same objects, so only
// the others are built. Pure.
import path from 'node:path/posix';
import { isOwnRepo, sourcesOf, type AppRecord, type RepoModel } from '../simulate/model.ts';
import { buildInputs } from '../validate/kustomize/plan.ts';
import type { RepoIndex } from '../validate/kustomize-refs.ts';

export interface AppInputs {
  /** Repository files the sources read. */
  files: string[];
  /** What else the result depends on that is not a file's content (a missing folder, a sub-folder). */
  markers: string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const clean = (p: string) => path.normalize(p.replace(/^\.?\/+/, '')).replace(/\/+$/, '').replace(/^\.$/, '');

/** The files under a folder: its own (a directory source), or all of them (recurse, a chart). */
function filesUnder(repo: RepoIndex, dir: string, recurse: boolean): string[] {
  if (!recurse) return [...repo.filesIn(dir)];
  const prefix = dir ? `${dir}/` : '';
  return [...repo.files].filter((f) => f.startsWith(prefix));
}

/** The inputs of one source path of this repository. */
export function pathInputs(repo: RepoIndex, dir: string, opts: { recurse?: boolean } = {}): AppInputs {
  const d = clean(dir);
  const k = repo.kustomizations.get(d);
  if (k) {
    const all = buildInputs(repo, k);
    return { files: all.filter((f) => !f.startsWith('\0')), markers: all.filter((f) => f.startsWith('\0')).map((m) => m.slice(1)) };
  }
  if (!repo.isDir(d)) return { files: [], markers: [`missing:${d}`] };
  // A Helm chart in the repository: every file of it is an input (templates, values, Chart.yaml).
  if (repo.files.has(`${d ? `${d}/` : ''}Chart.yaml`)) return { files: filesUnder(repo, d, true), markers: [`chart:${d}`] };
  return { files: filesUnder(repo, d, !!opts.recurse).filter((f) => MANIFEST.test(f)), markers: [`dir:${d}`] };
}

/**
 * `$ref/path` value files resolve against the source whose `ref` is `ref` (util/app/path,
 * reposerver getResolvedRefValueFile: the first segment names the source, the rest is a path from
 * that repository's root); a plain value file is relative to the chart source's own path.
 */
export function valueFileInputs(model: Pick<RepoModel, 'repoUrl'>, spec: any, source: any): string[] {
  const refs = new Map<string, any>();
  for (const { source: s } of sourcesOf(spec)) if (typeof s?.ref === 'string' && s.ref) refs.set(`$${s.ref}`, s);
  const out: string[] = [];
  for (const v of Array.isArray(source?.helm?.valueFiles) ? source.helm.valueFiles : []) {
    if (typeof v !== 'string' || /^[a-z]+:\/\//i.test(v)) continue;
    if (v.startsWith('$')) {
      const ref = refs.get(v.split('/')[0]);
      if (ref && isOwnRepo(model, ref.repoURL)) out.push(clean(v.slice(v.indexOf('/') + 1)));
    } else if (isOwnRepo(model, source?.repoURL) && typeof source?.path === 'string') out.push(clean(path.join(source.path, v)));
  }
  return out;
}

/** Every file (and marker) an Application's sources read from this repository. */
export function applicationInputs(model: RepoModel, repo: RepoIndex, app: AppRecord): AppInputs {
  const files = new Set<string>();
  const markers = new Set<string>();
  const spec = app.manifest?.spec;
  for (const { source } of sourcesOf(spec)) {
    if (isOwnRepo(model, source?.repoURL) && typeof source?.path === 'string' && !source?.chart) {
      const inputs = pathInputs(repo, source.path, { recurse: !!source.directory?.recurse });
      inputs.files.forEach((f) => files.add(f));
      inputs.markers.forEach((m) => markers.add(m));
    }
    for (const f of valueFileInputs(model, spec, source)) {
      if (repo.files.has(f)) files.add(f);
      else markers.add(`missing:${f}`);
    }
  }
  return { files: [...files].sort(), markers: [...markers].sort() };
}
