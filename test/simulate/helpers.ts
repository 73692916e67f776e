// Shared by the simulation's cache tests (not a test file: the runner only picks *.test.ts).
import type { SourceFile } from '../../generators/check/resources.ts';
import { simulateRendered } from '../../generators/simulate/rendered.ts';
import { classifyManifests } from '../../generators/validate/pipeline.ts';

/** The pre-write simulation of a repository held in memory, its findings as JSON (to compare runs). */
export function simulateFiles(files: ReadonlyMap<string, string>, cache?: Map<string, unknown>): string {
  const sources: SourceFile[] = [...files].map(([p, content]) => ({ path: p, content }));
  const c = classifyManifests(sources.filter((s) => /\.(ya?ml|json)$/.test(s.path)), [...files.keys()]);
  return JSON.stringify(simulateRendered(sources, c.resources, c.repo, { cache }));
}
