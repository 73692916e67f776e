// `gitops-scaffold diff`: the edge. Reads the two sides (a commit through a temporary detached
// `git worktree`, the working tree as Git lists it: tracked and untracked files, ignored ones
// left out), finds the tools (kustomize / kubectl, helm), models both sides, compares them
// (engine.ts) and formats the report. Git runs only through generators/io/git.ts; the temporary
// checkout is removed whatever happens (a killed run leaves a stale entry `git worktree prune`,
// run at the next diff, clears).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../model/errors.ts';
import { diskError, isErrno } from '../io/disk.ts';
import { addWorktree, listWorkingFiles, removeWorktree, resolveCommit, workTreeTop } from '../io/git.ts';
import { defaultExpander } from '../simulate/expander.ts';
import { findHelm } from '../manifests/helm.ts';
import { toolRenderer, type Tools } from '../manifests/renderer.ts';
import { findKustomizeTool } from '../validate/kustomize/tool.ts';
import { diffSides } from './engine.ts';
import { formatDiffJson, formatDiffMarkdown, formatDiffText, type DiffReport } from './report.ts';
import { modelSide, type SideFiles } from './side.ts';

export interface DiffOptions {
  /** The repository folder (may be a sub-folder of the Git work tree). */
  dir: string;
  /** Base revision; default HEAD. */
  base?: string;
  /** Head revision; default the working tree. */
  head?: string;
  output: 'text' | 'markdown' | 'json';
  repoUrl?: string;
  /** Build kustomizations with kustomize / kubectl when present (default true). */
  kustomize?: boolean;
  /** Render Helm sources with helm when present (default true). */
  helm?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface DiffCommandResult {
  exitCode: 0 | 1;
  stdout: string;
  report: DiffReport;
}

/** Every file under `root` (repository-relative), `.git` entries and node_modules left out. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      const st = e.isSymbolicLink() ? statQuietly(path.join(root, child)) : undefined;
      if (e.isDirectory() || st?.isDirectory()) walk(child);
      else if (e.isFile() || st?.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

function statQuietly(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Reads a file of a side once (the engine and the model ask for some files several times). */
function cachedReader(root: string): (p: string) => string | undefined {
  const base = path.resolve(root);
  const memo = new Map<string, string | undefined>();
  return (p) => {
    if (memo.has(p)) return memo.get(p);
    const abs = path.resolve(base, p);
    let text: string | undefined;
    if (abs === base || abs.startsWith(base + path.sep))
      try {
        text = fs.readFileSync(abs, 'utf8');
      } catch (err) {
        // Absent (or a folder) is an answer; a disk that fails to read is not "the file is gone":
        // reporting every Application as deleted would be a lie, so the run stops naming the file.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR' && isErrno(err)) throw diskError(err, abs, 'read');
        text = undefined;
      }
    memo.set(p, text);
    return text;
  };
}

const short = (c: string) => c.slice(0, 7);

async function commitOf(top: string, ref: string, flag: string): Promise<string> {
  const commit = await resolveCommit(top, ref);
  if (!commit)
    throw new InputError(`${flag} ${ref} names no commit in ${top}`, [
      { path: flag, message: ref === 'HEAD' ? 'the repository has no commit yet' : `git cannot resolve ${ref}`, fix: ref === 'HEAD' ? 'commit once, or pass --base REF' : 'pass a branch, tag or commit (in CI: fetch the base branch first, e.g. actions/checkout with fetch-depth: 0)' },
    ]);
  return commit;
}

async function findTools(opts: DiffOptions, env: NodeJS.ProcessEnv): Promise<Tools> {
  const [kustomize, helm] = await Promise.all([opts.kustomize === false ? undefined : findKustomizeTool(env), opts.helm === false ? undefined : findHelm(env)]);
  return {
    kustomize,
    helm,
    env,
    kustomizeMissing: opts.kustomize === false ? 'kustomize builds turned off (--no-kustomize)' : kustomize ? undefined : 'neither kustomize nor kubectl is installed',
    helmMissing: opts.helm === false ? 'helm turned off (--no-helm)' : helm ? undefined : 'helm is not installed',
  };
}

export async function runDiff(opts: DiffOptions): Promise<DiffCommandResult> {
  const env = opts.env ?? process.env;
  const dir = path.resolve(opts.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(`no such folder: ${opts.dir}`, [{ path: 'DIR', message: 'not a folder', fix: 'pass the folder of the repository' }]);
  const top = await workTreeTop(dir);
  if (!top) throw new InputError(`${opts.dir} is not inside a Git repository`, [{ path: 'DIR', message: 'diff compares Git revisions', fix: 'run it in a Git work tree (git init, commit once), or pass DIR inside one' }]);
  const prefix = path.relative(top, fs.realpathSync(dir));
  const baseRef = opts.base ?? 'HEAD';
  const baseCommit = await commitOf(top, baseRef, '--base');
  const headCommit = opts.head ? await commitOf(top, opts.head, '--head') : undefined;
  const tools = await findTools(opts, env);

  const checkouts: string[] = [];
  const checkout = async (commit: string, label: string): Promise<SideFiles> => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-diff-'));
    checkouts.push(tmp);
    const tree = path.join(tmp, 'tree');
    await addWorktree(top, tree, commit);
    const root = path.join(tree, prefix);
    // The folder may not exist at that revision: then nothing of the repository does.
    const paths = fs.existsSync(root) ? listFiles(root) : [];
    return { label: label.includes(short(commit)) || label === commit ? label : `${label} (${short(commit)})`, commit, root, paths, read: cachedReader(root) };
  };
  try {
    const baseFiles = await checkout(baseCommit, baseRef);
    const headFiles: SideFiles = headCommit
      ? await checkout(headCommit, opts.head!)
      : { label: 'working tree', root: dir, paths: (await listWorkingFiles(dir)).filter((p) => statQuietly(path.join(dir, p))?.isFile()).sort(), read: cachedReader(dir) };
    const expand = defaultExpander();
    const base = modelSide(baseFiles, { expand, repoUrl: opts.repoUrl });
    const head = modelSide(headFiles, { expand, repoUrl: opts.repoUrl });
    const result = await diffSides(base, head, toolRenderer(tools));
    const report: DiffReport = {
      ...result,
      tools: {
        kustomize: tools.kustomize ? tools.kustomize.name : `${tools.kustomizeMissing} (kustomizations from the offline inventory)`,
        helm: tools.helm ? tools.helm.name : `${tools.helmMissing} (chart sources from the offline model)`,
      },
    };
    const stdout = opts.output === 'json' ? formatDiffJson(report) : opts.output === 'markdown' ? formatDiffMarkdown(report) : formatDiffText(report);
    // A change that breaks a build fails, as validate would.
    const broken = report.applications.some((a) => (a.rendering.head ?? []).some((r) => r.error));
    return { exitCode: broken ? 1 : 0, stdout, report };
  } finally {
    for (const tmp of checkouts) {
      await removeWorktree(top, path.join(tmp, 'tree'));
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}
