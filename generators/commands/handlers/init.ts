// `gitops-scaffold init`: answers (built-in example, --answers, --set, prompts) -> the pipeline.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../model/errors.ts';
import { parseSpecText } from '../../model/serialize.ts';
import { applySets, missingInitAnswers, parseAnswersText } from '../../prompts/answers.ts';
import { run } from '../../pipeline.ts';
import { PACKAGE_ROOT } from '../../io/templates.ts';
import type { Handler } from '../types.ts';
import { readText, report, supplyChainFlags } from './common.ts';

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
  const existingModelPath = path.join(out, 'platform.yaml');
  const previousModelText = existsSync(existingModelPath) ? readFileSync(existingModelPath, 'utf8') : undefined;
  let missing = missingInitAnswers(answers);
  if (missing.length && io.interactive && !flags.yes) {
    const { askPlatform } = await import('../../prompts/interactive.ts');
    answers = await askPlatform(answers);
    missing = missingInitAnswers(answers);
  }
  if (missing.length) throw new InputError(`missing required answers${io.interactive ? '' : ' (no TTY: gitops-scaffold never prompts here)'}; nothing was written`, missing);
  const previousSpec = previousModelText ? parseSpecText(previousModelText, existingModelPath) : undefined;
  const result = run({ root: out, spec: answers, previousModelText, previousSpec, dryRun: !!flags['dry-run'], force: !!flags.force, check: !flags['no-check'], refuseForeign: true, supplyChain: supplyChainFlags(flags, out) });
  return report('init', result, flags, io);
};
