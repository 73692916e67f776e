// plop generator `platform`: the same questions as `gitops-scaffold init` (prompts/interactive.ts,
// asked one at a time and checked as given), then the same pipeline (one custom action; node-plop's
// add/modify never write YAML here, so nothing is HTML-escaped). A failure is reported with the
// CLI's exit code (2 bad input, 1 conflicts or failed checks) through scripts/plop.mjs.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { answersToSpec } from './prompts/questions.ts';
import { askPlatform, type Prompt } from './prompts/interactive.ts';
import { run } from './pipeline.ts';
import { summarize } from './io/output.ts';

/** Where plop's runner (scripts/plop.mjs) finds the exit code of a failed action. */
export const PLOP_EXIT_CODE = Symbol.for('gitops-scaffold.plop.exitCode');

/** Runs an action; a failure records its exit code (InputError 2, others 1) and is rethrown for plop to report. */
export async function reportingExitCode<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    (globalThis as Record<symbol, unknown>)[PLOP_EXIT_CODE] = (err as { exitCode?: number }).exitCode ?? 1;
    throw err;
  }
}

const outFolder = (v: unknown) => {
  const dir = path.resolve(String(v || '.'));
  if (!existsSync(dir)) return true;
  const entries = readdirSync(dir).filter((e) => e !== '.git');
  return !entries.length || entries.includes('platform.yaml') || `${dir} holds files gitops-scaffold did not write: choose an empty folder`;
};

export const platformGenerator = {
  description: 'Bootstrap a GitOps platform repository (writes platform.yaml and everything it implies)',
  // A function: the questions of `gitops-scaffold init`, one at a time, then the output folder.
  prompts: async (inquirer: { prompt: Prompt }) => {
    const spec = await askPlatform({}, inquirer.prompt);
    const { out } = await inquirer.prompt([{ type: 'input', name: 'out', message: 'Output folder', default: '.', validate: outFolder }]);
    return { spec, out };
  },
  // A function, not an array: node-plop mutates static action arrays after the first run.
  actions: (answers: Record<string, any> = {}) => [
    async (a: Record<string, any>, _cfg: unknown, plop: any) =>
      reportingExitCode(() => {
        const root = path.resolve(plop?.getDestBasePath?.() ?? process.cwd(), a.out ?? answers.out ?? '.');
        // Answers from the prompts carry the spec; injected flat answers (tests, bypass) are converted.
        const result = run({ root, spec: a.spec ?? answersToSpec(a), refuseForeign: true });
        if (result.conflicts.length) throw Object.assign(new Error(summarize(result)), { exitCode: 1 });
        return summarize(result);
      }),
  ],
};
