// Checks on every Application the repository produces, written or generated (issue 9, item 2):
// a valid name and labels, its AppProject exists and permits its sources and destination (Argo
// CD's glob semantics, by server or by name), the destination is in-cluster or a registered
// cluster, a source path in this repository exists and builds, and an ApplicationSet's
// RollingSync steps select every generated Application and each select at least one.
import type { Finding } from '../check/finding.ts';
import { globMatch } from './argo/glob.ts';
import { isDestinationPermitted, isSourcePermitted } from './argo/project.ts';
import { appFinding, describeApp, simFinding } from './findings.ts';
import { dns1123SubdomainProblems, labelKeyProblems, labelValueProblems } from './kube.ts';
import { isOwnRepo, repoPaths, resolveDestination, sourcesOf, type AppRecord, type AppSetRecord, type RepoModel } from './model.ts';

export function checkApplications(model: RepoModel): Finding[] {
  const out: Finding[] = [];
  for (const a of model.applications) out.push(...checkApplication(model, a));
  out.push(...checkAppSets(model));
  return out;
}

export function checkAppSets(model: RepoModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.appSets) out.push(...checkAppSet(model, s));
  return out;
}

/**
 * What one Application's checks read of the model besides the Application itself, its
 * ApplicationSet's file, the clusters, the repository URL and the inventories (app-units.ts keys
 * a unit by them): an AppProject by name (`project`), the list of names (`projects`), a
 * repository path's existence (`has`) or the whole list of paths (`lsr`).
 */
export type CheckNote = (kind: 'project' | 'projects' | 'has' | 'lsr', arg: string) => void;

export function checkApplication(model: RepoModel, a: AppRecord, note?: CheckNote): Finding[] {
  const out: Finding[] = [];
  const spec = a.manifest?.spec ?? {};
  const nameProblems = dns1123SubdomainProblems(a.name);
  if (nameProblems.length)
    out.push(appFinding(a, 'app-name', 'error', '/metadata/name', `${describeApp(a)}: "${a.name}" is not a valid name (${nameProblems.join('; ')}); the API server rejects it and the Application is never created`, a.appSet ? 'Make the name template render a DNS-1123 subdomain from every parameter set (a map parameter renders as map[...]).' : 'Rename the Application to a DNS-1123 subdomain.'));
  for (const [k, v] of Object.entries(a.manifest?.metadata?.labels ?? {})) {
    const problems = labelProblems(k, v);
    if (problems.length)
      out.push(appFinding(a, 'app-label', 'error', `/metadata/labels/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, `${describeApp(a)}: label ${k}=${JSON.stringify(v)} is not valid (${problems.join('; ')}); the API server rejects the Application`, 'Use label values of at most 63 characters: alphanumerics, -, _ and . inside.'));
  }

  const projectName = typeof spec.project === 'string' && spec.project ? spec.project : 'default';
  const project = model.projects.get(projectName);
  note?.('project', projectName);
  if (!project && projectName !== 'default') {
    note?.('projects', '');
    out.push(appFinding(a, 'app-project-missing', 'error', '/spec/project', `${describeApp(a)}: AppProject "${projectName}" is defined nowhere in this repository; Argo CD does not reconcile an Application whose project does not exist`, `Add AppProject ${projectName}, or use one of ${[...model.projects.keys()].join(', ') || '(none defined)'}.`));
  }
  const projectSpec = project?.obj?.spec ?? (projectName === 'default' ? { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } : undefined);

  for (const { pointer, source } of sourcesOf(spec)) {
    const url = source?.repoURL;
    if (typeof url !== 'string') continue;
    if (projectSpec && !sourcePermitted(projectSpec, url))
      out.push(appFinding(a, 'app-source-not-permitted', 'error', `${pointer}/repoURL`, `${describeApp(a)}: AppProject ${projectName} does not permit source ${url}; Argo CD refuses to sync it (InvalidSpecError)`, `Add ${url} to spec.sourceRepos of AppProject ${projectName}.`));
    if (isOwnRepo(model, url) && typeof source.path === 'string' && !source.chart) {
      const inv = model.inventory.ofPath(source.path, { recurse: !!source.directory?.recurse });
      if (inv.type === 'missing')
        out.push(appFinding(a, 'app-source-path', 'error', `${pointer}/path`, `${describeApp(a)}: source path ${source.path} does not exist in this repository; the repo-server fails to generate manifests (ComparisonError)`, 'Point the source at an existing directory.'));
      else
        for (const m of inv.missing)
          out.push(appFinding(a, 'app-source-build', 'error', `${pointer}/path`, `${describeApp(a)}: ${source.path} does not build: ${m.file}${m.pointer} refers to ${m.value}, ${m.reason}; the repo-server fails to generate manifests`, 'Fix the kustomization entry.'));
    }
  }

  out.push(...helmValueFiles(model, a, spec, note));

  const dest = spec.destination ?? {};
  const cluster = resolveDestination(model, model.clusters, dest);
  const target = dest.server ?? (dest.name ? `cluster named ${dest.name}` : '(none)');
  if (!cluster) {
    out.push(appFinding(a, 'app-destination-unknown', 'error', `/spec/destination/${dest.server ? 'server' : 'name'}`, `${describeApp(a)}: destination ${target} is neither in-cluster nor a cluster this repository registers; Argo CD reports "cluster not found" and never syncs it${a.appSet ? ' (the ApplicationSet does not create it and goes Degraded)' : ''}`, 'Register the cluster (an Argo CD cluster Secret, ExternalSecret or SealedSecret in the repository), or target a registered one.'));
  } else if (projectSpec) {
    if (!destinationPermitted(model, projectName, projectSpec, cluster, String(dest.namespace ?? '')))
      out.push(appFinding(a, 'app-destination-not-permitted', 'error', '/spec/destination', `${describeApp(a)}: AppProject ${projectName} does not permit destination ${cluster.name} (${cluster.server}) namespace ${dest.namespace ?? '(none)'}; Argo CD refuses to sync it`, `Add the destination to spec.destinations of AppProject ${projectName}.`));
  }
  return out;
}

// Thousands of generated Applications share a few label keys and values: each checked once.
const keyVerdicts = new Map<string, string[]>();
const valueVerdicts = new Map<string, string[]>();
function labelProblems(k: string, v: unknown): string[] {
  if (keyVerdicts.size + valueVerdicts.size > 50_000) (keyVerdicts.clear(), valueVerdicts.clear());
  let keyProblems = keyVerdicts.get(k);
  if (!keyProblems) keyVerdicts.set(k, (keyProblems = labelKeyProblems(k).map((p) => `key ${p}`)));
  if (typeof v !== 'string') return [...keyProblems, 'must be a string'];
  let valueProblems = valueVerdicts.get(v);
  if (!valueProblems) valueVerdicts.set(v, (valueProblems = labelValueProblems(v)));
  return keyProblems.length || valueProblems.length ? [...keyProblems, ...valueProblems] : NONE;
}
const NONE: string[] = [];

// Thousands of generated Applications share a few projects, sources and destinations: each
// verdict is computed once per project spec (the AppProject object, or the default project's).
const sourceVerdicts = new WeakMap<object, Map<string, boolean>>();
function sourcePermitted(projectSpec: any, url: string): boolean {
  let byUrl = sourceVerdicts.get(projectSpec);
  if (!byUrl) sourceVerdicts.set(projectSpec, (byUrl = new Map()));
  let ok = byUrl.get(url);
  if (ok === undefined) byUrl.set(url, (ok = isSourcePermitted(strings(projectSpec.sourceRepos), url)));
  return ok;
}

/** Per model (the project-scoped clusters are the model's), then per project spec. */
const destinationVerdicts = new WeakMap<RepoModel, WeakMap<object, Map<string, boolean>>>();
function destinationPermitted(model: RepoModel, projectName: string, projectSpec: any, cluster: { name: string; server: string }, namespace: string): boolean {
  let byProject = destinationVerdicts.get(model);
  if (!byProject) destinationVerdicts.set(model, (byProject = new WeakMap()));
  let byDest = byProject.get(projectSpec);
  if (!byDest) byProject.set(projectSpec, (byDest = new Map()));
  const key = `${projectName}\0${cluster.server}\0${cluster.name}\0${namespace}`;
  let ok = byDest.get(key);
  if (ok === undefined) {
    const scoped = model.clusters.filter((c) => c.project === projectName);
    ok = isDestinationPermitted({ name: projectName, destinations: projectSpec.destinations ?? [], permitOnlyProjectScopedClusters: !!projectSpec.permitOnlyProjectScopedClusters }, cluster, namespace, scoped);
    byDest.set(key, ok);
  }
  return ok;
}

/**
 * Helm value files must exist: `$<ref>/<path>` in the source named `ref` (when it is this
 * repository), a plain path relative to a chart in this repository; a glob must match at least
 * one file. Otherwise the repo-server fails (helm: no such file; GlobNoMatchError) unless
 * `helm.ignoreMissingValueFiles` is set (reposerver/repository/repository.go getResolvedValueFiles).
 */
function helmValueFiles(model: RepoModel, a: AppRecord, spec: any, note?: CheckNote): Finding[] {
  const out: Finding[] = [];
  const sources = sourcesOf(spec);
  for (const { pointer, source } of sources) {
    const helm = source?.helm;
    if (!helm || helm.ignoreMissingValueFiles || !Array.isArray(helm.valueFiles)) continue;
    helm.valueFiles.forEach((file: unknown, i: number) => {
      if (typeof file !== 'string' || file.includes('{{') || /^https?:\/\//.test(file)) return;
      let repoPath: string | undefined;
      const ref = /^\$([^/]+)\/(.*)$/.exec(file);
      if (ref) {
        const lender = sources.find((s) => s.source?.ref === ref[1])?.source;
        if (!lender) {
          out.push(appFinding(a, 'app-helm-value-file', 'error', `${pointer}/helm/valueFiles/${i}`, `${describeApp(a)}: value file ${file} names the source ref "${ref[1]}", which no source of the Application declares; the repo-server fails to generate manifests`, `Add a source with ref: ${ref[1]}, or fix the reference.`));
          return;
        }
        if (isOwnRepo(model, lender.repoURL)) repoPath = ref[2];
      } else if (isOwnRepo(model, source.repoURL) && typeof source.path === 'string' && !source.chart) repoPath = `${source.path.replace(/\/+$/, '')}/${file}`;
      if (repoPath === undefined) return;
      const normalized = repoPath.split('/').reduce<string[]>((acc, seg) => (seg === '..' ? acc.slice(0, -1) : seg && seg !== '.' ? [...acc, seg] : acc), []).join('/');
      const isGlob = /[*?[]/.test(normalized);
      note?.(isGlob ? 'lsr' : 'has', isGlob ? '' : normalized);
      const exists = isGlob ? [...model.input.repo.files].some((f) => globMatch(normalized, f, '/')) : model.input.repo.files.has(normalized);
      if (!exists)
        out.push(appFinding(a, 'app-helm-value-file', 'error', `${pointer}/helm/valueFiles/${i}`, `${describeApp(a)}: value file ${file} ${isGlob ? 'matches no file' : 'is not'} in this repository (${normalized}); the repo-server fails to generate manifests (${isGlob ? 'values file glob matched no files' : 'no such file or directory'}) and the Application never syncs`, 'Add the file, fix the path, or set helm.ignoreMissingValueFiles: true if it is optional.'));
    });
  }
  return out;
}

export function checkAppSet(model: RepoModel, s: AppSetRecord): Finding[] {
  const out: Finding[] = [];
  for (const p of s.problems)
    out.push(simFinding('appset-expansion', p.severity ?? 'error', s.file, p.path, `ApplicationSet ${s.name}: ${p.message}`, undefined, s.resource.lineOf?.(p.path) ?? s.line));
  if (!model.expand) return out;
  if (s.applications.length === 0 && !s.problems.some((p) => (p.severity ?? 'error') === 'error')) {
    const unfiltered = selectorsRemoved(model, s);
    if (unfiltered > 0) {
      const at = selectorPointers(s.manifest?.spec?.generators, '/spec/generators')[0] ?? '/spec/generators';
      out.push(simFinding('appset-selector-matches-nothing', 'error', s.file, at, `ApplicationSet ${s.name}: its generators produce ${unfiltered} Applications' worth of parameters but the selectors keep none, so it creates no Application`, 'Fix the selector: it must match keys the generator really produces (with pathParamPrefix, the prefix key holds a map, not the file\'s value).', s.resource.lineOf?.(at) ?? s.line));
    }
    else out.push(simFinding('appset-generates-nothing', 'warning', s.file, '/spec/generators', `ApplicationSet ${s.name}: its generators produce no parameters, so it creates no Application`, undefined, s.line));
  }
  const strategy = s.manifest?.spec?.strategy;
  if (strategy?.type === 'RollingSync') {
    const steps: any[] = Array.isArray(strategy.rollingSync?.steps) ? strategy.rollingSync.steps : [];
    const selected = new Set<string>();
    steps.forEach((step, i) => {
      const matches = stepMatcher(step);
      const hits = s.applications.filter((a) => matches(a.manifest?.metadata?.labels ?? {}));
      hits.forEach((a) => selected.add(a.name));
      if (hits.length === 0 && s.applications.length > 0)
        out.push(simFinding('rollingsync-step-empty', 'error', s.file, `/spec/strategy/rollingSync/steps/${i}`, `ApplicationSet ${s.name}: RollingSync step ${i + 1} selects none of its ${s.applications.length} Applications; the rollout passes through it without syncing anything`, 'Match the labels the template sets on the generated Applications.', s.resource.lineOf?.(`/spec/strategy/rollingSync/steps/${i}`)));
    });
    for (const a of s.applications)
      if (!selected.has(a.name))
        out.push(simFinding('rollingsync-app-unselected', 'error', s.file, '/spec/strategy/rollingSync/steps', `ApplicationSet ${s.name}: Application ${a.name} is selected by no RollingSync step; the progressive sync never syncs it`, 'Add a step whose matchExpressions select it.', s.resource.lineOf?.('/spec/strategy/rollingSync/steps')));
  }
  return out;
}

/** JSON pointers of every generator selector, nested matrix/merge generators included. */
function selectorPointers(gens: unknown, at: string): string[] {
  if (!Array.isArray(gens)) return [];
  return gens.flatMap((g: any, i: number) => [
    ...(g?.selector ? [`${at}/${i}/selector`] : []),
    ...['matrix', 'merge'].flatMap((n) => selectorPointers(g?.[n]?.generators, `${at}/${i}/${n}/generators`)),
  ]);
}

/** How many Applications the ApplicationSet would create without its generators' selectors. */
function selectorsRemoved(model: RepoModel, s: AppSetRecord): number {
  const strip = (gens: unknown): unknown =>
    Array.isArray(gens)
      ? gens.map((g: any) => {
          const { selector, ...rest } = g ?? {};
          for (const nest of ['matrix', 'merge']) if (rest[nest]?.generators) rest[nest] = { ...rest[nest], generators: strip(rest[nest].generators) };
          return rest;
        })
      : gens;
  const copy = { ...s.manifest, spec: { ...s.manifest.spec, generators: strip(s.manifest.spec?.generators) } };
  try {
    return model.expand!(copy, { repo: { paths: repoPaths(model.input.repo), read: model.input.read }, clusters: [], argocdNamespace: model.argocd.namespace, repoUrl: model.repoUrl }).applications.length;
  } catch {
    return 0;
  }
}

/**
 * RollingSync step selection, applicationset/progressivesync buildAppDependencyList and
 * labelMatchedExpression (v3.5.1): every expression must hold; a missing label fails only `In`;
 * an operator other than In/NotIn never matches a present label; no expressions select all.
 */
export function matchesStep(step: any, labels: Record<string, string>): boolean {
  const exprs: any[] = Array.isArray(step?.matchExpressions) ? step.matchExpressions : [];
  for (const e of exprs) {
    const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
    const val = labels[e?.key];
    if (val !== undefined) {
      if (e?.operator !== 'In' && e?.operator !== 'NotIn') return false;
      if (values.includes(val) ? e.operator !== 'In' : e.operator !== 'NotIn') return false;
    } else if (e?.operator === 'In') return false;
  }
  return true;
}

/**
 * matchesStep for one step, its expressions read once (a step is asked of each of thousands of
 * generated Applications): the same verdict for every labels object.
 */
export function stepMatcher(step: any): (labels: Record<string, string>) => boolean {
  const exprs = (Array.isArray(step?.matchExpressions) ? step.matchExpressions : []).map((e: any) => ({
    key: e?.key,
    operator: e?.operator,
    values: new Set<unknown>(Array.isArray(e?.values) ? e.values.map(String) : []),
  }));
  return (labels) => {
    for (const e of exprs) {
      const val = labels[e.key];
      if (val !== undefined) {
        if (e.operator !== 'In' && e.operator !== 'NotIn') return false;
        if (e.values.has(val) ? e.operator !== 'In' : e.operator !== 'NotIn') return false;
      } else if (e.operator === 'In') return false;
    }
    return true;
  };
}

/** The 1-based RollingSync step that syncs an Application (the first that selects it), or -1. */
export function rollingSyncStep(appSet: any, labels: Record<string, string>): number {
  const steps: any[] = appSet?.spec?.strategy?.type === 'RollingSync' && Array.isArray(appSet.spec.strategy.rollingSync?.steps) ? appSet.spec.strategy.rollingSync.steps : [];
  const i = steps.findIndex((s) => matchesStep(s, labels));
  return i < 0 ? -1 : i + 1;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
