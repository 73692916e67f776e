// text/template's builtin functions (text/template/funcs.go, Go 1.18+ reflect.Value versions):
// and or not len index slice print printf println eq ne lt le gt ge html js urlquery call.
// `and`/`or` short-circuit in exec.ts; they are declared here so the parser knows them.
import { formatValue, sprint, sprintf, sprintln } from '../fmt.ts';
import {
  GoError, GoInt, byteLength, elemType, goTypeOf, int, isGoMap, isTrue, kindOf, typed, zeroOf, type Kind,
} from '../values.ts';
import { fn, type FuncMap } from './func.ts';

const RV = 'reflect.Value';

export const truth = (v: unknown) => isTrue(v)[0];

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'complex' | 'invalid';

function basicKind(v: unknown): [BasicKind, GoError | undefined] {
  const k: Kind = kindOf(v);
  switch (k) {
    case 'bool': case 'int': case 'uint': case 'float': case 'string':
      return [k, undefined];
  }
  return ['invalid', new GoError('invalid type for comparison')];
}

const asBig = (v: unknown): bigint => (v as GoInt).value;

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg1 === null) arg1 = undefined;
  if (arg2.length === 0) throw new GoError('missing argument for comparison');
  const [k1] = basicKind(arg1);
  for (let arg of arg2) {
    if (arg === null) arg = undefined;
    const [k2] = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = asBig(arg1) >= 0n && asBig(arg1) === asBig(arg);
      else if (k1 === 'uint' && k2 === 'int') t = asBig(arg) >= 0n && asBig(arg1) === asBig(arg);
      else if (arg1 !== undefined && arg !== undefined) throw new GoError('incompatible types for comparison');
    } else {
      switch (k1) {
        case 'bool': case 'float': case 'string':
          t = arg1 === arg;
          break;
        case 'int': case 'uint':
          t = asBig(arg1) === asBig(arg);
          break;
        default:
          // Both non-basic: nil equals nil; maps, slices and funcs are not comparable.
          if (arg1 === undefined || arg === undefined) t = arg1 === arg;
          else throw new GoError(`non-comparable type ${formatValue(arg, 'v')}: ${goTypeOf(arg)}`);
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  if (a === null) a = undefined;
  if (b === null) b = undefined;
  const [k1, e1] = basicKind(a);
  if (e1) throw e1;
  const [k2, e2] = basicKind(b);
  if (e2) throw e2;
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return asBig(a) < 0n || asBig(a) < asBig(b);
    if (k1 === 'uint' && k2 === 'int') return asBig(b) >= 0n && asBig(a) < asBig(b);
    throw new GoError('incompatible types for comparison');
  }
  switch (k1) {
    case 'bool':
      throw new GoError('invalid type for comparison');
    case 'float':
      return (a as number) < (b as number);
    case 'string':
      return (a as string) < (b as string);
    default:
      return asBig(a) < asBig(b);
  }
}

const le = (a: unknown, b: unknown) => lt(a, b) || eq(a, b);

function indexArg(index: unknown, cap: number): number {
  if (index === null) index = undefined;
  let x: bigint;
  if (index instanceof GoInt) x = index.value;
  else if (index === undefined) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${goTypeOf(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

/** index: x[i][j]..., a missing map key gives the zero value of the element type. */
function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null) item = undefined;
  if (item === undefined) throw new GoError('index of untyped nil');
  for (let ix of indexes) {
    if (ix === null) ix = undefined;
    if (item === null || item === undefined) throw new GoError('index of nil pointer');
    if (typeof item === 'string') {
      const bytes = new TextEncoder().encode(item);
      const x = indexArg(ix, bytes.length);
      if (x >= bytes.length) throw new GoError(`index out of range: ${x}`);
      item = new GoInt('uint8', bytes[x]);
    } else if (Array.isArray(item)) {
      const x = indexArg(ix, item.length);
      if (x >= item.length) throw new GoError(`index out of range: ${x}`);
      item = item[x];
    } else if (isGoMap(item)) {
      const t = goTypeOf(item)!;
      if (ix === undefined) ix = '';
      if (typeof ix !== 'string') throw new GoError(`${goTypeOf(ix)} is not index type for ${t}`);
      item = Object.prototype.hasOwnProperty.call(item, ix) ? item[ix] : zeroOf(elemType(t));
    } else {
      throw new GoError(`can't index item of type ${goTypeOf(item)}`);
    }
  }
  return item;
}

/** slice: x[1:2] / x[1:2:3] of a string or slice. */
function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null) item = undefined;
  if (item === undefined) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    cap = byteLength(item);
  } else if (Array.isArray(item)) cap = item.length;
  else throw new GoError(`can't slice item of type ${goTypeOf(item)}`);
  const idx = [0, cap];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, cap);
  });
  if (idx[0] > idx[1]) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length >= 3 && idx[1] > idx[2]) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') {
    const bytes = new TextEncoder().encode(item).slice(idx[0], idx[1]);
    return new TextDecoder().decode(bytes);
  }
  const t = goTypeOf(item)!;
  return typed((item as unknown[]).slice(idx[0], idx[1]), t);
}

function length(item: unknown): GoInt {
  if (item === null || item === undefined) throw new GoError('len of nil pointer');
  if (typeof item === 'string') return int(byteLength(item));
  if (Array.isArray(item)) return int(item.length);
  if (isGoMap(item)) return int(Object.keys(item).length);
  throw new GoError(`len of type ${goTypeOf(item)}`);
}

/** Textual form of the arguments, as evalArgs does for html/js/urlquery. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? '<no value>' : a)));
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };
export const htmlEscape = (s: string) => s.replace(/["'&<>]/g, (c) => HTML_ESCAPES[c]);

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export const builtins: FuncMap = {
  and: fn([RV, '...' + RV], () => {
    throw new Error('unreachable: and is evaluated by the executor');
  }),
  or: fn([RV, '...' + RV], () => {
    throw new Error('unreachable: or is evaluated by the executor');
  }),
  not: fn([RV], (a: unknown) => !truth(a)),
  len: fn([RV], length),
  index: fn([RV, '...' + RV], index),
  slice: fn([RV, '...' + RV], slice),
  call: fn([RV, '...' + RV], (f: unknown) => {
    if (f === undefined || f === null) throw new GoError('call of nil');
    throw new GoError(`non-function ${formatValue(f, 'v')} of type ${goTypeOf(f)}`);
  }),
  print: fn(['...interface {}'], (...a: unknown[]) => sprint(a)),
  printf: fn(['string', '...interface {}'], (format: string, ...a: unknown[]) => sprintf(format, a)),
  println: fn(['...interface {}'], (...a: unknown[]) => sprintln(a)),
  html: fn(['...interface {}'], (...a: unknown[]) => htmlEscape(evalArgs(a))),
  js: fn(['...interface {}'], (...a: unknown[]) => jsEscape(evalArgs(a))),
  urlquery: fn(['...interface {}'], (...a: unknown[]) => queryEscape(evalArgs(a))),
  eq: fn([RV, '...' + RV], eq),
  ne: fn([RV, RV], (a: unknown, b: unknown) => !eq(a, b)),
  lt: fn([RV, RV], lt),
  le: fn([RV, RV], le),
  gt: fn([RV, RV], (a: unknown, b: unknown) => !le(a, b)),
  ge: fn([RV, RV], (a: unknown, b: unknown) => !lt(a, b)),
};
