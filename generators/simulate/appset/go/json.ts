// encoding/json as Go writes and reads it: map keys sorted, `<>&` escaped as \u003c unless HTML
// escaping is off (toRawJson), NaN/Inf are errors, numbers decode to float64.
import { GoError, GoInt, compareGoStrings, isGoMap } from './values.ts';

function quoteJSON(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += '\\u' + cp.toString(16).padStart(4, '0');
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += '\\u' + cp.toString(16).padStart(4, '0');
    else if (cp === 0x2028 || cp === 0x2029) out += '\\u' + cp.toString(16);
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Go's float64 JSON form; JavaScript's shortest form agrees with it for finite numbers. */
function jsonNumber(f: number): string {
  if (!Number.isFinite(f)) throw new GoError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  return Object.is(f, -0) ? '-0' : String(f);
}

export interface MarshalOptions {
  escapeHTML?: boolean;
  indent?: string;
}

/** json.Marshal / json.MarshalIndent(v, "", indent). */
export function marshalJSON(v: unknown, opts: MarshalOptions = {}): string {
  const escapeHTML = opts.escapeHTML ?? true;
  const indent = opts.indent ?? '';
  const enc = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return quoteJSON(x, escapeHTML);
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'number') return jsonNumber(x);
    if (x instanceof GoInt) return x.value.toString();
    const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
    const close = indent ? '\n' + indent.repeat(depth) : '';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return '[' + nl + x.map((e) => enc(e, depth + 1)).join(',' + nl) + close + ']';
    }
    if (isGoMap(x)) {
      const keys = Object.keys(x).sort(compareGoStrings);
      if (keys.length === 0) return '{}';
      const sep = indent ? ': ' : ':';
      return '{' + nl + keys.map((k) => quoteJSON(k, escapeHTML) + sep + enc(x[k], depth + 1)).join(',' + nl) + close + '}';
    }
    throw new GoError(`json: unsupported type: ${typeof x}`);
  };
  return enc(v, 0);
}

/** A JSON value whose numbers keep their text, for re-reading as YAML does (int vs float). */
export type JSONTree = null | boolean | string | { num: string } | JSONTree[] | { obj: [string, JSONTree][] };

/** Parses JSON keeping number lexemes (JSONToYAML reads JSON through yaml.v2, which types them). */
export function parseJSONTree(text: string): JSONTree {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new GoError(`invalid character ${JSON.stringify(text[i] ?? '')} looking for beginning of value`);
  };
  const value = (): JSONTree => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: [string, JSONTree][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { obj };
      }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') fail();
        ws();
        if (text[i++] !== ':') fail();
        obj.push([k as string, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === '}') return { obj };
        fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: JSONTree[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === ']') return arr;
        fail();
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
      return JSON.parse(m![0]) as string;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (m && m[0] !== '') {
      i += m[0].length;
      return { num: m[0] };
    }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const)
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    return fail();
  };
  const v = value();
  ws();
  if (i < text.length) fail();
  return v;
}

/** json.Unmarshal into interface{}: objects, arrays, float64, string, bool, nil. */
export function unmarshalJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GoError(`invalid JSON: ${(e as Error).message}`);
  }
}
