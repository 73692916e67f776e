// YAML that people wrote (answers files, --set values, seal-values files) -> JS. Pure. Aliases
// are capped, so a "billion laughs" document is an InputError naming its source, never a crash
// or a hang; syntax errors name the line.

import YAML from 'yaml';
import { InputError } from '../model/errors.ts';

/** YAML alias resolutions allowed in one document (the yaml package's own default, made explicit). */
export const MAX_YAML_ALIASES = 100;

/**
 * YAML (1.1, unique keys) -> JS, with aliases capped: a document whose aliases expand past
 * MAX_YAML_ALIASES is refused with an InputError naming the source, never a crash.
 */
export function parseYamlInput(text: string, source: string, at = source): unknown {
  const doc = YAML.parseDocument(text, { version: '1.1', uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new InputError(`${source} is not valid YAML or JSON; nothing was written`, [{ path: `${at}${line ? `:${line}` : ''}`, message: e.message.split('\n')[0], fix: 'fix the YAML syntax' }]);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (/alias/i.test((err as Error).message))
      throw new InputError(`${source} expands too many YAML aliases; nothing was written`, [{ path: at, message: `its aliases (*name) expand more than ${MAX_YAML_ALIASES} times, as a "billion laughs" document does`, fix: 'write the values out instead of repeating aliases' }]);
    throw new InputError(`${source} cannot be read as YAML; nothing was written`, [{ path: at, message: (err as Error).message.split('\n')[0], fix: 'fix the YAML' }]);
  }
}
