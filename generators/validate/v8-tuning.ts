// V8 tuned for one whole-repository check that runs about a second and exits: `validate` from
// the command line (its handler allows it, for the rest of the process; validateCommand called
// directly, as the pre-write check and most tests do, keeps V8's defaults).
//
// V8 optimizes a function with TurboFan once it has run "interrupt budget" bytes of bytecode
// (67,584 by default), on background threads. On the 500-service fleet a cold validate has ~340
// functions optimized for ~550 ms of background CPU beside the ~1 s the main thread works, most
// of it in the simulation (one ApplicationSet expansion, one sync, one reference check: functions
// that run a few more milliseconds each). On a 2-CPU machine that competes with the main thread
// and the garbage collector's threads. So validate runs with a budget 12x larger, from its start:
// the hot loops (the YAML reader, the schema validators, the simulation's sync) are still
// optimized, the rest are not; total CPU drops by ~30% (measured side by side with the default:
// raised only for the simulation it saved half as much, 400k and 1.6M saved less than 800k).
// The flag is read when a function's budget is next set, so changing it at run time takes
// effect for what runs after. Code caches are tagged with the flags in effect when they are
// written and rejected under other flags: the bundle's cache (bin/bundle.mjs, written at exit,
// read at the next start-up, untuned) would be rejected at every validate and written again (a
// compile at start, ~75 ms of createCachedData and a 1 MB write at exit, each run). So the budget
// goes back to V8's own before exit ('beforeExit'), and the validators' caches (code-cache.ts,
// read while tuned) are written under the budget they were read with (interruptBudgetNow).
// Results cannot change: it only decides which functions get optimized code.
// GITOPS_SCAFFOLD_V8_TUNING=off leaves V8 as it is (=NUMBER: that budget, to measure).
import v8 from 'node:v8';

export const INTERRUPT_BUDGET = 800_000;

/** V8's own budget (66 KB of bytecode in the V8 of Node 20 and 22): what a process starts with. */
export const V8_INTERRUPT_BUDGET = 67_584;

let allowed = false;
let raised = false;
/** The budget this module set and that is in effect; undefined: V8's own. */
let budgetNow: number | undefined;

/** The budget in effect, as this module set it (undefined: V8's own). */
export const interruptBudgetNow = () => budgetNow;

/** Sets the budget (undefined: back to V8's own); false when V8 refused the flag. */
export function setInterruptBudget(budget: number | undefined): boolean {
  try {
    v8.setFlagsFromString(`--interrupt-budget=${budget ?? V8_INTERRUPT_BUDGET}`);
    budgetNow = budget;
    return true;
  } catch {
    return false; // an embedder that refuses flags: V8's defaults, same results
  }
}

/** The command line's validate: the process runs one check and exits. */
export function allowV8Tuning(env: NodeJS.ProcessEnv = process.env): void {
  const asked = env.GITOPS_SCAFFOLD_V8_TUNING;
  allowed = asked !== 'off' && asked !== '0';
}

/** Before the simulation: the larger budget, once, when allowed; returns whether it is on. */
export function raiseInterruptBudget(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!allowed) return false;
  if (!raised) {
    raised = true;
    const asked = env.GITOPS_SCAFFOLD_V8_TUNING;
    const budget = asked && /^[1-9]\d{4,8}$/.test(asked) ? Number(asked) : INTERRUPT_BUDGET;
    // Back to V8's own before the exit hooks write code caches (see above).
    if (setInterruptBudget(budget)) process.once('beforeExit', () => setInterruptBudget(undefined));
  }
  return true;
}
