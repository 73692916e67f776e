// plop generators for day-2 edits: `service`, `tenant`, `cluster`, `environment` (add, or with
// "update" answered yes, update) and `remove-service` ... `remove-environment`. They ask the
// questions of `gitops-scaffold add` (prompts/edit-questions.ts) and run one custom action calling
// the same library function as the CLI (commands/edit.ts editRepo), so both write the same bytes.

import path from 'node:path';
import { QUESTIONS, entityFromAnswers } from './prompts/edit-questions.ts';
import { editRepo } from './commands/edit.ts';
import { summarize } from './io/output.ts';
import { ENTITY_KINDS, type EntityKind } from './model/edits.ts';

const repoQuestion = { type: 'input', name: 'repo', message: 'Repository folder (holding platform.yaml)', default: '.' };
const rootOf = (a: Record<string, any>, plop: any) => path.resolve(plop?.getDestBasePath?.() ?? process.cwd(), a.repo ?? '.');

function addGenerator(kind: EntityKind) {
  return {
    description: `Add a ${kind} to platform.yaml and write what it implies (same as gitops-scaffold add ${kind})`,
    prompts: [repoQuestion, ...QUESTIONS[kind](), { type: 'confirm', name: 'update', message: `If the ${kind} exists, update it with these answers?`, default: false }] as any[],
    // A function, not an array: node-plop mutates static action arrays after the first run.
    actions: () => [
      async (a: Record<string, any>, _cfg: unknown, plop: any) => {
        const { entity, options } = entityFromAnswers(kind, a);
        const outcome = editRepo({ op: 'add', kind, root: rootOf(a, plop), entity, options: { ...options, update: a.update === true } });
        if (outcome.result.conflicts.length) throw new Error(summarize(outcome.result));
        return summarize(outcome.result);
      },
    ],
  };
}

function removeGenerator(kind: EntityKind) {
  return {
    description: `Remove a ${kind} from platform.yaml and prune its files (same as gitops-scaffold remove ${kind})`,
    prompts: [repoQuestion, { type: 'input', name: 'name', message: `Name of the ${kind} to remove` }] as any[],
    actions: () => [
      async (a: Record<string, any>, _cfg: unknown, plop: any) => {
        const outcome = editRepo({ op: 'remove', kind, root: rootOf(a, plop), entity: { name: String(a.name ?? '') } });
        if (outcome.result.conflicts.length) throw new Error(summarize(outcome.result));
        return summarize(outcome.result);
      },
    ],
  };
}

/** Generator name -> generator, in the order plop lists them. */
export const editGenerators: Record<string, ReturnType<typeof addGenerator> | ReturnType<typeof removeGenerator>> = Object.fromEntries([
  ...ENTITY_KINDS.map((kind) => [kind, addGenerator(kind)]),
  ...ENTITY_KINDS.map((kind) => [`remove-${kind}`, removeGenerator(kind)]),
]);
