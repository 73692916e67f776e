import { validateCommand } from '../../validate/command.ts';
import type { Handler } from '../types.ts';
import { list, print } from './print.ts';
import { progressFor } from '../../io/progress.ts';
import { allowV8Tuning } from '../../validate/v8-tuning.ts';

export const validate: Handler = async ({ args, flags, io }) => {
  allowV8Tuning();
  return print(
    io,
    await validateCommand({
      paths: args,
      output: flags.json ? 'json' : flags.output,
      kubeconform: flags.kubeconform,
      kustomize: !flags['no-kustomize'],
      repoUrl: flags['repo-url'],
      skip: list(flags.skip),
      reject: list(flags.reject),
      ignoreMissingSchemas: !!flags['ignore-missing-schemas'],
      ignoreFilenamePatterns: flags['ignore-filename-pattern'] ?? [],
      progress: progressFor(io, !!flags.json || flags.output === 'json'),
      helm: !flags['no-helm'],
      simulate: !flags['no-simulate'],
      cache: !flags['no-cache'],
    }),
  );
};
