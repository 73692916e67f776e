// `gitops-scaffold render`: re-plan the repository from its platform.yaml.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSpecText } from '../../model/serialize.ts';
import { run } from '../../pipeline.ts';
import type { Handler } from '../types.ts';
import { findRepo, supplyChainFlags } from './common.ts';
import { asJson, summarize } from '../../io/output.ts';
import { describeRender } from '../../pr/describe.ts';
import { deliver } from './deliver.ts';

const readSpec = (root: string) => {
  const file = path.join(root, 'platform.yaml');
  const text = readFileSync(file, 'utf8');
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
    work: (at) => {
      const { text, spec } = readSpec(at);
      return run({ root: at, spec, previousModelText: text, previousSpec: spec, dryRun, force: !!flags.force, check: !flags['no-check'], supplyChain });
    },
    result: (r) => r,
    change: () => describeRender(),
    text: (r) => summarize(r, { dryRun, verbose: !!flags.verbose }),
    json: (r) => asJson('render', r, dryRun),
  });
};
