// Validation of platform.yaml: structure from the JSON Schema, then the cross-field rules.
// Every problem is collected with its path and reported at once (changesets' rules.ts style).

import v8 from 'node:v8';
import type { ErrorObject } from 'ajv';
import { platformSchema } from './schema.ts';
import { platformValidator } from '../validate/platform-validator.ts';
import { crossFieldRules } from './rules.ts';
import { InputError, type Problem } from './errors.ts';
import type { PlatformSpec } from './types.ts';
import { locateProblems } from './locate.ts';

// Precompiled at build time (validate/platform-validator.ts); compiled here only when stale.
let compiled: ReturnType<typeof platformValidator> | undefined;
const validator = () => (compiled ??= platformValidator(platformSchema));

/** `/clusters/2/environment` -> `clusters[2].environment` */
export const pointerToPath = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');

const DNS_HINT = 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

function describe(err: ErrorObject, data: unknown): Problem {
  const at = pointerToPath(err.instancePath) || '(root)';
  const value = err.instancePath.split('/').slice(1).reduce<any>((v, k) => (v == null ? v : v[k]), data);
  const shown = shorten(value);
  switch (err.keyword) {
    case 'required':
      return { path: at, message: `missing required field "${(err.params as any).missingProperty}"`, fix: `add ${pointerToPath(err.instancePath + '/' + (err.params as any).missingProperty)}` };
    case 'additionalProperties': {
      const extra = (err.params as any).additionalProperty;
      const allowed = Object.keys((err.parentSchema as any)?.properties ?? {}).join(', ');
      return { path: at === '(root)' ? extra : `${at}.${extra}`, message: `unknown field "${extra}"`, fix: `remove it or use one of: ${allowed}` };
    }
    case 'enum': {
      const allowed: unknown[] = (err.params as any).allowedValues;
      // `blue-green` for blueGreen, `Canary` for canary: the same word spelled another way.
      const loose = (v: unknown) => String(v).toLowerCase().replace(/[-_\s]/g, '');
      const meant = typeof value === 'string' ? allowed.find((a) => loose(a) === loose(value)) : undefined;
      return { path: at, message: `${shown} is not one of ${allowed.join(', ')}`, ...(meant !== undefined ? { fix: `write ${JSON.stringify(meant)}` } : {}) };
    }
    case 'const':
      return { path: at, message: `${shown} must be ${JSON.stringify((err.params as any).allowedValue)}` };
    case 'type':
      return { path: at, message: `${shown} must be ${(err.params as any).type === 'array' ? 'a list' : `of type ${(err.params as any).type}`}` };
    case 'pattern':
      if ((err.schema as string).startsWith('^[a-z0-9]([-a-z0-9]*'))
        return { path: at, message: `${shown} is not a DNS-1123 name (${DNS_HINT})`, fix: `use e.g. ${JSON.stringify(String(value).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'name')}` };
      if ((err.schema as string).startsWith('^[A-Za-z0-9_][A-Za-z0-9._-]'))
        return { path: at, message: `${shown} is not an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`, fix: 'use the tag as the registry shows it, e.g. 1.4.2 or v2026.11.0-rc1' };
      if ((err.schema as string).includes('sha256')) return { path: at, message: `${shown} is not a digest`, fix: 'use sha256:<64 hex digits>' };
      if ((err.schema as string).includes('Ki|Mi')) return { path: at, message: `${shown} is not a Kubernetes quantity`, fix: 'use e.g. 500m, 2, 512Mi, 4Gi' };
      if ((err.schema as string).startsWith('^v[0-9]')) return { path: at, message: `${shown} is not an exact release`, fix: 'use e.g. v3.5.1 (never a range or "stable")' };
      return { path: at, message: `${shown} does not match ${err.schema}` };
    case 'maxLength':
      return { path: at, message: `${shown} is longer than ${(err.params as any).limit} characters` };
    case 'minItems':
      return { path: at, message: `needs at least ${(err.params as any).limit} item(s)` };
    case 'minLength':
      return { path: at, message: 'must not be empty' };
    default:
      return { path: at, message: err.message ?? err.keyword };
  }
}

/** A value in a message: never megabytes of it. */
function shorten(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 60) return `${JSON.stringify(`${value.slice(0, 57)}...`)} (${value.length} characters)`;
  const json = JSON.stringify(value);
  return json !== undefined && json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** No string in the model is anywhere near this long (a CA bundle is a few KB). */
const MAX_STRING = 64 * 1024;

/** Strings too long for any field, found before the schema runs (its errors would quote them). */
function oversized(value: unknown, at: string, out: Problem[]): void {
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) out.push({ path: at || '(root)', message: `is ${value.length} characters long; no field of platform.yaml takes more than ${MAX_STRING}`, fix: 'check the value (a file pasted by mistake?)' });
  } else if (Array.isArray(value)) value.forEach((v, i) => oversized(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) oversized(v, at ? `${at}.${k}` : k, out);
}

/** Structure then cross-field rules; returns every problem (empty when valid). */
/** Whether `oversized` would find anything (the same walk, without making a path per value). */
function anyOversized(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_STRING;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (anyOversized(value[i])) return true;
    return false;
  }
  if (value && typeof value === 'object') for (const k of Object.keys(value)) if (anyOversized((value as Record<string, unknown>)[k])) return true;
  return false;
}

export function specProblems(data: unknown): Problem[] {
  const huge: Problem[] = [];
  if (anyOversized(data)) oversized(data, '', huge);
  if (huge.length) return huge;
  const validate = validator();
  if (!validate(data)) {
    const seen = new Set<string>();
    // A string that fails both maxLength and pattern would be reported twice; keep one per path.
    return ((validate.errors ?? []) as ErrorObject[])
      .map((e) => describe(e, data))
      .filter((p) => (seen.has(p.path + p.message) ? false : (seen.add(p.path + p.message), true)));
  }
  return crossFieldRules(data as PlatformSpec);
}

/**
 * The last model found valid, with its structured-clone bytes (v8.serialize: exact, an undefined
 * field and a missing one differ): `add` validates the edited model and the render validates it
 * again; a model with the same bytes has the same problems (none), so the second time costs a
 * serialize (~1 ms for 500 services) instead of the schema and rule run.
 */
let lastValid: { model: object; bytes: Buffer } | undefined;

const bytesOf = (data: object): Buffer | undefined => {
  try {
    return v8.serialize(data);
  } catch {
    return undefined; // not structured-cloneable (a function in it): validated every time
  }
};

/** Records `data` as valid (its problems were just found empty). */
export function noteValid(data: unknown): void {
  const bytes = data && typeof data === 'object' ? bytesOf(data) : undefined;
  lastValid = bytes ? { model: data as object, bytes } : undefined;
}

const knownValid = (data: unknown): boolean => {
  if (!lastValid || !data || typeof data !== 'object') return false;
  const bytes = bytesOf(data);
  return !!bytes && bytes.equals(lastValid.bytes);
};

/** Throws InputError listing every problem (list items by name, with file and line when known); returns the spec typed when valid. */
export function validateSpec(data: unknown, source = 'platform.yaml'): PlatformSpec {
  if (knownValid(data)) return data as PlatformSpec;
  const problems = locateProblems(specProblems(data), data);
  if (problems.length) throw new InputError(`${source} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was written`, problems);
  noteValid(data);
  return data as PlatformSpec;
}
