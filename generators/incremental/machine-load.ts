// Whether this machine has a CPU to spare for a second thread of a run (validate's checks worker,
// the add's stat probe): one rule for both, so they agree on what "spare" means.
import os from 'node:os';

export interface MachineLoad {
  cpus: number;
  load: number;
  /** CPUs idle (on average) over the last moments of this run (validate's idleSince), when the system says. */
  idleCpus?: number;
}

/** This moment's CPUs and 1-minute load average. */
export const machineLoad = (): MachineLoad => ({ cpus: os.availableParallelism(), load: os.loadavg()[0] });

/**
 * A CPU to spare: more than one, and at least 3/4 of a CPU idle when that was measured, else a
 * load average below the CPUs minus one half (as `make -l` reasons). On a busy machine a second
 * thread only competes with the main one.
 */
export function cpuToSpare(m: MachineLoad): boolean {
  if (m.cpus < 2) return false;
  return m.idleCpus !== undefined ? m.idleCpus >= 0.75 : m.load < m.cpus - 0.5;
}
