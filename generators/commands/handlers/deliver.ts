// How every writing command delivers its change: into the checkout (the default), or with --pr
// (or platform.yaml `repo.changes: pr`) as a pull request made in a temporary work tree of the
// base branch (generators/pr/run.ts). The command gives one function that does its work in a given
// repository folder, and says how to name, print and serialize the outcome; this module does the
// rest, so init, render, add, remove, promote and upgrade deliver in exactly one way.

import { InputError } from '../../model/errors.ts';
import { normalize } from '../../model/normalize.ts';
import { specProblems } from '../../model/validate-spec.ts';
import { locateProblems } from '../../model/locate.ts';
import type { PlatformSpec } from '../../model/types.ts';
import type { RunResult } from '../../pipeline.ts';
import { promotionBranch } from '../../plan/supply-chain/settings.ts';
import { wantsPullRequest } from '../../pr/delivery.ts';
import { commitMessage, commitTitle, type ChangeDescription } from '../../pr/plan.ts';
import type { Io } from '../types.ts';

export interface Delivery<T> {
  /** `add service`, `promote`: for JSON and the pull request description. */
  command: string;
  /** The repository folder the user named. */
  root: string;
  /** The model that decides the pull request's base branch and host (the checkout's, or init's answers). */
  spec: unknown;
  flags: Record<string, any>;
  io: Io;
  /** Deliver as a pull request whatever the flags say (a protected promotion). */
  forcePr?: boolean;
  /** The command's work, in the folder given (the checkout, or the temporary work tree). */
  work: (root: string) => T | Promise<T>;
  result: (outcome: T) => RunResult;
  /** How the change is named; undefined when the outcome changes nothing. */
  change: (outcome: T) => ChangeDescription | undefined;
  /** What a person reads. */
  text: (outcome: T) => string;
  /** One JSON document for automation (the `pr` key is added for a pull request). */
  json: (outcome: T) => Record<string, unknown>;
}

/** The pull request's base and host: the branch promotions merge into, and repo.url. */
export function pullRequestTarget(spec: unknown): { base: string; repoUrl: string } {
  const problems = locateProblems(specProblems(spec), spec);
  if (problems.length) throw new InputError(`platform.yaml is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was written`, problems);
  const p = normalize(spec as PlatformSpec);
  return { base: promotionBranch(p), repoUrl: p.repo.url };
}

/** The commit a person (or a pipeline) would make of a change written into the checkout. */
const changeJson = (c: ChangeDescription | undefined) => (c ? { title: commitTitle(c), message: commitMessage(c) } : null);

export async function deliver<T>(d: Delivery<T>): Promise<number> {
  const dryRun = !!d.flags['dry-run'];
  if (!d.forcePr && !wantsPullRequest(d.flags, d.spec as PlatformSpec)) {
    const outcome = await d.work(d.root);
    d.io.stdout(d.flags.json ? JSON.stringify({ ...d.json(outcome), change: changeJson(d.result(outcome).noop ? undefined : d.change(outcome)) }, null, 2) : d.text(outcome));
    return d.result(outcome).conflicts.length ? 1 : 0;
  }
  const { base, repoUrl } = pullRequestTarget(d.spec);
  // Git and the forge CLIs (through execa) load only when a pull request is made.
  const { proposeChange, describeProposal, proposalJson } = await import('../../pr/run.ts');
  const proposed = await proposeChange({ root: d.root, base, repoUrl, dryRun, commandLine: `gitops-scaffold ${d.command}`, env: process.env }, async (workRoot) => {
    const outcome = await d.work(workRoot);
    const result = d.result(outcome);
    // Printed before the temporary work tree goes (a dry run's diff reads it); its path means
    // nothing to the reader, so it is named for what it is.
    const where = `a temporary work tree of ${base}`;
    const text = d.text(outcome).split(workRoot).join(where);
    const json = { ...d.json(outcome), root: where, change: changeJson(result.noop ? undefined : d.change(outcome)) };
    return { result: { text, json }, change: result.noop ? undefined : d.change(outcome), conflicts: result.conflicts.map((c) => c.path) };
  });
  if (d.flags.json) d.io.stdout(JSON.stringify({ ...proposed.result.json, pr: proposalJson(proposed) }, null, 2));
  else d.io.stdout([proposed.result.text, ...describeProposal(proposed, dryRun)].filter(Boolean).join('\n'));
  return proposed.conflicts.length || proposed.error ? 1 : 0;
}
