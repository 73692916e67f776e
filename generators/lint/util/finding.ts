import type { ParsedResource } from '../../check/resources.ts';
import type { RuleFinding } from '../types.ts';

/** Shorthand for a rule finding. */
export const at = (resource: ParsedResource, path: string | undefined, message: string, fix?: string): RuleFinding => ({
  resource,
  path,
  message,
  ...(fix ? { fix } : {}),
});
