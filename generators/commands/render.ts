import { REPO_FLAG, SEAL_FLAGS, WRITE_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const renderCommand: CommandSpec = {
  name: 'render',
  summary: 're-plan the repository from its platform.yaml and write only what changed',
  description:
    'Run after editing platform.yaml by hand. Files edited by hand since the tool wrote them are merged three ways; overlapping edits are conflicts (exit 1) with the new version beside the file as <file>.gitops-scaffold-new.',
  flags: { ...REPO_FLAG, ...WRITE_FLAGS, ...SEAL_FLAGS },
  examples: ['gitops-scaffold render', 'gitops-scaffold render --repo ../platform-gitops --dry-run'],
  load: async () => (await import('./handlers/render.ts')).render,
};
