import { OUTPUT_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const lintCommand: CommandSpec = {
  name: 'lint',
  summary: 'apply the policy rules for Argo CD GitOps repositories (docs/lint-rules.md)',
  description:
    'Reads .gitops-scaffold/lint.yaml (seeded in every generated repository) and honours gitops-scaffold.dev/lint-ignore annotations (rule and reason). Exit 1 on error-level findings.',
  args: [{ name: 'PATH', description: 'folders or files to lint (default: .)', variadic: true, complete: 'dir' }],
  flags: {
    ...OUTPUT_FLAGS,
    config: { type: 'string', value: 'FILE', complete: 'file', description: 'the lint configuration (default: .gitops-scaffold/lint.yaml of the linted repository)' },
  },
  examples: ['gitops-scaffold lint .', 'gitops-scaffold lint . --output junit > lint.xml'],
  load: async () => (await import('./handlers/lint.ts')).lint,
};
