// `gitops-scaffold render`: re-plan the repository from its platform.yaml (read by the pipeline
// under the repository lock; the merge base is the model the manifest records).

import path from 'node:path';
import { InputError } from '../../model/errors.ts';
import { parseSpecText } from '../../model/serialize.ts';
import { INPUT_LIMITS, readInputFile } from '../../io/input.ts';
import { run } from '../../pipeline.ts';
import type { Handler } from '../types.ts';
import { findRepo, supplyChainFlags } from './common.ts';
import { asJson, summarize } from '../../io/output.ts';
import { describeRender } from '../../pr/describe.ts';
import { deliver } from './deliver.ts';
import { progressFor } from '../../io/progress.ts';

const readSpec = (root: string) => {
  const file = path.join(root, 'platform.yaml');
  const text = readInputFile(file, 'platform model', 'platform.yaml', INPUT_LIMITS.model);
  return { text, spec: parseSpecText(text, file) };
};

export const render: Handler = async ({ flags, io }) => {
  const root = findRepo(flags.repo);
  const supplyChain = supplyChainFlags(flags, root);
  const dryRun = !!flags['dry-run'];
  return deliver({
    command: 'render',
    root,
    spec: readSpec(root).spec,
    flags,
    io,
    // With --pr, the platform.yaml of the base branch is rendered (in its temporary work tree).
    work: (at) =>
      run({
        root: at,
        command: 'render',
        model: ({ text }) => {
          if (text === undefined) throw new InputError(`${at} has no platform.yaml; nothing was written`, [{ path: '--repo', message: 'platform.yaml disappeared', fix: 'restore it (git checkout -- platform.yaml)' }]);
          return { spec: parseSpecText(text, path.join(at, 'platform.yaml')), modelText: text };
        },
        dryRun,
        force: !!flags.force,
        check: !flags['no-check'],
        supplyChain,
        // Nothing changed since a render that changed nothing: its result, without planning.
        noopFastPath: true,
        progress: progressFor(io, !!flags.json),
      }),
    result: (r) => r,
    change: () => describeRender(),
    text: (r) => summarize(r, { dryRun, verbose: !!flags.verbose, color: io.color }),
    json: (r) => asJson('render', r, dryRun),
  });
};
