// What a change proposed as a pull request is called and where it goes: pure decisions, so each
// one is a table test. generators/pr/run.ts carries them out through generators/io/git.ts.
//
// - The branch is named after the change (`gitops-scaffold/add-service-checkout`), under one
//   prefix the tool owns, and made unique against the remote's branches; it is never the tracked
//   branch itself.
// - The commit message is a Conventional Commit (`feat(payments): add service checkout`), so
//   changelogs and commit linters read it, with the details in the body.
// - The pull request goes through `gh` (GitHub, GitHub Enterprise) or `glab` (GitLab) when the
//   one for the host is on PATH; otherwise the page that opens it is printed.

export const BRANCH_PREFIX = 'gitops-scaffold/';

export type CommitType = 'feat' | 'fix' | 'chore' | 'revert';

/** One change, as the command that makes it describes it. */
export interface ChangeDescription {
  type: CommitType;
  /** A tenant, `clusters`, `environments`, `deps` ...: what the change is about. */
  scope?: string;
  /** Imperative, lower case, no full stop: `add service checkout`. */
  subject: string;
  /** Words for the branch name; default: the subject. */
  slug?: string;
  /** Lines of the commit body and pull request description. */
  body?: string[];
}

export const commitTitle = (c: ChangeDescription) => `${c.type}${c.scope ? `(${c.scope})` : ''}: ${c.subject}`;

export function commitMessage(c: ChangeDescription, trailer?: string): string {
  const body = [...(c.body ?? [])];
  return [commitTitle(c), ...(body.length || trailer ? [''] : []), ...body, ...(trailer ? ['', trailer] : [])].join('\n');
}

/**
 * Words -> a safe piece of a ref name (git check-ref-format): lower case letters, digits, `.`,
 * `-`; no `..`, no leading or trailing `.`/`-`, never `.lock` at the end; at most 60 characters.
 */
export function slugify(text: string): string {
  let s = text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.')
    .replace(/-{2,}/g, '-');
  s = s.slice(0, 60).replace(/^[.-]+|[.-]+$/g, '');
  if (s.endsWith('.lock')) s = s.slice(0, -5).replace(/[.-]+$/g, '');
  return s || 'change';
}

/** `gitops-scaffold/<slug>`, or with `-2`, `-3`, ... when the remote already has that branch. */
export function uniqueBranch(slug: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = `${BRANCH_PREFIX}${slugify(slug)}`;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export type ProviderKind = 'github' | 'gitlab' | 'bitbucket';

/** Where a repository is hosted: `github.com` + `acme/platform-gitops`. */
export interface Place {
  host: string;
  /** owner/name (or group/subgroup/name on GitLab), without `.git`. */
  path: string;
  provider?: ProviderKind;
}

/**
 * Host and path of a Git URL: https://host/path(.git), ssh://[user@]host[:port]/path and the
 * scp-like user@host:path. Local paths and file:// URLs have no host: undefined.
 */
export function parseGitUrl(url: string): Place | undefined {
  let host: string | undefined;
  let repoPath: string | undefined;
  const web = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(url.trim());
  const scp = /^(?:[^@/]+@)?([^/:]+):(?!\/)(.+)$/.exec(url.trim());
  if (web) [host, repoPath] = [web[1], web[2]];
  else if (scp && !/^[a-z]:\\/i.test(url)) [host, repoPath] = [scp[1], scp[2]];
  if (!host || !repoPath) return undefined;
  repoPath = repoPath.replace(/\/+$/, '').replace(/\.git$/, '');
  if (!repoPath.includes('/')) return undefined;
  host = host.toLowerCase();
  return { host, path: repoPath, provider: providerOf(host) };
}

export function providerOf(host: string): ProviderKind | undefined {
  if (host === 'github.com' || /(^|[.-])github([.-]|$)/.test(host)) return 'github';
  if (host === 'gitlab.com' || /(^|[.-])gitlab([.-]|$)/.test(host)) return 'gitlab';
  if (host === 'bitbucket.org') return 'bitbucket';
  return undefined;
}

/**
 * Where the pull request is opened: the push remote when its URL names a known host, else the
 * platform's `repo.url` (what Argo CD reads; a remote can be a mirror or a local path).
 */
export function pullRequestPlace(remoteUrl: string, repoUrl: string): Place | undefined {
  const remote = parseGitUrl(remoteUrl);
  if (remote?.provider) return remote;
  const repo = parseGitUrl(repoUrl);
  return repo?.provider ? repo : remote ?? repo;
}

const sameRepo = (a: string, b: string) => {
  const pa = parseGitUrl(a);
  const pb = parseGitUrl(b);
  return !!pa && !!pb && pa.host === pb.host && pa.path.toLowerCase() === pb.path.toLowerCase();
};

/**
 * The remote to push to: the one whose URL is the platform's repo.url, else the one the base
 * branch tracks, else `origin`, else the only one. Undefined when none qualifies.
 */
export function chooseRemote(remotes: readonly { name: string; url: string }[], opts: { repoUrl: string; tracked?: string }): { name: string; url: string } | undefined {
  return (
    remotes.find((r) => sameRepo(r.url, opts.repoUrl)) ??
    remotes.find((r) => r.name === opts.tracked) ??
    remotes.find((r) => r.name === 'origin') ??
    (remotes.length === 1 ? remotes[0] : undefined)
  );
}

export interface PullRequestInvocation {
  tool: 'gh' | 'glab';
  args: string[];
}

/** The gh / glab command line that opens the pull (merge) request, for hosts that have one. */
export function pullRequestInvocation(place: Place | undefined, pr: { base: string; branch: string; title: string; body: string }): PullRequestInvocation | undefined {
  if (place?.provider === 'github')
    return { tool: 'gh', args: ['pr', 'create', '--repo', place.host === 'github.com' ? place.path : `${place.host}/${place.path}`, '--base', pr.base, '--head', pr.branch, '--title', pr.title, '--body', pr.body] };
  if (place?.provider === 'gitlab')
    return { tool: 'glab', args: ['mr', 'create', '--repo', place.host === 'gitlab.com' ? place.path : `https://${place.host}/${place.path}`, '--source-branch', pr.branch, '--target-branch', pr.base, '--title', pr.title, '--description', pr.body, '--remove-source-branch', '--yes'] };
  return undefined;
}

const segments = (ref: string) => ref.split('/').map(encodeURIComponent).join('/');

/** The web page that opens a pull request from `branch` into `base`, where the host has one. */
export function compareUrl(place: Place | undefined, base: string, branch: string): string | undefined {
  if (!place) return undefined;
  const web = `https://${place.host}/${place.path}`;
  switch (place.provider) {
    case 'github':
      return `${web}/compare/${segments(base)}...${segments(branch)}?expand=1`;
    case 'gitlab':
      return `${web}/-/merge_requests/new?${new URLSearchParams({ 'merge_request[source_branch]': branch, 'merge_request[target_branch]': base }).toString()}`;
    case 'bitbucket':
      return `${web}/pull-requests/new?${new URLSearchParams({ source: branch, dest: base }).toString()}`;
    default:
      return undefined;
  }
}

/** The first `https://...` in a tool's output: gh and glab print the new request's address. */
export const urlIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0];
