// `diff`: what a change deploys. Two sides of the repository (side.ts), each modelled by the
// offline Argo CD model (every Application, ApplicationSets expanded by appset's engine), paired
// by Application namespace/name:
//   - added / removed: Applications only one side produces;
//   - changed: same Application, but its manifest differs or what its sources build differs.
// An Application whose manifest and input files (inputs.ts) are equal on both sides deploys the
// same thing and is not built at all; the others are built on both sides by the Renderer (the
// edge: kustomize, helm, or the offline inventory) and compared object by object (objects.ts).
// Pure apart from the Renderer it is given.
import { parseAll } from '../render/yaml.ts';
import { unifiedDiff } from '../io/diff.ts';
import type { AppRecord } from '../simulate/model.ts';
import { sourcesOf } from '../simulate/model.ts';
import { resolveDestination } from '../simulate/model.ts';
import { applicationInputs, type AppInputs } from './inputs.ts';
import { canonical, diffObjects, objectYaml, type ObjectChange } from './objects.ts';
import type { Renderer, SourceRendering } from '../manifests/types.ts';
import type { Side } from './side.ts';

export type { Renderer, Rendering, SourceRendering } from '../manifests/types.ts';

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  /** Unified diff of the file (text files). */
  diff: string;
}

export interface AppDiff {
  name: string;
  namespace: string;
  status: 'added' | 'removed' | 'changed';
  /** The ApplicationSet that generates it (on the side that has it), or the file it is written in. */
  appSet?: string;
  file: string;
  project: string;
  destination: string;
  sources: string[];
  /** Unified diff of the Application resource itself (changed Applications whose manifest changed). */
  manifestDiff?: string;
  /** Input files that changed (file content diffs: the change itself when the build is not exact). */
  inputs: FileChange[];
  objects: ObjectChange[];
  rendering: { base?: SourceRendering[]; head?: SourceRendering[] };
  /** Whether the objects compared are exact builds on both sides. */
  exact: boolean;
}

export interface DiffResult {
  base: { label: string; commit?: string };
  head: { label: string; commit?: string };
  /** Applications each side produces. */
  totals: { base: number; head: number };
  applications: AppDiff[];
  /** Applications whose inputs changed but whose build did not (comments, equivalent edits). */
  sameOutput: string[];
  /** Changed files that no Application on either side reads (platform.yaml, README, CI, bootstrap). */
  otherFiles: { path: string; status: FileChange['status'] }[];
  /** What limits the comparison (no expansion engine, expansion problems on one side). */
  notes: string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const key = (a: AppRecord) => `${a.namespace}/${a.name}`;

/** Whether a file is the same on both sides: same bytes, or for YAML/JSON the same documents (comments and layout aside). */
export function sameContent(path: string, a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || !MANIFEST.test(path)) return false;
  try {
    return JSON.stringify(canonical(parseAll(a, path))) === JSON.stringify(canonical(parseAll(b, path)));
  } catch {
    return false;
  }
}

export function fileChange(path: string, a: string | undefined, b: string | undefined): FileChange {
  return { path, status: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed', diff: unifiedDiff(path, a, b) };
}

const describeSource = (s: any): string =>
  s?.chart
    ? `chart ${s.chart}@${s.targetRevision ?? '?'} from ${s.repoURL}`
    : s?.ref && s?.path === undefined
      ? `${s.repoURL} as $${s.ref}`
      : `${s?.repoURL ?? '?'} ${s?.path ?? '.'}${s?.targetRevision ? `@${s.targetRevision}` : ''}`;

function summaryOf(side: Side, a: AppRecord) {
  const spec = a.manifest?.spec ?? {};
  const dest = spec.destination ?? {};
  const cluster = resolveDestination(side.model, side.model.clusters, dest);
  return {
    appSet: a.appSet?.name,
    file: a.file,
    project: spec.project || 'default',
    destination: `${cluster?.name ?? dest.name ?? dest.server ?? '?'}/${dest.namespace ?? ''}`,
    sources: sourcesOf(spec).map((s) => describeSource(s.source)),
  };
}

const inputsChanged = (base: Side, head: Side, a: AppInputs, b: AppInputs): FileChange[] => {
  const out: FileChange[] = [];
  for (const f of [...new Set([...a.files, ...b.files])].sort()) {
    const before = a.files.includes(f) ? base.read(f) : undefined;
    const after = b.files.includes(f) ? head.read(f) : undefined;
    if (!sameContent(f, before, after)) out.push(fileChange(f, before, after));
  }
  return out;
};

const sameMarkers = (a: AppInputs, b: AppInputs) => a.markers.join('\n') === b.markers.join('\n');

/** Hunks only: the object's id already heads its diff. */
const hunks = (d: string) => d.split('\n').slice(2).join('\n');

export async function diffSides(base: Side, head: Side, renderer: Renderer): Promise<DiffResult> {
  const before = new Map(base.model.applications.map((a) => [key(a), a]));
  const after = new Map(head.model.applications.map((a) => [key(a), a]));
  const read = new Set<string>();

  // 1. Which Applications may have changed (manifest or inputs differ, or only one side has it).
  const candidates: { a?: AppRecord; b?: AppRecord; manifestA?: string; manifestB?: string; inputs: FileChange[] }[] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(k);
    const b = after.get(k);
    const inA = a ? applicationInputs(base.model, base.index.repo, a) : { files: [], markers: [] };
    const inB = b ? applicationInputs(head.model, head.index.repo, b) : { files: [], markers: [] };
    inA.files.forEach((f) => read.add(f));
    inB.files.forEach((f) => read.add(f));
    const manifestA = a ? JSON.stringify(canonical(a.manifest)) : undefined;
    const manifestB = b ? JSON.stringify(canonical(b.manifest)) : undefined;
    const inputs = a && b ? inputsChanged(base, head, inA, inB) : [];
    if (a && b && manifestA === manifestB && inputs.length === 0 && sameMarkers(inA, inB)) continue;
    candidates.push({ a, b, manifestA, manifestB, inputs });
  }

  // 2. Build them on both sides at once (the renderer batches kustomize builds per turn).
  const rendered = await Promise.all(candidates.map((c) => Promise.all([c.a ? renderer.render(base, c.a) : undefined, c.b ? renderer.render(head, c.b) : undefined])));

  // 3. Compare what they deploy.
  const applications: AppDiff[] = [];
  const sameOutput: string[] = [];
  candidates.forEach(({ a, b, manifestA, manifestB, inputs }, i) => {
    const [ra, rb] = rendered[i];
    const objects = diffObjects(ra?.objects ?? [], rb?.objects ?? []).map((o) => ({ ...o, diff: hunks(o.diff) }));
    const exact = (ra?.exact ?? true) && (rb?.exact ?? true);
    const status = !a ? 'added' : !b ? 'removed' : 'changed';
    if (status === 'changed' && manifestA === manifestB && objects.length === 0 && (exact || inputs.length === 0)) {
      sameOutput.push(b!.name);
      return;
    }
    const present = (b ?? a)!;
    applications.push({
      name: present.name,
      namespace: present.namespace,
      status,
      ...summaryOf(b ? head : base, present),
      ...(status === 'changed' && manifestA !== manifestB ? { manifestDiff: hunks(unifiedDiff(present.name, objectYaml(a!.manifest), objectYaml(b!.manifest))) } : {}),
      inputs,
      objects,
      rendering: { ...(ra ? { base: ra.sources } : {}), ...(rb ? { head: rb.sources } : {}) },
      exact,
    });
  });

  // Files that changed and that no Application reads: the README, platform.yaml, CI, bootstrap.
  const otherFiles: { path: string; status: FileChange['status'] }[] = [];
  const basePaths = new Set(base.paths);
  const headPaths = new Set(head.paths);
  for (const f of [...new Set([...base.paths, ...head.paths])].sort()) {
    if (read.has(f)) continue;
    const x = basePaths.has(f) ? base.read(f) : undefined;
    const y = headPaths.has(f) ? head.read(f) : undefined;
    if (x !== y) otherFiles.push({ path: f, status: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed' });
  }

  const notes: string[] = [];
  if (!head.model.expand) notes.push('ApplicationSets were not expanded (no expansion engine in this build): only Applications written as files are compared, and ApplicationSet files count as files their parent Application deploys');
  for (const s of head.model.appSets)
    for (const p of s.problems) {
      const old = base.model.appSets.find((x) => x.name === s.name)?.problems.some((q) => q.message === p.message && q.path === p.path);
      if (!old) notes.push(`${head.label}: ApplicationSet ${s.name}: ${p.message}`);
    }
  return {
    base: { label: base.label, ...(base.commit ? { commit: base.commit } : {}) },
    head: { label: head.label, ...(head.commit ? { commit: head.commit } : {}) },
    totals: { base: before.size, head: after.size },
    applications,
    sameOutput,
    otherFiles,
    notes,
  };
}
