// `promote SERVICE`: move the image one environment runs into the next, in promotion order.

import { REPO_FLAG, WRITE_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const promoteCommand: CommandSpec = {
  name: 'promote',
  summary: 'move the image tag and digest one environment runs into the next (protected ones: a pull request)',
  description:
    'Edits the service\'s per-environment image in platform.yaml and re-renders its overlay. Without --to, the next pending step: the first environment that does not run what the one before it runs. A protected environment changes only through a pull request (the promotion implies --pr). The generated CI pipeline runs `promote SERVICE --tag TAG --digest DIGEST` to bring a new build into the first environment. Roll back with --to ENV --revision REF (what ENV ran at that Git revision) or a git revert.',
  args: [{ name: 'SERVICE', description: 'the service to promote', required: true, complete: { model: 'services' } }],
  flags: {
    to: { type: 'string', value: 'ENV', complete: { model: 'environments' }, description: 'the environment that changes (default: the next pending step of the promotion order)' },
    from: { type: 'string', value: 'ENV', complete: { model: 'environments' }, description: 'take the version from this environment (default: the one right before --to)' },
    'allow-skip': { type: 'boolean', description: 'let the version skip environments of the promotion order (with --from, or --tag into a later environment)' },
    tag: { type: 'string', value: 'TAG', complete: 'none', description: 'a new build: the tag the first environment takes' },
    digest: { type: 'string', value: 'sha256:...', complete: 'none', description: 'the new build\'s digest, pinned beside --tag' },
    revision: { type: 'string', value: 'REF', complete: 'none', description: 'rollback: --to ENV takes what ENV ran at this Git revision' },
    ...REPO_FLAG,
    ...WRITE_FLAGS,
  },
  examples: [
    'gitops-scaffold promote payments-api  # the next step: dev -> staging, then staging -> prod',
    'gitops-scaffold promote payments-api --to prod  # prod is protected: pushes a branch and opens a pull request',
    'gitops-scaffold promote payments-api --tag 2.16.0 --digest sha256:...  # a new build into the first environment (CI)',
    'gitops-scaffold promote payments-api --to prod --revision v2026.10.0  # roll prod back to what it ran then',
  ],
  load: async () => (await import('./handlers/promote.ts')).promote,
};
