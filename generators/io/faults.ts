// A test seam in the writer: every step that changes the disk (each staged write, the journal
// commit, each rename, unlink and rmdir) calls faultPoint() first. Production runs install no
// hook, so it costs one comparison. Tests install one in-process (setFaultHook: fail with an
// errno error at step k, or snapshot the tree as a kill at step k would leave it), and a child
// process can be killed for real at step k with GITOPS_SCAFFOLD_TEST_KILL_AT=k, or see the disk
// fail there with GITOPS_SCAFFOLD_TEST_FAIL_AT=k:ENOSPC (any errno code).

export interface FaultPoint {
  /** 1-based count of fault points in this process. */
  index: number;
  step: 'stage' | 'commit' | 'rename' | 'unlink' | 'rmdir';
  /** Repository-relative path the step acts on (the target, not the temp file). */
  path: string;
}

export type FaultHook = (point: FaultPoint) => void;

let hook: FaultHook | undefined;
let count = 0;

/** Installs (or, with undefined, removes) the hook; resets the count. Tests only. */
export function setFaultHook(next: FaultHook | undefined): void {
  hook = next;
  count = 0;
}

/** An error as node:fs throws it for `code` at `path`. */
export function errnoError(code: string, path: string, syscall = 'write'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

const killAt = Number(process.env.GITOPS_SCAFFOLD_TEST_KILL_AT);
const [failIndex, failCode] = (process.env.GITOPS_SCAFFOLD_TEST_FAIL_AT ?? '').split(':');
if (Number.isInteger(killAt) && killAt > 0)
  setFaultHook((p) => {
    if (p.index === killAt) process.kill(process.pid, 'SIGKILL');
  });
else if (Number(failIndex) > 0 && /^E[A-Z]+$/.test(failCode ?? ''))
  setFaultHook((p) => {
    if (p.index === Number(failIndex)) throw errnoError(failCode, p.path);
  });

export function faultPoint(step: FaultPoint['step'], path: string): void {
  if (hook) hook({ index: ++count, step, path });
}
