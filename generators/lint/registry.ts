// Lookup of rules by id or name, shared by the engine, the config loader and suppressions.

import { rules } from './rules/index.ts';
import type { Rule } from './types.ts';

const byRef = new Map<string, Rule>();
for (const r of rules) {
  byRef.set(r.id.toLowerCase(), r);
  byRef.set(r.name.toLowerCase(), r);
}

/** The rule an id (`acd008` or `ACD008`) or name (`project-source-wildcard`) refers to. */
export const findRule = (ref: string): Rule | undefined => byRef.get(ref.trim().toLowerCase());

export { rules };
