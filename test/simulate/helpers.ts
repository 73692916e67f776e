// Shared by the simulation's cache tests (not a test file: the runner only picks *.test.ts).
import type { SourceFile } from '../../generators/check/resources.ts';
import { simulateRendered } from '../../generators/simulate/rendered.ts';
import { simulateRepository } from '../../generators/simulate/index.ts';
import { defaultExpander } from '../../generators/simulate/expander.ts';
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

/**
 * The Applications the bootstrap walk reached, in order, as JSON: each one's name, ApplicationSet,
 * file, place and outcome (a replayed unit finds its Applications again by name and set).
 */
export function walkReached(files: ReadonlyMap<string, string>, cache?: Map<string, unknown>): string {
  const sources: SourceFile[] = [...files].map(([p, content]) => ({ path: p, content }));
  const c = classifyManifests(sources.filter((s) => /\.(ya?ml|json)$/.test(s.path)), [...files.keys()]);
  const sim = simulateRepository({ resources: c.resources, repo: c.repo, read: (p) => files.get(p), expand: defaultExpander(), cache });
  return JSON.stringify(sim.walk?.reached.map((r: any) => [r.app.name, r.app.appSet?.name ?? null, r.app.file ?? null, r.app.at ?? null, r.outcome]));
}
