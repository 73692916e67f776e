// validate on both cores: a worker thread runs the checks after parsing (schema layer, kustomize
// paths, cross references: check-worker.ts) over its own parse of the very bytes the main thread
// read, while the main thread parses, classifies and simulates Argo CD. The worker's answer is a
// list of findings per check, put in the order runPipeline gives them, so the report is the
// same byte for byte (scripts/validate-same.ts holds it against an older commit on the fleet).
// Worth it only for large repositories (a worker costs ~50 ms to start and parses everything
// again on the other core) and a CPU to spare: below PARALLEL_MIN_FILES, with one CPU or a
// machine already busy (idle CPUs just now, else the load average), nothing changes.
// Off by default (it did not win on the 2-CPU benchmark machine): GITOPS_SCAFFOLD_WORKERS=on
// always starts one (tests), =auto when the repository is large and a CPU is idle.
// Any failure of the worker (cannot start, throws, exits) = the checks run on the main thread.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckRequest } from './check-worker.ts';
import type { CheckFindings, CheckOptions } from './pipeline.ts';
import { cpuToSpare, machineLoad, type MachineLoad } from '../incremental/machine-load.ts';

export type { MachineLoad } from '../incremental/machine-load.ts';

export const PARALLEL_MIN_FILES = 1500;

/**
 * Whether validate of `candidates` manifest files checks in a worker thread: a large repository
 * and a CPU to spare: at least 3/4 of a CPU idle while this run walked the folders (/proc/stat),
 * else a load average below the CPUs minus one half (as `make -l` reasons). On a busy machine the
 * worker's second parse only competes with the main thread (measured on the 2-CPU fleet
 * benchmark at load 10-16: slower, median 13.8 s vs 11.4 s).
 */
export function wantsWorker(candidates: number, env: NodeJS.ProcessEnv = process.env, machine: MachineLoad = machineLoad()): boolean {
  const mode = env.GITOPS_SCAFFOLD_WORKERS;
  if (mode === 'on' || mode === '1') return true;
  // Off unless asked: on the 2-CPU benchmark machine, even quiet (load 1.6), the worker made
  // validate slower (fleet: 2.4-3.5 s vs 2.15-2.25 s; the main thread's parse took twice as long
  // beside it: the two CPUs share one core's caches and memory bandwidth). `auto` decides below.
  if (mode !== 'auto') return false;
  return candidates >= PARALLEL_MIN_FILES && cpuToSpare(machine);
}

/** The system's CPU time counters (Linux /proc/stat, all CPUs, in clock ticks), or undefined. */
function cpuTicks(): { idle: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'latin1').slice(0, 200).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
    // user nice system idle iowait irq softirq steal ...: idle + iowait are CPUs with nothing to run.
    return { idle: fields[3] + (fields[4] ?? 0), total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/**
 * Starts measuring how idle the machine is; the returned function gives this moment's MachineLoad
 * (idle CPUs over the time since the start when enough clock ticks passed to say, ~50 ms).
 */
export function idleSince(): () => MachineLoad {
  const before = cpuTicks();
  return () => {
    const { cpus, load } = machineLoad();
    const after = cpuTicks();
    if (!before || !after || after.total - before.total < 10) return { cpus, load };
    return { cpus, load, idleCpus: ((after.idle - before.idle) / (after.total - before.total)) * cpus };
  };
}

/** The worker's script: dist/validate-worker.cjs beside the bundle, or the TypeScript source through tsx. */
function workerScript(): WorkerScript | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // A development checkout running the sources: the worker registers tsx as the bin did.
    const source = pathToFileURL(path.join(path.dirname(here), 'check-worker.ts')).href;
    // tsx's ES module entry (require.resolve would give its CommonJS one); without it, no worker.
    let tsx: string;
    try {
      const file = path.join(path.dirname(createRequire(here).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs');
      if (!existsSync(file)) return undefined;
      tsx = pathToFileURL(file).href;
    } catch {
      return undefined;
    }
    return { code: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
  }
  for (const file of [path.join(path.dirname(here), 'validate-worker.cjs'), path.join(path.dirname(here), '..', 'validate-worker.cjs')]) if (existsSync(file)) return { file };
  return undefined;
}

export interface ParallelChecks {
  /** Hands the worker the texts (their bytes, shared); call once. */
  send(req: Omit<CheckRequest, 'opts'>): void;
  /** The worker's findings, or undefined when it failed (run the checks here then). */
  result(): Promise<CheckFindings | undefined>;
  /** Stops the worker unused (validate's report came from its cache: report-cache.ts). */
  stop(): void;
}

type WorkerScript = { code: string; eval: true } | { file: string };

/**
 * Starts the worker (its start-up overlaps the main thread's reading); undefined when none can
 * run. `script` is for tests (a worker that fails).
 */
export function startParallelChecks(opts: CheckOptions, script: WorkerScript | undefined = workerScript()): ParallelChecks | undefined {
  if (!script) return undefined;
  let worker: Worker;
  try {
    worker = 'file' in script ? new Worker(script.file) : new Worker(script.code, { eval: true });
  } catch {
    return undefined;
  }
  worker.unref();
  const checkOpts: CheckOptions = { repoUrl: opts.repoUrl, skip: opts.skip, reject: opts.reject, ignoreMissingSchemas: opts.ignoreMissingSchemas, ignoreFilenamePatterns: opts.ignoreFilenamePatterns };
  const answer = new Promise<CheckFindings | undefined>((resolve) => {
    worker.once('message', (m: { ok: boolean; checks?: CheckFindings }) => resolve(m.ok ? m.checks : undefined));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    send(req) {
      try {
        worker.postMessage({ ...req, opts: checkOpts });
      } catch {
        void worker.terminate();
      }
    },
    async result() {
      worker.ref(); // keeps the process alive while it waits (unref'd until then: never holds an exit)
      const checks = await answer;
      void worker.terminate();
      return checks;
    },
    stop() {
      void worker.terminate();
    },
  };
}
