import type { CommandSpec } from './types.ts';

export const schemasCommand: CommandSpec = {
  name: 'schemas',
  summary: 'export the strict schemas, for kubeconform in CI or an air-gapped machine',
  subcommands: [
    {
      name: 'export',
      summary: "write the strict schemas in kubeconform's local layout",
      args: [{ name: 'DIR', description: 'the folder to write them into', required: true, complete: 'dir' }],
      flags: { json: { type: 'boolean', description: 'print one JSON result for automation' } },
      examples: ['gitops-scaffold schemas export ./schemas'],
      load: async () => (await import('./handlers/schemas.ts')).schemasExport,
    },
  ],
};
