import { lintCommand } from '../../lint/command.ts';
import type { Handler } from '../types.ts';
import { print } from './print.ts';
import { progressFor } from '../../io/progress.ts';

export const lint: Handler = async ({ args, flags, io }) => print(io, await lintCommand({ paths: args, output: flags.json ? 'json' : flags.output, config: flags.config, progress: progressFor(io, !!flags.json || flags.output === 'json') }));
