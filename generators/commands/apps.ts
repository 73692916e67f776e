import type { CommandSpec } from './types.ts';

export const appsCommand: CommandSpec = {
  name: 'apps',
  summary: 'list every Application the repository produces, per ApplicationSet, as Argo CD would create them',
  description:
    'Reads the repository offline, expands every ApplicationSet as the pinned Argo CD controller does, and lists each Application with its project, sources, destination, sync wave and RollingSync step, then the cluster prerequisites the repository assumes (.gitops-scaffold/prerequisites.yaml) and the errors the simulation finds. Exit 1 when it finds errors.',
  args: [{ name: 'DIR', description: 'the repository (default: .)', complete: 'dir' }],
  flags: {
    output: { type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'report format' },
    json: { type: 'boolean', description: 'same as --output json' },
    'repo-url': { type: 'string', value: 'URL', complete: 'none', description: "this repository's URL (default: inferred from the Applications whose paths exist here)" },
  },
  examples: ['gitops-scaffold apps', 'gitops-scaffold apps examples/enterprise --output json'],
  load: async () => (await import('./handlers/apps.ts')).apps,
};
