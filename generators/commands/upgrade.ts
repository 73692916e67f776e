// `upgrade`: move the repository to the pins of this tool version.

import { REPO_FLAG, WRITE_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const upgradeCommand: CommandSpec = {
  name: 'upgrade',
  summary: 'move the repository to the pins of this gitops-scaffold version, keeping hand edits',
  description:
    'Every repository records the upstream releases it was rendered with (Argo CD, Rollouts, Workflows, Events, External Secrets, Sealed Secrets, policy-controller, CI images, the repo CI\'s actions and tools) in .gitops-scaffold/manifest.json, and every other command renders with those, so a newer tool never moves them by itself. upgrade moves them to this version\'s, re-renders with the three-way merge (hand edits are kept; overlapping ones are conflicts, exit 1), and prints what moved with the upstream upgrade notes; a major Argo CD step says what changes. It never moves a pin back, and refuses a repository rendered by a newer gitops-scaffold (exit 2).',
  flags: { ...REPO_FLAG, ...WRITE_FLAGS },
  examples: ['gitops-scaffold upgrade --dry-run  # what would move, with the notes, and the diff', 'gitops-scaffold upgrade --pr  # as a pull request'],
  load: async () => (await import('./handlers/upgrade.ts')).upgrade,
};
