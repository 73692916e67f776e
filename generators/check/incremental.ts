// The pre-write check, incrementally: the same findings as the full check (generated.ts
// checkRenderedFull), in the same order, re-doing only what the changed files affect.
//
// Two kinds of cached results (CheckCache, kept by cache-store.ts in .gitops-scaffold/cache/):
// - Per file, under the hash of its path and content (its "entry", read from disk only when this
//   run needs it): parse and schema findings, the findings of lint rules whose scope is
//   `resource`, and a few facts about each resource (apiVersion, kind, metadata, its top-level
//   keys, the object as JSON). The index every run reads keeps of each file only its key, its
//   resources' kinds, which hold pods, which entry parts are not empty, and, for a
//   kustomization, its refs and kustomize graph node.
// - Per cross-file job (a lint rule over the repository, a `targets` rule over one file, a shared
//   lint value, a cross-reference check or one of its jobs): its findings and the tags of
//   everything it asked the repository, recorded by the API it asked through (lint/context.ts
//   ContextSource `read`, the xref index and a recording RepoIndex below), so the set is complete
//   by construction: `k:<kind>` (the resources of a kind), `f:<file>` (one file's resources),
//   `ns:<file>` (the namespaces kustomize gives a file), `kz` (any kustomization), `rf` (which
//   files have resources), `paths` (the repository's paths), `pods` (which resources hold pods),
//   `all` (every resource), `shared:<key>` (a shared lint value).
// A run derives the tags its changes touch from the old and new index records of the changed
// files (content, role, added, removed: their kinds, pods, kustomizations; `ns:` tags by
// comparing the kustomize namespace maps before and after), and re-runs only the jobs that read a
// touched tag; every other job's findings are reused. Resources of unchanged files are lazy: made
// from their entry when a job asks for them (apiVersion, kind and metadata from the facts, any
// other field from the object's JSON or, without one, the file's rendered text).
// test/check/incremental.test.ts compares this with the full check over random edits, aimed also
// at what other files' jobs read.
import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import type { LintConfig } from '../lint/index.ts';
import { buildContext, contextOver, type ContextSource } from '../lint/context.ts';
import { finishLint, type LintHit, prepareLint, ruleRef, runRules, scopeOf } from '../lint/engine.ts';
import type { LintContext } from '../lint/types.ts';
import { allPods } from '../lint/util/pods.ts';
import { type NetworkPolicyFact, networkPolicyDefaultDeny, networkPolicyFacts, networkPolicyFindings } from '../lint/rules/k8s/k8s003-network-policy-default-deny.ts';
import { graphNode, type GraphNode, isGraphKustomization, kustomizeGraphOf } from '../lint/util/kustomize.ts';
import { checkKustomizePaths } from '../validate/kustomize-paths.ts';
import { kustomizationRefs, kustomizeFileRoles, type KustomizeRef, RepoIndex } from '../validate/kustomize-refs.ts';
import { fileRoles, nonManifestFiles } from '../validate/pipeline.ts';
import { validateSchemas } from '../validate/schema-layer.ts';
import { XREF_CHECKS } from '../validate/xref/index.ts';
import { checkAppProjects } from '../validate/xref/app-projects.ts';
import { checkSecretStores } from '../validate/xref/secret-stores.ts';
import { checkSourcePaths } from '../validate/xref/source-paths.ts';
import { SUBJECT_KINDS, isKind, type XrefContext, type XrefIndex } from '../validate/xref/context.ts';
import type { Finding } from './finding.ts';
import { sha256 as hash } from '../io/manifest.ts';
import { isKustomizationFile, type ParseResult, parseSource } from './parse.ts';
import type { ParsedResource, SourceFile } from './resources.ts';
import { timed } from '../incremental/timing.ts';

/** Bump when what an entry or an index record holds, or how it is computed, changes. */
export const CHECK_CACHE_FORMAT = 'gitops-scaffold-check-cache-8';

/** Entry parts that are not empty (FileSummary.flags). */
export const FLAG = { parse: 1, schemaResource: 2, schemaPatch: 4, lint: 8 } as const;
/** Entry parts that were computed (a schema role is computed when first needed). */
export const HAS = { schemaResource: 16, schemaPatch: 32 } as const;
/**
 * The file holds a resource that isKind(r, kind, group) for SUBJECT_KINDS[i] (bit 64 << i), so the
 * xref jobs over those subjects are picked without reading the resources (XrefIndex.subjectFiles).
 */
export const SUBJECT_BIT = new Map(SUBJECT_KINDS.map(([kind, group], i) => [`${kind}\0${group}`, 64 << i]));
const subjectFlags = (resources: readonly ParsedResource[]) => {
  let flags = 0;
  SUBJECT_KINDS.forEach(([kind, group], i) => {
    if (resources.some((r) => isKind(r, kind, group))) flags |= 64 << i;
  });
  return flags;
};

/** What the index keeps of a manifest file (read every run; the entry only when needed). */
export interface FileSummary {
  key: string;
  /** Each resource's kind (when a string, else ''). */
  kinds: string[];
  /** Indices of the resources that hold a pod spec. */
  pods: number[];
  /** FLAG and HAS bits. */
  flags: number;
  /** The lint config key the lint part was made under, and what its `targets` job read. */
  lint?: { key: string; reads: string[] };
  /** A kustomization file's resources: their refs (RepoIndex) and kustomize graph node (lint). */
  kz?: KzFacts[];
}

export interface KzFacts {
  i: number;
  docIndex: number;
  line: number;
  refs: KustomizeRef[];
  /** When the lint graph counts this resource (isGraphKustomization). */
  graph?: GraphNode;
}

interface ResourceFacts {
  docIndex: number;
  line: number;
  /** apiVersion, kind and metadata of the object (what most cross-file checks read). */
  head: Record<string, unknown>;
  /** Top-level keys of the object, in order. */
  keys: string[];
  /** The whole object as JSON (parsing it is far cheaper than the file's YAML), when exact. */
  json?: string;
}

/** A file's entry: what depends on its content alone. */
export interface FileEntry {
  documents: number;
  parse: Finding[];
  resources: ResourceFacts[];
  schema: { resource?: Finding[]; patch?: Finding[] };
  /** Under the lint config key: `resource` rules' findings, and the `targets` rules'. */
  lint: Record<string, { local: LintHit[]; targets?: LintHit[] }>;
}

/** A cross-file job's result and the tags it read. */
export interface JobRecord {
  reads: string[];
  /** Findings (xref), lint hits, or a shared value with its hash. */
  out: unknown;
  /** xref jobs (CheckCache.jobs) the check used, kept while the check is reused. */
  jobs?: string[];
}

/** What the K8S003 job keeps: each file's facts and the tags they read (`=f`, `=ns`: the file's own). */
interface NetworkPolicyRecord {
  files: Record<string, { facts: NetworkPolicyFact[]; reads: string[] }>;
}

export interface CheckCache {
  format: string;
  /** checkerFingerprint() of the run that wrote it: code and schemas. */
  fingerprint: string;
  /** Manifest files by path, in the order of the run that wrote them. */
  files: Map<string, FileSummary>;
  /** Every other path that run had (non-manifests, ignored files). */
  others: string[];
  /** Files that run took as kustomize patches and as data, and the data files Argo CD objects named. */
  roles: { patches: string[]; data: string[]; matched: string[] };
  /** Cross-file jobs by id. */
  passes: Record<string, JobRecord>;
  /** Findings of cross-reference jobs (validate/xref/context.ts XrefMemo) by a hash of what they read. */
  jobs: Record<string, Finding[]>;
  /** Reads an entry (by file key) from disk; undefined when it is not there or damaged. */
  entry: (key: string) => FileEntry | undefined;
  /** Entries this run made or changed (cache-store.ts writes them), by file key. */
  fresh?: Map<string, FileEntry>;
  /** Where cache-store keeps what it needs to append (opaque here). */
  store?: unknown;
  /** True when nothing differs from the cache as loaded (saving it writes nothing). */
  unchanged?: boolean;
}

export interface IncrementalInput {
  /**
   * Every planned file (manifests and others: the repository index needs every path), with the
   * sha256 of its content when the render knows it (RenderedFile.sha256).
   */
  files: readonly (SourceFile & { sha256?: string })[];
  lintConfig: LintConfig;
  /** Text the lint config came from (part of the lint cache key). */
  lintConfigKey: string;
  cache?: CheckCache;
  fingerprint: string;
}

export interface IncrementalResult {
  /** Every resource (made when first read: the simulation reads them all). */
  readonly resources: ParsedResource[];
  resourceCount: number;
  repo: RepoIndex;
  /** Parse, schema, kustomize path and cross-reference findings, in the full check's order. */
  validation: Finding[];
  lint: Finding[];
  cache: CheckCache;
  /** How many manifest files were (re)checked rather than taken from the cache, of how many. */
  checked: number;
  manifests: number;
  /** Cross-file jobs run anew, of how many. */
  jobsRun: number;
  jobsTotal: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SAFE_PATH = /^[\w.@+/-]+$/;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x instanceof Map ? [...x] : x));

/** An empty cache (no previous run). */
export function emptyCheckCache(fingerprint: string): CheckCache {
  return { format: CHECK_CACHE_FORMAT, fingerprint, files: new Map(), others: [], roles: { patches: [], data: [], matched: [] }, passes: {}, jobs: {}, entry: () => undefined };
}

interface FileState {
  file: SourceFile;
  key: string;
  summary: FileSummary;
  /** Position among the manifests. */
  order: number;
  /** The entry, when read or made this run. */
  entry?: FileEntry;
  changed: boolean;
}

export function checkIncremental(input: IncrementalInput): IncrementalResult {
  const usable = input.cache?.format === CHECK_CACHE_FORMAT && input.cache.fingerprint === input.fingerprint;
  const old = usable ? input.cache! : emptyCheckCache(input.fingerprint);
  const fresh = new Map<string, FileEntry>();
  const candidates = input.files.filter((f) => MANIFEST.test(f.path));
  const ignored = nonManifestFiles(candidates.map((c) => c.path));
  const manifests = candidates.filter((c) => !ignored.has(c.path));

  // Parsed this run (changed files, and any file whose text a lazy resource needed).
  const materialized = new Map<string, ParseResult>();
  const parsedNow = (f: SourceFile) => {
    let r = materialized.get(f.path);
    if (!r) {
      r = parseSource(f);
      materialized.set(f.path, r);
    }
    return r;
  };
  const parseNow = (f: SourceFile) => parsedNow(f).resources;

  // Per file: its key, its index record (cached or made now), changed or not.
  let checked = 0;
  const states = new Map<string, FileState>();
  timed('check:files', () =>
    manifests.forEach((f, order) => {
      // Content hash (the render's own sha256 of the text when it is known) and path; a path with
      // characters a cache line cannot hold is hashed into the key instead.
      const sha = f.sha256 ?? hash(f.content);
      const safe = SAFE_PATH.test(f.path);
      const before = old.files.get(f.path);
      // Compared in place: 7,000 keys made only to be compared are measurable.
      if (before && (safe ? before.key.length === sha.length + f.path.length && before.key.startsWith(sha) && before.key.endsWith(f.path) : before.key === hash(`${f.path}\0${sha}`))) {
        states.set(f.path, { file: f, key: before.key, summary: before, order, changed: false });
        return;
      }
      const key = safe ? `${sha}${f.path}` : hash(`${f.path}\0${sha}`);
      // An entry of the same content may be on disk under another path's record (a file restored).
      let entry = old.entry(key);
      let summary: FileSummary;
      if (entry) summary = summaryOf(f, entry, parsedNow);
      else {
        checked++;
        ({ entry, summary } = timed('check:parse-new', () => factsOf(f, parsedNow(f))));
        fresh.set(key, entry);
      }
      states.set(f.path, { file: f, key, summary: { ...summary, key }, order, changed: true, entry });
    }),
  );
  const entryOf = (s: FileState): FileEntry => {
    if (s.entry) return s.entry;
    let e = old.entry(s.key);
    if (!e) {
      // Gone from disk (or damaged): made again from the file.
      e = factsOf(s.file, parsedNow(s.file)).entry;
      fresh.set(s.key, e);
    }
    s.entry = e;
    return e;
  };

  // Resources, made when first asked for, per file.
  const made = new Map<string, ParsedResource[]>();
  const seqOf = new Map<ParsedResource, number>();
  const resourcesOfFile = (p: string): ParsedResource[] => {
    let rs = made.get(p);
    if (rs) return rs;
    const s = states.get(p);
    if (!s) return [];
    const parsed = materialized.get(p)?.resources;
    rs = parsed ?? entryOf(s).resources.map((facts, i) => lazyResource(s.file, facts, i, parseNow));
    rs.forEach((r, i) => seqOf.set(r, s.order * 65536 + i));
    made.set(p, rs);
    return rs;
  };

  // Roles, as classifyManifests decides them: from the kustomizations' refs and the Argo CD
  // objects that name generator and value files.
  const allPaths = input.files.map((f) => f.path);
  const oldOthers = new Set(old.others);
  const kustomizationStubs: ParsedResource[] = [];
  const knownRefs = new Map<ParsedResource, KustomizeRef[]>();
  for (const s of states.values())
    for (const k of s.summary.kz ?? []) {
      const stub = stubResource(s.file.path, k, () => resourcesOfFile(s.file.path)[k.i]);
      knownRefs.set(stub, k.refs);
      kustomizationStubs.push(stub);
    }
  const repo = timed('check:repo-index', () => new RepoIndex(allPaths, kustomizationStubs, (r) => knownRefs.get(r)));
  // Data files named by Argo CD objects (generator files, Helm values): while no such object
  // changed, last run's plus the added paths they match.
  const argoFiles = [...states.values()].filter((s) => s.summary.kinds.some((k) => k === 'Application' || k === 'ApplicationSet'));
  const argoChanged = !usable || argoFiles.some((s) => s.changed) || [...old.files].some(([p, summary]) => summary.kinds.some((k) => k === 'Application' || k === 'ApplicationSet') && states.get(p)?.summary !== summary);
  const allPathSet = repo.files;
  const { patches, data, matched } = timed('check:file-roles', () => {
    const argo = () => argoFiles.flatMap((s) => resourcesOfFile(s.file.path));
    const { patches, data } = kustomizeFileRoles([...repo.kustomizations.values()]);
    let matched: string[];
    if (argoChanged) matched = [...fileRoles(argo(), { kustomizations: new Map(), files: allPathSet } as unknown as RepoIndex).data];
    else {
      const before = new Set(old.roles.matched);
      const added = new Set<string>();
      for (const p of allPathSet) if (!old.files.has(p) && !before.has(p) && !oldOthers.has(p)) added.add(p);
      matched = [...old.roles.matched.filter((p) => allPathSet.has(p)), ...(added.size ? fileRoles(argo(), { kustomizations: new Map(), files: added } as unknown as RepoIndex).data : [])];
    }
    for (const p of matched) data.add(p);
    return { patches, data, matched };
  });
  const roleOf = (p: string) => (data.has(p) ? 'data' : patches.has(p) ? 'patch' : 'resource');
  const oldPatches = new Set(old.roles.patches);
  const oldData = new Set(old.roles.data);
  const oldRoleOf = (p: string) => (oldData.has(p) ? 'data' : oldPatches.has(p) ? 'patch' : 'resource');

  // What changed: files (content, added, role), removed files, paths; the tags they touch.
  const touched = new Set<string>();
  const touchFile = (p: string, summary: FileSummary | undefined) => {
    touched.add(`f:${p}`);
    touched.add('all');
    if (!summary) return;
    for (const k of summary.kinds) touched.add(`k:${k}`);
    if (summary.pods.length) touched.add('pods');
    if (summary.kinds.length) touched.add('rf');
  };
  const changedFiles: string[] = [];
  for (const s of states.values()) {
    const before = old.files.get(s.file.path);
    if (!s.changed && roleOf(s.file.path) === oldRoleOf(s.file.path)) continue;
    changedFiles.push(s.file.path);
    touchFile(s.file.path, s.summary);
    touchFile(s.file.path, before);
  }
  for (const [p, before] of old.files) if (!states.has(p)) (changedFiles.push(p), touchFile(p, before));
  for (const p of changedFiles) if (isKustomizationFile(p)) touched.add('kz');
  const others = allPaths.filter((p) => !states.has(p));
  if (usable && (changedFiles.some((p) => !states.has(p) || !old.files.has(p)) || !sameSet(others, old.others))) touched.add('paths');
  if (!usable) touched.add('*');

  // The kustomize graph of the files that take part (lint reads it), and which files' namespaces
  // from it differ from the previous run's (`ns:` tags).
  const nodesOf = (files: Iterable<[string, FileSummary]>, kept: (p: string) => boolean, twice?: () => void) => {
    const nodes = new Map<string, GraphNode>();
    const from = new Map<string, string>();
    for (const [p, summary] of files) {
      if (!kept(p)) continue;
      for (const k of summary.kz ?? [])
        if (k.graph) {
          const dir = path.dirname(p);
          if (twice && from.has(dir) && from.get(dir) !== p) twice();
          from.set(dir, p);
          nodes.set(dir, k.graph);
        }
    }
    return nodes;
  };
  const nodes = nodesOf(
    (function* () {
      for (const s of states.values()) if (s.summary.kz) yield [s.file.path, s.summary] as [string, FileSummary];
    })(),
    (p) => !data.has(p),
  );
  const graph = kustomizeGraphOf(new Map([...nodes].map(([d, n]) => [d, () => n])));
  if (touched.has('kz') && usable)
    timed('check:namespaces', () => {
      const changedDirs = new Set(changedFiles.filter(isKustomizationFile).map((p) => path.dirname(p)));
      // Two kustomization files of one folder: which one the last run's graph took depends on the
      // order of its files, which the loaded index need not keep (a save appends): recheck all.
      const before = nodesOf(old.files, (p) => !oldData.has(p), () => touched.add('*'));
      for (const f of namespacesMoved(before, nodes, changedDirs)) touched.add(`ns:${f}`);
    });

  const kept = [...states.values()].filter((s) => !data.has(s.file.path));
  const passes: Record<string, JobRecord> = {};
  let jobsRun = 0;
  let jobsTotal = 0;
  /** A job's stored result while no tag it read is touched (and the cache is usable). */
  const reuse = (id: string): JobRecord | undefined => {
    jobsTotal++;
    const rec = old.passes[id];
    if (!rec || touched.has('*') || rec.reads.some((t) => touched.has(t))) return undefined;
    passes[id] = rec;
    return rec;
  };
  const store = (id: string, reads: Set<string>, out: unknown, jobs?: string[]): JobRecord => {
    jobsRun++;
    const rec: JobRecord = { reads: [...reads], out, ...(jobs ? { jobs } : {}) };
    passes[id] = rec;
    return rec;
  };

  // Parse and schema findings, file by file.
  const parseFindings: Finding[] = [];
  const schemaFindings: Finding[] = [];
  timed('check:file-findings', () => {
    for (const s of kept) {
      const isPatch = patches.has(s.file.path);
      if (s.summary.flags & FLAG.parse) for (const f of entryOf(s).parse) if (!isPatch || f.rule === 'parse/syntax' || f.rule === 'parse/duplicate-key') parseFindings.push(f);
      const [has, nonEmpty, role] = isPatch ? [HAS.schemaPatch, FLAG.schemaPatch, 'patch' as const] : [HAS.schemaResource, FLAG.schemaResource, 'resource' as const];
      if (!(s.summary.flags & has)) {
        const entry = entryOf(s);
        const schema = validateSchemas(parseNow(s.file), { partialFiles: isPatch ? new Set([s.file.path]) : new Set() }).findings;
        entry.schema = { ...entry.schema, [role]: schema };
        s.summary = { ...s.summary, flags: s.summary.flags | has | (schema.length ? nonEmpty : 0) };
        fresh.set(s.key, entry);
      }
      if (s.summary.flags & nonEmpty) schemaFindings.push(...(entryOf(s).schema[role] ?? []));
    }
  });
  const paths = timed('check:kustomize-paths', () => checkKustomizePaths(repo));

  // The index the cross-file checks read through; every question is a tag for the job asking.
  let reads: Set<string> | undefined;
  const read = (tag: string) => reads?.add(tag);
  const during = <T>(sink: Set<string>, fn: () => T): T => {
    const outer = reads;
    reads = sink;
    try {
      return fn();
    } finally {
      reads = outer;
    }
  };
  /** Files by kind, in order: of the files that pass `also` (first map) and of all of them (second). */
  const byKinds = (files: readonly FileState[], also: (s: FileState) => boolean) => {
    const some = new Map<string, FileState[]>();
    const all = new Map<string, FileState[]>();
    for (const s of files) {
      const kinds = s.summary.kinds;
      if (!kinds.length) continue;
      const both = also(s);
      let last: string | undefined;
      for (const k of kinds) {
        // Once per file (the file is the last one listed when its kind is seen again).
        if (k === last) continue;
        last = k;
        const list = all.get(k) ?? all.set(k, []).get(k)!;
        if (list[list.length - 1] === s) continue;
        list.push(s);
        if (both) (some.get(k) ?? some.set(k, []).get(k)!).push(s);
      }
    }
    return [some, all] as const;
  };
  const ofKindFrom = (index: Map<string, FileState[]>, kind: string) => {
    const out: ParsedResource[] = [];
    for (const s of index.get(kind) ?? []) resourcesOfFile(s.file.path).forEach((r, i) => s.summary.kinds[i] === kind && out.push(r));
    return out;
  };
  const everything = (files: readonly FileState[]) => {
    let all: ParsedResource[] | undefined;
    return () => (all ??= files.flatMap((s) => resourcesOfFile(s.file.path)));
  };

  // Cross references: over the files that take part as resources (not patches, not data).
  const xrefFiles = kept.filter((s) => !patches.has(s.file.path));
  // Kinds to files for the cross references (no patches) and for lint (patches too), in one pass.
  const [xrefKinds, lintKinds] = byKinds(kept, (s) => !patches.has(s.file.path));
  const xrefAll = everything(xrefFiles);
  const xrefResourceFiles = xrefFiles.filter((s) => s.summary.kinds.length).map((s) => s.file.path);
  const xrefIndex: XrefIndex = {
    ofKind: (kind) => (read(`k:${kind}`), ofKindFrom(xrefKinds, kind)),
    ofFile: (file) => (read(`f:${file}`), states.has(file) && !patches.has(file) && !data.has(file) ? resourcesOfFile(file) : []),
    files: () => (read('rf'), xrefResourceFiles),
    seq: (r) => seqOf.get(r) ?? 0,
    onlyFiles: true,
    subjectFiles: (kind, group) => {
      const bit = SUBJECT_BIT.get(`${kind}\0${group}`);
      if (bit === undefined) return undefined;
      read(`k:${kind}`);
      const out: { file: string; subjects: () => ParsedResource[] }[] = [];
      for (const s of xrefKinds.get(kind) ?? [])
        if (s.summary.flags & bit) out.push({ file: s.file.path, subjects: () => resourcesOfFile(s.file.path).filter((r, i) => s.summary.kinds[i] === kind && isKind(r, kind, group)) });
      return out;
    },
  };
  // A file's token for the xref jobs: its key while its resources take part, else '-'.
  const token = new Map<string, string>();
  for (const s of xrefFiles) if (s.summary.kinds.length) token.set(s.file.path, s.key);
  const usedJobs = new Set<string>();
  const nextJobs: Record<string, Finding[]> = {};
  const parts = new Map<string, string>();
  const memo = {
    job(check: string, key: string, files: Iterable<string>, compute: () => Finding[]): Finding[] {
      // One update of the whole text: the same digest as one update per part, far fewer calls.
      // Each file's part (`\0file\0token`) is made once per run: the files of a unit are in many jobs.
      let text = `${check}\0${key}`;
      for (const f of files) {
        if (reads) reads.add(`f:${f}`);
        let part = parts.get(f);
        if (part === undefined) parts.set(f, (part = `\0${f}\0${token.get(f) ?? '-'}`));
        text += part;
      }
      const id = `x${createHash('sha256').update(text).digest('hex')}`;
      usedJobs.add(id);
      let found = old.jobs[id] ?? nextJobs[id];
      if (!found) found = compute();
      nextJobs[id] = found;
      return found;
    },
  };
  const recordingRepo = new Proxy(repo, {
    get(target, prop, receiver) {
      read(prop === 'files' || prop === 'dirs' || prop === 'isDir' || prop === 'filesIn' ? 'paths' : 'kz');
      read('paths');
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const xrefContext: XrefContext = {
    get resources() {
      read('all');
      return xrefAll();
    },
    repo: recordingRepo,
    memo,
    index: xrefIndex,
  };
  // Checks whose jobs are one per file of a common kind run every time (their jobs are reused);
  // the others are reused whole while nothing they read changed.
  const WHOLE = new Map([
    [checkAppProjects, 'app-projects'],
    [checkSecretStores, 'secret-stores'],
    [checkSourcePaths, 'source-paths'],
  ]);
  const xref = timed('check:xref', () =>
    XREF_CHECKS.flatMap((check) => {
      if (!WHOLE.has(check)) return check(xrefContext);
      const id = `xref:${WHOLE.get(check)}`;
      const rec = reuse(id);
      if (rec) {
        for (const j of rec.jobs ?? []) if (old.jobs[j]) ((nextJobs[j] = old.jobs[j]), usedJobs.add(j));
        return rec.out as Finding[];
      }
      const sink = new Set<string>();
      const before = new Set(usedJobs);
      const found = during(sink, () => check(xrefContext));
      return store(id, sink, found, [...usedJobs].filter((j) => !before.has(j))).out as Finding[];
    }),
  );

  // Lint: over the files that take part (patches too), through an index-backed context.
  const lintFiles = kept;
  const lintAll = everything(lintFiles);
  const withKind = (rs: ParsedResource[]) => rs.filter((r) => r.obj && typeof r.obj === 'object' && !Array.isArray(r.obj) && typeof r.obj.kind === 'string');
  const podsOf = new Map<ParsedResource, boolean>();
  const source: ContextSource = {
    resources: () => withKind(lintAll()),
    ofKind: (kind) => ofKindFrom(lintKinds, kind),
    withPods: () => lintFiles.flatMap((s) => (s.summary.pods.length ? resourcesOfFile(s.file.path).filter((_r, i) => s.summary.pods.includes(i)) : [])).filter((r) => withKind([r]).length),
    files: () => lintFiles.filter((s) => s.summary.kinds.length).map((s) => s.file.path),
    graph: () => graph,
    hasPods: (r) => {
      if (!podsOf.has(r)) {
        const s = states.get(r.file);
        const i = s ? resourcesOfFile(r.file).indexOf(r) : -1;
        podsOf.set(r, i >= 0 ? s!.summary.pods.includes(i) : allPods([r]).length > 0);
      }
      return podsOf.get(r)!;
    },
    read,
  };
  const prepared = prepareLint(input.lintConfig);
  const lintKey = hash(input.lintConfigKey).slice(0, 16);
  const global = contextOver(source, input.lintConfig, ruleRef);
  // Shared values: computed once per run from the whole repository, kept with what they read.
  const sharedValues = new Map<string, unknown>();
  const sharedId = (key: string) => `lint:${lintKey}:shared:${key}`;
  const shared = <T>(key: string, compute: (all: LintContext) => T): T => {
    read(`shared:${key}`);
    if (sharedValues.has(key)) return sharedValues.get(key) as T;
    const rec = reuse(sharedId(key));
    let value: unknown;
    if (rec) value = (rec.out as { value: unknown }).value;
    else {
      const sink = new Set<string>();
      value = during(sink, () => compute(lintContext));
      store(sharedId(key), sink, { value: JSON.parse(json(value) ?? 'null'), hash: hash(json(value) ?? '') });
    }
    sharedValues.set(key, value);
    return value as T;
  };
  const lintContext: LintContext = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(global), shared: { value: shared, enumerable: true } }) as LintContext;
  const narrowed = (resources: readonly ParsedResource[]): LintContext =>
    Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(lintContext), resources: { value: resources, enumerable: true } }) as LintContext;
  // A shared value recomputed this run that came out different touches its tag; one whose reads
  // are untouched is the same value.
  timed('check:lint-shared', () => {
    for (const [id, rec] of Object.entries(old.passes)) {
      if (!id.startsWith(`lint:${lintKey}:shared:`) || !rec.reads.some((t) => touched.has(t) || touched.has('*'))) continue;
      const key = id.slice(`lint:${lintKey}:shared:`.length);
      const rules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'targets');
      // The value is computed by the rule that asks for it: ask through a context with no targets
      // (a value no rule computes any more counts as changed).
      if (!passes[id]) during(new Set(), () => runRules(prepared, rules, narrowed([])));
      const now = passes[id];
      if (!now || (now.out as { hash: string }).hash !== (rec.out as { hash: string }).hash) touched.add(`shared:${key}`);
    }
  });

  const repoRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'repo');
  const localRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'resource');
  const targetRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'targets');
  const hits: LintHit[] = [];
  const changedSet = new Set(changedFiles);
  // K8S003 from facts kept per file (its workloads', NetworkPolicies' and Namespaces' namespaces
  // and policy flags, with the tags asking for them read): a file's facts are worked out again
  // only when it changed or a tag they read was touched; the findings come from all the facts
  // every run (lint/rules/k8s/k8s003: the rule's own check is the same two steps).
  const networkPolicyJob = (rule: (typeof repoRules)[number], id: string): LintHit[] => {
    jobsTotal++;
    const rec = old.passes[id];
    const before = (rec?.out as NetworkPolicyRecord | undefined)?.files ?? {};
    const own = (p: string, t: string) => (t === `f:${p}` ? '=f' : t === `ns:${p}` ? '=ns' : t);
    const unown = (p: string, t: string) => (t === '=f' ? `f:${p}` : t === '=ns' ? `ns:${p}` : t);
    let files: Map<string, NetworkPolicyRecord['files'][string]> | undefined;
    let ran = false;
    // Inside the rule's check, so that a throw is reported as the full check reports it (runRules).
    const check = () => {
      const now = new Map<string, NetworkPolicyRecord['files'][string]>();
      const list: { file: string; facts: NetworkPolicyFact[] }[] = [];
      for (const s of lintFiles) {
        const p = s.file.path;
        const kinds = s.summary.kinds;
        // No workload, NetworkPolicy or Namespace: no facts (hasPods is the index's pods; kinds its kinds).
        if (!s.summary.pods.length && !kinds.includes('NetworkPolicy') && !kinds.includes('Namespace')) continue;
        let kept = Object.hasOwn(before, p) ? before[p] : undefined;
        if (kept && (changedSet.has(p) || touched.has('*') || kept.reads.some((t) => touched.has(unown(p, t))))) kept = undefined;
        if (!kept) {
          const sink = new Set<string>();
          const facts = during(sink, () => networkPolicyFacts(lintContext, withKind(resourcesOfFile(p))));
          kept = { facts, reads: [...sink].map((t) => own(p, t)) };
          ran = true;
        }
        now.set(p, kept);
        list.push({ file: p, facts: kept.facts });
      }
      const raw = networkPolicyFindings(list, (p, i) => withKind(resourcesOfFile(p))[i]);
      files = now;
      return raw;
    };
    const hits = runRules(prepared, [{ rule: { ...rule.rule, check }, level: rule.level }], lintContext);
    if (ran) jobsRun++;
    // The record as loaded while every file's facts are (so an unchanged run writes nothing).
    if (files) passes[id] = rec && !ran && sameSet([...files.keys()], Object.keys(before)) ? rec : { reads: [], out: { files: Object.fromEntries(files) } };
    return hits;
  };
  timed('check:lint-repo', () => {
    for (const rule of repoRules) {
      const id = `lint:${lintKey}:${rule.rule.id}`;
      if (rule.rule.id === networkPolicyDefaultDeny.id) {
        hits.push(...networkPolicyJob(rule, id));
        continue;
      }
      const rec = reuse(id);
      if (rec) hits.push(...(rec.out as LintHit[]));
      else {
        const sink = new Set<string>();
        hits.push(...(store(id, sink, during(sink, () => runRules(prepared, [rule], lintContext))).out as LintHit[]));
      }
    }
  });
  timed('check:lint-files', () => {
    for (const s of lintFiles) {
      // What this content got under this config, when the record is of this config.
      const rec = s.summary.lint?.key === lintKey ? s.summary.lint : undefined;
      const stored = rec && (s.summary.flags & FLAG.lint ? entryOf(s).lint[lintKey] : { local: [], targets: [] });
      const local = stored?.local ?? runRules(prepared, localRules, buildContext(parseNow(s.file), input.lintConfig, ruleRef));
      let targets = stored?.targets ?? [];
      let targetReads = rec?.reads ?? [];
      jobsTotal++;
      if (targetRules.length && (!rec || !stored?.targets || changedSet.has(s.file.path) || touched.has('*') || targetReads.some((t) => touched.has(t)))) {
        const sink = new Set<string>();
        targets = during(sink, () => runRules(prepared, targetRules, narrowed(withKind(resourcesOfFile(s.file.path)))));
        sink.delete(`f:${s.file.path}`);
        targetReads = [...sink];
        jobsRun++;
      }
      const nonEmpty = local.length > 0 || targets.length > 0;
      const same = !!rec && sameList(rec.reads, targetReads) && (!nonEmpty || (stored!.local === local && stored!.targets === targets));
      if (!same) {
        s.summary = { ...s.summary, lint: { key: lintKey, reads: targetReads }, flags: (s.summary.flags & ~FLAG.lint) | (nonEmpty ? FLAG.lint : 0) };
        if (nonEmpty) {
          const entry = entryOf(s);
          entry.lint = { [lintKey]: { local, targets } };
          fresh.set(s.key, entry);
        }
      }
      hits.push(...local, ...targets);
    }
  });
  // A record not checked this run (a data file's) cannot be trusted in a later one.
  for (const s of states.values()) if (data.has(s.file.path) && s.summary.lint) s.summary = { ...s.summary, lint: undefined, flags: s.summary.flags & ~FLAG.lint };

  // The cache to keep: this run's index records, jobs and entries.
  const files = new Map<string, FileSummary>();
  for (const s of states.values()) files.set(s.file.path, s.summary);
  for (const [id, rec] of Object.entries(old.passes)) if (!(id in passes) && id.startsWith(`lint:${lintKey}:shared:`) && !touched.has('*') && !rec.reads.some((t) => touched.has(t))) passes[id] = rec;
  const cache: CheckCache = {
    format: CHECK_CACHE_FORMAT,
    fingerprint: input.fingerprint,
    files,
    others,
    roles: { patches: [...patches], data: [...data], matched },
    passes,
    jobs: Object.fromEntries([...usedJobs].filter((j) => nextJobs[j]).map((j) => [j, nextJobs[j]])),
    entry: old.entry,
    fresh,
    store: usable ? old.store : undefined,
  };
  cache.unchanged =
    usable &&
    !fresh.size &&
    files.size === old.files.size &&
    [...files].every(([p, s]) => old.files.get(p) === s) &&
    sameList(Object.keys(passes), Object.keys(old.passes)) &&
    Object.entries(passes).every(([id, rec]) => old.passes[id] === rec) &&
    sameList(Object.keys(cache.jobs), Object.keys(old.jobs)) &&
    sameList(others, old.others) &&
    sameList(cache.roles.patches, old.roles.patches) &&
    sameList(cache.roles.data, old.roles.data) &&
    sameList(cache.roles.matched, old.roles.matched);
  const all = everything(kept);
  return {
    get resources() {
      return all();
    },
    resourceCount: kept.reduce((n, s) => n + s.summary.kinds.length, 0),
    repo,
    validation: [...parseFindings, ...schemaFindings, ...paths.findings, ...xref],
    lint: finishLint(hits),
    cache,
    checked,
    manifests: manifests.length,
    jobsRun,
    jobsTotal,
  };
}

/**
 * Files whose kustomize namespaces (lint/util/kustomize.ts namespacesOf) may differ between two
 * graphs that differ only in the nodes of `changed` folders: every file a walk from an affected
 * root reaches, in either graph, whose namespaces from those walks differ. A root is affected when
 * it reaches a changed folder, or is one whose root status may have changed (a changed node's
 * target). A walk from any other root visits the same nodes in both graphs, so gives the same.
 */
function namespacesMoved(before: ReadonlyMap<string, GraphNode>, after: ReadonlyMap<string, GraphNode>, changed: ReadonlySet<string>): string[] {
  const parents = new Map<string, Set<string>>();
  const candidates = new Set<string>(changed);
  for (const nodes of [before, after])
    for (const [dir, node] of nodes)
      for (const t of node.entries) {
        (parents.get(t) ?? parents.set(t, new Set()).get(t)!).add(dir);
        if (changed.has(dir)) candidates.add(t);
      }
  // Every folder above a changed one (through either graph's entries).
  const todo = [...changed];
  while (todo.length) {
    const d = todo.pop()!;
    for (const p of parents.get(d) ?? []) if (!candidates.has(p)) (candidates.add(p), todo.push(p));
  }
  const contributions = (nodes: ReadonlyMap<string, GraphNode>) => {
    const included = new Set<string>();
    for (const node of nodes.values()) for (const t of node.entries) if (nodes.has(t)) included.add(t);
    const out = new Map<string, Set<string>>();
    const seen = new Set<string>();
    const walk = (dir: string, outer: string | undefined) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      const ns = outer ?? nodes.get(dir)!.namespace;
      for (const t of nodes.get(dir)!.entries) {
        if (nodes.has(t)) walk(t, ns);
        else if (ns) (out.get(t) ?? out.set(t, new Set()).get(t)!).add(ns);
        else if (!out.has(t)) out.set(t, new Set());
      }
      seen.delete(dir);
    };
    for (const d of candidates) if (nodes.has(d) && !included.has(d)) walk(d, undefined);
    return out;
  };
  const a = contributions(before);
  const b = contributions(after);
  const moved: string[] = [];
  for (const f of new Set([...a.keys(), ...b.keys()])) if (!sameSet([...(a.get(f) ?? [])], [...(b.get(f) ?? [])])) moved.push(f);
  return moved;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(b);
  return a.every((x) => s.has(x));
}

/**
 * Kinds whose objects the cross-file checks read beyond apiVersion, kind and metadata (the
 * kustomize graph, Argo CD objects, what xref and `repo` lint rules look up): kept as JSON. Any
 * other object that a check does touch is parsed from its file instead: slower, same result.
 */
const CROSS_FILE_KINDS = new Set([
  'Application', 'ApplicationSet', 'AppProject', 'ConfigMap', 'Secret', 'Rollout', 'HorizontalPodAutoscaler', 'ExternalSecret', 'SecretStore', 'ClusterSecretStore',
  'NetworkPolicy', 'LimitRange', 'Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow',
]);

/** Everything the cache keeps about one file, from a parse of it: its entry and index record. */
function factsOf(f: SourceFile, parsed: ParseResult): { entry: FileEntry; summary: FileSummary } {
  const resources = parsed.resources;
  const kustomization = isKustomizationFile(f.path);
  const entry: FileEntry = {
    documents: parsed.documents,
    parse: parsed.findings,
    resources: resources.map((r) => {
      const obj = r.obj && typeof r.obj === 'object' && !Array.isArray(r.obj) ? r.obj : {};
      // Only what survives the cache file (JSON) exactly; the rest stays lazy.
      const head: Record<string, unknown> = {};
      for (const k of ['apiVersion', 'kind', 'metadata']) if (k in obj && jsonExact(obj[k])) head[k] = obj[k];
      const exact = (kustomization || CROSS_FILE_KINDS.has(String(obj.kind))) && jsonExact(r.obj) ? { json: JSON.stringify(r.obj) } : {};
      return { docIndex: r.docIndex, line: r.line, head, keys: Object.keys(obj), ...exact };
    }),
    schema: {},
    lint: {},
  };
  return { entry, summary: summaryFrom(f, entry, resources) };
}

/** The index record of a file, from its entry and its resources (parsed, or lazy from the entry). */
function summaryFrom(f: SourceFile, entry: FileEntry, resources: readonly ParsedResource[]): FileSummary {
  const kinds = resources.map((r) => (r.obj && typeof r.obj === 'object' && typeof r.obj.kind === 'string' ? r.obj.kind : ''));
  const pods = resources.flatMap((r, i) => (allPods([r]).length > 0 ? [i] : []));
  const flags =
    (entry.parse.length ? FLAG.parse : 0) |
    (entry.schema.resource ? HAS.schemaResource | (entry.schema.resource.length ? FLAG.schemaResource : 0) : 0) |
    (entry.schema.patch ? HAS.schemaPatch | (entry.schema.patch.length ? FLAG.schemaPatch : 0) : 0) |
    subjectFlags(resources);
  const kz = isKustomizationFile(f.path)
    ? resources.map((r, i) => ({ i, docIndex: r.docIndex, line: r.line, refs: kustomizationRefs(r), ...(isGraphKustomization(r) ? { graph: graphNode(r.file, r.obj) } : {}) }))
    : undefined;
  return { key: '', kinds, pods, flags, ...(kz ? { kz } : {}) };
}

/** An entry found on disk for a changed path (same content as another record): its index record. */
function summaryOf(f: SourceFile, entry: FileEntry, parsedNow: (f: SourceFile) => ParseResult): FileSummary {
  // The facts of kinds and pods need the objects: parse the file (rare: a file restored or moved).
  return summaryFrom(f, entry, parsedNow(f).resources);
}

/**
 * A kustomization's resource for the repository index without reading its entry: file, document
 * and line from the index, the object and line lookups from the real resource when first used.
 */
function stubResource(file: string, k: KzFacts, real: () => ParsedResource): ParsedResource {
  return {
    file,
    docIndex: k.docIndex,
    line: k.line,
    origin: 'file',
    get obj() {
      return real().obj;
    },
    lineOf: (pointer) => real().lineOf?.(pointer),
  };
}

/**
 * A resource of an unchanged file without parsing it: apiVersion, kind and metadata come from the
 * facts; any other field comes from the object's JSON (parsed on first use), or from the file
 * (parsed once per run) when the object had no exact JSON; line lookups parse the file.
 */
function lazyResource(f: SourceFile, facts: ResourceFacts, index: number, parseNow: (f: SourceFile) => ParsedResource[]): ParsedResource {
  const real = () => parseNow(f)[index];
  let whole: any;
  const value = (k: string) => (whole ??= facts.json !== undefined ? JSON.parse(facts.json) : real().obj)[k];
  const obj: any = {};
  for (const k of facts.keys) {
    if (k in facts.head) obj[k] = facts.head[k];
    else Object.defineProperty(obj, k, { enumerable: true, configurable: true, get: () => value(k) });
  }
  return { file: f.path, docIndex: facts.docIndex, line: facts.line, obj, origin: 'file', lineOf: (pointer) => real().lineOf?.(pointer) };
}

/** True when JSON.parse(JSON.stringify(v)) gives v back: plain data, finite numbers, no -0. */
function jsonExact(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(jsonExact);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.entries(v as object).every(([k, x]) => k !== '__proto__' && jsonExact(x));
  return false;
}
