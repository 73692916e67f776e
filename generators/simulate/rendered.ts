// The simulation in the pre-write check (generators/check/generated.ts): over the files a
// command is about to write, in memory. An error here is a bug in the tool: the write aborts.
import type { Finding } from '../check/finding.ts';
import type { ParsedResource, SourceFile } from '../check/resources.ts';
import type { RepoIndex } from '../validate/kustomize-refs.ts';
import { defaultExpander } from './expander.ts';
import { isArgoRepository, simulateRepository } from './index.ts';

/**
 * On: the generated examples and every router x backend x strategy combination simulate clean
 * (scripts/simulate-combinations.ts), so an error here is a bug in the generator.
 */
export const SIMULATE_BEFORE_WRITE = true;

/**
 * `files` may carry their sha256 (RenderedFile.sha256): the unit memo's file facts use it.
 * `opts.cache`: entries the previous run's simulation left (keys `sim/...`, JSON values), kept by
 * the pipeline in `.gitops-scaffold/cache/sim.jsonl` (check/cache-store.ts); what is left in it
 * under `sim/` after the call is saved for the next run (simspeed: incremental expansion).
 */
export function simulateRendered(files: readonly (SourceFile & { sha256?: string })[], resources: readonly ParsedResource[], repo: RepoIndex, opts: { cache?: Map<string, unknown> } = {}): Finding[] {
  if (!isArgoRepository({ resources })) return [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  return simulateRepository({ resources, repo, read: (p) => byPath.get(p)?.content, sha: (p) => byPath.get(p)?.sha256, expand: defaultExpander(), cache: opts.cache }).findings;
}
