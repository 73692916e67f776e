// Shared by the simulation's cache tests (not a test file: the runner only picks *.test.ts).
import fc from 'fast-check';
import * as assert from 'uvu/assert';
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

export type Files = Map<string, string>;

/** Replaces `from` with `to` in the file at `p` of `f` (a file that is not there stays absent). */
export function editFile(f: Files, p: string, from: string | RegExp, to: string): void {
  const text = f.get(p);
  if (text !== undefined) f.set(p, text.replace(from, to));
}

/**
 * Over random sequences of `edits` of `original`, the findings with the simulation's cache carried
 * from edit to edit (through JSON, as it is persisted) are the findings of a run without it, and
 * every step keeps entries under `kept` (the units under test).
 */
export function assertCarriedEqualsPlain(original: ReadonlyMap<string, string>, edits: Record<string, (f: Files) => void>, kept: string, what: string, runs: { numRuns: number; seed: number }): void {
  fc.assert(
    fc.property(fc.shuffledSubarray(Object.keys(edits), { minLength: 1, maxLength: 4 }), (sequence) => {
      const files = new Map(original);
      let persisted: [string, unknown][] = [];
      for (const step of ['none', ...sequence]) {
        if (step !== 'none') edits[step](files);
        const cache = new Map(JSON.parse(JSON.stringify(persisted)) as [string, unknown][]);
        assert.is(simulateFiles(files, cache), simulateFiles(files), `after ${step}`);
        persisted = [...cache].filter(([k]) => k.startsWith('sim/'));
        assert.ok(persisted.some(([k]) => k.startsWith(kept)), `${what} kept`);
      }
    }),
    runs,
  );
}
