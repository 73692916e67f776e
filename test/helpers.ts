// Shared test helpers (not a test file: the runner only picks *.test.ts).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Opt-in, for checking the repositories the tests make with tools the project does not ship (an
 * external validator): GITOPS_SCAFFOLD_KEEP_TEST_REPOS=DIR copies every generated repository
 * (a folder holding .gitops-scaffold/manifest.json) found under a test's temporary folders into
 * DIR/<test file>--<folder>[--<sub folder>], as the test left it: when the test removes the folder
 * through `removeTempDir`, else when the test process exits. `.git` and the tool's cache are left
 * out. Unset (the default, and in CI), nothing is recorded or copied.
 */
const KEEP = process.env.GITOPS_SCAFFOLD_KEEP_TEST_REPOS;
const made = new Map<string, string>(); // temporary folder -> the test file that made it

/** The test file that called into the helpers, from the stack (for the kept copy's name). */
function callerTestFile(): string {
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /(?:file:\/\/)?(\/[^\s():]+\/test\/[^\s():]+\.ts)/.exec(line);
    if (m && !/(?:helpers|fixture)\.ts$/.test(m[1])) return path.relative(path.join(ROOT, 'test'), m[1]).replace(/\.test\.ts$|\.ts$/, '').split(path.sep).join('_');
  }
  return 'unknown';
}

/** Generated repositories at or under dir (not inside .git or node_modules). */
function generatedReposUnder(dir: string, depth = 4): string[] {
  if (existsSync(path.join(dir, '.gitops-scaffold', 'manifest.json'))) return [dir];
  if (depth === 0) return [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules').flatMap((e) => generatedReposUnder(path.join(dir, e.name), depth - 1));
}

function keepRepos(dir: string) {
  const from = made.get(dir);
  if (!KEEP || from === undefined || !existsSync(dir)) return;
  made.delete(dir);
  for (const repo of generatedReposUnder(dir)) {
    const rel = path.relative(dir, repo).split(path.sep).filter(Boolean);
    let target = path.join(KEEP, [from, path.basename(dir), ...rel].join('--'));
    for (let n = 2; existsSync(target); n++) target = `${target.replace(/~\d+$/, '')}~${n}`;
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      cpSync(repo, target, { recursive: true, verbatimSymlinks: true, filter: (src) => { const r = path.relative(repo, src).split(path.sep).join('/'); return r !== '.git' && r !== '.gitops-scaffold/cache'; } });
    } catch (err) {
      process.stderr.write(`GITOPS_SCAFFOLD_KEEP_TEST_REPOS: could not copy ${repo}: ${(err as Error).message}\n`);
    }
  }
}
if (KEEP) process.on('exit', () => [...made.keys()].forEach(keepRepos));

export const tempDir = (prefix = 'gs-') => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (KEEP) made.set(dir, callerTestFile());
  return dir;
};

/** Removes a folder made by tempDir (keeping its generated repositories first when asked to). */
export function removeTempDir(dir: string) {
  keepRepos(dir);
  rmSync(dir, { recursive: true, force: true });
}

export const baseSpec = () => ({
  name: 'acme',
  repo: { url: 'https://github.com/acme/gitops.git' },
  environments: [{ name: 'dev' }, { name: 'prod' }],
  clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['dev', 'prod'] }],
  tenants: [{ name: 'payments' }],
});

/**
 * Every file under dir, relative path -> content; except the tool's caches
 * (`.gitops-scaffold/cache/`, derived data that Git ignores, like `.git` itself).
 */
export function readTree(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (child === '.gitops-scaffold/cache') continue;
    if (e.isDirectory()) for (const [k, v] of readTree(dir, child)) out.set(k, v);
    else out.set(child, readFileSync(path.join(dir, child), 'utf8'));
  }
  return out;
}

/**
 * A walk of random model edits for "incremental == full" tests: step 0 is the start, every later
 * step applies one edit; an edit `accepts` refuses is skipped (a command would refuse it alike).
 * Yields each accepted spec with its step and what changed.
 */
export function* editWalk<S>(start: S, steps: number, edit: (s: S, step: number) => [S, string], accepts: (s: S) => boolean): Generator<{ step: number; what: string; spec: S }> {
  let spec = start;
  for (let step = 0; step < steps; step++) {
    let what = 'first render';
    if (step) {
      const [next, did] = edit(spec, step);
      if (!accepts(next)) continue;
      [spec, what] = [next, did];
    }
    yield { step, what, spec };
  }
}

/** A small deterministic PRNG (mulberry32), so a failing random test names the seed that reproduces it. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

/**
 * A fresh copy, per call, of a repository made once per test file by `make(root)`: tests that
 * each need their own repository pay the render once.
 */
export function copiesOf(prefix: string, make: (root: string) => void): () => string {
  let template: string | undefined;
  return () => {
    if (!template) {
      template = path.join(tempDir(`${prefix}template-`), 'repo');
      make(template);
    }
    const copy = path.join(tempDir(prefix), 'repo');
    cpSync(template, copy, { recursive: true });
    return copy;
  };
}
