// Every Git, gh and glab invocation of the tool, through execa: the only module that runs them.
// Each function is one small question or one action; what to do with the answers (branch names,
// messages, which remote, which pull-request tool) is decided purely in generators/pr/plan.ts,
// and the order of the steps lives in generators/pr/run.ts.
//
// Git never prompts here (GIT_TERMINAL_PROMPT=0, stdin closed) and speaks English (LC_ALL=C), so
// an unreachable remote or missing credentials fail fast with a message we can pass on.

import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface ToolResult {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

export interface Remote {
  name: string;
  url: string;
}

/** A failure of git itself (not of the user's input): carries git's own words for the message. */
export class GitFailure extends Error {
  constructor(
    readonly args: string[],
    readonly result: ToolResult,
  ) {
    super(`git ${args.join(' ')} failed: ${firstLine(result.stderr || result.stdout) || `exit ${result.code}`}`);
    this.name = 'GitFailure';
  }
}

export const firstLine = (s: string) => s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 120_000): Promise<ToolResult> {
  try {
    const r = await execa(cmd, args, { cwd, env: { ...GIT_ENV, ...env }, reject: false, stdin: 'ignore', timeout, stripFinalNewline: false });
    return { ok: r.exitCode === 0 && !r.timedOut, code: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: r.timedOut ? `timed out after ${timeout / 1000}s` : String(r.stderr ?? '') };
  } catch (err) {
    // Not even started (git not installed, cwd gone): one line, never a stack trace.
    return { ok: false, code: 127, stdout: '', stderr: (err as Error).message.split('\n')[0] };
  }
}

export const git = (cwd: string, args: string[], env?: NodeJS.ProcessEnv) => run('git', args, cwd, env);

async function gitOrThrow(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (!r.ok) throw new GitFailure(args, r);
  return r.stdout;
}

/** Whether git itself can be run. */
export async function gitAvailable(): Promise<boolean> {
  return (await run('git', ['--version'], process.cwd())).ok;
}

/** The top folder of the work tree holding `dir` (real path), or undefined outside any Git repository. */
export async function workTreeTop(dir: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!r.ok || !r.stdout.trim()) return undefined;
  return realpathSync(r.stdout.trim());
}

export async function remotes(top: string): Promise<Remote[]> {
  const r = await git(top, ['config', '--get-regexp', '^remote\\..*\\.url$']);
  if (!r.ok) return [];
  return r.stdout
    .split('\n')
    .map((l) => /^remote\.(.+)\.url (.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ name: m[1], url: m[2] }));
}

/** `branch.<b>.remote`, when the branch tracks one. */
export async function trackedRemote(top: string, branch: string): Promise<string | undefined> {
  const r = await git(top, ['config', '--get', `branch.${branch}.remote`]);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** The commit a remote branch points at, asked of the remote itself; undefined when it has no such branch. */
export async function remoteBranchHead(top: string, remote: string, branch: string): Promise<string | undefined> {
  const r = await git(top, ['ls-remote', '--heads', remote, `refs/heads/${branch}`]);
  if (!r.ok) throw new GitFailure(['ls-remote', '--heads', remote, `refs/heads/${branch}`], r);
  const line = r.stdout.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`));
  return line?.split('\t')[0];
}

/** Brings the remote branch's objects; the caller names the commit it wants (from remoteBranchHead). */
export async function fetchBranch(top: string, remote: string, branch: string): Promise<void> {
  await gitOrThrow(top, ['fetch', '--quiet', '--no-tags', remote, `refs/heads/${branch}`]);
}

/** The tree (content) of a commit: two commits with one tree propose the same files. */
export async function treeOf(dir: string, commit: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{tree}`]);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Remote branches (name -> commit) under `prefix`, their objects fetched so their trees can be read. */
export async function fetchBranchesLike(top: string, remote: string, prefix: string): Promise<Map<string, string>> {
  const args = ['ls-remote', '--heads', remote, `refs/heads/${prefix}*`];
  const r = await git(top, args);
  if (!r.ok) throw new GitFailure(args, r);
  const heads = new Map(r.stdout.split('\n').filter(Boolean).map((l) => {
    const [sha, ref] = l.split('\t');
    return [ref.replace(/^refs\/heads\//, ''), sha] as [string, string];
  }));
  if (heads.size) await gitOrThrow(top, ['fetch', '--quiet', '--no-tags', remote, ...[...heads.keys()].map((b) => `refs/heads/${b}`)]);
  return heads;
}

/** A detached work tree of `commit` at `dir` (a new folder): the user's checkout is not touched. */
export async function addWorktree(top: string, dir: string, commit: string): Promise<void> {
  await gitOrThrow(top, ['worktree', 'add', '--quiet', '--detach', dir, commit]);
}

/** Removes the work tree and its bookkeeping in .git (best effort: the folder is temporary anyway). */
export async function removeWorktree(top: string, dir: string): Promise<void> {
  await git(top, ['worktree', 'remove', '--force', dir]);
  await git(top, ['worktree', 'prune']);
}

/** Paths under `pathspec` that differ from HEAD (tracked changes and untracked files). */
export async function changedPaths(dir: string, pathspec: string): Promise<string[]> {
  const out = await gitOrThrow(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', pathspec]);
  return out
    .split('\0')
    .filter(Boolean)
    .map((e) => e.slice(3));
}

/** Whether the working tree of `dir` (uncommitted edits included) differs from `commit` under `pathspec`. */
export async function differsFrom(dir: string, commit: string, pathspec: string): Promise<boolean> {
  const r = await git(dir, ['diff', '--quiet', commit, '--', pathspec]);
  return r.code === 1;
}

/** Whether Git knows who commits here (user.name / user.email or GIT_AUTHOR_* / GIT_COMMITTER_*). */
export async function hasIdentity(dir: string): Promise<boolean> {
  const [author, committer] = await Promise.all([git(dir, ['var', 'GIT_AUTHOR_IDENT']), git(dir, ['var', 'GIT_COMMITTER_IDENT'])]);
  return author.ok && committer.ok;
}

/** Stages everything under `pathspec` and commits it with `message`; returns the new commit. */
export async function commitAll(dir: string, pathspec: string, message: string): Promise<string> {
  await gitOrThrow(dir, ['add', '--all', '--', pathspec]);
  await gitOrThrow(dir, ['commit', '--quiet', '--no-verify', '-m', message]);
  return (await gitOrThrow(dir, ['rev-parse', 'HEAD'])).trim();
}

export type PushOutcome = { pushed: true } | { pushed: false; exists: boolean; message: string };

/**
 * Pushes `commit` as a *new* branch: `--force-with-lease=<ref>:` (an empty expected value) makes
 * the remote refuse when the branch already exists, so two runs never land on one branch and
 * nothing is ever pushed over an existing ref; the caller retries with the next free name.
 * Run it from the user's checkout (`top`), not from a temporary work tree: a remote given as a
 * relative path (`git remote add origin ../remote.git`) is read relative to where git runs, and
 * the work trees share one object store, so the commit is there too.
 */
export async function pushNewBranch(top: string, remote: string, branch: string, commit: string): Promise<PushOutcome> {
  const ref = `refs/heads/${branch}`;
  const r = await git(top, ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:`, remote, `${commit}:${ref}`]);
  if (r.ok) return { pushed: true };
  const text = `${r.stdout}\n${r.stderr}`;
  return { pushed: false, exists: /stale info|already exists|\[rejected\]|fetch first/.test(text), message: firstLine(r.stderr) || firstLine(r.stdout) };
}

/** The commit `rev` names, or undefined when it names none. */
export async function resolveCommit(top: string, rev: string): Promise<string | undefined> {
  const r = await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** A file as it was at `commit` (`git show commit:path`), or undefined when it did not exist there. */
export async function fileAt(top: string, commit: string, rel: string): Promise<string | undefined> {
  const r = await git(top, ['show', `${commit}:${rel}`]);
  return r.ok ? r.stdout : undefined;
}

/** The executable `name` on PATH (as a shell would find it), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Runs gh or glab (found on PATH) in `cwd`. */
export const runTool = (file: string, args: string[], cwd: string) => run(file, args, cwd, { GH_PROMPT_DISABLED: '1', NO_PROMPT: '1' }, 120_000);

/** The working tree under `dir` as Git sees it: tracked and untracked files, ignored ones left out (paths relative to `dir`). */
export async function listWorkingFiles(dir: string): Promise<string[]> {
  const out = await gitOrThrow(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.']);
  return [...new Set(out.split('\0').filter(Boolean))];
}
