// Flags shared by several commands, declared once. A command lists the groups it takes
// (`flags: { ...WRITE_FLAGS, ... }`); a flag no command declares is rejected with "did you mean".

import type { FlagSpec } from './types.ts';

/** Accepted by every command, anywhere on the line. Add a global flag here (and read it in cli.ts). */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show help for the command and exit' },
  'no-color': { type: 'boolean', description: 'no colour in the output (also: NO_COLOR=1; FORCE_COLOR=1 forces it)' },
};

/** Only on the bare program: `gitops-scaffold --version`. */
export const ROOT_FLAGS: Record<string, FlagSpec> = {
  version: { type: 'boolean', short: 'v', description: 'print the version and exit' },
};

/**
 * Deliver the change as a pull request: a new branch gitops-scaffold/<change> pushed to the remote,
 * made in a temporary work tree of the base branch (the checkout is never touched), opened with
 * gh / glab when on PATH. platform.yaml `repo.changes: pr` makes it the default.
 */
export const PR_FLAGS: Record<string, FlagSpec> = {
  pr: { type: 'boolean', description: 'push the change to a new branch and open a pull request (gh or glab) instead of writing the checkout' },
  'no-pr': { type: 'boolean', description: 'write the checkout even when platform.yaml says repo.changes: pr (never for a protected environment)' },
};

/** Commands that plan and write the repository (init, render, add, remove, promote, upgrade). */
export const WRITE_FLAGS: Record<string, FlagSpec> = {
  'dry-run': { type: 'boolean', description: 'print the plan (files to create, change, delete), write nothing' },
  json: { type: 'boolean', description: 'print one JSON result for automation (nothing else on stdout)' },
  force: { type: 'boolean', description: 'overwrite hand-edited or foreign files (backups are kept as .orig)' },
  'no-check': { type: 'boolean', description: 'skip validating and linting the output before writing' },
  verbose: { type: 'boolean', description: 'list every file, unchanged ones included' },
  ...PR_FLAGS,
};

/** Sealed Secrets inputs that do not live in platform.yaml (init, render). */
export const SEAL_FLAGS: Record<string, FlagSpec> = {
  'sealed-secrets-cert': { type: 'string', value: 'FILE', complete: 'file', description: 'the controller certificate (kubeseal --fetch-cert): seal CI credentials like kubeseal; kept in the repo' },
  'seal-values': { type: 'string', value: 'FILE', complete: 'file', description: 'plaintext CI credentials to seal, {secret: {key: value}}; must live outside the repository' },
};

/** --repo: the repository to work on (commands that edit or render an existing repo). */
export const REPO_FLAG: Record<string, FlagSpec> = {
  repo: { type: 'string', value: 'DIR', complete: 'dir', description: 'the repository (the folder holding platform.yaml); default: this folder or the nearest parent holding one' },
};

/** Report formats of validate and lint. */
export const OUTPUT_FLAGS: Record<string, FlagSpec> = {
  output: { type: 'string', value: 'FORMAT', choices: ['text', 'json', 'junit', 'sarif'], default: 'text', description: 'report format' },
  json: { type: 'boolean', description: 'same as --output json' },
};
