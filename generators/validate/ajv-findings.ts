// Turns the raw errors of a precompiled validator into findings a person can act on: each
// message starts with the field path, each fix says what to change, and union ("anyOf") noise
// is folded into one message.
import { pointerToDotted } from '../check/parse.ts';
import type { Finding, ResourceRef } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';
import type { JsonSchema } from './build/json-schema.ts';
import { allowedFieldsAt, closestName, nodesAt, whereFieldBelongs } from './schema-hints.ts';
import type { AjvError } from './schema-store.ts';

export interface SchemaErrorContext {
  resource: ParsedResource;
  ref: ResourceRef;
  /** Loads the kind's JSON schema for hints (only called when a hint is needed). */
  schema: () => JsonSchema;
  /** A kustomize patch: only part of a resource, so missing required fields are expected. */
  partial: boolean;
}

export function schemaFindings(errors: readonly AjvError[], ctx: SchemaErrorContext): Finding[] {
  const out: Finding[] = [];
  for (const e of foldUnions(errors)) {
    if (ctx.partial && e.keyword === 'required') continue;
    out.push(toFinding(e, ctx));
  }
  return dedupe(out);
}

type Folded = AjvError & { oneOfRequired?: string[]; oneOfMany?: boolean };

/**
 * Ajv reports a failed `anyOf` as every branch's errors followed by the anyOf error itself. The
 * branch errors are the ones just before it under the same data path. Errors saying a value
 * "must be null" come from the nullable branch of an optional field and say nothing useful; when
 * every branch only misses a different required field, the union is "set one of" those.
 */
function foldUnions(errors: readonly AjvError[]): Folded[] {
  const out: Folded[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') {
      out.push(e);
      continue;
    }
    const under = (p: string) => p === e.instancePath || p.startsWith(e.instancePath + '/');
    let start = out.length;
    while (start > 0 && under(out[start - 1].instancePath)) start--;
    const branch = out
      .splice(start)
      .filter((b) => !(b.instancePath === e.instancePath && ((b.keyword === 'type' && b.params.type === 'null') || b.keyword === 'not')));
    if (Array.isArray(e.params.passingSchemas)) {
      // A oneOf that more than one branch accepted: mutually exclusive fields set together.
      out.push({ ...e, oneOfMany: true });
      continue;
    }
    const requiredOnly = branch.length > 1 && branch.every((b) => b.keyword === 'required' && b.instancePath === e.instancePath);
    if (requiredOnly) {
      out.push({ ...e, oneOfRequired: [...new Set(branch.map((b) => String(b.params.missingProperty)))] });
    } else if (branch.length) {
      out.push(...branch);
    } else {
      out.push(e);
    }
  }
  return out;
}

function toFinding(e: Folded, ctx: SchemaErrorContext): Finding {
  const base = {
    rule: 'schema',
    severity: 'error' as const,
    source: 'embedded-schema',
    file: ctx.resource.file,
    resource: ctx.ref,
  };
  const at = (pointer: string) => ({ path: pointer || '/', line: ctx.resource.lineOf?.(pointer) ?? ctx.resource.line });
  const kind = ctx.ref.kind ?? 'resource';
  const value = valueAt(ctx.resource.obj, e.instancePath);

  if (e.oneOfMany) {
    const exclusive = exclusiveFieldsAt(ctx.schema(), e.instancePath);
    const set = exclusive.filter((f) => value && typeof value === 'object' && f in (value as object));
    return {
      ...base,
      rule: 'schema/one-of',
      ...at(e.instancePath),
      message: `${pointerToDotted(e.instancePath)}: sets ${set.join(' and ') || 'more than one alternative'}, which exclude each other`,
      fix: `Keep only one of ${exclusive.join(', ') || 'the alternatives'}.`,
    };
  }
  if (e.oneOfRequired) {
    const fields = e.oneOfRequired.join(', ');
    return { ...base, rule: 'schema/one-of', ...at(e.instancePath), message: `${pointerToDotted(e.instancePath)}: must set one of ${fields}`, fix: `Set exactly one of ${fields} under ${pointerToDotted(e.instancePath)}.` };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      const pointer = `${e.instancePath}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const parent = pointerToDotted(e.instancePath);
      const allowed = allowedFieldsAt(ctx.schema(), e.instancePath);
      const typo = closestName(field, allowed);
      const elsewhere = whereFieldBelongs(ctx.schema(), field).filter((p) => p !== stripIndexes(parent));
      let fix: string;
      if (typo) fix = `Did you mean "${typo}"? Rename the field.`;
      else if (elsewhere.length) fix = `"${field}" is a field of ${elsewhere.join(' or ')}, not of ${parent === '(root)' ? 'the top level' : parent}: move it there.`;
      else fix = `Remove it, or check the spelling against the ${kind} API.`;
      if (allowed.length && allowed.length <= 30 && !typo) fix += ` Allowed here: ${allowed.join(', ')}.`;
      return { ...base, rule: 'schema/unknown-field', ...at(pointer), message: `${pointerToDotted(pointer)}: unknown field "${field}" in ${kind} (strict: not in the schema at ${parent})`, fix };
    }
    case 'required': {
      const field = String(e.params.missingProperty);
      const pointer = `${e.instancePath}/${field}`;
      const parent = pointerToDotted(e.instancePath);
      return { ...base, rule: 'schema/required', ...at(e.instancePath), path: pointer, message: `${pointerToDotted(pointer)}: required field is missing`, fix: `Add "${field}" ${parent === '(root)' ? 'at the top level' : `under ${parent}`}.` };
    }
    case 'type': {
      const want = String(e.params.type).split(',').filter((t) => t !== 'null');
      const got = describe(value);
      return { ...base, rule: 'schema/type', ...at(e.instancePath), message: `${pointerToDotted(e.instancePath)}: must be ${want.join(' or ')}, got ${got}`, fix: typeFix(want, value) };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).filter((v) => v !== null);
      const guess = typeof value === 'string' ? closestName(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      return {
        ...base,
        rule: 'schema/enum',
        ...at(e.instancePath),
        message: `${pointerToDotted(e.instancePath)}: ${describe(value)} is not an allowed value (${list})`,
        fix: guess ? `Did you mean "${guess}"?` : `Use one of ${list}.`,
      };
    }
    case 'anyOf':
    case 'oneOf':
      return { ...base, rule: 'schema/shape', ...at(e.instancePath), message: `${pointerToDotted(e.instancePath)}: does not match any of the shapes the ${kind} API allows here`, fix: `Compare ${pointerToDotted(e.instancePath)} with the ${kind} API reference.` };
    default:
      return { ...base, ...at(e.instancePath), message: `${pointerToDotted(e.instancePath)}: fails the "${e.keyword}" rule (${JSON.stringify(e.params)})`, fix: `Compare ${pointerToDotted(e.instancePath)} with the ${kind} API reference.` };
  }
}

function typeFix(want: string[], value: unknown): string {
  if (want.includes('string') && (typeof value === 'number' || typeof value === 'boolean'))
    return `Quote the value ("${String(value)}"): YAML reads it as a ${typeof value}.`;
  if ((want.includes('integer') || want.includes('number')) && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return 'Write the number without quotes.';
  if (want.includes('integer') && typeof value === 'number') return 'Use a whole number.';
  if (want.includes('array')) return 'Make it a YAML list (items starting with "- ").';
  if (want.includes('object')) return 'Make it a mapping (key: value lines, indented).';
  if (want.includes('boolean')) return 'Use true or false without quotes.';
  return `Change the value to ${want.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(" or ")}.`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(obj: unknown, pointer: string): unknown {
  let cur: any = obj;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const stripIndexes = (dottedPath: string) => dottedPath.replace(/\[\d+\]/g, '[]');

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.path}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The fields of a "set one of" union at a location (the single required field of each branch). */
function exclusiveFieldsAt(schema: JsonSchema, pointer: string): string[] {
  const fields = new Set<string>();
  for (const n of nodesAt(schema, pointer)) for (const b of n.oneOf ?? []) if (b.required?.length === 1) fields.add(b.required[0]);
  return [...fields];
}
