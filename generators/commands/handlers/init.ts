// `gitops-scaffold init`: answers (built-in example, --answers, --set, prompts) -> the pipeline.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { InputError, type Problem } from '../../model/errors.ts';
import { locateProblems } from '../../model/locate.ts';
import { applySets, missingInitAnswers, parseAnswersText } from '../../prompts/answers.ts';
import { run } from '../../pipeline.ts';
import { PACKAGE_ROOT } from '../../io/templates.ts';
import type { Handler, Io } from '../types.ts';
import { readText, supplyChainFlags } from './common.ts';
import { asJson, nextSteps, summarize } from '../../io/output.ts';
import { describeInit } from '../../pr/describe.ts';
import { deliver } from './deliver.ts';
import { progressFor } from '../../io/progress.ts';
import { wantsPullRequest } from '../../pr/delivery.ts';

export const init: Handler = async ({ flags, io }) => {
  const out = path.resolve(flags.out ?? '.');
  let answers: Record<string, any> = {};
  if (flags.example) {
    const file = path.join(PACKAGE_ROOT, 'examples', String(flags.example), 'platform.yaml');
    if (!existsSync(file)) throw new InputError(`unknown example "${flags.example}"`, [{ path: '--example', message: 'no such built-in example', fix: 'use minimal or enterprise' }]);
    answers = parseAnswersText(readText(file, 'example', '--example'), file);
  }
  // Problems in the answers file are reported at its lines.
  const answersSource = flags.answers ? { file: String(flags.answers), text: readText(flags.answers, 'answers file', '--answers') } : undefined;
  if (answersSource) answers = { ...answers, ...parseAnswersText(answersSource.text, answersSource.file) };
  applySets(answers, flags.set ?? []);
  let missing = missingInitAnswers(answers);
  const asked = missing.length > 0 && io.interactive && !flags.yes;
  if (asked) {
    const { askPlatform } = await import('../../prompts/interactive.ts');
    answers = await askPlatform(answers);
    missing = missingInitAnswers(answers);
  }
  // Answers typed at a keyboard are never lost: when the run fails (or only shows the plan), they
  // are kept in a file that `--answers` takes back.
  const initLocated = async () => {
    try {
      return await initWith(answers, missing, out, flags, io);
    } catch (err) {
      if (err instanceof InputError && answersSource) throw Object.assign(new InputError(err.headline, locateProblems(err.problems, answers, answersSource)), { hint: (err as { hint?: string }).hint });
      throw err;
    }
  };
  if (asked) {
    try {
      const code = await initLocated();
      if (code !== 0 || flags['dry-run']) io.stderr(keepAnswers(answers, out).note);
      return code;
    } catch (err) {
      if (err && typeof err === 'object') (err as { hint?: string }).hint = keepAnswers(answers, out).note;
      throw err;
    }
  }
  return initLocated();
};

/** Writes the answers to a private temporary file; returns it and the line that says how to reuse it. */
export function keepAnswers(answers: Record<string, any>, out: string): { file: string; note: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-scaffold-answers-'));
  const file = path.join(dir, 'answers.yaml');
  writeFileSync(file, `# Answers to gitops-scaffold init, ${new Date().toISOString()}\n${YAML.stringify(answers, { version: '1.1', lineWidth: 0 })}`, { mode: 0o600 });
  return { file, note: `Your answers are kept in ${file}: fix what is reported and re-run without the questions:\n  gitops-scaffold init --answers ${file} --out ${out}` };
}

async function initWith(answers: Record<string, any>, missing: Problem[], out: string, flags: Record<string, any>, io: Io): Promise<number> {
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
    // platform.yaml already there (read under the lock) keeps its comments; one the tool did not
    // write is a foreign file like any other (refused without --force, backed up with it).
    work: (at) => run({ root: at, command: 'init', model: ({ text }) => ({ spec: answers, modelText: text }), dryRun, force: !!flags.force, check: !flags['no-check'], refuseForeign: true, supplyChain, progress: progressFor(io, !!flags.json) }),
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
}
