// A repository made from an example under Git, with a local bare repository as its remote (not a
// test file: the runner picks *.test.ts). The example folder already holds the rendered repo, so
// a copy is the repository `init` would write, without rendering it again.
import { cpSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT, tempDir } from '../helpers.ts';

export const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd, env: { LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' } })).stdout.trim();

export interface DiffRepo {
  dir: string;
  root: string;
  remote: string;
}

export async function exampleRepo(example = 'enterprise'): Promise<DiffRepo> {
  const dir = tempDir('gs-diff-');
  const root = path.join(dir, 'repo');
  cpSync(path.join(ROOT, 'examples', example), root, { recursive: true });
  await git(root, 'init', '-q', '-b', 'main');
  await git(root, 'config', 'user.name', 'Platform Dev');
  await git(root, 'config', 'user.email', 'dev@acme.example.com');
  await commitAll(root, 'initial');
  const remote = path.join(dir, 'remote.git');
  await git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  await git(root, 'remote', 'add', 'origin', remote);
  await git(root, 'push', '-q', 'origin', 'main');
  return { dir, root, remote };
}

export async function commitAll(root: string, message: string) {
  await git(root, 'add', '-A');
  await git(root, 'commit', '-q', '-m', message);
}
