// `GITOPS_SCAFFOLD_DEBUG=time`: where a run's time goes, phase by phase, on stderr at its end
// (wall clock and process CPU time, milliseconds: on a loaded machine the CPU time is the one to
// compare). Off, `timed` is a plain call; it never changes what a run does.
// Used to keep the fleet-scale breakdown of issue 11 measurable (see docs/perf in status files).

import { readFileSync } from 'node:fs';

const enabled = !!process.env.GITOPS_SCAFFOLD_DEBUG?.split(',').includes('time');
const spent = new Map<string, [wall: number, cpu: number]>();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `fn`, adding its wall time to `phase` when timing is on. */
export function timed<T>(phase: string, fn: () => T): T {
  if (!enabled) return fn();
  const t = performance.now();
  const c = cpuMs();
  try {
    return fn();
  } finally {
    const [w, u] = spent.get(phase) ?? [0, 0];
    spent.set(phase, [w + performance.now() - t, u + cpuMs() - c]);
  }
}

/** `timed` for a promise: the wall time until it settles (CPU: the whole process's meanwhile). */
export async function timedAsync<T>(phase: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t = performance.now();
  const c = cpuMs();
  try {
    return await fn();
  } finally {
    const [w, u] = spent.get(phase) ?? [0, 0];
    spent.set(phase, [w + performance.now() - t, u + cpuMs() - c]);
  }
}

/** Prints and clears the phases timed so far (nothing when timing is off). */
export function reportTimes(label: string): void {
  if (!enabled || !spent.size) return;
  const main = mainThreadCpuMs();
  const since = `${Math.round(performance.now())} ms since start, ${Math.round(cpuMs())} ms CPU${main === undefined ? '' : ` (main thread ${main})`}`;
  process.stderr.write(`gitops-scaffold: time (${label}; wall/cpu ms; ${since}): ${[...spent].map(([k, [w, u]]) => `${k} ${Math.round(w)}/${Math.round(u)}`).join(', ')}\n`);
  spent.clear();
}

/**
 * CPU of the main thread alone, where Linux says (/proc/self/task/<pid>/stat: utime + stime in
 * clock ticks, 100 per second): with a worker thread, process CPU is both threads' together.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
