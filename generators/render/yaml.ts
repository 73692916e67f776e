// The one YAML configuration of the project. Output is written for YAML 1.1 readers
// (Kubernetes' sigs.k8s.io/yaml): strings such as "yes", "on" or "0755" come out quoted, so no
// value changes type on its way into a cluster. No line folding, so diffs stay line-based.

import YAML from 'yaml';

const STRINGIFY: YAML.ToStringOptions & YAML.DocumentOptions & YAML.SchemaOptions & YAML.CreateNodeOptions = {
  version: '1.1',
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
  sortMapEntries: false,
  // Shared objects (one list used twice) are written out in full: anchors confuse reviewers and tools.
  aliasDuplicateObjects: false,
};

/** A value (built in code) as a YAML document, ending with a newline. */
export const toYaml = (value: unknown): string => fastToYaml(value, '') ?? YAML.stringify(value, STRINGIFY);

/** A value as an indented YAML block to sit under a key in a template. */
export function toYamlBlock(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  const fast = fastToYaml(value, pad);
  if (fast !== undefined) return fast.slice(0, -1);
  const text = YAML.stringify(value, STRINGIFY).replace(/\n$/, '');
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Fast path: the plain data the planners build (maps, lists, single-line strings, finite
// numbers, booleans, null) written the way YAML.stringify(value, STRINGIFY) writes it, byte for
// byte, without building a Document. Anything else (multi-line strings, lists of lists, keys
// that need quotes, Dates, Maps, class instances, undefined, cycles) returns undefined and the
// caller falls back to YAML.stringify for the whole value. Scalars are decided by the `yaml`
// library itself: a string is written plain only when its own plain-scalar rules allow it (the
// same checks as stringifyString's plainString, with the YAML 1.1 schema's tags); otherwise the
// library's quoted form is asked for once and memoized.

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

/** The 1.1 schema tags plainString tests a string against (it is quoted when one matches). */
const PLAIN_TESTS: RegExp[] = (() => {
  const schema = new YAML.Document(null, { version: '1.1' }).schema as unknown as { tags: { default?: boolean; tag: string; test?: RegExp }[]; compat?: { default?: boolean; tag: string; test?: RegExp }[] | null };
  return [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test!);
})();
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOC_MARKER = /^(%|---|\.\.\.)/m;

const testPlain = (s: string) => s !== '' && !s.includes('\n') && !FORCE_DOUBLE.test(s) && !NOT_PLAIN.test(s) && !DOC_MARKER.test(s) && !PLAIN_TESTS.some((re) => re.test(s));
// Keys and values repeat across a fleet (`name`, `replace`, label keys): one lookup instead of a
// dozen regular expressions.
const plainMemo = new Map<string, boolean>();
function plainOk(s: string): boolean {
  let ok = plainMemo.get(s);
  if (ok === undefined) {
    ok = testPlain(s);
    if (plainMemo.size >= 100_000) plainMemo.clear();
    plainMemo.set(s, ok);
  }
  return ok;
}

const valueScalars = new Map<string, string>();
/** A string as a block map value or list item. */
function stringValue(s: string): string {
  if (plainOk(s)) return s;
  let out = valueScalars.get(s);
  if (out === undefined) {
    if (s.includes('\n')) throw UNSUPPORTED; // block scalars depend on the indentation
    const text = YAML.stringify({ k: s }, STRINGIFY);
    if (!text.startsWith('k: ') || text.indexOf('\n') !== text.length - 1) throw UNSUPPORTED;
    out = text.slice(3, -1);
    if (valueScalars.size < 50_000) valueScalars.set(s, out);
  }
  return out;
}

/**
 * A multi-line string as a block map value or list item, pushed as lines: YAML.stringify writes it
 * as a literal block scalar (lineWidth 0 never folds) whose content is indented by `contentInd`.
 * Only the plain shapes: no leading space or newline (no indentation indicator), strip or clip
 * chomping with no whitespace before the end, no document markers; anything else is Unsupported.
 */
const BLOCK_OK_START = /^[^\n\t ]/;
const BLOCK_OK_END = /[^\n\t ]\n?$/;
function blockLiteral(s: string, head: string, contentInd: string, out: string[]): void {
  if (FORCE_DOUBLE.test(s) || !BLOCK_OK_START.test(s) || !BLOCK_OK_END.test(s) || DOC_MARKER.test(s)) throw UNSUPPORTED;
  const clip = s.endsWith('\n');
  out.push(head + (clip ? '|' : '|-'));
  const lines = (clip ? s.slice(0, -1) : s).split('\n');
  for (const line of lines) out.push(line ? contentInd + line : '');
}

function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      if (v.includes('\n')) return undefined;
      return stringValue(v);
    case 'number':
      if (!Number.isFinite(v) || Object.is(v, -0)) throw UNSUPPORTED;
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return v === null ? 'null' : undefined;
    default:
      throw UNSUPPORTED; // undefined, bigint, symbol, function
  }
}

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** `value` must be a non-null object. Appends lines at `ind`; the first line's indent is left to the caller when `inline`. */
function block(value: object, ind: string, out: string[], inline: boolean, depth: number): void {
  if (depth > 100) throw UNSUPPORTED;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const head = i === 0 && inline ? '- ' : `${ind}- `;
      const s = scalar(item);
      if (s !== undefined) {
        out.push(head + s);
        continue;
      }
      if (typeof item === 'string') {
        blockLiteral(item, head, ind + '  ', out);
        continue;
      }
      if (Array.isArray(item)) {
        if (item.length) throw UNSUPPORTED; // - - a
        out.push(head + '[]');
        continue;
      }
      if (!isPlainObject(item as object)) throw UNSUPPORTED;
      const keys = Object.keys(item as object);
      if (!keys.length) {
        out.push(head + '{}');
        continue;
      }
      const at = out.length;
      block(item as object, ind + '  ', out, true, depth + 1);
      out[at] = head + out[at];
    }
    return;
  }
  if (!isPlainObject(value)) throw UNSUPPORTED;
  let first = inline;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (!plainOk(key)) throw UNSUPPORTED;
    const head = first ? `${key}:` : `${ind}${key}:`;
    first = false;
    const s = scalar(v);
    if (s !== undefined) {
      out.push(`${head} ${s}`);
      continue;
    }
    if (typeof v === 'string') {
      blockLiteral(v, `${head} `, ind + '  ', out);
      continue;
    }
    if (Array.isArray(v)) {
      if (!v.length) out.push(`${head} []`);
      else {
        out.push(head);
        block(v, ind + '  ', out, false, depth + 1);
      }
      continue;
    }
    if (!isPlainObject(v as object)) throw UNSUPPORTED;
    if (!Object.keys(v as object).length) out.push(`${head} {}`);
    else {
      out.push(head);
      block(v as object, ind + '  ', out, false, depth + 1);
    }
  }
}

/** YAML.stringify(value, STRINGIFY) with every line prefixed by `pad`, or undefined when not the fast path's. */
function fastToYaml(value: unknown, pad: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value) ? !value.length : !isPlainObject(value) || !Object.keys(value).length) return undefined;
  const out: string[] = [];
  try {
    block(value, pad, out, false, 0);
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
  return out.join('\n') + '\n';
}

/** A safely quoted YAML scalar for any string: a JSON string is a valid double-quoted YAML scalar. */
export const quote = (value: unknown): string => JSON.stringify(value == null ? '' : String(value));

/** Parses every document of a text; throws with the first error (a rendering bug if it happens). */
export function parseAll(text: string, file: string): unknown[] {
  const docs = YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  const out: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    out.push(doc.toJS()); // toJS() surfaces unresolved aliases, which errors[] does not
  }
  return out;
}
