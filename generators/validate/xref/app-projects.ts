// Every Application (and ApplicationSet template, when not templated) names an AppProject that
// exists in the repo and permits its source repositories and destination, matched the way
// Argo CD matches them (globs with '/' as separator, `!` deny patterns).
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, bySubjectFile, describe, filesWith, finding, isKind, nameOf, ofKinds, runJob } from './context.ts';
import { globMatch, isTemplated, normalizeGitUrl } from './glob.ts';

const LOCAL_SERVER = 'https://kubernetes.default.svc';

const isProject = (r: ParsedResource) => isKind(r, 'AppProject', 'argoproj.io');

// One job per file of Applications and ApplicationSets: it reads that file and every file that
// holds an AppProject.
export const checkAppProjects: XrefCheck = (ctx) => {
  let projects: Map<string, ParsedResource> | undefined;
  let projectFiles: string[] | undefined;
  const projectsOf = () => {
    if (projects) return projects;
    projects = new Map();
    for (const r of ofKinds(ctx, 'AppProject')) if (isProject(r) && nameOf(r)) projects.set(nameOf(r)!, r);
    return projects;
  };
  const isApp = (r: ParsedResource) => isKind(r, 'Application', 'argoproj.io') || isKind(r, 'ApplicationSet', 'argoproj.io');
  return bySubjectFile(ofKinds(ctx, 'Application', 'ApplicationSet'), isApp).flatMap(({ file, subjects }) =>
    runJob(
      ctx,
      'app-projects',
      () => ({ key: file, files: [file, ...(projectFiles ??= filesWith(ofKinds(ctx, 'AppProject'), isProject))] }),
      () => {
        const out: Finding[] = [];
        for (const r of subjects) {
          if (isKind(r, 'Application', 'argoproj.io')) out.push(...checkSpec(r, r.obj?.spec, '/spec', projectsOf()));
          if (isKind(r, 'ApplicationSet', 'argoproj.io')) out.push(...checkSpec(r, r.obj?.spec?.template?.spec, '/spec/template/spec', projectsOf()));
        }
        return out;
      },
    ),
  );
};

function checkSpec(r: ParsedResource, spec: any, at: string, projects: Map<string, ParsedResource>): Finding[] {
  if (!spec || typeof spec !== 'object') return [];
  const projectName = spec.project || 'default';
  if (isTemplated(projectName)) return [];
  const project = projects.get(projectName);
  if (!project) {
    // Argo CD creates the default project itself (permitting everything unless changed).
    if (projectName === 'default') return [];
    return [
      finding(r, 'xref/app-project', `${at}/project`, `${dotted(at)}.project: ${describe(r)} uses AppProject "${projectName}", which is not defined in this repository`, `Add an AppProject named "${projectName}", or set project to one that exists (${[...projects.keys()].join(', ') || 'none defined'}).`),
    ];
  }
  const out: Finding[] = [];
  const sources: [string, any][] = [];
  if (spec.source) sources.push([`${at}/source`, spec.source]);
  (Array.isArray(spec.sources) ? spec.sources : []).forEach((s: any, i: number) => sources.push([`${at}/sources/${i}`, s]));
  const repos: string[] = (project.obj?.spec?.sourceRepos ?? []).filter((s: unknown): s is string => typeof s === 'string');
  for (const [ptr, src] of sources) {
    const url = src?.repoURL;
    if (typeof url !== 'string' || isTemplated(url)) continue;
    if (!sourcePermitted(repos, url))
      out.push(
        finding(r, 'xref/app-project-source', `${ptr}/repoURL`, `${dotted(ptr)}.repoURL: AppProject "${projectName}" (${project.file}) does not permit source ${url} used by ${describe(r)}`, `Add ${url} (or a glob that matches it) to spec.sourceRepos of AppProject "${projectName}", or use a permitted repository (${repos.join(', ') || 'none listed'}).`),
      );
  }
  const dest = spec.destination;
  if (dest && typeof dest === 'object' && ![dest.server, dest.name, dest.namespace].some(isTemplated)) {
    const verdict = destinationPermitted(project.obj?.spec?.destinations ?? [], dest);
    if (verdict === false) {
      const target = `${dest.server ?? dest.name ?? '(no cluster)'} namespace ${dest.namespace ?? '(none)'}`;
      out.push(
        finding(r, 'xref/app-project-destination', `${at}/destination`, `${dotted(at)}.destination: AppProject "${projectName}" (${project.file}) does not permit destination ${target} used by ${describe(r)}`, `Add the destination to spec.destinations of AppProject "${projectName}", or deploy to a permitted one.`),
      );
    }
  }
  return out;
}

const dotted = (pointer: string) => pointer.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');

/** AppProject.IsSourcePermitted: any allow pattern matches and no deny pattern (`!url`) matches. */
export function sourcePermitted(patterns: readonly string[], repoURL: string): boolean {
  const src = normalizeGitUrl(repoURL);
  let allowed = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(normalizeGitUrl(p.slice(1)), src, '/')) return false;
    } else if (p === '*' || globMatch(normalizeGitUrl(p), src, '/')) allowed = true;
  }
  return allowed;
}

/**
 * AppProject.IsDestinationPermitted. Returns undefined when it cannot be decided offline (a
 * cluster named in the Application but only listed by server URL in the project).
 */
export function destinationPermitted(destinations: readonly any[], dest: { server?: string; name?: string; namespace?: string }): boolean | undefined {
  const ns = dest.namespace ?? '';
  const server = dest.server ?? (dest.name === 'in-cluster' ? LOCAL_SERVER : undefined);
  const name = dest.name ?? (dest.server === LOCAL_SERVER ? 'in-cluster' : undefined);
  let allowed = false;
  let undecided = false;
  for (const d of destinations) {
    if (!d || typeof d !== 'object') continue;
    const deny = [d.server, d.name, d.namespace].some((v) => typeof v === 'string' && v.startsWith('!'));
    const pat = (v: unknown) => (typeof v === 'string' ? v.replace(/^!/, '') : undefined);
    let clusterMatch: boolean | undefined;
    if (pat(d.server) !== undefined && server !== undefined) clusterMatch = globMatch(pat(d.server)!, server);
    else if (pat(d.name) !== undefined && name !== undefined) clusterMatch = globMatch(pat(d.name)!, name);
    else if (pat(d.server) === '*' || pat(d.name) === '*') clusterMatch = true;
    else clusterMatch = undefined;
    const nsMatch = globMatch(pat(d.namespace) ?? '', ns);
    if (deny) {
      if (clusterMatch && nsMatch) return false;
      continue;
    }
    if (clusterMatch === undefined) undecided = true;
    else if (clusterMatch && nsMatch) allowed = true;
  }
  return allowed ? true : undecided ? undefined : false;
}
