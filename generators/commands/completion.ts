import type { CommandSpec } from './types.ts';

export const completionCommand: CommandSpec = {
  name: 'completion',
  summary: 'print the shell completion script for bash, zsh or fish',
  description:
    'Commands, flags, flag values and the names declared in platform.yaml (tenants, services, clusters, environments) complete on Tab. The script asks gitops-scaffold itself, so it stays right as the tool is upgraded.',
  args: [{ name: 'SHELL', description: 'bash, zsh or fish', required: true, choices: ['bash', 'zsh', 'fish'] }],
  examples: [
    'source <(gitops-scaffold completion bash)  # in ~/.bashrc',
    'gitops-scaffold completion zsh > "${fpath[1]}/_gitops-scaffold"',
    'gitops-scaffold completion fish > ~/.config/fish/completions/gitops-scaffold.fish',
  ],
  load: async () => (await import('./handlers/completion.ts')).completion,
};

/** What the completion scripts call on Tab: `gitops-scaffold __complete WORD... PARTIAL`. */
export const completeCommand: CommandSpec = {
  name: '__complete',
  summary: 'print completion candidates for a partial command line (used by the completion scripts)',
  hidden: true,
  rawArgs: true,
  args: [{ name: 'WORD', description: 'the words of the line after the program name, the last one being completed', variadic: true }],
  load: async () => (await import('./handlers/completion.ts')).complete,
};
