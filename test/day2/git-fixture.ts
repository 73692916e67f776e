// A generated repository under Git with a local bare repository as its remote, and stand-ins for
// gh and glab on PATH that record their arguments (not a test file: the runner picks *.test.ts).
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { main } from '../../generators/cli.ts';
import type { PinSet } from '../../generators/model/pins.ts';
import { ROOT, tempDir } from '../helpers.ts';

export const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd, env: { LC_ALL: 'C' } })).stdout.trim();

const IDENTITY = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

export interface GitRepo {
  dir: string;
  root: string;
  remote: string;
  log: string;
  bin: string;
}

/** Writes one stand-in: prints a request URL and records `tool\x1farg\x1farg...\x1e`. */
function standIn(bin: string, tool: string, url: string) {
  const file = path.join(bin, tool);
  writeFileSync(file, `#!/bin/sh\n{ printf '%s' '${tool}'; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "$STANDIN_LOG"\n[ -n "$STANDIN_FAIL" ] && { echo "$STANDIN_FAIL" >&2; exit 1; }\necho "${url}"\n`);
  chmodSync(file, 0o755);
}

export async function gitRepo(opts: { example?: string; text?: (t: string) => string; tools?: ('gh' | 'glab')[]; pins?: PinSet } = {}): Promise<GitRepo> {
  const dir = tempDir('gs-day2-');
  const root = path.join(dir, 'repo');
  const exampleText = readFileSync(path.join(ROOT, 'examples', opts.example ?? 'enterprise', 'platform.yaml'), 'utf8');
  const text = opts.text ? opts.text(exampleText) : exampleText;
  run({ root, spec: parseSpecText(text, 'example'), previousModelText: text, refuseForeign: true, pins: opts.pins });
  await git(root, 'init', '-q', '-b', 'main');
  await git(root, 'config', 'user.name', 'Platform Dev');
  await git(root, 'config', 'user.email', 'dev@acme.example.com');
  await git(root, 'add', '-A');
  await git(root, 'commit', '-q', '-m', 'initial');
  const remote = path.join(dir, 'remote.git');
  await git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  await git(root, 'remote', 'add', 'origin', remote);
  await git(root, 'push', '-q', 'origin', 'main');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  for (const t of opts.tools ?? ['gh', 'glab']) standIn(bin, t, t === 'gh' ? 'https://github.com/acme/platform-gitops/pull/42' : 'https://gitlab.com/acme/platform-gitops/-/merge_requests/7');
  return { dir, root, remote, log: path.join(dir, 'standin.log'), bin };
}

/** What the stand-ins were called with, one array per call, the tool first. */
export function calls(repo: GitRepo): string[][] {
  if (!existsSync(repo.log)) return [];
  return readFileSync(repo.log, 'utf8').split('\x1e').filter(Boolean).map((r) => r.split('\x1f'));
}

/** The CLI in-process, with the stand-ins on PATH (no TTY). */
export async function cli(repo: GitRepo, args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const saved = { ...process.env };
  Object.assign(process.env, { PATH: `${repo.bin}${path.delimiter}${process.env.PATH}`, STANDIN_LOG: repo.log, CI: 'true' }, env);
  try {
    const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
    return { exitCode, stdout, stderr };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** Commit everything in the checkout and push it, as a person would after a direct write. */
export async function commitAndPush(repo: GitRepo, message: string) {
  await git(repo.root, 'add', '-A');
  await git(repo.root, ...IDENTITY, 'commit', '-q', '-m', message);
  await git(repo.root, 'push', '-q', 'origin', 'HEAD:main');
}

/** A file of a remote branch. */
export const remoteFile = (repo: GitRepo, branch: string, file: string) => git(repo.remote, 'show', `${branch}:${file}`);
