// What every cross-reference check receives: the parsed resources, the repository index, and
// the repository's own URL (to know which Application sources point back into this repo).
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import type { RepoIndex } from '../kustomize-refs.ts';
import { refOf } from '../schema-layer.ts';
import { normalizeGitUrl } from './glob.ts';

export interface XrefContext {
  resources: readonly ParsedResource[];
  repo: RepoIndex;
  /** The repository's own URL; sources with this repoURL are checked against the files. */
  repoUrl?: string;
  /** Results of earlier runs' jobs (the incremental pre-write check); without it every job runs. */
  memo?: XrefMemo;
  /**
   * The same resources served by an index (the incremental check), so a check reads only the
   * kinds and files it asks for; `resources` is then read only by code that needs them all.
   */
  index?: XrefIndex;
}

/** Resources by kind and by file, in input order (what `resources` holds, looked up). */
export interface XrefIndex {
  ofKind(kind: string): readonly ParsedResource[];
  ofFile(file: string): readonly ParsedResource[];
  /** Files with at least one resource, in input order. */
  files(): readonly string[];
  /** A resource's position in input order. */
  seq(r: ParsedResource): number;
  /** True when every resource comes from a file as written (origin `file`), known without reading them. */
  onlyFiles?: boolean;
  /**
   * What bySubjectFile(ofKind(kind), (r) => isKind(r, kind, group)) gives, known without reading
   * the resources (each file's subjects are read when asked for), or undefined when the index does
   * not keep that kind and group (SUBJECT_KINDS).
   */
  subjectFiles?(kind: string, group: string): { file: string; subjects: () => readonly ParsedResource[] }[] | undefined;
}

/** The kinds and apiVersion groups an index may keep the subject files of (XrefIndex.subjectFiles). */
export const SUBJECT_KINDS: readonly (readonly [kind: string, group: string])[] = [
  ['Rollout', 'argoproj.io'],
  ['HorizontalPodAutoscaler', 'autoscaling'],
  ['ClusterAnalysisTemplate', 'argoproj.io'],
];

const derived = new WeakMap<readonly ParsedResource[], XrefIndex>();

/** The context's index, or one over its resources (worked out once per resource list). */
function indexOf(ctx: XrefContext): XrefIndex {
  if (ctx.index) return ctx.index;
  let index = derived.get(ctx.resources);
  if (!index) {
    const byKind = new Map<string, ParsedResource[]>();
    const byFile = new Map<string, ParsedResource[]>();
    const seq = new Map<ParsedResource, number>();
    for (const r of ctx.resources) {
      seq.set(r, seq.size);
      const kind = String(r.obj?.kind);
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(r);
      if (!byFile.has(r.file)) byFile.set(r.file, []);
      byFile.get(r.file)!.push(r);
    }
    const files = [...byFile.keys()];
    index = { ofKind: (k) => byKind.get(k) ?? [], ofFile: (f) => byFile.get(f) ?? [], files: () => files, seq: (r) => seq.get(r)! };
    derived.set(ctx.resources, index);
  }
  return index;
}

/** Resources of any of these kinds (`String(obj.kind)`), in input order. */
export function ofKinds(ctx: XrefContext, ...kinds: string[]): ParsedResource[] {
  const index = indexOf(ctx);
  const lists = kinds.map((k) => index.ofKind(k)).filter((l) => l.length);
  if (lists.length <= 1) return [...(lists[0] ?? [])];
  return lists.flat().sort((a, b) => index.seq(a) - index.seq(b));
}

export const resourcesOf = (ctx: XrefContext, file: string): readonly ParsedResource[] => indexOf(ctx).ofFile(file);
export const resourceFiles = (ctx: XrefContext): readonly string[] => indexOf(ctx).files();
/** Whether a file has a resource as written (origin `file`), without reading it when the index knows. */
export const hasFileResource = (ctx: XrefContext, file: string): boolean => !!indexOf(ctx).onlyFiles || indexOf(ctx).ofFile(file).some((r) => r.origin === 'file');

/**
 * A check split into jobs (one subject file, or one folder) whose findings depend only on the
 * resources of the files it names: `reads` gives a key for what else the job depends on
 * (subject, unit names, flags) and every file whose resources it looks at, the subject's own
 * included. The memo reuses a job's findings while that key, those files' contents, and whether
 * each file's resources are among `ctx.resources` are all the same; anything else a job reads
 * must go into the key. test/check/incremental.test.ts holds it equal to running every job.
 */
export interface XrefMemo {
  job(check: string, key: string, files: Iterable<string>, compute: () => Finding[]): Finding[];
}

/** Runs one job of a check through the memo, when there is one. */
export function runJob(ctx: XrefContext, check: string, reads: () => { key: string; files: Iterable<string> }, compute: () => Finding[]): Finding[] {
  if (!ctx.memo) return compute();
  const { key, files } = reads();
  return ctx.memo.job(check, key, files, compute);
}

/** The resources that pass `select`, grouped by file in input order (one group per run of a file). */
export function bySubjectFile(resources: readonly ParsedResource[], select: (r: ParsedResource) => boolean): { file: string; subjects: ParsedResource[] }[] {
  const out: { file: string; subjects: ParsedResource[] }[] = [];
  for (const r of resources) {
    if (!select(r)) continue;
    const last = out[out.length - 1];
    if (last && last.file === r.file) last.subjects.push(r);
    else out.push({ file: r.file, subjects: [r] });
  }
  return out;
}

/**
 * The resources of a kind that pass isKind(r, kind, group), grouped by file in input order (one
 * group per run of a file), each group's resources read when first asked for: from the index
 * when it keeps the kind and group, else bySubjectFile over ofKinds.
 */
export function subjectsByFile(ctx: XrefContext, kind: string, group: string): { file: string; subjects: () => readonly ParsedResource[] }[] {
  const kept = indexOf(ctx).subjectFiles?.(kind, group);
  if (kept) return kept;
  return bySubjectFile(ofKinds(ctx, kind), (r) => isKind(r, kind, group)).map(({ file, subjects }) => ({ file, subjects: () => subjects }));
}

/** What a job over one file and the units (kustomization builds or folders) it is in reads: its key and files. */
export function fileAndUnits(ctx: XrefContext, file: string): { key: string; files: string[] } {
  const units = ctx.repo.unitsOf(file);
  return { key: `${file}\0${units.map((u) => u.key).join('\0')}`, files: [file, ...units.flatMap((u) => u.files)] };
}

/** Files holding at least one resource that passes `select`, in input order. */
export function filesWith(resources: readonly ParsedResource[], select: (r: ParsedResource) => boolean): string[] {
  const out = new Set<string>();
  for (const r of resources) if (select(r)) out.add(r.file);
  return [...out];
}

export type XrefCheck = (ctx: XrefContext) => Finding[];

export const isKind = (r: ParsedResource, kind: string, group?: string) =>
  r.obj?.kind === kind && (group === undefined || String(r.obj?.apiVersion ?? '').split('/')[0] === group || (group === '' && !String(r.obj?.apiVersion ?? '').includes('/')));

export const nameOf = (r: ParsedResource): string | undefined => r.obj?.metadata?.name;
export const namespaceOf = (r: ParsedResource): string | undefined => r.obj?.metadata?.namespace;
export const describe = (r: ParsedResource) => `${r.obj?.kind} ${namespaceOf(r) ? `${namespaceOf(r)}/` : ''}${nameOf(r) ?? '(unnamed)'}`;

export function finding(r: ParsedResource, rule: string, pointer: string, message: string, fix: string, severity: Finding['severity'] = 'error'): Finding {
  return {
    rule,
    severity,
    source: 'xref',
    file: r.file,
    line: r.lineOf?.(pointer) ?? r.line,
    path: pointer,
    resource: refOf(r.obj),
    message,
    fix,
  };
}

export const isOwnRepo = (ctx: XrefContext, repoURL: unknown) =>
  !!ctx.repoUrl && typeof repoURL === 'string' && normalizeGitUrl(repoURL) === normalizeGitUrl(ctx.repoUrl);

/** Same namespace, or either side leaves it to be set elsewhere (kustomize, Argo CD destination). */
export const sameNamespace = (a: ParsedResource, b: ParsedResource) => !namespaceOf(a) || !namespaceOf(b) || namespaceOf(a) === namespaceOf(b);

/**
 * The resources that can see a given file's resources (same kustomization build, or same folder),
 * grouped per unit and indexed by kind; computed once per unit.
 */
export function unitLookup(ctx: XrefContext): (file: string) => Map<string, ParsedResource[]>[] {
  const units = new Map<string, Map<string, ParsedResource[]>>();
  // Each file's resources by kind, worked out once: a file is in many units (a base in every
  // overlay that builds it), and a unit is its files' groups appended in file order (the same
  // lists, in the same order, as going through the resources one by one).
  const files = new Map<string, Map<string, ParsedResource[]>>();
  const kindsOf = (f: string) => {
    let byKind = files.get(f);
    if (!byKind) {
      byKind = new Map();
      for (const r of resourcesOf(ctx, f)) {
        const kind = String(r.obj?.kind);
        const list = byKind.get(kind);
        if (list) list.push(r);
        else byKind.set(kind, [r]);
      }
      files.set(f, byKind);
    }
    return byKind;
  };
  return (file) =>
    ctx.repo.unitsOf(file).map(({ key, files: unitFiles }) => {
      let byKind = units.get(key);
      if (!byKind) {
        byKind = new Map();
        for (const f of unitFiles)
          for (const [kind, rs] of kindsOf(f)) {
            const list = byKind.get(kind);
            if (list) for (const r of rs) list.push(r);
            else byKind.set(kind, rs.slice());
          }
        units.set(key, byKind);
      }
      return byKind;
    });
}
