import type { CommandSpec } from './types.ts';

export const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'show help for a command',
  args: [{ name: 'COMMAND', description: 'the command, e.g. init or add service', variadic: true, complete: 'none' }],
  examples: ['gitops-scaffold help add service', 'gitops-scaffold add service --help  # the same'],
  load: async () => (await import('./handlers/help.ts')).help,
};
