// `--pr`: any writing command, proposed as a pull request instead of written into the checkout.
//
//   1. find the Git work tree holding the repository, the remote to push to, and the commit the
//      remote's base branch (the one Argo CD tracks) points at;
//   2. check that commit out into a temporary `git worktree` (the user's checkout, index and
//      branches are never touched) and run the command there, against the base branch's files;
//   3. commit what it changed with a Conventional Commit message, push it as a new branch
//      `gitops-scaffold/<change>` (unique: the push is refused if the branch exists, then the next
//      name is tried), never to the base branch itself, so protected branches are fine;
//   4. open the pull request with gh or glab when the host's tool is on PATH, else print the page
//      that opens it; remove the temporary work tree whatever happened.
//
// Every refusal happens before anything is pushed: no Git repository, no remote, no base branch
// on the remote, no commit identity, or a command that would change nothing (exit 2), and a
// command that reports conflicts (exit 1: resolve them in a checkout, without --pr).

import { mkdtempSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GitError, InputError } from '../model/errors.ts';
import { GENERATOR_VERSION } from '../model/versions.ts';
import * as git from '../io/git.ts';
import { BRANCH_PREFIX, urlIn, commitMessage, commitTitle, compareUrl, chooseRemote, pullRequestInvocation, pullRequestPlace, slugify, uniqueBranch, type ChangeDescription } from './plan.ts';

export interface ProposeOptions {
  /** The repository folder the command works on (it holds platform.yaml, or will, for init). */
  root: string;
  /** The branch Argo CD tracks: the pull request's base. */
  base: string;
  /** platform.yaml `repo.url`: picks the remote and the pull-request host. */
  repoUrl: string;
  dryRun?: boolean;
  /** How the change was asked for, for the pull request description. */
  commandLine?: string;
  /** PATH and friends for gh / glab (tests put stand-ins there). */
  env?: NodeJS.ProcessEnv;
}

/** What the command did inside the temporary work tree. */
export interface Proposal<T> {
  result: T;
  /** How to name the change; undefined when the command changes nothing. */
  change?: ChangeDescription;
  /** Files the command reported as conflicts: nothing is committed then. */
  conflicts?: string[];
}

export interface ProposeOutcome<T> {
  result: T;
  change?: ChangeDescription;
  base: { remote: string; branch: string; commit: string };
  /** The branch pushed (or, on a dry run, the one that would be). */
  branch?: string;
  commit?: string;
  pushed: boolean;
  /** The same change was proposed before, on `branch`: nothing was pushed or opened. */
  existing?: boolean;
  /** The pull request opened by gh / glab, with its address when the tool printed one. */
  pullRequest?: { tool: 'gh' | 'glab'; url?: string };
  /** The page that opens the pull request by hand (when no tool opened it). */
  compareUrl?: string;
  /** gh / glab failed: its words (the branch is pushed; open the request by hand). */
  error?: string;
  conflicts: string[];
  notes: string[];
}

/** The nearest existing folder at or above `dir`, and what is below it (init creates `--out`). */
function existingAncestor(dir: string): { existing: string; rest: string } {
  let existing = path.resolve(dir);
  const rest: string[] = [];
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return { existing: realpathSync(existing), rest: rest.join('/') };
}

const gitFailure = (what: string, err: unknown, fix: string) => new GitError(`${what}: ${err instanceof git.GitFailure ? git.firstLine(err.result.stderr || err.result.stdout) : (err as Error).message}`, fix);

export async function proposeChange<T>(opts: ProposeOptions, make: (workRoot: string) => Promise<Proposal<T>> | Proposal<T>): Promise<ProposeOutcome<T>> {
  if (!(await git.gitAvailable())) throw new InputError('--pr needs git, which is not installed; nothing was written', [{ path: '--pr', message: 'git not found on PATH', fix: 'install git, or run without --pr' }]);
  const { existing, rest } = existingAncestor(opts.root);
  const top = await git.workTreeTop(existing);
  if (!top)
    throw new InputError(`--pr needs a Git repository: ${opts.root} is not inside one; nothing was written`, [
      { path: '--pr', message: 'not inside a Git work tree', fix: `git init, commit the repository and add its remote (git remote add origin ${opts.repoUrl}); or run without --pr` },
    ]);
  const prefix = path.relative(top, path.join(existing, rest)).split(path.sep).join('/');
  const all = await git.remotes(top);
  const remote = chooseRemote(all, { repoUrl: opts.repoUrl, tracked: await git.trackedRemote(top, opts.base) });
  if (!remote)
    throw new InputError(`--pr needs a remote to push to; ${top} has ${all.length ? `${all.length} remotes and none is origin or ${opts.repoUrl}` : 'none'}; nothing was written`, [
      { path: '--pr', message: all.length ? `remotes: ${all.map((r) => r.name).join(', ')}` : 'no Git remote', fix: all.length ? `name the one to use origin (git remote rename ${all[0].name} origin)` : `git remote add origin ${opts.repoUrl}` },
    ]);
  let head: string | undefined;
  try {
    head = await git.remoteBranchHead(top, remote.name, opts.base);
  } catch (err) {
    throw gitFailure(`cannot reach remote ${remote.name} (${remote.url})`, err, 'check the URL and your credentials (git ls-remote works without prompting), then re-run');
  }
  if (!head)
    throw new InputError(`remote ${remote.name} has no branch ${opts.base}, the branch the pull request would go into; nothing was written`, [
      { path: 'repo.revision', message: `${opts.base} is the branch Argo CD tracks (or the one promotions merge into)`, fix: `push it first (git push ${remote.name} HEAD:${opts.base}), or set repo.revision to the branch Argo CD tracks` },
    ]);
  if (!(await git.hasIdentity(top)))
    throw new InputError('--pr commits, and Git does not know who you are; nothing was written', [{ path: 'git config', message: 'user.name / user.email not set', fix: 'git config user.name "Your Name" && git config user.email you@example.com (or set GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL and the GIT_COMMITTER_* pair)' }]);
  try {
    await git.fetchBranch(top, remote.name, opts.base);
  } catch (err) {
    throw gitFailure(`cannot fetch ${opts.base} from ${remote.name}`, err, 'check your access to the remote, then re-run');
  }

  const base = { remote: remote.name, branch: opts.base, commit: head };
  const notes: string[] = [];
  if (await git.differsFrom(top, head, prefix || '.')) notes.push(`your checkout differs from ${remote.name}/${opts.base} under ${prefix || '.'}: the pull request starts from ${remote.name}/${opts.base} (${head.slice(0, 7)}), not from your local changes`);

  const tmp = mkdtempSync(path.join(tmpdir(), 'gitops-scaffold-pr-'));
  const work = path.join(tmp, 'repo');
  try {
    await git.addWorktree(top, work, head);
    const workRoot = prefix ? path.join(work, prefix) : work;
    const proposal = await make(workRoot);
    const outcome: ProposeOutcome<T> = { result: proposal.result, change: proposal.change, base, pushed: false, conflicts: proposal.conflicts ?? [], notes };
    if (outcome.conflicts.length) {
      notes.push(`nothing was committed: ${outcome.conflicts.length} file(s) on ${remote.name}/${opts.base} were edited by hand where this change writes; resolve them in a checkout (without --pr), commit, and re-run`);
      return outcome;
    }
    const changed = opts.dryRun ? [] : await git.changedPaths(work, prefix || '.');
    if (!proposal.change || (!opts.dryRun && changed.length === 0))
      throw new InputError(`nothing to propose: the change is already on ${remote.name}/${opts.base}; nothing was pushed`, [
        { path: '--pr', message: `the command changes no file of ${remote.name}/${opts.base} (${head.slice(0, 7)})`, fix: 'check that the change is not merged already (or pending in another pull request), or run without --pr' },
      ]);
    const change = proposal.change;
    const slug = slugify(change.slug ?? change.subject);
    let pending: Map<string, string>;
    try {
      pending = await git.fetchBranchesLike(top, remote.name, `${BRANCH_PREFIX}${slug}`);
    } catch (err) {
      throw gitFailure(`cannot list branches of ${remote.name}`, err, 'check your access to the remote, then re-run');
    }
    const taken = [...pending.keys()];
    let branch = uniqueBranch(slug, taken);
    if (opts.dryRun) return { ...outcome, branch, compareUrl: compareUrl(pullRequestPlace(remote.url, opts.repoUrl), opts.base, branch) };

    const body = [...(change.body ?? []), '', `Proposed by gitops-scaffold ${GENERATOR_VERSION}${opts.commandLine ? ` (\`${opts.commandLine}\`)` : ''} from ${opts.base} at ${head.slice(0, 12)}.`].join('\n').trim();
    const commit = await git.commitAll(work, prefix || '.', commitMessage(change));
    // The same change proposed before (a re-run, a retried CI step): a branch of this name whose
    // files are exactly these. It is the proposal; nothing is pushed or opened twice.
    const tree = await git.treeOf(work, commit);
    for (const [name, sha] of pending)
      if (tree && (await git.treeOf(work, sha)) === tree) return { ...outcome, branch: name, commit: sha, pushed: false, existing: true, compareUrl: compareUrl(pullRequestPlace(remote.url, opts.repoUrl), opts.base, name) };
    for (let attempt = 0; ; attempt++) {
      if (branch === opts.base || !branch.startsWith(BRANCH_PREFIX)) throw new Error(`refusing to push to ${branch}`); // never the tracked branch
      const pushed = await git.pushNewBranch(top, remote.name, branch, commit);
      if (pushed.pushed) break;
      if (!pushed.exists || attempt >= 9) throw new GitError(`push of ${branch} to ${remote.name} was refused: ${pushed.message}`, `check that you may create branches named ${BRANCH_PREFIX}* on ${remote.name}, then re-run`);
      taken.push(branch); // another run took the name between the listing and the push
      branch = uniqueBranch(slug, taken);
    }
    const done: ProposeOutcome<T> = { ...outcome, branch, commit, pushed: true };
    const place = pullRequestPlace(remote.url, opts.repoUrl);
    const link = compareUrl(place, opts.base, branch);
    const invocation = pullRequestInvocation(place, { base: opts.base, branch, title: commitTitle(change), body });
    const tool = invocation && git.findOnPath(invocation.tool, opts.env ?? process.env);
    if (!invocation || !tool) {
      done.compareUrl = link;
      notes.push(invocation ? `${invocation.tool} is not on PATH: open the pull request ${link ? `at ${link}` : `from ${branch} into ${opts.base}`}` : `no pull-request tool for ${place?.host ?? remote.url}: open one from ${branch} into ${opts.base}${link ? ` at ${link}` : ''}`);
      return done;
    }
    const r = await git.runTool(tool, invocation.args, work);
    if (!r.ok) {
      done.error = `${invocation.tool} ${invocation.args.slice(0, 2).join(' ')} failed: ${git.firstLine(r.stderr || r.stdout) || `exit ${r.code}`}`;
      done.compareUrl = link;
      return done;
    }
    done.pullRequest = { tool: invocation.tool, url: urlIn(r.stdout) ?? urlIn(r.stderr) };
    return done;
  } finally {
    await git.removeWorktree(top, work);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The lines a person reads after a proposed change. */
export function describeProposal(o: ProposeOutcome<unknown>, dryRun = false): string[] {
  const lines: string[] = [];
  if (o.conflicts.length) lines.push(`Not proposed: conflicts with ${o.base.remote}/${o.base.branch}.`);
  else if (dryRun) lines.push(`Would commit "${o.change ? commitTitle(o.change) : ''}" on ${o.branch} (from ${o.base.remote}/${o.base.branch} at ${o.base.commit.slice(0, 7)}) and open a pull request into ${o.base.branch}.`);
  else if (o.existing) lines.push(`Already proposed: ${o.branch} on ${o.base.remote} holds exactly this change; nothing was pushed${o.compareUrl ? ` (${o.compareUrl})` : ''}.`);
  else if (o.pushed) {
    lines.push(`Pushed ${o.branch} to ${o.base.remote} (commit ${o.commit?.slice(0, 7)} "${o.change ? commitTitle(o.change) : ''}", from ${o.base.branch} at ${o.base.commit.slice(0, 7)}).`);
    if (o.pullRequest) lines.push(`Opened a ${o.pullRequest.tool === 'glab' ? 'merge' : 'pull'} request into ${o.base.branch}${o.pullRequest.url ? `: ${o.pullRequest.url}` : ` with ${o.pullRequest.tool}`}.`);
    else if (o.error) lines.push(`error: ${o.error}`, `Open it by hand${o.compareUrl ? `: ${o.compareUrl}` : ` from ${o.branch} into ${o.base.branch}`}.`);
  }
  for (const n of o.notes) lines.push(`note: ${n}`);
  return lines;
}

/** JSON for automation. */
export function proposalJson(o: ProposeOutcome<unknown>) {
  return {
    base: o.base,
    branch: o.branch ?? null,
    commit: o.commit ?? null,
    pushed: o.pushed,
    existing: !!o.existing,
    title: o.change ? commitTitle(o.change) : null,
    pullRequest: o.pullRequest ?? null,
    compareUrl: o.compareUrl ?? null,
    error: o.error ?? null,
    notes: o.notes,
  };
}
