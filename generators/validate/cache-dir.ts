// Where gitops-scaffold keeps what it can recompute (kustomize build outputs, V8 code caches of
// the schema validators): the user's cache folder, never the repository being checked.
//   $GITOPS_SCAFFOLD_CACHE_DIR, else $XDG_CACHE_HOME/gitops-scaffold, else ~/.cache/gitops-scaffold
// GITOPS_SCAFFOLD_CACHE=off turns every such cache off.
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITOPS_SCAFFOLD_CACHE === 'off' || env.GITOPS_SCAFFOLD_CACHE === '0') return undefined;
  if (env.GITOPS_SCAFFOLD_CACHE_DIR) return path.resolve(env.GITOPS_SCAFFOLD_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : path.join(os.tmpdir(), `gitops-scaffold-${os.userInfo().uid}`));
  return path.join(base, 'gitops-scaffold');
}
