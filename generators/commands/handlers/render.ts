// `gitops-scaffold render`: re-plan the repository from its platform.yaml.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSpecText } from '../../model/serialize.ts';
import { run } from '../../pipeline.ts';
import type { Handler } from '../types.ts';
import { findRepo, report, supplyChainFlags } from './common.ts';

export const render: Handler = async ({ flags, io }) => {
  const root = findRepo(flags.repo);
  const file = path.join(root, 'platform.yaml');
  const text = readFileSync(file, 'utf8');
  const spec = parseSpecText(text, file);
  const result = run({ root, spec, previousModelText: text, previousSpec: spec, dryRun: !!flags['dry-run'], force: !!flags.force, check: !flags['no-check'], supplyChain: supplyChainFlags(flags, root) });
  return report('render', result, flags, io);
};
