// AppProject permission checks, ported from pkg/apis/application/v1alpha1/app_project_types.go
// (v3.5.1): IsSourcePermitted, IsDestinationPermitted / isDestinationMatched, globMatch with deny
// patterns (`!`), and util/git.NormalizeGitURL for repository URLs.
import { globMatch as match } from './glob.ts';

export interface Destination {
  server?: string;
  name?: string;
  namespace?: string;
}

const sshUrl = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

const normalized = new Map<string, string>();
/** util/git.NormalizeGitURL: lower case, scp-style SSH as ssh://, no `.git`, no `ssh://` prefix. */
export function normalizeGitUrl(repo: string): string {
  // Asked for every source of every Application (thousands, a handful of distinct URLs).
  let hit = normalized.get(repo);
  if (hit === undefined) {
    if (normalized.size > 10000) normalized.clear();
    normalized.set(repo, (hit = normalizeGitUrlOnce(repo)));
  }
  return hit;
}

function normalizeGitUrlOnce(repo: string): string {
  let r = repo.trim().toLowerCase();
  if (sshUrl.test(r) && !r.startsWith('ssh://')) r = `ssh://${r.replace(':', '/')}`;
  r = r.replace(/\.git$/, '');
  return r.replace(/^ssh:\/\//, '');
}

const isDeny = (p: string | undefined) => !!p && p.startsWith('!');

/** app_project_types.go globMatch */
function globMatch(pattern: string | undefined, value: string, allowNegation: boolean, separators = ''): boolean {
  const p = pattern ?? '';
  if (allowNegation && isDeny(p)) return !match(p.slice(1), value, separators);
  if (p === '*') return true;
  return match(p, value, separators);
}

/** AppProject.IsSourcePermitted */
export function isSourcePermitted(sourceRepos: readonly string[], repoURL: string): boolean {
  const src = normalizeGitUrl(repoURL);
  let anySourceMatched = false;
  for (const repo of sourceRepos) {
    const normalized = isDeny(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    const matched = globMatch(normalized, src, true, '/');
    if (matched) anySourceMatched = true;
    else if (isDeny(normalized)) return false;
  }
  return anySourceMatched;
}

/** AppProject.isDestinationMatched: `dst` is the resolved cluster (server and name) and namespace. */
export function isDestinationMatched(destinations: readonly Destination[], dst: Destination): boolean {
  let anyDestinationMatched = false;
  const ns = dst.namespace ?? '';
  for (const item of destinations) {
    const nameMatched = !!dst.name && globMatch(item.name, dst.name, true);
    const serverMatched = !!dst.server && globMatch(item.server, dst.server, true);
    const namespaceMatched = globMatch(item.namespace, ns, true);
    if ((serverMatched || nameMatched) && namespaceMatched) anyDestinationMatched = true;
    else if ((!nameMatched && isDeny(item.name)) || (!serverMatched && isDeny(item.server) && namespaceMatched)) return false;
    else if (!namespaceMatched && isDeny(item.namespace) && serverMatched) return false;
  }
  return anyDestinationMatched;
}

/**
 * isDestinationMatched for one list of destinations, worked out once per list (a fleet's tenant
 * project lists a destination per cluster, asked for each of its Applications' distinct targets):
 * with no deny pattern anywhere the verdict is whether some item matches, so the items of plain
 * text (no glob syntax, not `*`) are looked up by namespace, then server or name, and only the
 * others are matched one by one. A list with a deny pattern, or an item field that is not a
 * string, is matched the plain way.
 */
export function destinationMatcher(destinations: readonly Destination[]): (dst: Destination) => boolean {
  let m = matchers.get(destinations);
  if (!m) matchers.set(destinations, (m = compileDestinations(destinations)));
  return m;
}
const matchers = new WeakMap<readonly Destination[], (dst: Destination) => boolean>();
const GLOB_SYNTAX = /[\\*?[{]/;

function compileDestinations(destinations: readonly Destination[]): (dst: Destination) => boolean {
  const plainMatch = (dst: Destination) => isDestinationMatched(destinations, dst);
  if (!Array.isArray(destinations)) return plainMatch;
  const byNamespace = new Map<string, { servers: Set<string>; names: Set<string> }>();
  const globbed: Destination[] = [];
  for (const item of destinations) {
    if (!item || typeof item !== 'object') return plainMatch;
    const fields = [item.name, item.server, item.namespace];
    if (!fields.every((f) => f === undefined || f === null || typeof f === 'string')) return plainMatch;
    if (fields.some((f) => isDeny(f as string | undefined))) return plainMatch;
    if (fields.some((f) => typeof f === 'string' && (f === '*' || GLOB_SYNTAX.test(f)))) {
      globbed.push(item);
      continue;
    }
    const ns = item.namespace ?? '';
    let entry = byNamespace.get(ns);
    if (!entry) byNamespace.set(ns, (entry = { servers: new Set(), names: new Set() }));
    entry.servers.add(item.server ?? '');
    entry.names.add(item.name ?? '');
  }
  return (dst) => {
    const ns = dst.namespace ?? '';
    const entry = byNamespace.get(ns);
    if (entry && ((!!dst.server && entry.servers.has(dst.server)) || (!!dst.name && entry.names.has(dst.name)))) return true;
    for (const item of globbed) {
      const nameMatched = !!dst.name && globMatch(item.name, dst.name, true);
      const serverMatched = !!dst.server && globMatch(item.server, dst.server, true);
      if ((serverMatched || nameMatched) && globMatch(item.namespace, ns, true)) return true;
    }
    return false;
  };
}

export interface ProjectSpecView {
  name: string;
  destinations: readonly Destination[];
  permitOnlyProjectScopedClusters?: boolean;
}

/**
 * AppProject.IsDestinationPermitted: `cluster` is the destination resolved to a registered
 * cluster (undefined: not found, never permitted); `projectClusters` are the clusters scoped to
 * this project (cluster Secrets with `project: <name>`).
 */
export function isDestinationPermitted(
  project: ProjectSpecView,
  cluster: { server: string; name: string } | undefined,
  namespace: string,
  projectClusters: readonly { server: string; name: string }[] = [],
): boolean {
  if (!cluster) return false;
  const dst = { server: cluster.server, name: cluster.name, namespace };
  const matched = destinationMatcher(project.destinations)(dst);
  if (matched && project.permitOnlyProjectScopedClusters) return projectClusters.some((c) => c.name === dst.name || c.server === dst.server);
  return matched;
}
