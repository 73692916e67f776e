// The command tree: every command of gitops-scaffold, in the order `--help` lists them. Each entry
// is data plus a lazily imported handler (see types.ts); add a command by adding its module here.

import { addCommand, removeCommand } from './add.ts';
import { completeCommand, completionCommand } from './completion.ts';
import { helpCommand } from './help.ts';
import { initCommand } from './init.ts';
import { lintCommand } from './lint.ts';
import { renderCommand } from './render.ts';
import { schemasCommand } from './schemas.ts';
import type { CommandSpec } from './types.ts';
import { validateCommand } from './validate.ts';
import { appsCommand } from './apps.ts';
import { promoteCommand } from './promote.ts';
import { upgradeCommand } from './upgrade.ts';
import { diffCommand } from './diff.ts';

export const PROGRAM = 'gitops-scaffold';

export const ROOT: CommandSpec = {
  name: PROGRAM,
  summary: 'writes and maintains a secure, strictly valid Argo CD GitOps repository from platform.yaml',
  subcommands: [initCommand, renderCommand, addCommand, removeCommand, promoteCommand, upgradeCommand, validateCommand, appsCommand, diffCommand, lintCommand, schemasCommand, completionCommand, helpCommand, completeCommand],
};
