/** Where the repo config lives, relative to the root of the linted folder. */
export const LINT_CONFIG_FILE_NAME = '.gitops-scaffold/lint.yaml';
