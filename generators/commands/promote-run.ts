// `gitops-scaffold promote SERVICE [--to ENV] [--from ENV] [--allow-skip] [--tag T [--digest D]]
// [--revision REF]`: the promotion engine (model/promote.ts) applied to platform.yaml, then the
// usual re-plan and write (pipeline.run under the repository lock; the merge base is the model
// the manifest records). `promoteRepo` is the
// library function; the CI pipeline's promote step runs this same command.
//
// Delivery: into the checkout, or as a pull request (--pr, or platform.yaml `repo.changes: pr`).
// A protected environment is only ever changed through a pull request: the promotion implies
// --pr, and --no-pr is refused (except for a --dry-run, which writes nothing).

import path from 'node:path';
import { InputError } from '../model/errors.ts';
import { parseModelForEdit } from '../io/model-input.ts';
import type { PlatformSpec } from '../model/types.ts';
import { patchModelText } from '../model/edits.ts';
import { planPromotion, describePromotion, type ImageVersion, type PromoteRequest, type Promotion } from '../model/promote.ts';
import { run, type RunResult } from '../pipeline.ts';
import { asJson, summarize } from '../io/output.ts';
import * as git from '../io/git.ts';
import { readModel, describeDiff } from './edit.ts';
import { describePromotionChange } from '../pr/describe.ts';
import { wantsPullRequest } from '../pr/delivery.ts';
import { deliver } from './handlers/deliver.ts';
import type { Io } from './types.ts';

export interface PromoteRepoRequest extends Omit<PromoteRequest, 'revision'> {
  root: string;
  /** Rollback: platform.yaml text at a Git revision, already read (`revisionSpec` reads it). */
  revision?: { ref: string; spec: unknown };
  dryRun?: boolean;
  force?: boolean;
  check?: boolean;
}

export interface PromoteOutcome {
  result: RunResult;
  promotion: Promotion;
  status: 'promoted' | 'unchanged';
  notes: string[];
}

/**
 * The library entry: promote in the model, re-plan, write only what changed. The promotion is
 * applied to platform.yaml as the pipeline reads it under the repository lock (as editRepo does).
 */
export function promoteRepo(req: PromoteRepoRequest): PromoteOutcome {
  let planned: ReturnType<typeof planPromotion> | undefined;
  const result = run({
    root: req.root,
    command: `promote ${req.service}`,
    model: ({ text, written }) => {
      if (text === undefined) readModel(req.root); // throws the usual "no platform.yaml" error
      planned = planPromotion(parseModelForEdit(text!, path.join(req.root, 'platform.yaml')), req);
      return { spec: planned.spec, modelText: patchModelText(text!, planned.spec, { written }) };
    },
    dryRun: req.dryRun,
    force: req.force,
    check: req.check,
  });
  return { result, promotion: planned!.promotion, status: planned!.status, notes: planned!.notes };
}

/** platform.yaml as it was at a Git revision of the repository holding `root`. */
export async function revisionSpec(root: string, ref: string): Promise<{ ref: string; spec: unknown }> {
  const top = await git.workTreeTop(root);
  if (!top) throw new InputError(`--revision needs a Git repository: ${root} is not inside one; nothing was written`, [{ path: '--revision', message: 'not inside a Git work tree', fix: 'run it in a clone of the platform repository' }]);
  const commit = await git.resolveCommit(top, ref);
  if (!commit) throw new InputError(`--revision ${ref} names no commit; nothing was written`, [{ path: '--revision', message: `git rev-parse ${ref} finds nothing`, fix: 'use a commit, tag or branch (git log --oneline -- platform.yaml lists the changes)' }]);
  const rel = path.relative(top, path.join(root, 'platform.yaml')).split(path.sep).join('/');
  const text = await git.fileAt(top, commit, rel);
  if (text === undefined) throw new InputError(`--revision ${ref}: there was no ${rel} at ${commit.slice(0, 7)}; nothing was written`, [{ path: '--revision', message: 'platform.yaml did not exist at that revision', fix: 'name a later revision (git log --oneline -- platform.yaml)' }]);
  return { ref, spec: parseModelForEdit(text, `platform.yaml at ${ref}`) };
}

const str = (v: unknown) => (v === undefined ? undefined : String(v));

/** Flags -> request: --to, --from, --allow-skip, --tag/--digest (a build), --revision. */
function requestFrom(service: string, flags: Record<string, any>): Omit<PromoteRequest, 'revision'> & { revisionRef?: string } {
  if (flags.digest !== undefined && flags.tag === undefined) throw new InputError('promote: --digest without --tag; nothing was written', [{ path: '--digest', message: 'a digest belongs to the tag it was built as', fix: 'add --tag TAG' }]);
  const build: ImageVersion | undefined = flags.tag !== undefined ? { tag: String(flags.tag), ...(flags.digest !== undefined ? { digest: String(flags.digest) } : {}) } : undefined;
  return { service, to: str(flags.to), from: str(flags.from), allowSkip: !!flags['allow-skip'], build, revisionRef: str(flags.revision) };
}

function headline(o: PromoteOutcome, dryRun: boolean, viaPr: boolean): string[] {
  if (o.status === 'unchanged') return [`Unchanged: ${o.notes[0]}.`, ...o.notes.slice(1).map((n) => `  (${n})`)];
  const why = o.promotion.protected ? ` (${o.promotion.to} is protected: through a pull request)` : '';
  return [`${viaPr ? (dryRun ? 'Would propose' : 'Proposed') : dryRun ? 'Would promote' : 'Promoted'} ${describePromotion(o.promotion)}${viaPr ? why : ''}.`, ...o.notes.map((n) => `  (${n})`)];
}

/** The CLI side: SERVICE and flags -> promoteRepo, delivered into the checkout or as a pull request. */
export async function promoteCommand(service: string, flags: Record<string, any>, io: Io, root: string): Promise<number> {
  const { revisionRef, ...request } = requestFrom(service, flags);
  const revision = revisionRef ? await revisionSpec(root, revisionRef) : undefined;
  const { spec } = readModel(root);
  const dryRun = !!flags['dry-run'];
  // Decided on the checkout's model: which environment changes, and whether it is protected.
  const local = planPromotion(spec, { ...request, revision });
  const protectedTarget = local.status === 'promoted' && local.promotion.protected;
  const viaPr = protectedTarget ? !flags['no-pr'] : wantsPullRequest(flags, spec);
  if (protectedTarget && flags['no-pr'] && !dryRun)
    throw new InputError(`${local.promotion.to} is a protected environment: it changes only through a pull request; nothing was written`, [
      { path: '--no-pr', message: `environments[${local.promotion.to}].protected is true`, fix: 'drop --no-pr: the promotion is pushed to a new branch and a pull request is opened for review' },
    ]);
  return deliver<PromoteOutcome>({
    command: ['promote', service, ...(flags.to ? ['--to', flags.to] : []), ...(revisionRef ? ['--revision', revisionRef] : []), ...(flags.tag ? ['--tag', flags.tag] : [])].join(' '),
    root,
    spec,
    flags: viaPr ? { ...flags, pr: true, 'no-pr': false } : { ...flags, pr: false, 'no-pr': true },
    io,
    work: (workRoot) => promoteRepo({ ...request, revision, root: workRoot, dryRun, force: !!flags.force, check: !flags['no-check'] }),
    result: (o) => o.result,
    change: (o) => (o.status === 'promoted' ? describePromotionChange(o.promotion, o.notes) : undefined),
    text: (o) => {
      const parts = headline(o, dryRun, viaPr);
      if (o.status === 'promoted') parts.push(summarize(o.result, { dryRun, verbose: !!flags.verbose }));
      if (dryRun) parts.push(describeDiff(o));
      return parts.filter(Boolean).join('\n');
    },
    json: (o) => ({ ...asJson('promote', o.result, dryRun), promotion: o.promotion, status: o.status, notes: o.notes }),
  });
}
