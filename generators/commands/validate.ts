import { OUTPUT_FLAGS } from './flags.ts';
import type { CommandSpec } from './types.ts';

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary: 'check any GitOps repository strictly and offline: schemas, kustomize builds, cross-references',
  description:
    'Parses every file (syntax errors and duplicate keys with file and line), checks every resource against strict schemas (unknown fields are errors), builds kustomizations with kustomize or kubectl kustomize when present, runs kubeconform when on PATH, and checks cross-references. Exit 1 on errors. See docs/validate.md.',
  args: [{ name: 'PATH', description: 'folders or files to check (default: .)', variadic: true, complete: 'dir' }],
  flags: {
    ...OUTPUT_FLAGS,
    kubeconform: { type: 'string', value: 'WHEN', choices: ['auto', 'always', 'never'], default: 'auto', description: 'run kubeconform: when on PATH (auto), or fail without it (always)' },
    'no-kustomize': { type: 'boolean', description: 'do not build kustomizations (their referenced paths are still checked)' },
    skip: { type: 'string', value: 'KIND,...', multiple: true, complete: 'none', description: 'kinds not to check, e.g. ConfigMap or argoproj.io/v1alpha1/Application (repeatable, comma-separated)' },
    reject: { type: 'string', value: 'KIND,...', multiple: true, complete: 'none', description: 'kinds that are errors wherever they appear (repeatable, comma-separated)' },
    'ignore-missing-schemas': { type: 'boolean', description: 'kinds without a schema are not reported' },
    'ignore-filename-pattern': { type: 'string', value: 'REGEX', multiple: true, complete: 'none', description: 'files whose path matches are not read (repeatable)' },
    'no-helm': { type: 'boolean', description: 'do not render Helm chart sources with helm template (by default they are when helm is installed; it fetches the charts)' },
    simulate: { type: 'boolean', hidden: true, description: 'simulate Argo CD offline (the default; kept for scripts that pass it)' },
    'no-simulate': { type: 'boolean', description: 'skip the offline simulation of Argo CD (every Application, the bootstrap, sync waves, projects, clusters, references: sim/* findings)' },
    'no-cache': { type: 'boolean', description: "do not use or write the report cache (the user's cache folder: a repeated validate of unchanged files prints the stored report)" },
    'repo-url': { type: 'string', value: 'URL', complete: 'none', description: "this repository's URL, to tell its own paths from other repositories' in Argo CD sources" },
  },
  examples: [
    'gitops-scaffold validate ./my-gitops-repo',
    'gitops-scaffold validate . --output sarif > validate.sarif',
    'gitops-scaffold validate apps/ --no-kustomize --skip ConfigMap',
    'gitops-scaffold validate . --no-simulate',
  ],
  load: async () => (await import('./handlers/validate.ts')).validate,
};
