import { runDiff } from '../../diff/run.ts';
import type { Handler } from '../types.ts';

export const diff: Handler = async ({ args, flags, io }) => {
  const result = await runDiff({
    dir: args[0] ?? '.',
    base: flags.base,
    head: flags.head,
    output: flags.json ? 'json' : flags.output,
    repoUrl: flags['repo-url'],
    kustomize: !flags['no-kustomize'],
    helm: !flags['no-helm'],
  });
  io.stdout(result.stdout);
  return result.exitCode;
};
