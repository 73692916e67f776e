// Conversions sprig relies on: spf13/cast v1.7.1 (ToInt64, ToInt, ToFloat64: strings parsed with
// base prefixes, so "010" is 8; bools are 1/0; anything else is 0), sprig's strval/strslice and
// empty (the truthiness of `default`, `empty`, `coalesce`, `compact`).
import { formatValue } from '../go/fmt.ts';
import { parseFloat, parseInt } from '../go/strconv.ts';
import { GoError, GoInt, int, int64, isGoMap, typed } from '../go/values.ts';

/** cast's trimZeroDecimal: "1.0" -> "1", "1.5" unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** Go's float64 -> int64 conversion (truncation toward zero). */
function truncToBig(f: number): bigint {
  if (!Number.isFinite(f)) return -(2n ** 63n);
  return BigInt.asIntN(64, BigInt(Math.trunc(f)));
}

export function toInt64Value(v: unknown): bigint {
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'number') return truncToBig(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    try {
      return parseInt(trimZeroDecimal(v), 0, 64);
    } catch {
      return 0n;
    }
  }
  return 0n;
}

export const toInt64 = (v: unknown) => int64(toInt64Value(v));
export const toInt = (v: unknown) => int(toInt64Value(v));

export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    try {
      return parseFloat(v);
    } catch {
      return 0;
    }
  }
  return 0;
}

/** sprig strval: strings as they are, anything else as %v prints it. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  return formatValue(v === undefined ? null : v, 'v');
}

/** sprig strslice: a list of strings from a slice (nil elements dropped) or a single value. */
export function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return typed(v.filter((x) => x !== null && x !== undefined).map(strval), '[]string');
  if (v === null || v === undefined) return typed([], '[]string');
  return typed([strval(v)], '[]string');
}

/** sprig empty: the zero value of its type (structs never). */
export function empty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (v instanceof GoInt) return v.value === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** A Go runtime panic inside a function call surfaces as its error text. */
export const nilDereference = () => new GoError('runtime error: invalid memory address or nil pointer dereference');

/** reflect.TypeOf(list).Kind() as sprig's list functions inspect it. */
export function listKind(list: unknown): string {
  if (list === null || list === undefined) throw nilDereference();
  if (Array.isArray(list)) return 'slice';
  if (typeof list === 'string') return 'string';
  if (typeof list === 'boolean') return 'bool';
  if (typeof list === 'number') return 'float64';
  if (list instanceof GoInt) return list.type;
  return 'map';
}
