// The simulation in the pre-write check (generators/check/generated.ts): over the files a
// command is about to write, in memory. An error here is a bug in the tool: the write aborts.
import type { Finding } from '../check/finding.ts';
import type { ParsedResource, SourceFile } from '../check/resources.ts';
import type { RepoIndex } from '../validate/kustomize-refs.ts';
import { defaultExpander } from './expander.ts';
import { isArgoRepository, simulateRepository } from './index.ts';

/**
 * Off until the generated examples simulate clean (issue 9: the default flips in the slice where
 * validate reports 0 errors on both examples and on every backend/router/strategy combination).
 */
export const SIMULATE_BEFORE_WRITE = false;

export function simulateRendered(files: readonly SourceFile[], resources: readonly ParsedResource[], repo: RepoIndex): Finding[] {
  if (!isArgoRepository({ resources })) return [];
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return simulateRepository({ resources, repo, read: (p) => byPath.get(p), expand: defaultExpander() }).findings;
}
