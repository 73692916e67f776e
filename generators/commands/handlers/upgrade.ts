// `gitops-scaffold upgrade`
import type { Handler } from '../types.ts';
import { upgradeCommand } from '../upgrade-run.ts';
import { findRepo } from './common.ts';

export const upgrade: Handler = async ({ flags, io }) => upgradeCommand(flags, io, findRepo(flags.repo));
