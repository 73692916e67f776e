// plop generator `platform`: the same questions as `gitops-scaffold init`, then the same pipeline
// (one custom action; node-plop's add/modify never write YAML here, so nothing is HTML-escaped).

import path from 'node:path';
import { platformQuestions, answersToSpec } from './prompts/questions.ts';
import { run } from './pipeline.ts';
import { summarize } from './io/output.ts';

export const platformGenerator = {
  description: 'Bootstrap a GitOps platform repository (writes platform.yaml and everything it implies)',
  prompts: [...platformQuestions, { type: 'input', name: 'out', message: 'Output folder', default: '.' }] as any[],
  // A function, not an array: node-plop mutates static action arrays after the first run.
  actions: (answers: Record<string, any> = {}) => [
    async (a: Record<string, any>, _cfg: unknown, plop: any) => {
      const root = path.resolve(plop?.getDestBasePath?.() ?? process.cwd(), a.out ?? answers.out ?? '.');
      const result = run({ root, spec: answersToSpec(a), refuseForeign: true });
      if (result.conflicts.length) throw new Error(summarize(result));
      return summarize(result);
    },
  ],
};
