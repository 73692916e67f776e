import type { CommandSpec } from './types.ts';

export const diffCommand: CommandSpec = {
  name: 'diff',
  summary: 'show what a change deploys: the Applications that appear, disappear or change, and their objects',
  description:
    'Compares two revisions of the repository (default: the working tree against HEAD) the way Argo CD would see them, offline: every Application, ApplicationSets expanded as the pinned controller does; for each Application that changes, what it deploys, built on both sides (kustomize or kubectl kustomize when installed, the offline inventory otherwise; Helm charts with helm template when helm is installed). Secret values are masked. Exit 1 when a changed Application no longer builds on the head side.',
  args: [{ name: 'DIR', description: 'the repository (default: .); may be a folder inside the Git work tree', complete: 'dir' }],
  flags: {
    base: { type: 'string', value: 'REF', complete: 'none', description: 'the revision to compare against (default: HEAD)' },
    head: { type: 'string', value: 'REF', complete: 'none', description: 'the revision to compare (default: the working tree, uncommitted and untracked files included)' },
    output: { type: 'string', value: 'FORMAT', choices: ['text', 'markdown', 'json'], default: 'text', description: 'report format (markdown: a pull-request comment)' },
    json: { type: 'boolean', description: 'same as --output json' },
    'repo-url': { type: 'string', value: 'URL', complete: 'none', description: "this repository's URL (default: inferred from the Applications whose paths exist here)" },
    'no-kustomize': { type: 'boolean', description: 'do not run kustomize or kubectl: kustomizations from the offline inventory' },
    'no-helm': { type: 'boolean', description: 'do not run helm: chart sources from the offline model' },
  },
  examples: [
    'gitops-scaffold diff',
    'gitops-scaffold diff --base origin/main --output markdown   # what CI posts on a pull request',
    'gitops-scaffold diff --base v2026.11.0 --head HEAD --json',
  ],
  load: async () => (await import('./handlers/diff.ts')).diff,
};
