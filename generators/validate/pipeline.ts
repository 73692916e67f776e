// The steps every validation runs, in order, without I/O: parse, classify kustomize inputs,
// schema layer, kustomize path checks, cross references. Both validateCommand (disk) and
// checkPlannedFiles (the generator's in-memory plan) use it.
import type { Finding } from '../check/finding.ts';
import { parseSource } from '../check/parse.ts';
import type { ParsedResource, SourceFile } from '../check/resources.ts';
import { checkKustomizePaths } from './kustomize-paths.ts';
import { kustomizeFileRoles, RepoIndex } from './kustomize-refs.ts';
import { type SchemaLayerOptions, validateSchemas } from './schema-layer.ts';
import { globToRegExp, templateToGlob } from './xref/glob.ts';
import { crossReferenceChecks } from './xref/index.ts';
import { timed } from '../incremental/timing.ts';

export interface CheckOptions {
  /** The repository's own URL: Application sources pointing at it are checked against the files. */
  repoUrl?: string;
  skip?: readonly string[];
  reject?: readonly string[];
  ignoreMissingSchemas?: boolean;
  /** kubeconform -ignore-filename-pattern: regular expressions; matching files are not read. */
  ignoreFilenamePatterns?: readonly string[];
}

/** A dot-file or a file under a dot-folder; `.` and `..` (paths outside the root) are not hidden. */
const isHidden = (p: string) => (p.startsWith('.') || p.includes('/.')) && p.split('/').some((seg) => seg.startsWith('.') && seg !== '.' && seg !== '..');

/**
 * Files that are YAML but not manifests, never validated: anything under a hidden folder or
 * hidden itself (.github/workflows, .gitlab-ci.yml), and Helm charts (a folder with Chart.yaml:
 * its templates are not YAML until rendered).
 */
export function nonManifestFiles(paths: readonly string[], ignore: readonly string[] = []): Set<string> {
  const patterns = ignore.map((p) => new RegExp(p));
  const chartDirs = paths.filter((p) => /(^|\/)Chart\.ya?ml$/.test(p)).map((p) => p.replace(/Chart\.ya?ml$/, ''));
  return new Set(
    paths.filter(
      (p) => isHidden(p) || chartDirs.some((d) => p.startsWith(d)) || patterns.some((re) => re.test(p)),
    ),
  );
}

export interface PipelineResult {
  resources: ParsedResource[];
  findings: Finding[];
  repo: RepoIndex;
  /** Non-empty documents parsed (kubeconform's "resources found"). */
  documents: number;
  manifestFiles: number;
  /** Kustomize patches (partial resources) and data files, not validated as resources. */
  patchFiles: Set<string>;
  dataFiles: Set<string>;
  /** Files skipped as non-manifests (hidden, Helm charts, ignore patterns). */
  ignoredFiles: Set<string>;
  remoteKustomizeRefs: number;
  handSchemaKinds: string[];
  schemaOptions: SchemaLayerOptions;
}

/**
 * Files an ApplicationSet git `files` generator reads (clusters/<name>/cluster.json): parameters
 * for templates, not manifests. Matched in this repository whatever the generator's repoURL.
 */
export function appSetGeneratorFiles(resources: readonly ParsedResource[], files: ReadonlySet<string>): string[] {
  const patterns: string[] = [];
  const visit = (generators: unknown) => {
    if (!Array.isArray(generators)) return;
    for (const g of generators) {
      for (const f of Array.isArray(g?.git?.files) ? g.git.files : []) if (typeof f?.path === 'string') patterns.push(templateToGlob(f.path));
      visit(g?.matrix?.generators);
      visit(g?.merge?.generators);
    }
  };
  for (const r of resources) if (r.obj?.kind === 'ApplicationSet') visit(r.obj?.spec?.generators);
  return filesMatching(patterns, files);
}

/**
 * The files any of the globs match, in the files' order. A glob's regular expression is anchored
 * and begins with the glob's literal characters (up to the first of `\ * ? [ {`), so only files
 * starting with that prefix are tested; each distinct glob is tested once. The globs are grouped
 * by prefix: a file looks up its own first characters once per distinct prefix length (an
 * ApplicationSet per team gives one length and dozens of prefixes) instead of trying every glob.
 */
export function filesMatching(globs: readonly string[], files: ReadonlySet<string>): string[] {
  if (!globs.length) return [];
  const byPrefix = new Map<string, RegExp[]>();
  for (const g of new Set(globs)) {
    const stop = g.search(/[\\*?[{]/);
    const prefix = stop < 0 ? g : g.slice(0, stop);
    const res = byPrefix.get(prefix);
    if (res) res.push(globToRegExp(g));
    else byPrefix.set(prefix, [globToRegExp(g)]);
  }
  const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))];
  const out: string[] = [];
  for (const f of files) {
    let hit = false;
    for (let i = 0; i < lengths.length && !hit; i++) {
      if (lengths[i] > f.length) continue;
      const res = byPrefix.get(f.slice(0, lengths[i]));
      if (res) for (let j = 0; j < res.length && !hit; j++) hit = res[j].test(f);
    }
    if (hit) out.push(f);
  }
  return out;
}

/**
 * Helm value files that Applications (and ApplicationSet templates) take from a `ref` source,
 * `$values/apps/x/values.yaml` (Argo CD 3.x multi-source Applications): chart inputs, not
 * manifests. Matched in this repository whatever the ref source's repoURL, as generator files are.
 */
function helmValueFiles(resources: readonly ParsedResource[], files: ReadonlySet<string>): string[] {
  const patterns: string[] = [];
  for (const r of resources) {
    const spec = r.obj?.kind === 'Application' ? r.obj?.spec : r.obj?.kind === 'ApplicationSet' ? r.obj?.spec?.template?.spec : undefined;
    for (const s of [spec?.source, ...(Array.isArray(spec?.sources) ? spec.sources : [])])
      for (const v of Array.isArray(s?.helm?.valueFiles) ? s.helm.valueFiles : [])
        if (typeof v === 'string' && /^\$[^/]+\/./.test(v)) patterns.push(templateToGlob(v.slice(v.indexOf('/') + 1)));
  }
  return filesMatching(patterns, files);
}

/**
 * Which files are kustomize patches (partial resources) and which are data (kustomize generator
 * inputs, ApplicationSet git generator files, Helm value files): the one place that decides it,
 * for validate, lint and the incremental pre-write check (check/incremental.ts) alike.
 */
export function fileRoles(resources: readonly ParsedResource[], repo: RepoIndex): { patches: Set<string>; data: Set<string> } {
  const { patches, data } = kustomizeFileRoles([...repo.kustomizations.values()]);
  for (const f of appSetGeneratorFiles(resources, repo.files)) data.add(f);
  for (const f of helmValueFiles(resources, repo.files)) data.add(f);
  return { patches, data };
}

/** The manifests of a repository as both validate and lint see them (one selection, one count). */
export interface ClassifiedManifests {
  /** Resources of manifest files: data files left out, patches (partial resources) kept. */
  resources: ParsedResource[];
  /** Parse findings that count: none for data files, only YAML errors for patches. */
  parseFindings: Finding[];
  repo: RepoIndex;
  /** Non-empty documents of manifest files (List items one by one), failed ones included. */
  documents: number;
  manifestFiles: number;
  patchFiles: Set<string>;
  dataFiles: Set<string>;
  ignoredFiles: Set<string>;
}

/**
 * Which candidate files are manifests: hidden files and folders, Helm charts and ignore
 * patterns are not (nonManifestFiles), nor are the data files kustomizations and ApplicationSet
 * git generators read. Parses each manifest once.
 */
export function classifyManifests(candidates: readonly SourceFile[], allPaths: Iterable<string>, opts: Pick<CheckOptions, 'ignoreFilenamePatterns'> = {}): ClassifiedManifests {
  const ignored = nonManifestFiles(candidates.map((c) => c.path), opts.ignoreFilenamePatterns);
  const manifests = candidates.filter((c) => !ignored.has(c.path));
  const parsed = timed('parse', () => manifests.map((m) => parseSource(m)));
  const repo = timed('repo-index', () => new RepoIndex(allPaths, parsed.flatMap((p) => p.resources)));
  const { patches, data } = timed('file-roles', () => fileRoles(parsed.flatMap((p) => p.resources), repo));
  const resources: ParsedResource[] = [];
  const parseFindings: Finding[] = [];
  let documents = 0;
  manifests.forEach((m, i) => {
    // Data files (generator inputs, Helm values) are not manifests: their resources and parse
    // findings are dropped. Patches may be JSON 6902 lists or fragments: only YAML errors count.
    if (data.has(m.path)) return;
    documents += parsed[i].documents;
    resources.push(...parsed[i].resources);
    for (const f of parsed[i].findings) if (!f.file || !patches.has(f.file) || f.rule === 'parse/syntax' || f.rule === 'parse/duplicate-key') parseFindings.push(f);
  });
  return { resources, parseFindings, repo, documents, manifestFiles: manifests.length - manifests.filter((m) => data.has(m.path)).length, patchFiles: patches, dataFiles: data, ignoredFiles: ignored };
}

/** What the checks after parsing find: schema layer, kustomize paths, cross references. */
export interface CheckFindings {
  schema: Finding[];
  paths: Finding[];
  xref: Finding[];
  remoteKustomizeRefs: number;
  handSchemaKinds: string[];
}

export const schemaOptionsOf = (c: Pick<ClassifiedManifests, 'patchFiles'>, opts: CheckOptions): SchemaLayerOptions => ({
  skip: opts.skip,
  reject: opts.reject,
  ignoreMissingSchemas: opts.ignoreMissingSchemas,
  partialFiles: c.patchFiles,
});

/**
 * The checks over classified manifests. Pure: validate may run them in a worker thread over its
 * own parse of the same texts (validate/parallel.ts), and gets the same findings in the same order.
 */
export function runChecks(c: ClassifiedManifests, opts: CheckOptions = {}): CheckFindings {
  const { resources, repo, patchFiles: patches } = c;
  const schema = timed('schema', () => validateSchemas(resources, schemaOptionsOf(c, opts)));
  const paths = timed('kustomize-paths', () => checkKustomizePaths(repo));
  // Patches name resources that exist elsewhere: they take no part in cross references.
  const xref = timed('xref', () => crossReferenceChecks({ resources: resources.filter((r) => !patches.has(r.file)), repo, repoUrl: opts.repoUrl }));
  return { schema: schema.findings, paths: paths.findings, xref, remoteKustomizeRefs: paths.remoteRefs, handSchemaKinds: schema.handSchemaKinds };
}

/** The pipeline's result from the classified manifests and what the checks found over them. */
export function pipelineResult(c: ClassifiedManifests, checks: CheckFindings, opts: CheckOptions = {}): PipelineResult {
  return {
    resources: c.resources,
    findings: [...c.parseFindings, ...checks.schema, ...checks.paths, ...checks.xref],
    repo: c.repo,
    documents: c.documents,
    manifestFiles: c.manifestFiles,
    patchFiles: c.patchFiles,
    dataFiles: c.dataFiles,
    ignoredFiles: c.ignoredFiles,
    remoteKustomizeRefs: checks.remoteKustomizeRefs,
    handSchemaKinds: checks.handSchemaKinds,
    schemaOptions: schemaOptionsOf(c, opts),
  };
}

export function runPipeline(candidates: readonly SourceFile[], allPaths: Iterable<string>, opts: CheckOptions = {}): PipelineResult {
  const c = classifyManifests(candidates, allPaths, opts);
  return pipelineResult(c, runChecks(c, opts), opts);
}
