// The stat probe: the lstat walk of readFiles, started early on a worker thread. A fleet's add
// compares ~7,700 files in ~2,000 folders; their ~9,800 lstats cost ~40 ms of syscalls on the
// main thread, at the end of the run. The manifest read under the lock already names (nearly)
// every path the plan will compare, so right after the read step `startStatProbe` hands those
// paths and their folders to a worker that lstats them while the main thread models, renders,
// checks and simulates; readFiles then takes each answer instead of calling lstat itself.
//
// Exact by construction: an answer is the lstat of the very same absolute path (readFiles asks by
// repository path only for folders and files it reached from the root through plain names and no
// link, whose absolute path is the root joined with it, as the worker joins it), taken under the
// lock, after the run's `since` (incremental/stat-record.ts: read before the probe starts) and
// before readFiles reads the file, which is all readFiles asks of its own lstat (a change after it
// moves the stat the next run sees; a change before the read is in the hash). Each answer is taken
// once. A path the probe did not answer (not asked, a folder reached through a link, an lstat that
// failed with anything but ENOENT/ENOTDIR, a worker that failed or was late) is lstat'ed by
// readFiles as before, so errors are reported by the main thread exactly as without the probe.
// test/incremental/stat-probe.test.ts holds the answers equal to lstatSync and readFiles with the
// probe equal to readFiles without it.
import fs from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { cpuToSpare, machineLoad, type MachineLoad } from './machine-load.ts';

/** What readFiles uses of an lstat: its st_mode, size and stat signature (statSignature()). */
export interface Lstat {
  mode: number;
  size: number;
  sig: string;
}

/** An answer for a repository path ('' the root): the lstat of the root joined with it, 'absent'
 *  (ENOENT / ENOTDIR), or undefined (not probed: lstat it). */
export type Probe = (rel: string) => Lstat | 'absent' | undefined;

/** A bigint lstat as readFiles uses it (the probe's worker makes the same fields). */
export const lstatOfStats = (st: fs.BigIntStats): Lstat => ({ mode: Number(st.mode), size: Number(st.size), sig: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}` });

/**
 * The worker: given the root and the paths as one string (one line each: cloning one string is
 * cheaper than 10,000), lstats the root, each folder holding a path (once) and each path; answers
 * the paths it lstat'ed and, line for line, `${mode}:${signature}`, 0 when absent
 * (ENOENT / ENOTDIR) or '' when the lstat failed otherwise. The absolute path of a folder or file
 * is joined as readFiles' folderOf joins it with no link on the way; a path with an empty, '.' or
 * '..' segment is not probed.
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
const { root, rels, flag, port } = workerData;
const absOf = (rel) => (rel === '' ? root : root.endsWith('/') ? root + rel : root + '/' + rel);
const opts = { bigint: true, throwIfNoEntry: false };
const paths = [];
const out = [];
const stat = (rel) => {
  paths.push(rel);
  try {
    const st = lstatSync(absOf(rel), opts);
    out.push(st === undefined ? '0' : st.mode + ':' + st.size + ':' + st.mtimeNs + ':' + st.ctimeNs + ':' + st.ino + ':' + st.dev);
  } catch (err) {
    out.push(err && err.code === 'ENOTDIR' ? '0' : '');
  }
};
stat('');
const dirs = new Set(['']);
for (const rel of rels.split('\\n')) {
  if (rel === '' || rel.startsWith('/') || rel.split('/').some((s) => s === '' || s === '.' || s === '..')) continue;
  for (let slash = rel.indexOf('/'); slash >= 0; slash = rel.indexOf('/', slash + 1)) {
    const dir = rel.slice(0, slash);
    if (!dirs.has(dir)) {
      dirs.add(dir);
      stat(dir);
    }
  }
  stat(rel);
}
port.postMessage({ paths: paths.join('\\n'), out: out.join('\\n') });
port.close();
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

/** How long readFiles waits for a probe still running before it lstats by itself. */
const WAIT_MS = 2000;

/** `rel` of the repository as the worker joins it. */
const absOf = (root: string, rel: string) => (rel === '' ? root : root.endsWith('/') ? root + rel : `${root}/${rel}`);

/** The worker's answer for `abs`, now, on this thread ('' when lstat fails otherwise). */
function answerNow(abs: string): string {
  try {
    const st = fs.lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    return st === undefined ? '0' : `${st.mode}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? '0' : '';
  }
}

/** Below this many paths the probe is not started (a worker costs more than it saves). */
export const PROBE_MIN_PATHS = 1000;

/**
 * GITOPS_SCAFFOLD_STAT_PROBE=on|off forces it (tests); default: on from PROBE_MIN_PATHS paths when
 * the machine has a CPU to spare (machine-load.ts cpuToSpare, as validate's worker decides): the worker's ~25 ms start and its lstats then run beside the main
 * thread; on a busy machine they would only compete with it.
 */
export function probeWanted(paths: number, env = process.env, machine?: MachineLoad): boolean {
  const v = env.GITOPS_SCAFFOLD_STAT_PROBE;
  if (v === 'off' || v === '0') return false;
  if (v === 'on' || v === '1') return true;
  if (paths < PROBE_MIN_PATHS) return false;
  return cpuToSpare(machine ?? machineLoad());
}

export interface StatProbe {
  /** readFiles' `probe` option. */
  probe: Probe;
  /** Stops the worker if it still runs (the run ended early); idempotent. */
  dispose(): void;
  /**
   * True when one of `rels` (repository paths: the files a plan writes or deletes), or its folder,
   * was answered by the probe and lstat now gives another answer: it changed during the run, after
   * the probe's lstat, so the plan must be made again from a fresh read. What the run writes is
   * thus decided on lstats taken after the render and check, as without the probe; a file it does
   * not write and that changed meanwhile keeps the change (its ctime moved: the next run reads it).
   */
  changedSince(rels: Iterable<string>): boolean;
}

/**
 * Starts lstat'ing `rels` (repository paths) and every folder holding one, the root included, on a
 * worker thread; undefined when no worker could be started (then readFiles lstats as before).
 */
export function startStatProbe(realRoot: string, rels: readonly string[]): StatProbe | undefined {
  // (a path holding a line break is not probed: readFiles lstats it)
  if (realRoot.includes('\n')) return undefined;
  const lines = rels.filter((r) => !r.includes('\n')).join('\n');
  let worker: Worker;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { root: realRoot, rels: lines, flag, port: port2 }, transferList: [port2], stdout: true, stderr: true });
  } catch {
    port1.close();
    return undefined;
  }
  worker.unref();
  worker.on('error', () => { /* a failed worker answers nothing: readFiles lstats itself */ });
  // The worker's answers, by repository path; `taken`: given to readFiles already.
  let index: Map<string, number> | undefined;
  let answers: string[] = [];
  let taken = new Uint8Array(0);
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    port1.close();
    void worker.terminate().catch(() => undefined);
  };
  const collect = (): Map<string, number> => {
    if (index) return index;
    index = new Map();
    if (!disposed) {
      const t0 = performance.now();
      if (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, WAIT_MS);
      if (process.env.GITOPS_SCAFFOLD_DEBUG?.split(',').includes('probe')) process.stderr.write(`gitops-scaffold: stat probe: waited ${Math.round(performance.now() - t0)} ms, ${Atomics.load(flag, 0) === 1 ? 'answered' : 'late: not used'}\n`);
      const msg = Atomics.load(flag, 0) === 1 ? receiveMessageOnPort(port1) : undefined;
      const m = msg?.message as { paths?: unknown; out?: unknown } | undefined;
      if (typeof m?.paths === 'string' && typeof m.out === 'string') {
        const paths = m.paths.split('\n');
        const out = m.out.split('\n');
        if (paths.length === out.length) {
          for (let i = 0; i < paths.length; i++) index.set(paths[i], i);
          answers = out;
          taken = new Uint8Array(out.length);
        }
      }
    }
    dispose();
    return index;
  };
  const probe: Probe = (rel) => {
    const i = collect().get(rel);
    if (i === undefined || taken[i] === 1) return undefined; // each answer once: a second look lstats again
    const a = answers[i];
    if (a === '') return undefined;
    taken[i] = 1;
    if (a === '0') return 'absent';
    const colon = a.indexOf(':');
    const sig = a.slice(colon + 1);
    return { mode: Number(a.slice(0, colon)), size: Number(sig.slice(0, sig.indexOf(':'))), sig };
  };
  const changedSince = (rels: Iterable<string>): boolean => {
    for (const rel of rels) {
      const slash = rel.lastIndexOf('/');
      for (const key of [rel, slash < 0 ? '' : rel.slice(0, slash)]) {
        const i = index?.get(key);
        if (i !== undefined && taken[i] === 1 && answers[i] !== answerNow(absOf(realRoot, key))) return true;
      }
    }
    return false;
  };
  return { probe, dispose, changedSince };
}
