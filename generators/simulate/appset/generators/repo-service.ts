// applicationset/services.Repos as the git generator sees it: the directories of the checkout
// and the files matching a pattern. The default reads the repository view the caller gives;
// tests substitute upstream's mocks.
import { doublestarGlob, gitDirectories, lsFiles } from '../go/git-files.ts';
import { NotModelledError } from '../go/values.ts';
import { ControllerError } from '../render.ts';
import type { ExpandContext } from '../types.ts';

export interface RepoService {
  /** GetDirectories: every non-hidden directory of the checkout, walk order. */
  getDirectories(repoURL: string, revision: string): string[];
  /** GetFiles: path -> content of the files the pattern selects. */
  getFiles(repoURL: string, revision: string, pattern: string): Map<string, string>;
}

/** git.NormalizeGitURL, enough to compare two spellings of one repository. */
export function normalizeRepoURL(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
}

export function repoServiceFor(ctx: ExpandContext): RepoService {
  const checkRepository = (repoURL: string) => {
    if (ctx.repoUrl !== undefined && normalizeRepoURL(repoURL) !== normalizeRepoURL(ctx.repoUrl))
      throw new NotModelledError(
        `git generator repository ${JSON.stringify(repoURL)} is not the repository being simulated (${ctx.repoUrl}): its files cannot be read offline`,
      );
  };
  return {
    getDirectories(repoURL) {
      checkRepository(repoURL);
      const dirs = gitDirectories(ctx.repo.paths);
      ctx.observeListing?.('directories', '', dirs);
      return dirs;
    },
    getFiles(repoURL, revision, pattern) {
      checkRepository(repoURL);
      const paths = ctx.newGitFileGlobbing ? doublestarGlob(ctx.repo.paths, pattern) : lsFiles(ctx.repo.paths, pattern);
      ctx.observeListing?.(ctx.newGitFileGlobbing ? 'doublestar' : 'files', pattern, paths);
      const out = new Map<string, string>();
      for (const p of paths) {
        const content = ctx.repo.read(p);
        if (content === undefined)
          throw new ControllerError(
            `error retrieving Git files: rpc error: code = Internal desc = unable to read files. repo ${repoURL} with revision ${revision} pattern ${pattern}: read ${p}: is a directory`,
          );
        out.set(p, content);
      }
      return out;
    },
  };
}
