import { SEAL_FLAGS, WRITE_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'write a new GitOps repository from answers (prompts, --answers, --set, or a built-in example)',
  description:
    'Asks only what --answers and --set leave open (never without a TTY or with CI=true: missing answers are listed, each with the flag that sets it), writes platform.yaml and everything it implies, and checks the output before writing it. Re-running with the same answers changes nothing.',
  flags: {
    answers: { type: 'string', value: 'FILE', complete: 'file', description: 'answers as YAML or JSON, in the shape of platform.yaml' },
    set: { type: 'string', value: 'PATH=VALUE', multiple: true, complete: 'none', description: 'one answer by its platform.yaml path, e.g. repo.url=https://... or clusters[0].name=hub (repeatable; wins over --answers)' },
    example: { type: 'string', value: 'NAME', choices: ['minimal', 'enterprise'], description: 'start from a built-in example platform.yaml' },
    out: { type: 'string', value: 'DIR', complete: 'dir', default: '.', description: 'the folder to write the repository into (empty, or written by gitops-scaffold before)' },
    yes: { type: 'boolean', short: 'y', description: 'take defaults for every optional answer, never prompt' },
    ...WRITE_FLAGS,
    ...SEAL_FLAGS,
  },
  examples: [
    'gitops-scaffold init --out ../platform-gitops  # asks what is missing',
    'gitops-scaffold init --example minimal --out /tmp/demo',
    'gitops-scaffold init --answers platform.yaml --set repo.revision=v1.2.0 --out ../platform-gitops --yes --json',
  ],
  load: async () => (await import('./handlers/init.ts')).init,
};
