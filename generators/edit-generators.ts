// plop generators for day-2 edits: `service`, `tenant`, `cluster`, `environment` (add, or update
// when the entity exists and "update" is answered yes) and `remove-service` ... `remove-environment`.
// They ask the questions of `gitops-scaffold add` with the repository's context (prompts/
// edit-questions.ts: declared tenants, environments and clusters as lists, each answer checked as
// given) and run one custom action calling the same library function as the CLI
// (commands/edit.ts editRepo), so both write the same bytes and fail with the same exit codes.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { QUESTIONS, assertCanAsk, contextOf, entityFromAnswers } from './prompts/edit-questions.ts';
import { editRepo, readModel } from './commands/edit.ts';
import { summarize } from './io/output.ts';
import { ENTITY_KINDS, LIST_KEY, type EntityKind } from './model/edits.ts';
import type { Prompt } from './prompts/interactive.ts';
import { reportingExitCode } from './platform.ts';

/** Prompted folders are absolute already; injected answers (tests) are relative to plop's destination. */
const rootOf = (a: Record<string, any>, plop: any) => path.resolve(plop?.getDestBasePath?.() ?? process.cwd(), a.repo ?? '.');
const repoQuestion = { type: 'input', name: 'repo', message: 'Repository folder (holding platform.yaml)', default: '.', validate: (v: unknown) => existsSync(path.join(path.resolve(String(v || '.')), 'platform.yaml')) || `no platform.yaml in ${path.resolve(String(v || '.'))}` };

function addGenerator(kind: EntityKind) {
  return {
    description: `Add a ${kind} to platform.yaml and write what it implies (same as gitops-scaffold add ${kind})`,
    prompts: async (inquirer: { prompt: (q: any[], a?: Record<string, any>) => Promise<Record<string, any>> }) => {
      const repo = path.resolve((await inquirer.prompt([repoQuestion])).repo);
      const { spec } = readModel(repo);
      const ctx = { ...contextOf(spec), allowExisting: true };
      // As `gitops-scaffold add service`: no tenant declared means no service can be added (exit 2).
      await reportingExitCode(() => assertCanAsk(kind, ctx));
      const answers = await inquirer.prompt(QUESTIONS[kind](ctx), { repo });
      const exists = ((spec as any)[LIST_KEY[kind]] ?? []).some((x: { name: string }) => x.name === answers.name);
      const { update } = exists ? await inquirer.prompt([{ type: 'confirm', name: 'update', message: `${kind} ${answers.name} exists: update it with these answers?`, default: false }]) : { update: false };
      return { ...answers, update };
    },
    // A function, not an array: node-plop mutates static action arrays after the first run.
    actions: () => [
      async (a: Record<string, any>, _cfg: unknown, plop: any) =>
        reportingExitCode(() => {
          const { entity, options } = entityFromAnswers(kind, a);
          const outcome = editRepo({ op: 'add', kind, root: rootOf(a, plop), entity, options: { ...options, update: a.update === true } });
          if (outcome.result.conflicts.length) throw Object.assign(new Error(summarize(outcome.result)), { exitCode: 1 });
          return summarize(outcome.result);
        }),
    ],
  };
}

function removeGenerator(kind: EntityKind) {
  return {
    description: `Remove a ${kind} from platform.yaml and prune its files (same as gitops-scaffold remove ${kind})`,
    prompts: async (inquirer: { prompt: Prompt }) => {
      const repo = path.resolve((await inquirer.prompt([repoQuestion])).repo);
      const { spec } = readModel(repo);
      const names = ((spec as any)[LIST_KEY[kind]] ?? []).map((x: { name: string }) => x.name);
      const { name } = await inquirer.prompt([names.length ? { type: 'list', name: 'name', message: `Which ${kind}?`, choices: names } : { type: 'input', name: 'name', message: `Name of the ${kind} to remove` }]);
      // As `gitops-scaffold remove` at a keyboard: say what goes, then ask.
      const plan = editRepo({ op: 'remove', kind, root: repo, entity: { name }, dryRun: true });
      const deleted = plan.result.changes.filter((c) => c.kind === 'delete').length;
      const { confirmed } = await inquirer.prompt([{ type: 'confirm', name: 'confirmed', message: `Delete ${deleted} file(s) and remove ${kind} ${name} from platform.yaml?`, default: false }]);
      return { repo, name, confirmed };
    },
    actions: () => [
      async (a: Record<string, any>, _cfg: unknown, plop: any) =>
        reportingExitCode(() => {
          if (a.confirmed === false) return `Cancelled: ${kind} ${a.name} was not removed; nothing was written.`;
          const outcome = editRepo({ op: 'remove', kind, root: rootOf(a, plop), entity: { name: String(a.name ?? '') } });
          if (outcome.result.conflicts.length) throw Object.assign(new Error(summarize(outcome.result)), { exitCode: 1 });
          return summarize(outcome.result);
        }),
    ],
  };
}

/** Generator name -> generator, in the order plop lists them. */
export const editGenerators: Record<string, ReturnType<typeof addGenerator> | ReturnType<typeof removeGenerator>> = Object.fromEntries([
  ...ENTITY_KINDS.map((kind) => [kind, addGenerator(kind)]),
  ...ENTITY_KINDS.map((kind) => [`remove-${kind}`, removeGenerator(kind)]),
]);
