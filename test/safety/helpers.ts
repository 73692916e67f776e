// Helpers of the safety tests (not a test file: the runner only picks *.test.ts).
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { main } from '../../generators/cli.ts';
import { run } from '../../generators/pipeline.ts';
import { ROOT, tempDir, baseSpec, copiesOf } from '../helpers.ts';

export { ROOT, tempDir, baseSpec };

/** The CLI entry in-process (no TTY): exit code, stdout, stderr, as the bin prints them. */
export async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) (saved[k] = process.env[k]), (process.env[k] = v);
  try {
    const exitCode = await main(args, { stdout: (s: string) => void (stdout += `${s}\n`), stderr: (s: string) => void (stderr += `${s}\n`), interactive: false } as any);
    return { exitCode, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** The real bin in a child process. */
export const spawnCli = (args: string[], env: Record<string, string> = {}, cwd = ROOT) =>
  execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...args], { cwd, reject: false, stdin: 'ignore', env: { CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...env } });

/**
 * Every entry under dir (nothing excluded, .gitops-scaffold included): path -> content, a
 * symlink as `-> target`, a folder as `/` (empty folders count: pruning is part of the result).
 */
export function snapshot(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    const abs = path.join(dir, child);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out.set(child, `-> ${readlinkSync(abs)}`);
    else if (st.isDirectory()) {
      out.set(`${child}/`, '');
      for (const [k, v] of snapshot(dir, child)) out.set(k, v);
    } else if (!st.isFile()) out.set(child, 'special file');
    else out.set(child, `${(st.mode & 0o777).toString(8)} ${readFileSync(abs, 'utf8')}`);
  }
  return out;
}

/**
 * How `actual` differs from `expected`, entry by entry (empty: the same tree, byte for byte).
 * perf's `.gitops-scaffold/cache/` is left out: derived data whose content depends on which runs
 * happened (a no-op render records itself there), never part of the repository.
 */
export function treeDiff(actual: Map<string, string>, expected: Map<string, string>): string[] {
  const derived = (k: string) => k === '.gitops-scaffold/cache/' || k.startsWith('.gitops-scaffold/cache/');
  const keys = [...new Set([...actual.keys(), ...expected.keys()])].filter((k) => !derived(k)).sort();
  return keys.filter((k) => actual.get(k) !== expected.get(k)).map((k) => `${k}: ${actual.has(k) ? (expected.has(k) ? 'differs' : 'extra') : 'missing'}`);
}

/** A fresh copy of a repository rendered from baseSpec() (no check: these tests are about the disk). */
export const minimalRepo = copiesOf('gs-safety-', (root) => void run({ root, spec: baseSpec(), check: false }));
