import { editCommand } from '../edit.ts';
import type { EntityKind } from '../../model/edits.ts';
import type { Handler } from '../types.ts';

/** add|remove service|tenant|cluster|environment [NAME] */
export const edit: Handler = async ({ path, args, flags, io }) => editCommand(path[0] as 'add' | 'remove', path[1] as EntityKind, args[0], flags, io);
