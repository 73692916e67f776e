// The pre-write check, incrementally: the same findings as the full check (generated.ts
// checkRenderedFull), in the same order, re-doing only what the changed files affect.
//
// Cached per file, under the hash of its path and content (CheckCache, kept by the caller in
// .gitops-scaffold/cache/): what depends on that file alone - its parse findings and document
// count, its schema findings (per role: resource or kustomize patch), the findings of the lint
// rules whose scope is `resource`, and those of `targets` rules together with every answer they
// got from the rest of the repository (reused only while each answer is unchanged) - plus a few
// facts about each resource (apiVersion, kind, metadata, whether it runs pods, the object as
// JSON).
//
// Recomputed on every run, over all files: which files are manifests, patches or data (from the
// kustomizations and ApplicationSets), kustomize paths, cross references, `repo`-scope lint rules
// and the simulation. They see every resource; the resources of unchanged files are lazy: their
// facts answer apiVersion, kind and metadata, and touching anything else parses the object's JSON
// (or, when it had none, the file's rendered text) then. So correctness never rests on a guess of what depends on what:
// only per-file results are cached, and cross-file results are always computed afresh.
// test/check/incremental.test.ts compares this with the full check over random edits.
import { createHash } from 'node:crypto';
import type { LintConfig } from '../lint/index.ts';
import { buildContext } from '../lint/context.ts';
import { finishLint, type LintHit, prepareLint, ruleRef, runRules, scopeOf } from '../lint/engine.ts';
import type { LintContext } from '../lint/types.ts';
import { allPods } from '../lint/util/pods.ts';
import { checkKustomizePaths } from '../validate/kustomize-paths.ts';
import { kustomizationRefs, type KustomizeRef, RepoIndex } from '../validate/kustomize-refs.ts';
import { graphFields } from '../lint/util/kustomize.ts';
import { fileRoles, nonManifestFiles } from '../validate/pipeline.ts';
import { validateSchemas } from '../validate/schema-layer.ts';
import { crossReferenceChecks } from '../validate/xref/index.ts';
import type { Finding } from './finding.ts';
import { sha256 as hash } from '../io/manifest.ts';
import { isKustomizationFile, type ParseResult, parseSource } from './parse.ts';
import type { ParsedResource, SourceFile } from './resources.ts';

/** Bump when what an entry holds, or how it is computed, changes. */
export const CHECK_CACHE_FORMAT = 'gitops-scaffold-check-cache-5';

export interface CheckCache {
  format: string;
  /** checkerFingerprint() of the run that wrote it: code and schemas. */
  fingerprint: string;
  files: Record<string, FileEntry>;
  /**
   * Findings of cross-reference jobs (validate/xref/context.ts XrefMemo), under a hash of the job's
   * key and of every file it reads (path, content hash, whether its resources took part).
   */
  jobs?: Record<string, Finding[]>;
  /** Entries as read from disk (cache-store.ts), so unchanged ones are written back as they were. */
  raw?: Map<string, string>;
  /** Keys of entries this run created or changed. */
  dirty?: Set<string>;
  /** Entry lines in the file as read (duplicates included), when it can be appended to. */
  stored?: number;
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
  pods: boolean;
  /** A kustomization's refs (RepoIndex) and the fields the lint graph reads, so neither parses `json`. */
  kz?: { refs: KustomizeRef[]; graph: Record<string, unknown> };
}

interface FileEntry {
  documents: number;
  parse: Finding[];
  resources: ResourceFacts[];
  schema: { resource?: Finding[]; patch?: Finding[] };
  /** Per lint config (hash): `resource` rules' findings, and `targets` rules' with their answers. */
  lint: Record<string, { local: LintHit[]; targets?: { hits: LintHit[]; answers: Answer[] } }>;
}

/** One question a `targets` rule asked the repository, and a hash of the answer it got. */
type Answer = [question: string, argument: string, hash: string];

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
  resources: ParsedResource[];
  repo: RepoIndex;
  /** Parse, schema, kustomize path and cross-reference findings, in the full check's order. */
  validation: Finding[];
  lint: Finding[];
  cache: CheckCache;
  /** How many manifest files were (re)checked rather than taken from the cache, of how many. */
  checked: number;
  manifests: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SAFE_PATH = /^[\w.@+/-]+$/;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x instanceof Map ? [...x] : x));

export function checkIncremental(input: IncrementalInput): IncrementalResult {
  const usable = input.cache?.format === CHECK_CACHE_FORMAT && input.cache.fingerprint === input.fingerprint;
  const old = usable ? input.cache!.files : {};
  const next: Record<string, FileEntry> = {};
  const oldJobs = usable ? input.cache!.jobs ?? {} : {};
  const nextJobs: Record<string, Finding[]> = {};
  const dirty = new Set<string>();
  const candidates = input.files.filter((f) => MANIFEST.test(f.path));
  const ignored = nonManifestFiles(candidates.map((c) => c.path));
  const manifests = candidates.filter((c) => !ignored.has(c.path));

  // Per file: its entry (cached or computed now) and its resources (lazy or parsed).
  const fileHash = new Map<string, string>();
  // Kustomizations of unchanged files: what RepoIndex and the lint graph read, as the cache kept it.
  const kustomization = new Map<ParsedResource, NonNullable<ResourceFacts['kz']>>();
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
  let checked = 0;
  const perFile = manifests.map((f) => {
    // Content hash (the render's own sha256 of the text when it is known) and path; a path with
    // characters a cache line cannot hold is hashed into the key instead (64 characters: no path
    // key is that short, none starts with `x`, the job entries' mark).
    const sha = f.sha256 ?? hash(f.content);
    const key = SAFE_PATH.test(f.path) ? `${sha}${f.path}` : hash(`${f.path}\0${sha}`);
    fileHash.set(f.path, key);
    let entry = old[key];
    if (!entry) {
      checked++;
      entry = factsOf(f, parsedNow(f));
      dirty.add(key);
    }
    next[key] = entry;
    const parsed = materialized.get(f.path)?.resources;
    const resources = parsed ?? entry.resources.map((facts, i) => lazyResource(f, facts, i, parseNow));
    if (!parsed) resources.forEach((r, i) => entry.resources[i].kz && kustomization.set(r, entry.resources[i].kz!));
    return { file: f, key, entry, resources };
  });

  // Roles, as classifyManifests decides them, from every file's (lazy) resources.
  const all = perFile.flatMap((p) => p.resources);
  const repo = new RepoIndex(input.files.map((f) => f.path), all, (r) => kustomization.get(r)?.refs);
  const { patches, data } = fileRoles(all, repo);

  const resources: ParsedResource[] = [];
  const parseFindings: Finding[] = [];
  const schemaFindings: Finding[] = [];
  const kept = perFile.filter((p) => !data.has(p.file.path));
  for (const p of kept) {
    resources.push(...p.resources);
    const isPatch = patches.has(p.file.path);
    for (const f of p.entry.parse) if (!isPatch || f.rule === 'parse/syntax' || f.rule === 'parse/duplicate-key') parseFindings.push(f);
    const role = isPatch ? 'patch' : 'resource';
    let schema = p.entry.schema[role];
    if (!schema) {
      schema = validateSchemas(parseNow(p.file), { partialFiles: isPatch ? new Set([p.file.path]) : new Set() }).findings;
      p.entry.schema[role] = schema;
      dirty.add(p.key);
    }
    schemaFindings.push(...schema);
  }
  const paths = checkKustomizePaths(repo);
  const xrefResources = resources.filter((r) => !patches.has(r.file));
  // A file's token for the jobs: its content hash while its resources take part, else '-'.
  const token = new Map<string, string>();
  for (const r of xrefResources) token.set(r.file, fileHash.get(r.file)!);
  const memo = {
    job(check: string, key: string, files: Iterable<string>, compute: () => Finding[]): Finding[] {
      const h = createHash('sha256').update(check).update('\0').update(key);
      for (const f of files) h.update('\0').update(f).update('\0').update(token.get(f) ?? '-');
      const id = `x${h.digest('hex')}`;
      let found = oldJobs[id] ?? nextJobs[id];
      if (!found) {
        found = compute();
        dirty.add(id);
      }
      nextJobs[id] = found;
      return found;
    },
  };
  const xref = crossReferenceChecks({ resources: xrefResources, repo, memo });

  // Lint: `repo` rules over everything; `resource` and `targets` rules file by file, cached.
  const prepared = prepareLint(input.lintConfig);
  const lintKey = hash(input.lintConfigKey).slice(0, 16);
  const pods = new Map<ParsedResource, boolean>();
  kept.forEach((p) => p.resources.forEach((r, i) => pods.set(r, p.entry.resources[i].pods)));
  const global = buildContext(resources, input.lintConfig, ruleRef, { hasPods: (r) => pods.get(r) ?? allPods([r]).length > 0, kustomization: (r) => kustomization.get(r)?.graph });
  const repoRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'repo');
  const localRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'resource');
  const targetRules = prepared.enabled.filter((e) => scopeOf(e.rule) === 'targets');
  const answers = answerer(global, resources, fileHash);
  // Shared indexes first (a targets rule computes them at its start), so replays can compare them.
  if (targetRules.length) runRules(prepared, targetRules, { ...answers.recording([]), resources: [] });
  const hits: LintHit[] = runRules(prepared, repoRules, global);
  for (const p of kept) {
    const cached = p.entry.lint[lintKey];
    let local = cached?.local;
    if (!local) {
      local = runRules(prepared, localRules, buildContext(parseNow(p.file), input.lintConfig, ruleRef));
      dirty.add(p.key);
    }
    let targets = cached?.targets;
    if (targetRules.length && (!targets || !answers.unchanged(targets.answers))) {
      dirty.add(p.key);
      const recorded: Answer[] = [];
      // The targets as buildContext would list them: resources with an object body and a kind.
      const own = p.resources.filter((r) => r.obj && typeof r.obj === 'object' && !Array.isArray(r.obj) && typeof r.obj.kind === 'string');
      targets = { hits: runRules(prepared, targetRules, { ...answers.recording(recorded), resources: own }), answers: dedupe(recorded) };
    }
    if (Object.keys(p.entry.lint).length !== 1 || !cached) dirty.add(p.key);
    p.entry.lint = { [lintKey]: { local, ...(targetRules.length ? { targets } : {}) } };
    hits.push(...local, ...(targets?.hits ?? []));
  }

  return {
    resources,
    repo,
    validation: [...parseFindings, ...schemaFindings, ...paths.findings, ...xref],
    lint: finishLint(hits),
    cache: { format: CHECK_CACHE_FORMAT, fingerprint: input.fingerprint, files: next, jobs: nextJobs, raw: usable ? input.cache!.raw : undefined, stored: usable ? input.cache!.stored : undefined, dirty },
    checked,
    manifests: manifests.length,
  };
}

/** Everything the cache keeps about one file, from a parse of it. */
/**
 * Kinds whose objects the cross-file checks read beyond apiVersion, kind and metadata (the
 * kustomize graph, Argo CD objects, what xref and `repo` lint rules look up): kept as JSON. Any
 * other object that a check does touch is parsed from its file instead: slower, same result.
 */
const CROSS_FILE_KINDS = new Set([
  'Application', 'ApplicationSet', 'AppProject', 'ConfigMap', 'Secret', 'Rollout', 'HorizontalPodAutoscaler', 'ExternalSecret', 'SecretStore', 'ClusterSecretStore',
  'NetworkPolicy', 'LimitRange', 'Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow',
]);

function factsOf(f: SourceFile, parsed: ParseResult): FileEntry {
  const resources = parsed.resources;
  const kustomization = isKustomizationFile(f.path);
  return {
    documents: parsed.documents,
    parse: parsed.findings,
    resources: resources.map((r) => {
      const obj = r.obj && typeof r.obj === 'object' && !Array.isArray(r.obj) ? r.obj : {};
      // Only what survives the cache file (JSON) exactly; the rest stays lazy.
      const head: Record<string, unknown> = {};
      for (const k of ['apiVersion', 'kind', 'metadata']) if (k in obj && jsonExact(obj[k])) head[k] = obj[k];
      const exact = (kustomization || CROSS_FILE_KINDS.has(String(obj.kind))) && jsonExact(r.obj) ? { json: JSON.stringify(r.obj) } : {};
      const kz = kustomization && r.obj === obj && jsonExact(obj) ? { kz: { refs: kustomizationRefs(r), graph: graphFields(obj) } } : {};
      return { docIndex: r.docIndex, line: r.line, head, keys: Object.keys(obj), ...exact, pods: allPods([r]).length > 0, ...kz };
    }),
    schema: {},
    lint: {},
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

const dedupe = (answers: Answer[]): Answer[] => {
  const seen = new Set<string>();
  return answers.filter((a) => {
    const k = a.join('\0');
    return seen.has(k) ? false : (seen.add(k), true);
  });
};

/**
 * The questions a `targets` rule may ask about the rest of the repository, answered from the
 * whole repository; `recording` notes each answer's hash, `unchanged` re-asks recorded questions.
 */
function answerer(global: LintContext, resources: readonly ParsedResource[], fileHash: ReadonlyMap<string, string>) {
  const idOf = (r: ParsedResource) => `${r.file}\0${r.docIndex}\0${fileHash.get(r.file) ?? ''}`;
  const byId = new Map(resources.map((r) => [idOf(r), r]));
  const ids = (rs: readonly ParsedResource[]) => hash(rs.map(idOf).join('\n'));
  const shared = new Map<string, string>();
  const memo = new Map<string, string | undefined>();
  const ask: Record<string, (arg: string) => string | undefined> = {
    ofKind: (arg) => ids(global.ofKind(...arg.split(','))),
    configMap: (arg) => {
      const r = global.configMap(arg);
      return r ? idOf(r) : 'none';
    },
    namespacesOf: (arg) => (byId.has(arg) ? hash(json(global.namespacesOf(byId.get(arg)!))) : undefined),
    isProduction: (arg) => (byId.has(arg) ? String(global.isProduction(byId.get(arg)!)) : undefined),
    hasPods: (arg) => (byId.has(arg) ? String(global.hasPods(byId.get(arg)!)) : undefined),
    filesOfSource: (arg) => {
      const [p, recurse] = JSON.parse(arg);
      return hash(json([...global.filesOfSource(p, recurse)].sort()));
    },
    managesArgoCd: () => String(global.managesArgoCd()),
    shared: (arg) => shared.get(arg),
  };
  return {
    recording(out: Answer[]): LintContext {
      const note = (q: string, arg: string) => {
        const v = ask[q](arg);
        if (v !== undefined) out.push([q, arg, v]);
      };
      return {
        ...global,
        ofKind: (...kinds) => (note('ofKind', kinds.join(',')), global.ofKind(...kinds)),
        configMap: (name) => (note('configMap', name), global.configMap(name)),
        namespacesOf: (r) => (note('namespacesOf', idOf(r)), global.namespacesOf(r)),
        isProduction: (r) => (note('isProduction', idOf(r)), global.isProduction(r)),
        hasPods: (r) => (note('hasPods', idOf(r)), global.hasPods(r)),
        filesOfSource: (p, recurse) => (note('filesOfSource', JSON.stringify([p, recurse])), global.filesOfSource(p, recurse)),
        managesArgoCd: () => (note('managesArgoCd', ''), global.managesArgoCd()),
        shared: (key, compute) => {
          const v = global.shared(key, compute);
          if (!shared.has(key)) shared.set(key, hash(json(v)));
          note('shared', key);
          return v;
        },
      };
    },
    /** Every recorded question still gets the answer it got (each question asked once a run). */
    unchanged(recorded: readonly Answer[]): boolean {
      return recorded.every(([q, arg, v]) => {
        const k = `${q}\0${arg}`;
        if (!memo.has(k)) memo.set(k, ask[q]?.(arg));
        return memo.get(k) === v;
      });
    },
  };
}
