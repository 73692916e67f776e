// One side of a diff: a revision of the repository (a commit, or the working tree) as the
// offline Argo CD model sees it. Pure: built from a file list and a read function; where the
// files came from (a temporary checkout, the working tree) is the edge's business (run.ts).
import type { SourceFile } from '../check/resources.ts';
import { buildRepoModel, type Expander, type RepoModel } from '../simulate/model.ts';
import { classifyManifests, type ClassifiedManifests } from '../validate/pipeline.ts';

export interface SideFiles {
  /** How the side is named to the user: `HEAD`, `origin/main (3f2a9c1)`, `working tree`. */
  label: string;
  /** The commit, when the side is one. */
  commit?: string;
  /** Folder on disk holding the side's files (kustomize and helm read them there). */
  root: string;
  /** Every file of the side, repository-relative, forward slashes. */
  paths: readonly string[];
  read(path: string): string | undefined;
}

export interface Side extends SideFiles {
  index: ClassifiedManifests;
  model: RepoModel;
}

const MANIFEST = /\.(ya?ml|json)$/i;

export function modelSide(files: SideFiles, opts: { expand?: Expander; repoUrl?: string } = {}): Side {
  const candidates: SourceFile[] = [];
  for (const p of files.paths) {
    if (!MANIFEST.test(p)) continue;
    const content = files.read(p);
    if (content !== undefined) candidates.push({ path: p, content });
  }
  const index = classifyManifests(candidates, files.paths);
  const model = buildRepoModel({ resources: index.resources, repo: index.repo, read: files.read, repoUrl: opts.repoUrl, expand: opts.expand });
  return { ...files, index, model };
}
