// sprig v3.3.0 defaults, dicts, lists, numbers, JSON, reflection and flow control
// (defaults.go, dict.go, list.go, numeric.go, reflect.go, functions.go). Functions whose Go
// result depends on map iteration order (keys, values) return them in sorted key order, one of
// the orders Go may produce.
import { formatValue } from '../go/fmt.ts';
import { marshalJSON, unmarshalJSON } from '../go/json.ts';
import { mergoMerge } from '../go/mergo.ts';
import { fn, type FuncMap } from '../go/text-template/func.ts';
import {
  GoError, GoInt, deepCopy, goTypeOf, int, int64, isGoMap, reflectKindName, sortedKeys, typed, type GoMap,
} from '../go/values.ts';
import { parseInt as parseGoInt } from '../go/strconv.ts';
import { empty, listKind, nilDereference, strval, toFloat64, toInt, toInt64Value } from './convert.ts';
import { Decimal } from './decimal.ts';

const ANY = 'interface {}';
const MAP = 'map[string]interface {}';
const S = 'string';
const I = 'int';

/** time.Duration.String for a whole number of nanoseconds that is a multiple of a second. */
function durationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  const sub = u % 1_000_000_000n;
  u /= 1_000_000_000n;
  const secs = u % 60n;
  const mins = (u / 60n) % 60n;
  const hours = u / 3600n;
  let frac = '';
  if (sub !== 0n) frac = '.' + sub.toString().padStart(9, '0').replace(/0+$/, '');
  let out = `${secs}${frac}s`;
  if (u >= 60n) out = `${mins}m` + out;
  if (u >= 3600n) out = `${hours}h` + out;
  return (neg ? '-' : '') + out;
}

const has = (m: GoMap, k: string) => Object.prototype.hasOwnProperty.call(m, k);

/** reflect.DeepEqual for engine values (types must match too). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (isGoMap(a)) {
    const bm = b as GoMap;
    const ka = Object.keys(a);
    return ka.length === Object.keys(bm).length && ka.every((k) => has(bm, k) && deepEqual(a[k], bm[k]));
  }
  return a === b;
}

/** The elements of a slice argument, or sprig's "Cannot <op> on type <kind>" error. */
function elements(list: unknown, what: string): unknown[] {
  const kind = listKind(list);
  if (kind !== 'slice') throw new GoError(`${what} ${kind}`);
  return list as unknown[];
}

const ifaceSlice = (xs: unknown[]) => typed([...xs], '[]interface {}');

function mustMap(v: unknown): GoMap {
  if (isGoMap(v) && goTypeOf(v) === MAP) return v;
  throw new GoError(`interface conversion: interface {} is ${goTypeOf(v) ?? 'nil'}, not map[string]interface {}`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new GoError('dig needs at least three arguments');
  const dict = mustMap(ps[ps.length - 1]);
  const def = ps[ps.length - 2];
  const ks = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new GoError(`interface conversion: interface {} is ${goTypeOf(k) ?? 'nil'}, not string`);
    return k;
  });
  let cur = dict;
  for (let i = 0; i < ks.length; i++) {
    if (!has(cur, ks[i])) return def;
    const step = cur[ks[i]];
    if (i === ks.length - 1) return step;
    cur = mustMap(step);
  }
  return def;
}

function chunk(size: GoInt, list: unknown): unknown[][] {
  const l = elements(list, 'Cannot chunk type');
  const sz = Number(size.value);
  const cs = Math.floor((l.length - 1) / sz) + 1;
  const out: unknown[][] = [];
  for (let i = 0; i < cs; i++) {
    let clen = sz;
    if (i === cs - 1) {
      clen = Math.floor(l.length % sz);
      if (clen === 0) clen = sz;
    }
    out.push(ifaceSlice(l.slice(i * sz, i * sz + clen)));
  }
  return typed(out, '[][]interface {}');
}

function untilStep(start: number, stop: number, step: number): GoInt[] {
  const v: GoInt[] = [];
  if (stop < start) {
    if (step >= 0) return typed(v, '[]int');
    for (let i = start; i > stop; i += step) v.push(int(i));
    return typed(v, '[]int');
  }
  if (step <= 0) return typed(v, '[]int');
  for (let i = start; i < stop; i += step) v.push(int(i));
  return typed(v, '[]int');
}

function seq(...params: GoInt[]): string {
  const p = params.map((x) => Number(x.value));
  let inc = 1;
  let r: GoInt[];
  switch (p.length) {
    case 0:
      return '';
    case 1:
      if (p[0] < 1) inc = -1;
      r = untilStep(1, p[0] + inc, inc);
      break;
    case 3:
      if (p[2] < p[0]) {
        inc = -1;
        if (p[1] > 0) return '';
      }
      r = untilStep(p[0], p[2] + inc, p[1]);
      break;
    case 2: {
      const step = p[1] < p[0] ? -1 : 1;
      r = untilStep(p[0], p[1] + step, step);
      break;
    }
    default:
      return '';
  }
  return r.map((x) => x.value.toString()).join(' ');
}

function round(a: unknown, p: GoInt, ...rOpt: unknown[]): number {
  const roundOn = rOpt.length > 0 ? toFloat64(rOpt[0]) : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p.value));
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  return (div >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

function decimalOp(a: unknown, b: unknown[], op: (x: Decimal, y: Decimal) => Decimal): number {
  let acc = Decimal.fromFloat(toFloat64(a));
  for (const x of b) acc = op(acc, Decimal.fromFloat(toFloat64(x)));
  return acc.toFloat64();
}

const intDiv = (a: bigint, b: bigint) => {
  if (b === 0n) throw new GoError('runtime error: integer divide by zero');
  return a / b;
};

const jsonOr = (v: unknown, opts: Parameters<typeof marshalJSON>[1], fallback: string) => {
  try {
    return marshalJSON(v, opts);
  } catch (e) {
    if (e instanceof GoError) return fallback;
    throw e;
  }
};

export const sprigData: FuncMap = {
  default: fn([ANY, '...' + ANY], (d: unknown, ...given: unknown[]) => (given.length === 0 || empty(given[0]) ? d : given[0])),
  empty: fn([ANY], empty),
  coalesce: fn(['...' + ANY], (...v: unknown[]) => v.find((x) => !empty(x)) ?? null),
  all: fn(['...' + ANY], (...v: unknown[]) => v.every((x) => !empty(x))),
  any: fn(['...' + ANY], (...v: unknown[]) => v.some((x) => !empty(x))),
  compact: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot compact on type').filter((x) => !empty(x)))),
  mustCompact: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot compact on type').filter((x) => !empty(x)))),
  ternary: fn([ANY, ANY, 'bool'], (vt: unknown, vf: unknown, v: boolean) => (v ? vt : vf)),
  fromJson: fn([S], (s: string) => {
    try {
      return unmarshalJSON(s);
    } catch {
      return null;
    }
  }),
  mustFromJson: fn([S], (s: string) => unmarshalJSON(s)),
  toJson: fn([ANY], (v: unknown) => jsonOr(v, {}, '')),
  mustToJson: fn([ANY], (v: unknown) => marshalJSON(v)),
  toPrettyJson: fn([ANY], (v: unknown) => jsonOr(v, { indent: '  ' }, '')),
  mustToPrettyJson: fn([ANY], (v: unknown) => marshalJSON(v, { indent: '  ' })),
  toRawJson: fn([ANY], (v: unknown) => marshalJSON(v, { escapeHTML: false })),
  mustToRawJson: fn([ANY], (v: unknown) => marshalJSON(v, { escapeHTML: false })),
  deepCopy: fn([ANY], (v: unknown) => deepCopy(v)),
  mustDeepCopy: fn([ANY], (v: unknown) => deepCopy(v)),

  typeOf: fn([ANY], (v: unknown) => formatValue(v, 'T')),
  typeIs: fn([S, ANY], (t: string, v: unknown) => t === formatValue(v, 'T')),
  typeIsLike: fn([S, ANY], (t: string, v: unknown) => t === formatValue(v, 'T') || '*' + t === formatValue(v, 'T')),
  kindOf: fn([ANY], (v: unknown) => reflectKindName(v)),
  kindIs: fn([S, ANY], (t: string, v: unknown) => t === reflectKindName(v)),
  deepEqual: fn([ANY, ANY], deepEqual),
  fail: fn([S], (msg: string) => {
    throw new GoError(msg);
  }),

  // Dictionaries (dict.go): parameters typed map[string]interface {}.
  dict: fn(['...' + ANY], (...v: unknown[]) => {
    const d: GoMap = {};
    for (let i = 0; i < v.length; i += 2) d[strval(v[i])] = i + 1 < v.length ? v[i + 1] : '';
    return d;
  }),
  get: fn([MAP, S], (d: GoMap, k: string) => (has(d, k) ? d[k] : '')),
  set: fn([MAP, S, ANY], (d: GoMap, k: string, v: unknown) => {
    d[k] = v;
    return d;
  }),
  unset: fn([MAP, S], (d: GoMap, k: string) => {
    delete d[k];
    return d;
  }),
  hasKey: fn([MAP, S], (d: GoMap, k: string) => has(d, k)),
  pluck: fn([S, '...' + MAP], (k: string, ...ds: GoMap[]) => ifaceSlice(ds.filter((d) => has(d, k)).map((d) => d[k]))),
  keys: fn(['...' + MAP], (...ds: GoMap[]) => typed(ds.flatMap((d) => sortedKeys(d)), '[]string')),
  pick: fn([MAP, '...' + S], (d: GoMap, ...ks: string[]) => {
    const r: GoMap = {};
    for (const k of ks) if (has(d, k)) r[k] = d[k];
    return r;
  }),
  omit: fn([MAP, '...' + S], (d: GoMap, ...ks: string[]) => {
    const r: GoMap = {};
    for (const k of Object.keys(d)) if (!ks.includes(k)) r[k] = d[k];
    return r;
  }),
  merge: fn([MAP, '...' + MAP], (dst: GoMap, ...srcs: GoMap[]) => {
    for (const s of srcs) mergoMerge(dst, s, false);
    return dst;
  }),
  mustMerge: fn([MAP, '...' + MAP], (dst: GoMap, ...srcs: GoMap[]) => {
    for (const s of srcs) mergoMerge(dst, s, false);
    return dst;
  }),
  mergeOverwrite: fn([MAP, '...' + MAP], (dst: GoMap, ...srcs: GoMap[]) => {
    for (const s of srcs) mergoMerge(dst, s, true);
    return dst;
  }),
  mustMergeOverwrite: fn([MAP, '...' + MAP], (dst: GoMap, ...srcs: GoMap[]) => {
    for (const s of srcs) mergoMerge(dst, s, true);
    return dst;
  }),
  values: fn([MAP], (d: GoMap) => ifaceSlice(sortedKeys(d).map((k) => d[k]))),
  dig: fn(['...' + ANY], dig),

  // Lists (list.go): any slice kind is accepted through reflection.
  list: fn(['...' + ANY], (...v: unknown[]) => ifaceSlice(v)),
  tuple: fn(['...' + ANY], (...v: unknown[]) => ifaceSlice(v)),
  append: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([...elements(l, 'Cannot push on type'), v])),
  push: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([...elements(l, 'Cannot push on type'), v])),
  mustAppend: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([...elements(l, 'Cannot push on type'), v])),
  mustPush: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([...elements(l, 'Cannot push on type'), v])),
  prepend: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([v, ...elements(l, 'Cannot prepend on type')])),
  mustPrepend: fn([ANY, ANY], (l: unknown, v: unknown) => ifaceSlice([v, ...elements(l, 'Cannot prepend on type')])),
  first: fn([ANY], (l: unknown) => elements(l, 'Cannot find first on type')[0] ?? null),
  mustFirst: fn([ANY], (l: unknown) => elements(l, 'Cannot find first on type')[0] ?? null),
  last: fn([ANY], (l: unknown) => elements(l, 'Cannot find last on type').at(-1) ?? null),
  mustLast: fn([ANY], (l: unknown) => elements(l, 'Cannot find last on type').at(-1) ?? null),
  rest: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot find rest on type').slice(1))),
  mustRest: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot find rest on type').slice(1))),
  initial: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot find initial on type').slice(0, -1))),
  mustInitial: fn([ANY], (l: unknown) => ifaceSlice(elements(l, 'Cannot find initial on type').slice(0, -1))),
  reverse: fn([ANY], (l: unknown) => ifaceSlice([...elements(l, 'Cannot find reverse on type')].reverse())),
  mustReverse: fn([ANY], (l: unknown) => ifaceSlice([...elements(l, 'Cannot find reverse on type')].reverse())),
  uniq: fn([ANY], (l: unknown) => {
    const out: unknown[] = [];
    for (const x of elements(l, 'Cannot find uniq on type')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return ifaceSlice(out);
  }),
  mustUniq: fn([ANY], (l: unknown) => {
    const out: unknown[] = [];
    for (const x of elements(l, 'Cannot find uniq on type')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return ifaceSlice(out);
  }),
  without: fn([ANY, '...' + ANY], (l: unknown, ...omit: unknown[]) =>
    ifaceSlice(elements(l, 'Cannot find without on type').filter((x) => !omit.some((o) => deepEqual(x, o)))),
  ),
  mustWithout: fn([ANY, '...' + ANY], (l: unknown, ...omit: unknown[]) =>
    ifaceSlice(elements(l, 'Cannot find without on type').filter((x) => !omit.some((o) => deepEqual(x, o)))),
  ),
  has: fn([ANY, ANY], (needle: unknown, hay: unknown) => {
    if (hay === null || hay === undefined) return false;
    return elements(hay, 'Cannot find has on type').some((x) => deepEqual(needle, x));
  }),
  mustHas: fn([ANY, ANY], (needle: unknown, hay: unknown) => {
    if (hay === null || hay === undefined) return false;
    return elements(hay, 'Cannot find has on type').some((x) => deepEqual(needle, x));
  }),
  slice: fn([ANY, '...' + ANY], (l: unknown, ...ix: unknown[]) => {
    const kind = listKind(l);
    if (kind !== 'slice') throw new GoError(`list should be type of slice or array but ${kind}`);
    const arr = l as unknown[];
    if (arr.length === 0) return null;
    const start = ix.length > 0 ? Number(toInt(ix[0]).value) : 0;
    const end = ix.length < 2 ? arr.length : Number(toInt(ix[1]).value);
    if (start < 0 || end > arr.length || start > end) throw new GoError(`reflect: slice index out of range`);
    return typed(arr.slice(start, end), goTypeOf(arr)!);
  }),
  mustSlice: fn([ANY, '...' + ANY], (l: unknown, ...ix: unknown[]) => {
    const kind = listKind(l);
    if (kind !== 'slice') throw new GoError(`list should be type of slice or array but ${kind}`);
    const arr = l as unknown[];
    if (arr.length === 0) return null;
    const start = ix.length > 0 ? Number(toInt(ix[0]).value) : 0;
    const end = ix.length < 2 ? arr.length : Number(toInt(ix[1]).value);
    if (start < 0 || end > arr.length || start > end) throw new GoError(`reflect: slice index out of range`);
    return typed(arr.slice(start, end), goTypeOf(arr)!);
  }),
  concat: fn(['...' + ANY], (...lists: unknown[]) => {
    const res: unknown[] = [];
    for (const l of lists) {
      const kind = listKind(l);
      if (kind !== 'slice') throw new GoError(`Cannot concat type ${kind} as list`);
      res.push(...(l as unknown[]));
    }
    return ifaceSlice(res);
  }),
  chunk: fn([I, ANY], chunk),
  mustChunk: fn([I, ANY], chunk),
  sortAlpha: fn([ANY], (l: unknown) => {
    if (Array.isArray(l)) {
      const s = l.filter((x) => x !== null && x !== undefined).map(strval);
      return typed(s.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), '[]string');
    }
    return typed([strval(l)], '[]string');
  }),
  until: fn([I], (count: GoInt) => {
    const c = Number(count.value);
    return untilStep(0, c, c < 0 ? -1 : 1);
  }),
  untilStep: fn([I, I, I], (a: GoInt, b: GoInt, c: GoInt) => untilStep(Number(a.value), Number(b.value), Number(c.value))),
  seq: fn(['...' + I], seq),

  // Numbers (numeric.go): int64 arithmetic through cast, decimal arithmetic for the *f variants.
  int64: fn([ANY], (v: unknown) => int64(toInt64Value(v))),
  int: fn([ANY], (v: unknown) => toInt(v)),
  float64: fn([ANY], toFloat64),
  toDecimal: fn([ANY], (v: unknown) => {
    const s = formatValue(v, 'v');
    return /^[+-]?[0-7]+$/.test(s) ? int64(BigInt.asIntN(64, BigInt('0o' + s.replace(/^[+-]/, '')) * (s.startsWith('-') ? -1n : 1n))) : int64(0);
  }),
  add1: fn([ANY], (i: unknown) => int64(toInt64Value(i) + 1n)),
  add: fn(['...' + ANY], (...i: unknown[]) => int64(i.reduce<bigint>((a, b) => a + toInt64Value(b), 0n))),
  sub: fn([ANY, ANY], (a: unknown, b: unknown) => int64(toInt64Value(a) - toInt64Value(b))),
  div: fn([ANY, ANY], (a: unknown, b: unknown) => int64(intDiv(toInt64Value(a), toInt64Value(b)))),
  mod: fn([ANY, ANY], (a: unknown, b: unknown) => {
    const d = toInt64Value(b);
    if (d === 0n) throw new GoError('runtime error: integer divide by zero');
    return int64(toInt64Value(a) % d);
  }),
  mul: fn([ANY, '...' + ANY], (a: unknown, ...v: unknown[]) => int64(v.reduce<bigint>((x, y) => x * toInt64Value(y), toInt64Value(a)))),
  add1f: fn([ANY], (i: unknown) => decimalOp(i, [int(1)], (x, y) => x.add(y))),
  addf: fn(['...' + ANY], (...i: unknown[]) => decimalOp(0, i, (x, y) => x.add(y))),
  subf: fn([ANY, '...' + ANY], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.sub(y))),
  divf: fn([ANY, '...' + ANY], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.div(y))),
  mulf: fn([ANY, '...' + ANY], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.mul(y))),
  biggest: fn([ANY, '...' + ANY], (a: unknown, ...i: unknown[]) => int64(i.reduce<bigint>((m, b) => (toInt64Value(b) > m ? toInt64Value(b) : m), toInt64Value(a)))),
  max: fn([ANY, '...' + ANY], (a: unknown, ...i: unknown[]) => int64(i.reduce<bigint>((m, b) => (toInt64Value(b) > m ? toInt64Value(b) : m), toInt64Value(a)))),
  min: fn([ANY, '...' + ANY], (a: unknown, ...i: unknown[]) => int64(i.reduce<bigint>((m, b) => (toInt64Value(b) < m ? toInt64Value(b) : m), toInt64Value(a)))),
  maxf: fn([ANY, '...' + ANY], (a: unknown, ...i: unknown[]) => i.reduce<number>((m, b) => Math.max(m, toFloat64(b)), toFloat64(a))),
  minf: fn([ANY, '...' + ANY], (a: unknown, ...i: unknown[]) => i.reduce<number>((m, b) => Math.min(m, toFloat64(b)), toFloat64(a))),
  ceil: fn([ANY], (a: unknown) => Math.ceil(toFloat64(a))),
  floor: fn([ANY], (a: unknown) => Math.floor(toFloat64(a))),
  round: fn([ANY, I, '...float64'], round),
  // date.go duration: a string or an int64 of seconds (a template's int literal is neither: 0s).
  duration: fn([ANY], (sec: unknown) => {
    let n = 0n;
    if (typeof sec === 'string') {
      try {
        n = parseGoInt(sec, 10);
      } catch {
        n = 0n;
      }
    } else if (sec instanceof GoInt && sec.type === 'int64') n = sec.value;
    return durationString(BigInt.asIntN(64, n * 1_000_000_000n));
  }),
};

export { nilDereference };
