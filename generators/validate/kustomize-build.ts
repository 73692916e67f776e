// Builds the repository's kustomizations with `kustomize build` or `kubectl kustomize` (whichever
// is on PATH) so the schema layer can validate what Argo CD will actually apply.
//
// What is built (kustomize/plan.ts): every kustomization except components, those with remote
// bases (skipped and counted: they cannot be built offline) and bases that an overlay's build
// already includes. How (kustomize/run.ts): batched, many kustomizations per process, on a pool
// sized to the machine. Builds whose input files did not change come from the cache
// (kustomize/cache.ts, keyed by the hash of every input file and the tool).
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';
import type { Kustomization, RepoIndex } from './kustomize-refs.ts';
import { type BuildCache, openBuildCache } from './kustomize/cache.ts';
import { buildInputs, buildKey, nextUncovered, planBuilds } from './kustomize/plan.ts';
import { type BuildOutcome, kustomizeRunner } from './kustomize/run.ts';
import type { KustomizeTool } from './kustomize/tool.ts';
import { refOf } from './schema-layer.ts';

export { findKustomizeTool, type KustomizeTool } from './kustomize/tool.ts';

export interface KustomizeBuildResult {
  tool?: KustomizeTool;
  /** Kustomizations whose output was validated (built now or taken from the cache). */
  built: number;
  /** Of those, outputs taken from the cache. */
  cached: number;
  /** Bases not built on their own because an overlay that includes them built. */
  covered: number;
  remoteSkipped: number;
  resources: ParsedResource[];
  findings: Finding[];
}

export interface BuildOptions {
  env?: NodeJS.ProcessEnv;
  /** Text of a repository file (relative path), for the cache key; undefined when unreadable. */
  read: (file: string) => string | Buffer | undefined;
  cache?: BuildCache;
  parallelism?: number;
  /** Called as builds finish: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const NETWORK = /(dial tcp|no such host|could not resolve|network is unreachable|unable to access|fatal: unable|git clone|failed to run '\S*git)/i;

export async function buildKustomizations(root: string, repo: RepoIndex, tool: KustomizeTool, opts: BuildOptions): Promise<KustomizeBuildResult> {
  const env = opts.env ?? process.env;
  const cache = opts.cache ?? openBuildCache(env);
  const runner = kustomizeRunner(tool, env, opts.parallelism ?? os.availableParallelism());
  const plan = planBuilds(repo);
  const out: KustomizeBuildResult = { tool, built: 0, cached: 0, covered: 0, remoteSkipped: plan.remote.length, resources: [], findings: [] };

  const hashes = new Map<string, string>();
  const hashOf = (file: string) => {
    let h = hashes.get(file);
    if (h === undefined) {
      const content = opts.read(file);
      h = content === undefined ? 'unreadable' : sha256(content);
      hashes.set(file, h);
    }
    return h;
  };

  const outcomes = new Map<Kustomization, BuildOutcome>();
  const attempted = new Set<Kustomization>();
  const succeeded = new Set<Kustomization>();
  let done = 0;
  const runWave = async (wave: Kustomization[]) => {
    const keys = new Map<Kustomization, string>();
    const misses: Kustomization[] = [];
    for (const k of wave) {
      attempted.add(k);
      const key = buildKey(tool.identity, k, buildInputs(repo, k), hashOf);
      keys.set(k, key);
      const docs = cache.get(key);
      if (docs) {
        outcomes.set(k, { ok: true, docs });
        out.cached++;
        done++;
      } else misses.push(k);
    }
    opts.onProgress?.(done, attempted.size);
    const results = await runner.build(misses.map((k) => path.join(root, k.dir)));
    misses.forEach((k, i) => {
      const r = results[i];
      outcomes.set(k, r);
      if (r.ok) cache.set(keys.get(k)!, r.docs);
      done++;
    });
    opts.onProgress?.(done, attempted.size);
    for (const k of wave) if (outcomes.get(k)!.ok) succeeded.add(k);
  };

  await runWave(plan.roots);
  for (let wave = nextUncovered(plan, attempted, succeeded); wave.length; wave = nextUncovered(plan, attempted, succeeded)) await runWave(wave);
  out.covered = plan.covered.filter((k) => !attempted.has(k)).length;

  // Results in the repository's order, whatever order the builds finished in.
  for (const k of repo.kustomizations.values()) {
    const r = outcomes.get(k);
    if (!r) continue;
    if (r.ok) {
      out.built++;
      r.docs.forEach((obj, docIndex) => {
        if (obj && typeof obj === 'object') out.resources.push({ file: k.resource.file, docIndex, line: k.resource.line, obj, origin: 'kustomize-build' });
      });
    } else if (NETWORK.test(r.error)) out.remoteSkipped++;
    else out.findings.push(buildFailure(k, tool, r.error));
  }
  return out;
}

function buildFailure(k: Kustomization, tool: KustomizeTool, text: string): Finding {
  return {
    rule: 'kustomize/build-failed',
    severity: 'error',
    source: 'kustomize',
    file: k.resource.file,
    line: k.resource.line,
    resource: { ...refOf(k.resource.obj), kind: k.resource.obj?.kind ?? 'Kustomization' },
    message: `${k.dir || '.'}: ${tool.name} build failed: ${cleanError(text)}`,
    fix: `Run \`${tool.name === 'kustomize' ? 'kustomize build' : 'kubectl kustomize'} ${k.dir || '.'}\` and fix the error it reports.`,
  };
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** kubectl prefixes errors with a klog header and wraps them in err="…"; keep the message. */
export function cleanError(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  const m = /err="(.*)"\s*$/.exec(line);
  const msg = (m ? m[1] : line.replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\]\s*/, '')).replace(/\\"/g, '"');
  return msg.length > 300 ? msg.slice(0, 300) + '…' : msg;
}
