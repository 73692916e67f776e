// `gitops-scaffold init`: answers (built-in example, --answers, --set, prompts) -> the pipeline.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../model/errors.ts';
import { parseSpecText } from '../../model/serialize.ts';
import { applySets, missingInitAnswers, parseAnswersText } from '../../prompts/answers.ts';
import { run } from '../../pipeline.ts';
import { PACKAGE_ROOT } from '../../io/templates.ts';
import type { Handler } from '../types.ts';
import { readText, supplyChainFlags } from './common.ts';
import { asJson, nextSteps, summarize } from '../../io/output.ts';
import { describeInit } from '../../pr/describe.ts';
import { deliver } from './deliver.ts';
import { wantsPullRequest } from '../../pr/delivery.ts';

export const init: Handler = async ({ flags, io }) => {
  const out = path.resolve(flags.out ?? '.');
  let answers: Record<string, any> = {};
  if (flags.example) {
    const file = path.join(PACKAGE_ROOT, 'examples', String(flags.example), 'platform.yaml');
    if (!existsSync(file)) throw new InputError(`unknown example "${flags.example}"`, [{ path: '--example', message: 'no such built-in example', fix: 'use minimal or enterprise' }]);
    answers = parseAnswersText(readText(file, 'example'), file);
  }
  if (flags.answers) answers = { ...answers, ...parseAnswersText(readText(flags.answers, 'answers file'), flags.answers) };
  applySets(answers, flags.set ?? []);
  let missing = missingInitAnswers(answers);
  if (missing.length && io.interactive && !flags.yes) {
    const { askPlatform } = await import('../../prompts/interactive.ts');
    answers = await askPlatform(answers);
    missing = missingInitAnswers(answers);
  }
  if (missing.length) throw new InputError(`missing required answers${io.interactive ? '' : ' (no TTY: gitops-scaffold never prompts here)'}; nothing was written`, missing);
  const supplyChain = supplyChainFlags(flags, out);
  const dryRun = !!flags['dry-run'];
  const wantsPr = wantsPullRequest(flags, answers);
  return deliver({
    command: 'init',
    root: out,
    spec: answers,
    flags,
    io,
    // With --pr, `out` is a folder of the base branch's temporary work tree.
    work: (at) => {
      const existingModelPath = path.join(at, 'platform.yaml');
      const previousModelText = existsSync(existingModelPath) ? readFileSync(existingModelPath, 'utf8') : undefined;
      const previousSpec = previousModelText ? parseSpecText(previousModelText, existingModelPath) : undefined;
      return run({ root: at, spec: answers, previousModelText, previousSpec, dryRun, force: !!flags.force, check: !flags['no-check'], refuseForeign: true, supplyChain });
    },
    result: (r) => r,
    change: () => describeInit(String(answers.name)),
    text: (r) => {
      // A new repository (not a re-run, not a dry run): say what to do with it.
      const fresh = !dryRun && !r.noop && !r.conflicts.length && r.changes.every((c) => c.kind === 'create' || c.kind === 'unchanged' || c.kind === 'kept-seed');
      const summary = summarize(r, { dryRun, verbose: !!flags.verbose, color: io.color });
      return fresh && !wantsPr ? `${summary}\n${nextSteps(r, { repoUrl: answers.repo?.url, revision: answers.repo?.revision, color: io.color })}` : summary;
    },
    json: (r) => asJson('init', r, dryRun),
  });
};
