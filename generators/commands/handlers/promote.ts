// `gitops-scaffold promote SERVICE ...`
import type { Handler } from '../types.ts';
import { promoteCommand } from '../promote-run.ts';
import { findRepo } from './common.ts';

export const promote: Handler = async ({ args, flags, io }) => promoteCommand(args[0], flags, io, findRepo(flags.repo));
