// platform.yaml as the commands that edit it read it (add, remove, promote, upgrade): parsed
// (model/serialize.ts: aliases and nesting capped) and checked for the shape their edit code
// walks before the full validation runs on the edited model: a mapping, whose entity lists are
// lists of mappings. An empty file, a list, `tenants: 3` or `tenants: [null]` is then bad input
// naming the field (exit 2), never a TypeError deep in an edit. Pure.

import { InputError, type Problem } from '../model/errors.ts';
import { parseSpecText } from '../model/serialize.ts';
import type { PlatformSpec } from '../model/types.ts';

/** The top-level lists whose items the edit, promote and upgrade code reads by name. */
const ENTITY_LISTS = ['environments', 'clusters', 'tenants', 'services'] as const;
/** The lists the schema requires (model/schema.ts): an edit may rely on them. */
const REQUIRED = new Set<string>(['environments', 'clusters']);
/** Top-level fields read as mappings before validation (repo.url, argocd.*, the recorded pins). */
const MAPPINGS = ['repo', 'argocd', 'delivery', 'secrets', 'ci'] as const;

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);
const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What keeps `data` from having the shape of a platform model (empty: it has it). */
export function modelShapeProblems(data: unknown): Problem[] {
  if (!isMapping(data))
    return [{ path: '(root)', message: data === null || data === undefined ? 'is empty' : `is ${kindOf(data)}, not a mapping of fields (apiVersion, kind, name, environments, ...)`, fix: 'restore platform.yaml from Git, or write it anew with gitops-scaffold init' }];
  const problems: Problem[] = [];
  for (const list of ENTITY_LISTS) {
    const value = data[list];
    if (value === undefined) {
      if (REQUIRED.has(list)) problems.push({ path: '(root)', message: `missing required field "${list}"`, fix: `add ${list}` });
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push({ path: list, message: `is ${kindOf(value)}, expected a list of ${list}`, fix: `write ${list}: as a list of "- name: ..." items` });
      continue;
    }
    value.forEach((item, i) => {
      if (!isMapping(item)) problems.push({ path: `${list}[${i}]`, message: `is ${kindOf(item)}, expected a mapping with a name`, fix: `write it as "- name: ..."` });
      else if (item.name !== undefined && typeof item.name !== 'string') problems.push({ path: `${list}[${i}].name`, message: `is ${kindOf(item.name)}, expected a name`, fix: 'give a name in quotes' });
    });
  }
  for (const key of MAPPINGS) if (data[key] !== undefined && !isMapping(data[key])) problems.push({ path: key, message: `is ${kindOf(data[key])}, expected a mapping`, fix: `write ${key}: as fields, or remove it` });
  return problems;
}

/** platform.yaml text -> the model to edit; InputError (exit 2) when it is not one. */
export function parseModelForEdit(text: string, source: string): PlatformSpec {
  const data = parseSpecText(text, source);
  const problems = modelShapeProblems(data);
  if (problems.length) throw new InputError(`${source} is not a platform model (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was written`, problems);
  return data as PlatformSpec;
}
