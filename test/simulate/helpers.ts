// Shared by the simulation's cache tests (not a test file: the runner only picks *.test.ts).
import type { SourceFile } from '../../generators/check/resources.ts';
import { simulateRendered } from '../../generators/simulate/rendered.ts';
import { classifyManifests } from '../../generators/validate/pipeline.ts';
import { sha256 } from '../../generators/io/manifest.ts';

/**
 * The pre-write simulation of a repository held in memory, its findings as JSON (to compare runs);
 * `withSha`: the files carry their sha256 as the render's do (the memos key files by it).
 */
export function simulateFiles(files: ReadonlyMap<string, string>, cache?: Map<string, unknown>, opts: { withSha?: boolean } = {}): string {
  const sources: (SourceFile & { sha256?: string })[] = [...files].map(([p, content]) => ({ path: p, content, ...(opts.withSha ? { sha256: sha256(content) } : {}) }));
  const c = classifyManifests(sources.filter((s) => /\.(ya?ml|json)$/.test(s.path)), [...files.keys()]);
  return JSON.stringify(simulateRendered(sources, c.resources, c.repo, { cache }));
}
